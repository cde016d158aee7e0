// The Connections window: four tabs (Database, Cloud Storage, Kafka, Secrets), a searchable
// list per tab with each connection's last check, the form, Test / Test all, copy as URL or
// environment, and the keychain's status.
import { render } from "preact";
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { listen } from "@tauri-apps/api/event";
import type { Kind, SecretInfo, Verdict } from "./bindings";
import { api, errorText, type Editing, type KeyStatus, type Row } from "./api";
import { blank, fromConnection, type FormState } from "./form";
import { ConnectionForm } from "./ConnectionForm";
import { Secrets } from "./Secrets";
import { Confirm } from "./Modal";
import { VerdictView } from "./VerdictView";
import { HIDE_EVENT } from "./reveal";
import { KINDS } from "./kinds";

/** A tab's id: its first kind ("storage" holds S3 and Azure), or "secrets". */
type Tab = string;
const PAGE = 150;
/** The tabs as the core describes them (kinds.ts: kinds with one tab title share it), then Secrets. */
const TABS: [Tab, string][] = [...KINDS.tabs.map((t): [Tab, string] => [t.id, t.title]), ["secrets", "Secrets"]];
const EMPTY = Object.fromEntries(KINDS.tabs.map((t) => [t.id, t.empty_help])) as Record<Tab, string>;
const TAB_KINDS = Object.fromEntries(KINDS.tabs.map((t) => [t.id, t.kinds])) as Record<Tab, Kind[]>;
const tabOf = (k: Kind): Tab => KINDS.tabs.find((t) => t.kinds.includes(k))!.id;
const onTab = (k: Kind, tab: Tab) => (TAB_KINDS[tab] ?? []).includes(k);
const KIND_INFO = Object.fromEntries(KINDS.kinds.map((k) => [k.kind, k])) as Record<Kind, (typeof KINDS.kinds)[number]>;
const isProduction = (tag: string | null) => !!tag && KINDS.production_tags.includes(tag.trim().toLowerCase());

