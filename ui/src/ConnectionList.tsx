// A tab's connections as a compact table: a sticky header whose columns sort (name, environment,
// target, last check; failing first), a star that pins a favourite (a team's connection has its
// team's badge instead, and "read-only" where the member may only use it), each row's last check, Test,
// and one actions menu; a row's own check result right under it. Keyboard: each row is one Tab
// stop; arrows move between rows, Enter opens one, T tests it, Space stars it, M (or the menu
// key) opens its actions menu, Delete asks to delete it.
import type { Verdict } from "./gen/bindings";
import type { Row } from "./api";
import type { Sort, SortKey } from "./list";
import { isProduction, rowId } from "./list";
import { RowMenu, type MenuItem } from "./RowMenu";
import { VerdictView } from "./VerdictView";
import { KINDS } from "./gen/kinds";
import { rowTypeLabel } from "./labels";
import { readOnly } from "./teamRows";

const KIND_INFO = Object.fromEntries(KINDS.kinds.map((k) => [k.kind, k]));

/** Why Test (a row's, and Test all) is off while the master key cannot be opened. */
export const NEEDS_KEY = "Checks need the master key: see the banner";

export interface RowActions {
  open: (r: Row) => void;
  test: (r: Row) => void;
  /** Stops the row's running test. */
  cancel: (r: Row) => void;
  favourite: (r: Row) => void;
  /** The menu's items for a row (Edit, Open in terminal, Duplicate, Copy…, Delete). */
  menu: (r: Row) => MenuItem[];
  remove: (r: Row) => void;
  closeVerdict: (r: Row) => void;
  /** Opens the row's stored last check under it. */
  showLast: (r: Row) => void;
}

interface Props {
  rows: Row[];
  /** The master key cannot be opened: nothing can be tested. */
  noKey?: boolean;
  /** Show each row's kind (a tab of several kinds, or a search over all tabs). */
  showKind: boolean;
  sort: Sort | null;
  onSort: (s: Sort | null) => void;
  /** The rows whose test is running. */
  testing: Map<string, number>;
  verdicts: Record<string, Verdict>;
  actions: RowActions;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function EnvTag({ tag }: { tag?: string | null }) {
  if (!tag) return null;
  const cls = isProduction(tag) ? "prod" : tag === "staging" || tag === "stage" ? "staging" : tag === "dev" ? "dev" : "other";
  return <span class={`tag tag-${cls}`}>{tag}</span>;
}

const COLUMNS: [SortKey, string][] = [["name", "Name"], ["env", "Env"], ["target", "Target"], ["last", "Last check"]];

export function ConnectionList({ rows, noKey, showKind, sort, onSort, testing, verdicts, actions }: Props) {
  // A click on a column sorts by it, a second click reverses it, a third goes back to the
  // default order (favourites, recently used, name).
  const clickColumn = (key: SortKey) =>
    onSort(sort?.key !== key ? { key, dir: 1 } : sort.dir === 1 ? { key, dir: -1 } : null);

  const rowKey = (e: KeyboardEvent, r: Row) => {
    if (e.target !== e.currentTarget) return; // keys typed on a row's own buttons stay theirs
    const rowEl = e.currentTarget as HTMLElement;
    const step = (dir: "next" | "prev") => {
      let el = dir === "next" ? rowEl.nextElementSibling : rowEl.previousElementSibling;
      while (el && !(el as HTMLElement).dataset.name) el = dir === "next" ? el.nextElementSibling : el.previousElementSibling;
      (el as HTMLElement | null)?.focus();
    };
    if (e.key === "ArrowDown") { e.preventDefault(); step("next"); }
    else if (e.key === "ArrowUp") { e.preventDefault(); step("prev"); }
    else if (e.key === "Enter") { e.preventDefault(); actions.open(r); }
    else if (e.key === "Delete") { e.preventDefault(); actions.remove(r); }
    else if (e.key === " ") { e.preventDefault(); actions.favourite(r); }
    else if ((e.key === "t" || e.key === "T") && !e.ctrlKey && !e.altKey && !e.metaKey) {
      e.preventDefault();
      if (!noKey && !testing.has(rowId(r))) actions.test(r);
    } else if (((e.key === "m" || e.key === "M") && !e.ctrlKey && !e.altKey && !e.metaKey) || e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey)) {
      e.preventDefault();
      rowEl.querySelector<HTMLElement>('[data-testid="row-menu"]')?.click();
    }
  };

