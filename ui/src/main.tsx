// The Connections window: four tabs (Database, Cloud Storage, Kafka, Secrets), a list per tab
// with search (this tab or all), environment and status filters, favourites and recently used
// first, each connection's last check, the form (new, edit, or an unsaved copy), Test / Test
// all, the row's actions (terminal, copy as URL or environment), Delete with Undo, and the
// keychain's status.
import { render } from "preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { listen } from "@tauri-apps/api/event";
import type { Kind, SecretInfo } from "./gen/bindings";
import { api, errorText, type Editing, type KeyStatus, type Row } from "./api";
import { blank, fromConnection, type FormState } from "./form";
import { ConnectionForm } from "./ConnectionForm";
import { ConnectionList, NEEDS_KEY } from "./ConnectionList";
import { copyItems, type Copy, type MenuItem } from "./RowMenu";
import { ImportDialog } from "./ImportDialog";
import { TeamsDialog } from "./TeamsDialog";
import { SettingsDialog } from "./SettingsDialog";
import { KeyBackup } from "./KeyBackup";
import { KeyBanner } from "./KeyBanner";
import { Secrets } from "./Secrets";
import { SnippetDialog } from "./SnippetDialog";
import { BrowseDialog } from "./BrowseDialog";
import { Confirm } from "./Modal";
import { useDeletion } from "./DeleteConnection";
import { copiedNotice, Notice, type NoticeState } from "./Notice";
import { HIDE_EVENT } from "./reveal";
import { KINDS } from "./gen/kinds";
import { envTags, filterRows, NO_FILTERS, PAGE, rowId, sortRows, useListView, useStableOrder, type Filters } from "./list";
import { useChecks } from "./checks";
import { readOnly, useTeamRows } from "./teamRows";

/** A tab's id: its first kind ("storage" holds S3 and Azure), or "secrets". */
type Tab = string;
/** The tabs as the core describes them (kinds.ts: kinds with one tab title share it), then Secrets. */
const TABS: [Tab, string][] = [...KINDS.tabs.map((t): [Tab, string] => [t.id, t.title]), ["secrets", "Secrets"]];
const EMPTY = Object.fromEntries(KINDS.tabs.map((t) => [t.id, t.empty_help])) as Record<Tab, string>;
const TAB_KINDS = Object.fromEntries(KINDS.tabs.map((t) => [t.id, t.kinds])) as Record<Tab, Kind[]>;
const tabOf = (k: Kind): Tab => KINDS.tabs.find((t) => t.kinds.includes(k))!.id;
const onTab = (k: Kind, tab: Tab) => (TAB_KINDS[tab] ?? []).includes(k);

