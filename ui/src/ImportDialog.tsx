// "Import…": connections from the files of the tools used before. The sources found at their
// usual places are listed with how many connections each holds; a file can be named instead
// (a Patchbay bundle with its passphrase). The core reads the source and keeps what it found —
// secrets never reach this window — and answers a preview: each row's name, type, target,
// which secrets came with it, a proposed environment, and why a row cannot be imported. The
// user keeps rows, says what a taken name does (skip, rename, replace), and imports them in one
// transaction.
import { useEffect, useState } from "preact/hooks";
import { api, errorText } from "./api";
import type { ImportPreview, Imported, OnConflict, Source, SourceFound } from "./gen/desk-bindings";
import { Dialog } from "./Modal";

const SOURCES: [Source, string][] = [
  ["pgpass", "PostgreSQL password file (~/.pgpass)"],
  ["pg-service", "PostgreSQL service file (pg_service.conf)"],
  ["my-cnf", "MySQL/MariaDB option file (~/.my.cnf)"],
  ["mylogin", "MySQL login paths (~/.mylogin.cnf)"],
  ["aws", "AWS CLI profiles (~/.aws)"],
  ["airflow", "Airflow connections export (JSON or .env)"],
  ["airflow-env", "Airflow variables (AIRFLOW_CONN_*)"],
  ["dotenv", ".env file (database URLs, Azure connection strings)"],
  ["gcs-key", "Google service account key (JSON)"],
  ["dbeaver", "DBeaver (data-sources.json)"],
  ["datagrip", "DataGrip (.idea/dataSources.xml)"],
  ["rclone", "rclone remotes (rclone.conf)"],
  ["kafka-properties", "Kafka client properties (kcat.conf, client.properties)"],
  ["patchbay", "Patchbay export or bundle"],
];
const importable = (o: string) => o === "new" || o === "renamed" || o === "replaces";

export function ImportDialog({ onClose, onDone }: { onClose: () => void; onDone: (i: Imported) => void }) {
  const [found, setFound] = useState<SourceFound[] | null>(null);
  const [source, setSource] = useState<Source>("pgpass");
  const [path, setPath] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const [onConflict, setOnConflict] = useState<OnConflict>("skip");
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [kept, setKept] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => { api.importSources().then(setFound).catch((e) => setError(errorText(e))); }, []);
  const show = (p: ImportPreview) => {
    setPreview(p);
    setKept(new Set(p.rows.filter((r) => importable(r.outcome)).map((r) => r.name)));
    setError(null);
  };
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    try { await f(); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  const read = (s: Source, p: string | null) => run(async () => show(await api.importPreview(s, p, s === "patchbay" ? passphrase : null, onConflict)));
  const conflict = (c: OnConflict) => { setOnConflict(c); if (preview) run(async () => show(await api.importRestage(c))); };
  const cancel = () => { api.importCommit(null, onConflict).catch(() => {}); onClose(); };
  const save = () => run(async () => { const done = await api.importCommit([...kept], onConflict); if (done) onDone(done); });
  const toggle = (name: string) => { const k = new Set(kept); if (k.has(name)) k.delete(name); else k.add(name); setKept(k); };

  return (
    <Dialog title="Import connections" testid="import-dialog" wide onCancel={cancel}>
      <h2>Import connections</h2>
      {!preview && (
        <>
          <p>Connections from the files of the tools you used before. Nothing is saved until you choose the rows and press Import; the files are only read.</p>
          <h3>Found on this computer</h3>
          {found === null ? <p class="muted">Looking…</p> : found.length === 0 ? <p class="muted" data-testid="import-none">No ~/.pgpass, pg_service.conf, ~/.my.cnf, AWS files or AIRFLOW_CONN_* variables here.</p> : (
            <ul class="import-sources">
              {found.map((f) => (
                <li><button type="button" data-testid={`import-source-${f.source}`} disabled={busy} onClick={() => read(f.source, null)}>
                  {f.label}: {f.found} found <span class="muted">{f.files.join(", ")}</span></button></li>
              ))}
            </ul>
          )}
          <h3>From a file</h3>
          <div class="import-file">
            <select name="import-source" aria-label="What the file is" value={source} onChange={(e) => setSource((e.target as HTMLSelectElement).value as Source)}>
              {SOURCES.map(([s, label]) => <option value={s}>{label}</option>)}
            </select>
            <input name="import-path" placeholder="Full path of the file" value={path} autoComplete="off" onInput={(e) => setPath((e.target as HTMLInputElement).value)} />
            {source === "patchbay" && <input name="import-passphrase" type="password" placeholder="Bundle passphrase" value={passphrase} autoComplete="off" onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)} />}
            <button type="button" data-testid="import-read" disabled={busy || !path.trim()} onClick={() => read(source, path)}>Read</button>
          </div>
        </>
      )}
      {preview && (
        <>
          <p data-testid="import-from">{preview.label}: {preview.files.join(", ") || "the environment"}</p>
          {preview.problems.map((p) => <p class="warning" data-testid="import-problem">{p}</p>)}
          <label class="field inline"><span>A name that is taken</span>
            <select name="import-conflict" value={onConflict} onChange={(e) => conflict((e.target as HTMLSelectElement).value as OnConflict)}>
              <option value="skip">is skipped</option>
              <option value="rename">gets a suffix (-2)</option>
              <option value="replace">replaces the saved one</option>
            </select></label>
          <div class="import-table">
            <table data-testid="import-preview">
              <thead><tr><th /><th>Name</th><th>Type</th><th>Target</th><th>Secrets</th><th>Env</th><th>Outcome</th></tr></thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr data-name={r.name} data-outcome={r.outcome} class={importable(r.outcome) ? "" : "skipped"}>
                    <td><input type="checkbox" aria-label={`Import ${r.name}`} disabled={!importable(r.outcome)} checked={kept.has(r.name) && importable(r.outcome)} onChange={() => toggle(r.name)} /></td>
                    <td class="name" title={r.origin}>{r.name}</td>
                    <td>{r.type_word ?? "—"}</td>
                    <td class="target" title={r.target}>{r.target || "—"}</td>
                    <td>{r.secrets.length ? r.secrets.map((s) => s.replace(/_/g, " ")).join(", ") : "none"}</td>
                    <td>{r.env_tag ?? "—"}</td>
                    <td class="outcome">{r.outcome === "renamed" ? `new, renamed from ${r.found_as}` : r.outcome === "replaces" ? "replaces the saved one" : r.outcome === "new" ? "new" : r.reason}
                      {r.notes.map((n) => <div class="muted">{n}</div>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {error && <p class="error" role="alert" data-testid="import-error">{error}</p>}
      <div class="actions">
        {preview && <button type="button" onClick={() => { api.importCommit(null, onConflict).catch(() => {}); setPreview(null); }}>Back</button>}
        <button type="button" data-testid="import-cancel" onClick={cancel}>Cancel</button>
        {preview && <button type="button" class="primary" data-testid="import-save" disabled={busy || kept.size === 0} onClick={save}>
          {busy ? "Importing…" : `Import ${[...kept].filter((n) => preview.rows.some((r) => r.name === n && importable(r.outcome))).length}`}</button>}
      </div>
    </Dialog>
  );
}
