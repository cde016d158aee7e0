// What a tab's list shows and in which order: the search (this tab or all tabs), the environment
// and status filters, favourites pinned first, then recently used ones (until the user sorts by a
// column), then the chosen column: pure functions over the core's rows, and the tab's view of
// them (filters, sort, how many rows are rendered) as a hook.
import { useEffect, useState } from "preact/hooks";
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
}

/** How many recently used connections stand first (after the favourites) in the default order. */
export const RECENT = 5;

export const isProduction = (tag: string | null) => !!tag && KINDS.production_tags.includes(tag.trim().toLowerCase());
export const rowId = (r: Row) => `${r.kind}/${r.name}`;
const statusOf = (r: Row): Status => (r.last_check ? (r.last_check.ok ? "ok" : "failing") : "never");

export function filterRows(rows: Row[], kinds: Kind[], f: Filters): Row[] {
  const q = f.query.trim().toLowerCase();
  return rows.filter((r) =>
    (f.allTabs && q ? true : kinds.includes(r.kind)) &&
    (!q || `${r.name} ${r.target} ${r.env_tag ?? ""}`.toLowerCase().includes(q)) &&
    (!f.env || (f.env === "-" ? !r.env_tag : (r.env_tag ?? "").toLowerCase() === f.env)) &&
    (!f.status || statusOf(r) === f.status));
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

export const NO_FILTERS: Filters = { query: "", allTabs: false, env: "", status: "" };
/** Long lists render in pages as the user scrolls: a thousand rows stay light and quick. */
export const PAGE = 150;

/** A tab's view of the list: its filters and sort, and how many rows are rendered (a page more
 * as the user scrolls; back to one page when the tab, filters or sort change). */
export function useListView(tab: string) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const setFilter = (f: Partial<Filters>) => setFilters((x) => ({ ...x, ...f }));
  const [sort, setSort] = useState<Sort | null>(null);
  const [limit, setLimit] = useState(PAGE);
  useEffect(() => setLimit(PAGE), [tab, filters, sort]);
  return { filters, setFilter, setFilters, sort, setSort, limit, setLimit };
}
