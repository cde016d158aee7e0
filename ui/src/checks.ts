// The list's checks: each tested row's verdict (shown under its row, dropped once the connection
// changes or goes, so an old "failed at tcp" is never shown as current), the checks running now
// with the tickets that cancel them, Test (one row) and Test all (the rows shown), and a clock
// that keeps "4s ago" counting.
import { useEffect, useState } from "preact/hooks";
import type { Verdict } from "./gen/bindings";
import { api, errorText, newTicket, wasCancelled, type Row } from "./api";
import type { NoticeState } from "./Notice";
import { rowId } from "./list";

/** What a verdict was made on: a saved connection's last change, a team connection's version. */
const stamp = (r: Row) => (r.team ? r.team.version : r.updated_at);
/** Checks one row: a team connection is read from its team's engine for the check. */
const check = (r: Row, ticket: number) => (r.team ? api.testTeam(r.team.team, r.name, ticket) : api.testSaved(r.kind, r.name, ticket));

export function useChecks(rows: Row[], refresh: () => Promise<unknown>, say: (n: NoticeState) => void) {
  const [verdicts, setVerdicts] = useState<Record<string, { v: Verdict; updated: number }>>({});
  useEffect(() => {
    setVerdicts((m) => {
      const keep = Object.entries(m).filter(([id, x]) => rows.some((r) => rowId(r) === id && stamp(r) === x.updated));
      return keep.length === Object.keys(m).length ? m : Object.fromEntries(keep);
    });
  }, [rows]);
  // Running checks by row, each with the ticket that cancels it.
  const [testing, setTesting] = useState<Map<string, number>>(new Map());
  // "4s ago" keeps counting: the list renders again every 5 seconds.
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(t);
  }, []);

  const testRow = async (r: Row) => {
    const id = rowId(r);
    const t = newTicket();
    setTesting((m) => new Map(m).set(id, t));
    try {
      const v = await check(r, t);
      setVerdicts((m) => ({ ...m, [id]: { v, updated: stamp(r) } }));
      await refresh();
    } catch (e) {
      say(wasCancelled(e) ? { text: `The test of ${r.name} was cancelled; nothing was recorded` } : { text: errorText(e), error: true });
    } finally {
      setTesting((m) => { const n = new Map(m); n.delete(id); return n; });
    }
  };

  const cancel = (ids: string[]) => ids.forEach((id) => { const t = testing.get(id); if (t !== undefined) api.cancelCheck(t); });

  // Tests exactly the rows `shown` (a filter hides the others from it too), and says how many
  // it left out (`hidden`).
  const testShown = async (shown: Row[], hidden: number) => {
    const local = shown.filter((r) => !r.team);
    const kinds = [...new Set(local.map((r) => r.kind))];
    const tickets = new Map(kinds.map((k) => [k, newTicket()]));
    // Each team connection is checked on its own, with a ticket of its own.
    const teamTickets = new Map(shown.filter((r) => r.team).map((r) => [rowId(r), newTicket()]));
    setTesting(new Map(shown.map((r) => [rowId(r), teamTickets.get(rowId(r)) ?? tickets.get(r.kind)!])));
    try {
      const team = Promise.all(shown.filter((r) => r.team).map(async (r) => {
        const v = await check(r, teamTickets.get(rowId(r))!);
        setVerdicts((m) => ({ ...m, [rowId(r)]: { v, updated: stamp(r) } }));
        return v;
      }));
      const v = [...(await Promise.all(kinds.map((k) => api.testAll(k, local.filter((r) => r.kind === k).map((r) => r.name), tickets.get(k))))).flat(), ...await team];
      const failed = v.filter((x) => !x.ok).length;
      const skipped = hidden > 0 ? ` (${hidden} hidden by the filter not tested)` : "";
      say({ text: `${v.length} checked: ${v.length - failed} ok, ${failed} failed${skipped}`, error: failed > 0 });
      await refresh();
    } catch (e) {
      if (wasCancelled(e)) [...tickets.values(), ...teamTickets.values()].forEach((t) => api.cancelCheck(t));
      say(wasCancelled(e) ? { text: "Test all was cancelled; nothing was recorded" } : { text: errorText(e), error: true });
    } finally {
      setTesting(new Map());
    }
  };

  // A row's stored last check, opened again under it (its status was clicked).
  const showLast = async (r: Row) => {
    try {
      const v = await api.lastVerdict(r.kind, r.name);
      if (v) setVerdicts((m) => ({ ...m, [rowId(r)]: { v, updated: stamp(r) } }));
      else say({ text: `${r.name}'s last check was recorded before Patchbay kept whole verdicts: press Test for one` });
    } catch (e) {
      say({ text: errorText(e), error: true });
    }
  };

  const close = (r: Row) => setVerdicts((m) => { const n = { ...m }; delete n[rowId(r)]; return n; });
  const shownVerdicts = () => Object.fromEntries(Object.entries(verdicts).map(([id, x]) => [id, x.v]));

  return { testing, testRow, cancel, testShown, close, shownVerdicts, showLast };
}