/** "orders-copy", or "orders-copy-2" when that is taken. */
function copyName(r: Row, rows: Row[]): string {
  const taken = new Set(rows.filter((x) => x.kind === r.kind).map((x) => x.name.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = `${r.name}-copy${n === 1 ? "" : `-${n}`}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

function App() {
  const [tab, setTab] = useState<Tab>("database");
  const [rows, setRows] = useState<Row[]>([]);
  const listed = useRef(false);
  const [secrets, setSecrets] = useState<SecretInfo[]>([]);
  const [form, setForm] = useState<{ state: FormState; editing: Editing | null; key: number; locked?: string } | null>(null);
  const [creatingSecret, setCreatingSecret] = useState(false);
  const [keyStatus, setKeyStatus] = useState<KeyStatus | null>(null);
  const [coding, setCoding] = useState<Row | null>(null);
  const [browsing, setBrowsing] = useState<Row | null>(null);
  const [importing, setImporting] = useState(false);
  const [teaming, setTeaming] = useState(false);
  const [settings, setSettings] = useState(false);
  // Typed, unsaved work in the form: leaving it for another tab, or closing it with Esc, asks
  // first ("close": Esc).
  const [formDirty, setFormDirty] = useState(false);
  const [leaving, setLeaving] = useState<Tab | "close" | null>(null);
  const goTo = (id: Tab, confirmed = false) => {
    if (form && formDirty && !confirmed) {
      setLeaving(id);
      return;
    }
    setLeaving(null);
    setTab(id);
    setForm(null);
    setFormDirty(false);
    setCreatingSecret(false);
  };
  // Switching tabs hides every revealed secret.
  useEffect(() => { window.dispatchEvent(new Event(HIDE_EVENT)); }, [tab]);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const fail = (e: unknown) => setNotice({ text: errorText(e), error: true });

  const refresh = useCallback(async (): Promise<Row[]> => {
    try {
      const pending = firstList ?? Promise.all([api.list(), api.secrets()]);
      firstList = null;
      const [r, s] = await pending;
      listed.current = true;
      setRows(r);
      setSecrets(s);
      return r;
    } catch (e) {
      fail(e);
      return [];
    }
  }, []);

  const { filters, setFilter, setFilters, sort, setSort, limit, setLimit } = useListView(tab);
  const checks = useChecks(rows, refresh, setNotice);
  const teamRows = useTeamRows(refresh, setNotice, (c) => {
    setTab(tabOf(c.connection.kind));
    setForm({ state: fromConnection(c.connection), editing: { kind: c.connection.kind, name: c.connection.name, copy: false, team: c.team, version: c.version },
      key: Date.now(), locked: c.may_edit ? undefined : readOnly(c.team) });
  }, setCoding);

  const openConnection = useCallback(async (target: string) => {
    const [kind, ...rest] = target.split("/");
    const name = rest.join("/");
    try {
      const c = await api.get(kind as Kind, name);
      setTab(tabOf(c.kind));
      setForm({ state: fromConnection(c), editing: { kind: c.kind, name: c.name, copy: false }, key: Date.now() });
    } catch (e) {
      fail(e);
    }
  }, []);

  useEffect(() => {
    refresh();
    api.keyStatus().then(setKeyStatus).catch(fail);
    const open = new URLSearchParams(location.hash.slice(1)).get("open");
    if (open) openConnection(open);
    const unlisten = [listen("catalog-changed", () => refresh()), listen<string>("open-connection", (e) => openConnection(e.payload))];
    return () => unlisten.forEach((p) => p.then((f) => f()));
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement;
      if (e.key === "/" && !typing) { e.preventDefault(); document.querySelector<HTMLInputElement>("#search")?.focus(); }
      if ((e.key === "n" || e.key === "N") && !typing && !form) { e.preventDefault(); newItem(); }
      if (e.altKey && /^[1-9]$/.test(e.key) && Number(e.key) <= TABS.length) {
        e.preventDefault();
        const id = TABS[Number(e.key) - 1][0];
        if (id !== tab) goTo(id);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  const newItem = () => {
    if (tab === "secrets") setCreatingSecret(true);
    else setForm({ state: blank(TAB_KINDS[tab][0]), editing: null, key: Date.now() });
  };

  const ofTab = useMemo(() => rows.filter((r) => onTab(r.kind, tab)), [rows, tab]);
  const searchingAll = filters.allTabs && filters.query.trim() !== "";
  // Sorted once per list, sort or tab; each keystroke only filters (filtering keeps the order):
  // with 10,000 rows a keystroke that sorted again missed the frame.
  const ordered = useMemo(() => sortRows(searchingAll ? rows : ofTab, sort), [rows, ofTab, searchingAll, sort]);
  const sorted = useMemo(() => filterRows(ordered, TAB_KINDS[tab] ?? [], filters), [ordered, tab, filters]);
  // Rows keep their places while worked on (tested, starred) until the user sorts again.
  const order = useStableOrder(sorted, [tab, filters, sort]);
  const shown = order.rows;
  // The first list is drawn a screenful first and the rest of its page after that frame; then
  // it is on screen (bench/app reads the mark).
  const [painted, setPainted] = useState(false);
  useEffect(() => { if (listed.current && !painted) { performance.mark(LIST_SHOWN); setPainted(true); } }, [shown]);
  const visible = painted ? limit : Math.min(limit, FIRST_SCREEN);
  const filtered = filters.query.trim() !== "" || filters.env !== "" || filters.status !== "" || filters.team !== "";

  // Tests exactly the rows shown, and says how many the filter left out.
  const testAll = () => checks.testShown(shown, (searchingAll ? rows.length : ofTab.length) - shown.length);

  const copy = async (r: Row, what: Copy) => {
    try {
      const c = await api.copy(r.kind, r.name, what);
      const secret = c.includes_secrets ? " — it contains a secret" : "";
      setNotice(copiedNotice(`Copied ${r.name}: ${c.what}${secret}`, c));
      refresh();
    } catch (e) {
      fail(e);
    }
  };

  const openTerminal = async (r: Row) => {
    try {
      const o = await api.openInTerminal(r.kind, r.name);
      setNotice({ text: `Opened ${r.name} in ${o.terminal} (${o.client})${o.note ? `: ${o.note}` : ""}` });
      refresh();
    } catch (e) {
      fail(e);
    }
  };

  // Duplicate opens an unsaved copy in the form; its blank secrets are the original's when saved.
  const duplicate = async (r: Row) => {
    try {
      const c = await api.get(r.kind, r.name);
      setTab(tabOf(c.kind));
      setForm({ state: { ...fromConnection(c), name: copyName(r, rows) }, editing: { kind: c.kind, name: c.name, copy: true }, key: Date.now() });
    } catch (e) {
      fail(e);
    }
  };

  const favourite = async (r: Row) => {
    if (r.team) return;
    try {
      await api.setFavourite(r.kind, r.name, !r.favourite);
      await refresh();
    } catch (e) {
      fail(e);
    }
  };

  const deletion = useDeletion({ refresh, setNotice, fail, gone: (r) => { if (form?.editing?.name === r.name && form.editing.kind === r.kind) setForm(null); } });

  const menu = (r: Row): MenuItem[] => r.team ? teamRows.menu(r) : [
    { action: "edit", label: "Edit", run: () => openConnection(rowId(r)) },
    { action: "terminal", label: "Open in terminal", run: () => openTerminal(r) },
    { action: "duplicate", label: "Duplicate…", run: () => duplicate(r) },
    ...copyItems((what) => copy(r, what)),
    { action: "snippet", label: "Code snippet…", run: () => setCoding(r) },
    ...(KINDS.kinds.find((k) => k.kind === r.kind)?.browsable ? [{ action: "browse", label: "Browse…", run: () => setBrowsing(r) }] : []),
    { action: "favourite", label: r.favourite ? "Unpin favourite" : "Pin as favourite", group: true, run: () => favourite(r) },
    { action: "delete", label: "Delete…", danger: true, run: () => deletion.ask(r) },
  ];

  const keyProblem = keyStatus && !keyStatus.unlocked;
  const tags = useMemo(() => envTags(ofTab), [ofTab]);
  const teamNames = useMemo(() => [...new Set(rows.flatMap((r) => (r.team ? [r.team.team] : [])))].sort(), [rows]);
  return (
    <div class="app">
      <header class="top">
        <h1>Connections</h1>
        <nav role="tablist">
          {TABS.map(([id, label], i) => (
            <button type="button" role="tab" aria-selected={tab === id} data-tab={id} title={`Alt+${i + 1}`}
              onClick={() => { if (id !== tab) goTo(id); }}>
              {label}
              <span class="count">{id === "secrets" ? secrets.length : rows.filter((r) => onTab(r.kind, id)).length}</span>
            </button>
          ))}
        </nav>
        <button type="button" class="ghost-text teams-button" data-testid="teams" onClick={() => setTeaming(true)}
          title="Teams: connections your team keeps in its OpenBao / HashiCorp Vault" aria-label="Teams…">
          <span class="wide">Teams…</span><span class="narrow" aria-hidden="true">⛁</span>
        </button>
        <button type="button" class="ghost-text settings-button" data-testid="settings" onClick={() => setSettings(true)} title="Settings" aria-label="Settings">⚙</button>
        <div class="key-status" data-testid="key-status" title={keyStatus?.store}>
          {keyStatus ? (keyStatus.unlocked ? <KeyBackup status={keyStatus} onDone={(path) => {
            setNotice({ text: `Master key backed up to ${path}: keep it and its passphrase apart from this computer` });
            api.keyStatus().then(setKeyStatus).catch(fail);
          }} /> : "Key unavailable") : "Checking the keychain…"}
        </div>
      </header>

      {keyProblem && <KeyBanner status={keyStatus!} onStatus={(st) => { setKeyStatus(st); if (st.unlocked) setNotice({ text: `Secrets open again: key in ${st.source}` }); }} />}
      {notice && <Notice notice={notice} onDismiss={() => setNotice(null)} />}

      <div class="toolbar">
        <input id="search" name="search" type="search" placeholder="Search (press /)" value={filters.query} onInput={(e) => setFilter({ query: (e.target as HTMLInputElement).value })} />
        {tab !== "secrets" && (
          <>
            <label class="check" title="Search the connections of every tab">
              <input type="checkbox" name="all-tabs" checked={filters.allTabs} onChange={(e) => setFilter({ allTabs: (e.target as HTMLInputElement).checked })} />
              <span>All tabs</span>
            </label>
            <select name="env-filter" aria-label="Environment" value={filters.env} onChange={(e) => setFilter({ env: (e.target as HTMLSelectElement).value })}>
              <option value="">Any environment</option>
              {tags.map((t) => <option value={t}>{t}</option>)}
              {ofTab.some((r) => !r.env_tag) && <option value="-">No environment</option>}
            </select>
            <select name="status-filter" aria-label="Status" value={filters.status} onChange={(e) => setFilter({ status: (e.target as HTMLSelectElement).value as Filters["status"] })}>
              <option value="">Any status</option>
              <option value="failing">Failing</option>
              <option value="ok">Working</option>
              <option value="never">Never checked</option>
            </select>
            {teamNames.length > 0 && (
              <select name="team-filter" aria-label="Kept in" value={filters.team} onChange={(e) => setFilter({ team: (e.target as HTMLSelectElement).value })}>
                <option value="">Everywhere</option>
                <option value="-">This computer</option>
                {teamNames.map((t) => <option value={t}>Team {t}</option>)}
              </select>
            )}
          </>
        )}
        <span class="spacer" />
        {tab !== "secrets" && order.changed && (
          <button type="button" class="ghost-text" data-testid="resort" onClick={order.resort} title="Rows kept their places while you worked on them">Order changed — re-sort</button>
        )}
        {tab !== "secrets" && (checks.testing.size > 1
          ? <button type="button" data-testid="test-all-cancel" onClick={() => checks.cancel([...checks.testing.keys()])}>Cancel {checks.testing.size} tests</button>
          : <button type="button" data-testid="test-all" onClick={testAll} disabled={shown.length === 0 || checks.testing.size > 0 || !!keyProblem}
            title={keyProblem ? NEEDS_KEY : undefined}>{filtered ? `Test ${shown.length} shown` : "Test all"}</button>)}
        <button type="button" data-testid="import" onClick={() => setImporting(true)}>Import…</button>
        <button type="button" class="primary" data-testid="new" onClick={newItem}>{tab === "secrets" ? "New secret" : "New connection"}</button>
      </div>

      <main class={form ? "with-form" : ""}>
        {tab === "secrets" ? (
          <Secrets list={secrets} filter={filters.query} onChanged={refresh} creating={creatingSecret} setCreating={setCreatingSecret}
            onCopied={(c) => setNotice(copiedNotice(`Copied the ${c.what} — it contains a secret`, c))} />
        ) : (
          <section class="list-pane" onScroll={(e) => {
            const el = e.currentTarget as HTMLElement;
            if (el.scrollTop + el.clientHeight > el.scrollHeight - 400 && limit < shown.length) setLimit(limit + PAGE);
          }}>
            {shown.length === 0 ? (
              <div class="empty" data-testid="empty">
                <p>{ofTab.length > 0 || searchingAll ? "Nothing matches your search or filters." : `No ${TABS.find((t) => t[0] === tab)![1].toLowerCase()} connections yet.`}</p>
                {filtered ? <button type="button" onClick={() => setFilters(NO_FILTERS)}>Clear the search and filters</button>
                  : <p class="muted">{EMPTY[tab]} Press <kbd>N</kbd> or “New connection”, or paste a URL into the form.</p>}
              </div>
            ) : (
              <ConnectionList noKey={!!keyProblem} rows={shown.slice(0, visible)} showKind={searchingAll || TAB_KINDS[tab].length > 1} sort={sort} onSort={setSort} testing={checks.testing}
                verdicts={form ? {} : checks.shownVerdicts()}
                actions={{
                  open: (r) => (r.team ? teamRows.open(r) : openConnection(rowId(r))), test: checks.testRow, cancel: (r) => checks.cancel([rowId(r)]), favourite, menu, remove: deletion.ask,
                  closeVerdict: checks.close,
                  showLast: checks.showLast,
                }} />
            )}
            {shown.length > visible && (
              <button type="button" class="more" data-testid="more" onClick={() => setLimit(limit + PAGE)}>
                Showing {visible} of {shown.length} — scroll or click for more
              </button>
            )}
          </section>
        )}
        {form && tab !== "secrets" && (
          <ConnectionForm key={form.key} initial={form.state} editing={form.editing} userSecrets={secrets} locked={form.locked}
            onClose={() => { setForm(null); setFormDirty(false); }}
            onEscape={() => { if (formDirty) setLeaving("close"); else { setForm(null); setFormDirty(false); } }} onDirty={setFormDirty} onKind={(k) => setTab(tabOf(k))} onTested={refresh}
            onSaved={async (name) => {
              const team = form.editing?.team;
              setForm(null);
              if (team) await teamRows.relist();
              const saved = (await refresh()).filter((r) => r.name === name && onTab(r.kind, tab));
              // A connection the search or a filter hides would seem not to be saved at all.
              const hidden = saved.length > 0 && filterRows(saved, TAB_KINDS[tab] ?? [], filters).length === 0;
              setNotice({ text: hidden ? `Saved ${name}; the search or a filter hides it` : `Saved ${name}` });
            }} />
        )}
      </main>

      {leaving && form && (
        <Confirm title="Discard the form?" confirm="Discard" danger onCancel={() => setLeaving(null)}
          onConfirm={() => { if (leaving === "close") { setLeaving(null); setForm(null); setFormDirty(false); } else goTo(leaving, true); }}>
          <p data-testid="discard-form">{form.editing && !form.editing.copy ? `Your changes to ${form.editing.name} are not saved.` : "The new connection is not saved."} {leaving === "close" ? "Closing the form" : `Going to ${TABS.find((t) => t[0] === leaving)![1]}`} discards them.</p>
        </Confirm>
      )}
      {importing && (
        <ImportDialog onClose={() => setImporting(false)} onDone={(i) => {
          setImporting(false);
          refresh();
          setNotice({ text: `Imported ${i.saved.length} connection${i.saved.length === 1 ? "" : "s"}${i.left ? `; ${i.left} not imported` : ""}` });
        }} />
      )}
      {settings && <SettingsDialog onClose={() => setSettings(false)} />}
      {teaming && <TeamsDialog onClose={() => { setTeaming(false); teamRows.relist(); }} onNotice={(text) => setNotice({ text })} />}
      {coding && (
        <SnippetDialog row={coding} onClose={() => setCoding(null)} onError={(text) => setNotice({ text, error: true })}
          onCopied={(c) => { setNotice({ text: `Copied ${coding.name}: ${c.what}` }); refresh(); }} />
      )}
      {browsing && (
        <BrowseDialog row={browsing} onClose={() => setBrowsing(null)} onCopied={(what) => setNotice({ text: `Copied ${what}` })}
          onSaved={(text) => { setNotice({ text }); refresh(); }} />
      )}
      {deletion.dialog}
    </div>
  );
}

/** The performance mark set when the first list is on screen. */
const LIST_SHOWN = "patchbay:list-shown";
/** Rows drawn in the first frame: more than a screen holds. */
const FIRST_SCREEN = 40;
/** The first list, asked for as the page starts rather than after its first render (~70 ms
 * sooner); the first `refresh` takes it. */
let firstList: Promise<[Row[], SecretInfo[]]> | null = Promise.all([api.list(), api.secrets()]);
firstList.catch(() => { /* the first refresh says why */ });

render(<App />, document.getElementById("app")!);