  return (
    <table class="list" data-testid="connection-list">
      <thead>
        <tr>
          <th class="fav-col"><span class="sr-only">Favourite</span></th>
          {COLUMNS.map(([key, label]) => (
            <th class={`col-${key}`} aria-sort={sort?.key === key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
              <button type="button" class="sort" data-sort={key} onClick={() => clickColumn(key)}
                title={key === "last" ? "Sort by last check: failing first" : `Sort by ${label.toLowerCase()}`}>
                {label}{sort?.key === key ? (sort.dir === 1 ? " ▲" : " ▼") : ""}
              </button>
            </th>
          ))}
          <th class="col-actions"><span class="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const id = rowId(r);
          const lc = r.last_check;
          const v = verdicts[id];
          return (
            <>
              <tr data-name={r.name} data-kind={r.kind} data-team={r.team?.team} class={isProduction(r.env_tag) ? "is-prod" : ""} tabIndex={0} aria-label={r.name} aria-keyshortcuts="Enter T Space M Delete"
                onKeyDown={(e) => rowKey(e, r)}>
                <td class="fav-col">
                  {!r.team && <button type="button" class={`star ${r.favourite ? "on" : ""}`} data-testid="row-favourite" aria-pressed={r.favourite} tabIndex={-1}
                    aria-label={`${r.favourite ? "Unpin" : "Pin"} ${r.name} as a favourite`} title={r.favourite ? "Favourite (click to unpin)" : "Pin as a favourite"}
                    onClick={() => actions.favourite(r)}>{r.favourite ? "★" : "☆"}</button>}
                </td>
                <td class="name"><div class="name-cell">
                  <button type="button" class="link" aria-label={`Open ${r.name}`} title={r.name} tabIndex={-1} onClick={() => actions.open(r)}>{r.name}</button>
                  {r.team && <span class="badge team" data-testid="row-team" title={`Kept in team ${r.team.team}'s engine: version ${r.team.version}, listed ${new Date(r.team.listed_at).toLocaleString()}`}>{r.team.team}</span>}
                  {r.team && !r.team.may_edit && <span class="badge" data-testid="row-read-only" title={readOnly(r.team.team)}>read-only</span>}
                  {showKind && <span class="badge kind" data-testid="row-kind" title={KIND_INFO[r.kind].type_label}>{rowTypeLabel(r)}</span>}
                  {r.transport_warning && <span class="badge warn" data-testid="transport-warning" title={r.transport_warning}>{/^(no TLS|plain HTTP)/.test(r.transport_warning) ? "no TLS" : "TLS unverified"}</span>}
                  {r.credential_warning && <span class="badge warn" data-testid="credential-warning" title={r.credential_warning}>{r.credential_warning}</span>}
                </div></td>
                <td class="env"><EnvTag tag={r.env_tag} /></td>
                <td class="target" title={r.target}>{r.target}</td>
                <td class="last" data-testid="last-check">
                  {testing.has(id) ? "testing…" : lc ? (
                    <button type="button" tabIndex={-1} data-testid="last-check-open" class={`status ${lc.stale ? "stale" : lc.ok ? "ok" : "failed"}`}
                      title={`${lc.stale ? "Made before the connection's target changed. " : ""}${lc.message} (click for the steps)`} onClick={() => actions.showLast(r)}>
                      {lc.ok ? `ok · ${Math.round(lc.total_ms)} ms` : `failed at ${lc.failed_step}`} · {ago(lc.checked_at)}{lc.stale ? " · stale" : ""}
                    </button>
                  ) : <span class="muted">never</span>}
                </td>
                <td class="row-actions">
                  {testing.has(id)
                    ? <button type="button" data-testid="row-cancel" aria-label={`Cancel the test of ${r.name}`} tabIndex={-1} onClick={() => actions.cancel(r)}>Stop</button>
                    : <button type="button" data-testid="row-test" aria-label={`Test ${r.name}`} disabled={noKey} tabIndex={-1}
                        title={noKey ? NEEDS_KEY : undefined} onClick={() => actions.test(r)}>Test</button>}
                  <RowMenu label={`Actions for ${r.name}`} items={actions.menu(r)} tabIndex={-1} />
                </td>
              </tr>
              {v && (
                <tr class="verdict-row" data-verdict-for={r.name}>
                  <td colSpan={6}>
                    <button type="button" class="ghost close" aria-label={`Close the check of ${r.name}`} onClick={() => actions.closeVerdict(r)}>×</button>
                    <VerdictView v={v} onRetry={() => actions.test(r)} mintsWithCode />
                  </td>
                </tr>
              )}
            </>
          );
        })}
      </tbody>
    </table>
  );
}
