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

export const isProduction = (tag: string | null | undefined) => !!tag && KINDS.production_tags.includes(tag.trim().toLowerCase());
/** A row's id: "kind/name", or "team:TEAM/kind/name" for a team's connection. */
export const rowId = (r: Row) => {
  let id = ids.get(r);
  if (id === undefined) ids.set(r, (id = `${r.team ? `team:${r.team.team}/` : ""}${r.kind}/${r.name}`));
  return id;
};
/** Each row's id, made once (rows are replaced, never changed, when the list is read again). */
const ids = new WeakMap<Row, string>();
const statusOf = (r: Row): Status => (r.last_check ? (r.last_check.ok ? "ok" : "failing") : "never");

/** What the search looks in, made once per row (rows are replaced, never changed, on reload). */
const searchText = new WeakMap<Row, string>();
const textOf = (r: Row) => {
  let t = searchText.get(r);
  if (t === undefined) searchText.set(r, (t = `${r.name} ${r.target} ${r.env_tag ?? ""}`.toLowerCase()));
  return t;
};

export function filterRows(rows: Row[], kinds: Kind[], f: Filters): Row[] {
  const q = f.query.trim().toLowerCase();
  return rows.filter((r) =>
    (f.allTabs && q ? true : kinds.includes(r.kind)) &&
    (!q || textOf(r).includes(q)) &&
    (!f.env || (f.env === "-" ? !r.env_tag : (r.env_tag ?? "").toLowerCase() === f.env)) &&
    (!f.status || statusOf(r) === f.status) &&
    (!f.team || (f.team === "-" ? !r.team : r.team?.team === f.team)));
}

/** The environment tags used by `rows`, production ones first. */
export function envTags(rows: Row[]): string[] {
  const tags = [...new Set(rows.map((r) => r.env_tag?.trim().toLowerCase()).filter((t): t is string => !!t))];
  return tags.sort((a, b) => Number(isProduction(b)) - Number(isProduction(a)) || words.compare(a, b));
}

// One collator for every comparison: `localeCompare` with options builds one per call, which
// made sorting 10,000 rows take a third of a second.
const names = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });
const words = new Intl.Collator();
const byName = (a: Row, b: Row) => names.compare(a.name, b.name);
// Failing first, then never checked, then working; within each the oldest check first.
const statusRank = (r: Row) => (r.last_check ? (r.last_check.ok ? 2 : 0) : 1);
const COMPARE: Record<SortKey, (a: Row, b: Row) => number> = {
  name: byName,
  env: (a, b) => Number(isProduction(b.env_tag)) - Number(isProduction(a.env_tag)) || words.compare(a.env_tag ?? "~", b.env_tag ?? "~"),
  target: (a, b) => words.compare(a.target, b.target),
  last: (a, b) => statusRank(a) - statusRank(b) || (a.last_check?.checked_at ?? 0) - (b.last_check?.checked_at ?? 0),
};

/** Favourites first; without a chosen column, the most recently used next; then the order asked for. */
export function sortRows(rows: Row[], sort: Sort | null): Row[] {
  const recent = new Set(
    sort ? [] : rows.filter((r) => !r.favourite && r.used_at).sort((a, b) => b.used_at! - a.used_at!).slice(0, RECENT),
  );
  // Each row's group once, not twice per comparison.
  const groups = new Map(rows.map((r) => [r, r.favourite ? 0 : recent.has(r) ? 1 : 2]));
  const cmp = sort ? COMPARE[sort.key] : byName;
  const dir = sort?.dir ?? 1;
  return [...rows].sort((a, b) => {
    const ga = groups.get(a)!;
    return ga - groups.get(b)! || (ga === 1 ? b.used_at! - a.used_at! : dir * cmp(a, b) || byName(a, b));
  });
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
  const placed = useRef<{ sorted: Row[] | null; rows: Row[]; changed: boolean }>({ sorted: null, rows: [], changed: false });
  // Worked out again only when the rows or the order asked for change, not on every render (the
  // list renders every few seconds to keep "4s ago" counting).
  if (placed.current.sorted !== sorted || last.current !== key) {
    const ids = sorted.map(rowId);
    if (last.current !== key) {
      // A new order asked for: the sorted one, as it is.
      last.current = key;
      order.current = ids;
      placed.current = { sorted, rows: sorted, changed: false };
    } else {
      // The rows still there keep their places; a new one goes where the sort puts it.
      const present = new Set(ids);
      const kept = order.current.filter((id) => present.has(id));
      const had = new Set(kept);
      ids.forEach((id, i) => { if (!had.has(id)) kept.splice(Math.min(i, kept.length), 0, id); });
      order.current = kept;
      const byId = new Map(sorted.map((r, i) => [ids[i], r]));
      placed.current = { sorted, rows: kept.map((id) => byId.get(id)!), changed: kept.some((id, i) => id !== ids[i]) };
    }
  }
  return { rows: placed.current.rows, changed: placed.current.changed, resort: () => setGeneration((g) => g + 1) };
}
