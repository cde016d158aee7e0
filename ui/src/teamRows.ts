// Team connections in the one list. The core lists each team's kept rows at once (no engine is
// asked); this reads every team's list again behind them and says when a team's engine cannot be
// reached (its rows stay, as last listed). A team row's actions read the connection from the
// team's engine when used: Edit (the form saves over the version it read; a member whose policy
// only reads gets the form locked, with why), Open in terminal, Copy URL / environment, Code
// snippet. Nothing of a team connection is starred, duplicated or deleted from here.
import { useEffect } from "preact/hooks";
import { api, errorText, type Row } from "./api";
import type { TeamConnection } from "./gen/desk-bindings";
import { copyItems, type MenuItem } from "./RowMenu";
import { copiedNotice, type NoticeState } from "./Notice";

/** Why a team connection cannot be changed by this member. */
export const readOnly = (team: string) => `Your role in ${team} may use this connection, not change it (the engine's policy): ask who manages ${team}`;


export function useTeamRows(refresh: () => Promise<unknown>, say: (n: NoticeState) => void, edit: (c: TeamConnection) => void, snippet: (r: Row) => void) {
  const fail = (e: unknown) => say({ text: errorText(e), error: true });

  // Each team's list read from its engine again (kept by the core), then the list redrawn.
  const relist = async () => {
    try {
      const teams = await api.teams();
      const lists = await Promise.all(teams.map((t) => api.teamConnections(t.name).then((l) => [t.name, l.stale] as const, (e) => [t.name, errorText(e)] as const)));
      const stale = lists.filter(([, why]) => why);
      if (stale.length) say({ text: stale.map(([t, why]) => `Team ${t}: ${why}`).join("\n"), error: true });
      if (teams.length) await refresh();
    } catch (e) {
      fail(e);
    }
  };
  useEffect(() => { relist(); }, []);

  const open = async (r: Row) => {
    try { edit(await api.teamConnection(r.team!.team, r.name)); } catch (e) { fail(e); }
  };
  const copy = async (r: Row, what: string) => {
    try {
      const c = await api.copyTeam(r.team!.team, r.name, what);
      say(copiedNotice(`Copied ${r.name} (team ${r.team!.team}): ${c.what}${c.includes_secrets ? " — it contains a secret" : ""}`, c));
    } catch (e) { fail(e); }
  };
  const terminal = async (r: Row) => {
    try {
      const o = await api.openTeamInTerminal(r.team!.team, r.name);
      say({ text: `Opened ${r.name} (team ${r.team!.team}) in ${o.terminal} (${o.client})${o.note ? `: ${o.note}` : ""}` });
    } catch (e) { fail(e); }
  };

  const menu = (r: Row): MenuItem[] => [
    { action: "edit", label: "Edit", disabled: r.team!.may_edit ? undefined : readOnly(r.team!.team), run: () => open(r) },
    ...(r.team!.may_edit ? [] : [{ action: "view", label: "View (read-only)", run: () => open(r) }]),
    { action: "terminal", label: "Open in terminal", run: () => terminal(r) },
    ...copyItems((what) => copy(r, what)),
    { action: "snippet", label: "Code snippet…", run: () => snippet(r) },
  ];

  return { relist, open, menu };
}
