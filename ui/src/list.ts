// What a tab's list shows and in which order: the search (this tab or all tabs), the environment
// and status filters, favourites pinned first, then recently used ones (until the user sorts by a
// column), then the chosen column: pure functions over the core's rows, and the tab's view of
// them (filters, sort, how many rows are rendered) as a hook.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Kind } from "./gen/bindings";
import type { Row } from "./api";
import { KINDS } from "./gen/kinds";

export type SortKey = "name" | "env" | "target" | "last";
export interface Sort { key: SortKey; dir: 1 | -1 }
export type Status = "" | "failing" | "ok" | "never";

export interface Filters {
  query: string;
  /** Every tab's connections, not just this tab's. */
  allTabs: boolean;
  /** An environment tag, "-" for untagged ones, or "" for all. */
  env: string;
  status: Status;
  /** Where connections are kept: a team's name, "-" for this computer's store, "" for everywhere. */
  team: string;
}

/** How many recently used connections stand first (after the favourites) in the default order. */
export const RECENT = 5;

export const isProduction = (tag: string | null) => !!tag && KINDS.production_tags.includes(tag.trim().toLowerCase());
/** A row's id: "kind/name", or "team:TEAM/kind/name" for a team's connection. */
export const rowId = (r: Row) => `${r.team ? `team:${r.team.team}/` : ""}${r.kind}/${r.name}`;
const statusOf = (r: Row): Status => (r.last_check ? (r.last_check.ok ? "ok" : "failing") : "never");

export function filterRows(rows: Row[], kinds: Kind[], f: Filters): Row[] {
  const q = f.query.trim().toLowerCase();
  return rows.filter((r) =>
    (f.allTabs && q ? true : kinds.includes(r.kind)) &&
    (!q || `${r.name} ${r.target} ${r.env_tag ?? ""}`.toLowerCase().includes(q)) &&
    (!f.env || (f.env === "-" ? !r.env_tag : (r.env_tag ?? "").toLowerCase() === f.env)) &&
    (!f.status || statusOf(r) === f.status) &&
    (!f.team || (f.team === "-" ? !r.team : r.team?.team === f.team)));
}

/** The environment tags used by `rows`, production ones first. */
export function envTags(rows: Row[]): string[] {
  const tags = [...new Set(rows.map((r) => r.env_tag?.trim().toLowerCase()).filter((t): t is string => !!t))];
  return tags.sort((a, b) => Number(isProduction(b)) - Number(isProduction(a)) || a.localeCompare(b));
}

const byName = (a: Row, b: Row) => a.name.localeCompare(b.name, undefined, { sensitivity: "base", numeric: true });
// Failing first, then never checked, then working; within each the oldest check first.
const statusRank = (r: Row) => (r.last_check ? (r.last_check.ok ? 2 : 0) : 1);
const COMPARE: Record<SortKey, (a: Row, b: Row) => number> = {
  name: byName,
  env: (a, b) => Number(isProduction(b.env_tag)) - Number(isProduction(a.env_tag)) || (a.env_tag ?? "~").localeCompare(b.env_tag ?? "~"),
  target: (a, b) => a.target.localeCompare(b.target),
  last: (a, b) => statusRank(a) - statusRank(b) || (a.last_check?.checked_at ?? 0) - (b.last_check?.checked_at ?? 0),
};

/** Favourites first; without a chosen column, the most recently used next; then the order asked for. */
export function sortRows(rows: Row[], sort: Sort | null): Row[] {
  const recent = new Set(
    sort ? [] : rows.filter((r) => !r.favourite && r.used_at).sort((a, b) => b.used_at! - a.used_at!).slice(0, RECENT).map(rowId),
  );
  const group = (r: Row) => (r.favourite ? 0 : recent.has(rowId(r)) ? 1 : 2);
  const cmp = sort ? COMPARE[sort.key] : byName;
  const dir = sort?.dir ?? 1;
  return [...rows].sort((a, b) =>
    group(a) - group(b) ||
    (group(a) === 1 ? b.used_at! - a.used_at! : dir * cmp(a, b) || byName(a, b)));
}

export const NO_FILTERS: Filters = { query: "", allTabs: false, env: "", status: "", team: "" };
/** Long lists render in pages as the user scrolls: a thousand rows stay light and quick. */
export const PAGE = 150;

const SORT_KEY = "patchbay.sort";

function savedSort(): Sort | null {
  try {
    const s = JSON.parse(localStorage.getItem(SORT_KEY) ?? "null");
    return s && s.key in COMPARE && (s.dir === 1 || s.dir === -1) ? { key: s.key, dir: s.dir } : null;
  } catch {
    return null;
  }
}

/** A tab's view of the list: its filters and sort (kept across restarts), and how many rows are
 * rendered (a page more as the user scrolls; back to one page when the tab, filters or sort
 * change). */
export function useListView(tab: string) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const setFilter = (f: Partial<Filters>) => setFilters((x) => ({ ...x, ...f }));
  const [sort, setSortState] = useState<Sort | null>(savedSort);
  const setSort = (s: Sort | null) => {
    setSortState(s);
    try { localStorage.setItem(SORT_KEY, JSON.stringify(s)); } catch { /* private mode: not kept */ }
  };
  const [limit, setLimit] = useState(PAGE);
  useEffect(() => setLimit(PAGE), [tab, filters, sort]);
  return { filters, setFilter, setFilters, sort, setSort, limit, setLimit };
}

/** Rows stay where they are while the user works on them: a test's result, a star or a use
 * re-sorts nothing until the tab, filters or sort change, the list is reloaded, or `resort` is
 * called. New rows go where the sort puts them. `changed`: the order on screen is no longer the
 * sorted one. */
export function useStableOrder(sorted: Row[], resetOn: unknown[]) {
  const order = useRef<string[]>([]);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([...resetOn, generation]);
  const last = useRef<string | null>(null);
  const byId = new Map(sorted.map((r) => [rowId(r), r]));
  let ids: string[];
  if (last.current !== key) {
    last.current = key;
    ids = sorted.map(rowId);
  } else {
    // The rows still there keep their places; a new one goes where the sort puts it.
    ids = order.current.filter((id) => byId.has(id));
    const kept = new Set(ids);
    sorted.forEach((r, i) => { if (!kept.has(rowId(r))) ids.splice(Math.min(i, ids.length), 0, rowId(r)); });
  }
  order.current = ids;
  const rows = ids.map((id) => byId.get(id)!);
  const changed = rows.some((r, i) => rowId(r) !== rowId(sorted[i]));
  return { rows, changed, resort: () => setGeneration((g) => g + 1) };
}