function ago(ms: number): string {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

function EnvTag({ tag }: { tag: string | null }) {
  if (!tag) return null;
  const cls = isProduction(tag) ? "prod" : tag === "staging" || tag === "stage" ? "staging" : tag === "dev" ? "dev" : "other";
  return <span class={`tag tag-${cls}`}>{tag}</span>;
}

function App() {
  const [tab, setTab] = useState<Tab>("database");
  const [rows, setRows] = useState<Row[]>([]);
  const [secrets, setSecrets] = useState<SecretInfo[]>([]);
  const [filter, setFilter] = useState("");
  const [form, setForm] = useState<{ state: FormState; editing: Editing | null; key: number } | null>(null);
  const [creatingSecret, setCreatingSecret] = useState(false);
  const [keyStatus, setKeyStatus] = useState<KeyStatus | null>(null);
  // Each tested row's verdict, shown under its row, and dropped once the connection changes
  // (its updated_at moves) or goes: an old "failed at tcp" is never shown as current.
  const [verdicts, setVerdicts] = useState<Record<string, { v: Verdict; updated: number }>>({});
  useEffect(() => {
    setVerdicts((m) => {
      const keep = Object.entries(m).filter(([id, x]) => rows.some((r) => `${r.kind}/${r.name}` === id && r.updated_at === x.updated));
      return keep.length === Object.keys(m).length ? m : Object.fromEntries(keep);
    });
  }, [rows]);
  const [testing, setTesting] = useState<Set<string>>(new Set());
  const [deleting, setDeleting] = useState<Row | null>(null);
  // Typed, unsaved work in the form: leaving it for another tab asks first.
  const [formDirty, setFormDirty] = useState(false);
  const [leaving, setLeaving] = useState<Tab | null>(null);
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
  const [notice, setNotice] = useState<{ text: string; error?: boolean; clearsAt?: number } | null>(null);
  // A copied secret's clipboard countdown ticks in the notice.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!notice?.clearsAt) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [notice]);
  // "4s ago" keeps counting: the list renders again every 5 seconds.
  const [, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(t);
  }, []);
  // Long lists render in pages as the user scrolls: a thousand rows stay light and quick.
  const [limit, setLimit] = useState(PAGE);
  useEffect(() => setLimit(PAGE), [tab, filter]);

  const refresh = useCallback(async () => {
    try {
      const [r, s] = await Promise.all([api.list(), api.secrets()]);
      setRows(r);
      setSecrets(s);
    } catch (e) {
      setNotice({ text: errorText(e), error: true });
    }
  }, []);

  const openConnection = useCallback(async (target: string) => {
    const [kind, ...rest] = target.split("/");
    const name = rest.join("/");
    try {
      const c = await api.get(kind as Kind, name);
      setTab(tabOf(c.kind));
      setForm({ state: fromConnection(c), editing: { kind: c.kind, name: c.name }, key: Date.now() });
    } catch (e) {
      setNotice({ text: errorText(e), error: true });
    }
  }, []);

  useEffect(() => {
    refresh();
    api.keyStatus().then(setKeyStatus).catch((e) => setNotice({ text: errorText(e), error: true }));
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

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return rows.filter((r) => onTab(r.kind, tab) && (!q || `${r.name} ${r.target} ${r.env_tag ?? ""}`.toLowerCase().includes(q)));
  }, [rows, tab, filter]);

  const testRow = async (r: Row) => {
    const id = `${r.kind}/${r.name}`;
    setTesting((t) => new Set(t).add(id));
    try {
      const v = await api.testSaved(r.kind, r.name);
      setVerdicts((m) => ({ ...m, [id]: { v, updated: r.updated_at } }));
      await refresh();
    } catch (e) {
      setNotice({ text: errorText(e), error: true });
    } finally {
      setTesting((t) => { const n = new Set(t); n.delete(id); return n; });
    }
  };

  const testAll = async () => {
    if (tab === "secrets") return;
    const names = shown.map((r) => r.name);
    const hidden = rows.filter((r) => onTab(r.kind, tab)).length - names.length;
    setTesting(new Set(shown.map((r) => `${r.kind}/${r.name}`)));
    try {
      const v = (await Promise.all(TAB_KINDS[tab].map((k) => {
        const of = shown.filter((r) => r.kind === k).map((r) => r.name);
        return of.length ? api.testAll(k, of) : Promise.resolve([]);
      }))).flat();
      const failed = v.filter((x) => !x.ok).length;
      const skipped = hidden > 0 ? ` (${hidden} hidden by the filter not tested)` : "";
      setNotice({ text: `${v.length} checked: ${v.length - failed} ok, ${failed} failed${skipped}`, error: failed > 0 });
      await refresh();
    } catch (e) {
      setNotice({ text: errorText(e), error: true });
    } finally {
      setTesting(new Set());
    }
  };

  const copy = async (r: Row, what: "url" | "url_with_password" | "env" | "env_with_secrets") => {
    try {
      const c = await api.copy(r.kind, r.name, what);
      const secret = c.includes_secrets ? " — it contains a secret" : "";
      setNow(Date.now());
      setNotice({
        text: `Copied ${r.name}: ${c.what}${secret}`,
        clearsAt: c.clears_in_seconds ? Date.now() + c.clears_in_seconds * 1000 : undefined,
      });
    } catch (e) {
      setNotice({ text: errorText(e), error: true });
    }
  };

  // Keyboard: arrows move between rows, Enter opens one, Delete asks to delete it.
  const rowKey = (e: KeyboardEvent, r: Row, id: string) => {
    if (e.target !== e.currentTarget) return; // keys typed on a row's own buttons stay theirs
    const rowEl = e.currentTarget as HTMLElement;
    const step = (dir: "next" | "prev") => {
      let el = dir === "next" ? rowEl.nextElementSibling : rowEl.previousElementSibling;
      while (el && !(el as HTMLElement).dataset.name) el = dir === "next" ? el.nextElementSibling : el.previousElementSibling;
      (el as HTMLElement | null)?.focus();
    };
    if (e.key === "ArrowDown") { e.preventDefault(); step("next"); }
    else if (e.key === "ArrowUp") { e.preventDefault(); step("prev"); }
    else if (e.key === "Enter") { e.preventDefault(); openConnection(id); }
    else if (e.key === "Delete") { e.preventDefault(); setDeleting(r); }
  };

  const openTerminal = async (r: Row) => {
    try {
      const o = await api.openInTerminal(r.kind, r.name);
      setNotice({ text: `Opened ${r.name} in ${o.terminal} (${o.client})${o.note ? `: ${o.note}` : ""}` });
    } catch (e) {
      setNotice({ text: errorText(e), error: true });
    }
  };

  const duplicate = async (r: Row) => {
    let n = 2;
    const taken = new Set(rows.filter((x) => x.kind === r.kind).map((x) => x.name.toLowerCase()));
    while (taken.has(`${r.name}-copy${n === 2 ? "" : `-${n - 1}`}`.toLowerCase())) n++;
    const name = `${r.name}-copy${n === 2 ? "" : `-${n - 1}`}`;
    try {
      const c = await api.duplicate(r.kind, r.name, name);
      await refresh();
      setForm({ state: fromConnection(c), editing: { kind: c.kind, name: c.name }, key: Date.now() });
    } catch (e) {
      setNotice({ text: errorText(e), error: true });
    }
  };

  const keyProblem = keyStatus && !keyStatus.unlocked;
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
        <div class="key-status" data-testid="key-status" title={keyStatus?.store}>
          {keyStatus ? (keyStatus.unlocked ? `Key in ${keyStatus.source}` : "Key unavailable") : "…"}
        </div>
      </header>

      {keyProblem && (
        <div class="banner error" role="alert" data-testid="key-banner">
          <strong>Saved secrets cannot be opened.</strong> {keyStatus!.error?.message}
          <ul>{keyStatus!.fallbacks.map((f) => <li>{f}</li>)}</ul>
        </div>
      )}
      {notice && (
        <div class={`banner toast ${notice.error ? "error" : "info"}`} role="status" data-testid="notice">
          {notice.text}
          {notice.clearsAt && (
            <span data-testid="clipboard-countdown">
              {notice.clearsAt > now ? `; the clipboard clears in ${Math.ceil((notice.clearsAt - now) / 1000)} s` : "; the clipboard was cleared"}
            </span>
          )}
          <button type="button" class="ghost" aria-label="Dismiss" onClick={() => setNotice(null)}>×</button>
        </div>
      )}

      <div class="toolbar">
        <input id="search" name="search" type="search" placeholder="Search (press /)" value={filter} onInput={(e) => setFilter((e.target as HTMLInputElement).value)} />
        <span class="spacer" />
        {tab !== "secrets" && <button type="button" data-testid="test-all" onClick={testAll} disabled={shown.length === 0}>{filter.trim() ? `Test ${shown.length} shown` : "Test all"}</button>}
        <button type="button" class="primary" data-testid="new" onClick={newItem}>{tab === "secrets" ? "New secret" : "New connection"}</button>
      </div>

      <main class={form ? "with-form" : ""}>
        {tab === "secrets" ? (
          <Secrets list={secrets} filter={filter} onChanged={refresh} creating={creatingSecret} setCreating={setCreatingSecret}
            onCopied={(c) => { setNow(Date.now()); setNotice({ text: `Copied the ${c.what} — it contains a secret`, clearsAt: c.clears_in_seconds ? Date.now() + c.clears_in_seconds * 1000 : undefined }); }} />
        ) : (
          <section class="list-pane" onScroll={(e) => {
            const el = e.currentTarget as HTMLElement;
            if (el.scrollTop + el.clientHeight > el.scrollHeight - 400 && limit < shown.length) setLimit(limit + PAGE);
          }}>
            {shown.length === 0 ? (
              <div class="empty" data-testid="empty">
                <p>{rows.some((r) => onTab(r.kind, tab)) ? "Nothing matches your search." : `No ${TABS.find((t) => t[0] === tab)![1].toLowerCase()} connections yet.`}</p>
                <p class="muted">{EMPTY[tab]} Press <kbd>N</kbd> or “New connection”, or paste a URL into the form.</p>
              </div>
            ) : (
              <table class="list" data-testid="connection-list">
                <thead><tr><th>Name</th><th>Target</th><th>Last check</th><th /></tr></thead>
                <tbody>
                  {shown.slice(0, limit).map((r) => {
                    const id = `${r.kind}/${r.name}`;
                    const lc = r.last_check;
                    const shownVerdict = verdicts[id] && !form ? verdicts[id].v : null;
                    return (
                      <>
                      <tr data-name={r.name} class={isProduction(r.env_tag) ? "is-prod" : ""} tabIndex={0} aria-label={r.name}
                        onKeyDown={(e) => rowKey(e, r, id)}>
                        <td class="name"><button type="button" class="link" aria-label={`Open ${r.name}`} onClick={() => openConnection(id)}>{r.name}</button> <EnvTag tag={r.env_tag} />
                          {TAB_KINDS[tab].length > 1 && <span class="badge kind" data-testid="row-kind" title={KIND_INFO[r.kind].type_label}>{KIND_INFO[r.kind].short_label}</span>}
                          {r.transport_warning && <span class="badge warn" data-testid="transport-warning" title={r.transport_warning}>{/^(no TLS|plain HTTP)/.test(r.transport_warning) ? "no TLS" : "TLS unverified"}</span>}
                          {r.credential_warning && <span class="badge warn" data-testid="credential-warning" title={r.credential_warning}>{r.credential_warning}</span>}</td>
                        <td class="target">{r.target}</td>
                        <td class="last" data-testid="last-check">
                          {testing.has(id) ? "testing…" : lc ? (
                            <span class={lc.ok ? "ok" : "failed"} title={lc.message}>{lc.ok ? `ok · ${Math.round(lc.total_ms)} ms` : `failed at ${lc.failed_step}`} · {ago(lc.checked_at)}</span>
                          ) : <span class="muted">never</span>}
                        </td>
                        <td class="row-actions">
                          <button type="button" data-testid="row-test" aria-label={`Test ${r.name}`} onClick={() => testRow(r)} disabled={testing.has(id)}>Test</button>
                          <button type="button" data-testid="row-terminal" aria-label={`Open ${r.name} in a terminal`} title="Open in terminal" onClick={() => openTerminal(r)}>Terminal</button>
                          <button type="button" aria-label={`Edit ${r.name}`} onClick={() => openConnection(id)}>Edit</button>
                          <button type="button" aria-label={`Duplicate ${r.name}`} onClick={() => duplicate(r)}>Duplicate</button>
                          <select data-testid="row-copy" aria-label={`Copy ${r.name}`} value="" onChange={(e) => { const v = (e.target as HTMLSelectElement).value; (e.target as HTMLSelectElement).value = ""; if (v) copy(r, v as never); }}>
                            <option value="">Copy…</option>
                            <option value="url">URL</option>
                            <option value="url_with_password">URL with password</option>
                            <option value="env">Environment</option>
                            <option value="env_with_secrets">Environment with secrets</option>
                          </select>
                          <button type="button" class="danger" data-testid="row-delete" aria-label={`Delete ${r.name}`} onClick={() => setDeleting(r)}>Delete</button>
                        </td>
                      </tr>
                      {shownVerdict && (
                        <tr class="verdict-row" data-verdict-for={r.name}>
                          <td colSpan={4}>
                            <button type="button" class="ghost close" aria-label={`Close the check of ${r.name}`}
                              onClick={() => setVerdicts((m) => { const n = { ...m }; delete n[id]; return n; })}>×</button>
                            <VerdictView v={shownVerdict} />
                          </td>
                        </tr>
                      )}
                      </>
                    );
                  })}
                </tbody>
              </table>
            )}
            {shown.length > limit && (
              <button type="button" class="more" data-testid="more" onClick={() => setLimit(limit + PAGE)}>
                Showing {limit} of {shown.length} — scroll or click for more
              </button>
            )}
          </section>
        )}
        {form && tab !== "secrets" && (
          <ConnectionForm key={form.key} initial={form.state} editing={form.editing} userSecrets={secrets}
            onClose={() => { setForm(null); setFormDirty(false); }} onDirty={setFormDirty} onKind={(k) => setTab(tabOf(k))} onTested={refresh}
            onSaved={async (name) => { setForm(null); setNotice({ text: `Saved ${name}` }); await refresh(); }} />
        )}
      </main>

      {leaving && form && (
        <Confirm title="Discard the form?" confirm="Discard" danger onCancel={() => setLeaving(null)} onConfirm={() => goTo(leaving, true)}>
          <p data-testid="discard-form">{form.editing ? `Your changes to ${form.editing.name} are not saved.` : "The new connection is not saved."} Going to {TABS.find((t) => t[0] === leaving)![1]} discards them.</p>
        </Confirm>
      )}
      {deleting && (
        <Confirm title={`Delete ${deleting.name}?`} confirm="Delete" danger onCancel={() => setDeleting(null)}
          requireText={isProduction(deleting.env_tag) ? deleting.name : undefined} onConfirm={async () => {
          const d = deleting;
          setDeleting(null);
          try { await api.remove(d.kind, d.name); setNotice({ text: `Deleted ${d.name}` }); setForm(null); await refresh(); } catch (e) { setNotice({ text: errorText(e), error: true }); }
        }}>
          <p>{deleting.target}</p>
          {deleting.secrets.filter((s) => s.source === "owned").length > 0 && <p>Its saved {deleting.secrets.filter((s) => s.source === "owned").map((s) => s.field.replace(/_/g, " ")).join(", ")} will be deleted with it.</p>}
          {deleting.secrets.filter((s) => s.source === "shared").map((s) => <p>It uses the shared secret “{s.source === "shared" ? s.name : ""}”, which stays.</p>)}
          <p class="muted">Programs that use it by name (patchbay exec {deleting.name}) will stop working.</p>
        </Confirm>
      )}
    </div>
  );
}

render(<App />, document.getElementById("app")!);
