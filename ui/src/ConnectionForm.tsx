// The create / edit form of one connection, or an unsaved copy of one (Duplicate): the core's
// fields per kind, defaults by type, the core's validation errors shown next to their fields,
// "leave blank to keep the saved secret" (a copy's blank secrets are the original's), Test before
// saving, and paste-a-URL to fill it.
import { useEffect, useState } from "preact/hooks";
import type { Kind, SecretField, SecretInfo, Verdict } from "./gen/bindings";
import { api, errorText, isError, newTicket, wasCancelled, type Editing } from "./api";
import { blank, type FormState, toDraft } from "./form";
import { VerdictView } from "./VerdictView";
import { fromPaste } from "./paste";
import { storeFields } from "./StoreFields";
import { sshFields } from "./SshFields";
import { Confirm } from "./Modal";
import { useRevealed } from "./reveal";

import { KINDS } from "./gen/kinds";

/** The form's label of each secret field, as the core describes it. */
const SECRET_LABELS = Object.fromEntries(
  KINDS.kinds.flatMap((k) => k.secret_fields.map((f) => [f.field, f.label])),
) as Record<SecretField, string>;
/** Secret fields that hold multi-line text (PEM, JSON keys), as the core describes them. */
const MULTILINE = new Set(KINDS.kinds.flatMap((k) => k.secret_fields.filter((f) => f.multiline).map((f) => f.field)));
const DEFAULT_PORTS = KINDS.engines.map((e) => String(e.default_port));
const protocol = (p: unknown) => KINDS.security_protocols.find((x) => x.protocol === p);
/** The kinds that share a tab with `kind` (S3 and Azure on Cloud Storage). */
const siblings = (kind: Kind) => KINDS.tabs.find((t) => t.kinds.includes(kind))!.kinds;

interface Props {
  initial: FormState;
  editing: Editing | null;
  userSecrets: SecretInfo[];
  onSaved: (name: string) => void;
  onClose: () => void;
  /** Esc: the window asks before a typed form is discarded. */
  onEscape: () => void;
  /** Told whether the form differs from what it opened with (typed, unsaved work). */
  onDirty?: (dirty: boolean) => void;
  /** Told when a pasted URL turned the form into another kind (the window shows its tab). */
  onKind?: (kind: Kind) => void;
  /** Told after a test (an unchanged saved connection's test is its last check). */
  onTested?: () => void;
  /** Why this form cannot be saved (a team connection the member may only use). */
  locked?: string;
}

export function ConnectionForm({ initial, editing, userSecrets, onSaved, onClose, onEscape, onDirty, onKind, onTested, locked }: Props) {
  const [s, setS] = useState<FormState>(initial);
  useEffect(() => onDirty?.(JSON.stringify(s) !== JSON.stringify(initial)), [s]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  // A running test never blocks Save (each has its own flag); the test's time counts up.
  const [testingSince, setTestingSince] = useState<number | null>(null);
  const [ticket, setTicket] = useState<number | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const [saving, setSaving] = useState(false);
  const [, setTick] = useState(0);
  useEffect(() => {
    if (testingSince === null) return;
    const t = setInterval(() => setTick((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [testingSince]);
  const [paste, setPaste] = useState("");
  // What the last paste was read as, said in the form ("Read as a Kafka connection…").
  const [detected, setDetected] = useState<string | null>(null);
  const [revealed, setRevealed] = useRevealed<SecretField>();
  // A typed secret shown in clear hides again like a revealed one (20 s, blur, tab switch).
  const [showTyped, setShowTyped] = useRevealed<SecretField>();
  // A save that would send a kept secret to changed settings waits for the user's word.
  const [moving, setMoving] = useState<string | null>(null);

  const set = (k: string, v: string | boolean) => {
    setS((p) => ({ ...p, fields: { ...p.fields, [k]: v } }));
    setErrors((e) => ({ ...e, [k]: "" }));
  };
  const setSecret = (f: SecretField, v: string) => {
    setS((p) => ({ ...p, secrets: { ...p.secrets, [f]: v }, cleared: { ...p.cleared, [f]: false } }));
    setErrors((e) => ({ ...e, [f]: "" }));
  };

  const fail = (e: unknown) => {
    if (isError(e) && e.field) {
      const key = e.field === "username" ? "username" : e.field;
      setErrors({ [key]: e.message.replace(new RegExp(`^${e.field}: `), "") });
      setGeneral(null);
      document.querySelector<HTMLElement>(`[name="${key}"]`)?.focus();
    } else {
      setErrors({});
      setGeneral(errorText(e));
    }
  };

  const test = async () => {
    const t = newTicket();
    setTestingSince(Date.now());
    setTicket(t);
    setVerdict(null);
    setCancelled(false);
    try {
      setVerdict(await api.testDraft(toDraft(s), editing, t));
      setGeneral(null);
      setErrors({});
      onTested?.();
    } catch (e) {
      if (wasCancelled(e)) setCancelled(true);
      else fail(e);
    } finally {
      setTestingSince(null);
      setTicket(null);
    }
  };

  const save = async (ev?: Event, confirmed = false) => {
    ev?.preventDefault();
    setSaving(true);
    setMoving(null);
    try {
      const saved = await api.save({ ...toDraft(s), confirm_kept_secrets: confirmed }, editing);
      onSaved(saved.name);
    } catch (e) {
      if (!confirmed && isError(e) && e.code === "secret_would_move") setMoving(e.message.replace(/^[a-z_]+: /, ""));
      else fail(e);
    } finally {
      setSaving(false);
    }
  };

  const fillFromUrl = async (text: string = paste) => {
    try {
      const r = fromPaste(await api.parseUrl(text), text, s, editing);
      if ("error" in r) {
        setErrors({ url: r.error });
        return;
      }
      setS(r.state);
      setPaste("");
      setGeneral(null);
      setErrors({});
      setDetected(r.detected);
      if (r.state.kind !== s.kind) onKind?.(r.state.kind);
    } catch (e) {
      setErrors({ url: errorText(e) });
    }
  };

  // Ctrl+V of a URL into an untouched new form fills it, as the paste box would.
  const pristine = !editing && s.name === "" && JSON.stringify(s) === JSON.stringify(initial);
  const onFormPaste = (e: ClipboardEvent) => {
    const text = e.clipboardData?.getData("text/plain") ?? "";
    if (!pristine || !/^[a-z][a-z0-9+.-]*:\/\/|^[A-Za-z]+=.*;|^[\w.-]+:\d+(,|$)/i.test(text.trim())) return;
    e.preventDefault();
    fillFromUrl(text);
  };

  // A production connection's secret is revealed only after Rust's own (native) confirmation;
  // a declined one shows nothing.
  const reveal = async (f: SecretField) => {
    if (!editing) return;
    try {
      const v = await api.revealField(editing.kind, editing.name, f);
      setRevealed((r) => ({ ...r, [f]: v }));
    } catch (e) {
      if (!wasCancelled(e)) setGeneral(errorText(e));
    }
  };

  const text = (name: string, label: string, props: { placeholder?: string; type?: string; help?: string } = {}) => (
    <label class="field">
      <span>{label}</span>
      <input name={name} type={props.type ?? "text"} value={String(s.fields[name] ?? "")} placeholder={props.placeholder}
        aria-invalid={errors[name] ? "true" : undefined} onInput={(e) => set(name, (e.target as HTMLInputElement).value)} />
      {props.help && <small class="help">{props.help}</small>}
      {errors[name] && <small class="field-error" data-field={name}>{errors[name]}</small>}
    </label>
  );
  const area = (name: string, label: string, placeholder: string) => (
    <label class="field wide">
      <span>{label}</span>
      <textarea name={name} rows={3} value={String(s.fields[name] ?? "")} placeholder={placeholder}
        aria-invalid={errors[name] ? "true" : undefined} onInput={(e) => set(name, (e.target as HTMLTextAreaElement).value)} />
      {errors[name] && <small class="field-error" data-field={name}>{errors[name]}</small>}
    </label>
  );
  const select = (name: string, label: string, options: [string, string][], onChange?: (v: string) => void) => (
    <label class="field">
      <span>{label}</span>
      <select name={name} value={String(s.fields[name] ?? "")} onChange={(e) => {
        const v = (e.target as HTMLSelectElement).value;
        set(name, v);
        onChange?.(v);
      }}>
        {options.map(([v, l]) => <option value={v}>{l}</option>)}
      </select>
      {errors[name] && <small class="field-error" data-field={name}>{errors[name]}</small>}
    </label>
  );
  const check = (name: string, label: string) => (
    <label class="check">
      <input type="checkbox" name={name} checked={s.fields[name] === true} onChange={(e) => set(name, (e.target as HTMLInputElement).checked)} />
      <span>{label}</span>
    </label>
  );

  const secret = (f: SecretField) => {
    const isSaved = s.saved.includes(f);
    const ref = s.secretRefs[f] ?? "";
    const multiline = MULTILINE.has(f);
    const placeholder = editing && isSaved && !ref ? (editing.copy ? `Leave blank to use the one of ${editing.name}` : "Leave blank to keep the saved secret")
      : f === "client_key" ? "PEM private key (unencrypted)" : multiline ? "Paste the whole JSON key file" : "";
    return (
      <div class="field wide secret">
        <span>{SECRET_LABELS[f]}</span>
        <div class="secret-row">
          {ref ? (
            <span class="chip">uses secret “{ref}”</span>
          ) : multiline ? (
            // Masked like the other secrets until Show; a file (a JSON key, a PEM) is read in
            // the window, never uploaded anywhere.
            <>
              <textarea name={f} rows={3} value={s.secrets[f] ?? ""} placeholder={placeholder} spellcheck={false}
                class={showTyped[f] !== undefined ? "" : "masked"} onInput={(e) => setSecret(f, (e.target as HTMLTextAreaElement).value)} />
              <label class="button file-choice">
                Choose file…
                <input type="file" name={`${f}-file`} accept=".json,.pem,.key,application/json" class="sr-only"
                  onChange={async (e) => {
                    const file = (e.target as HTMLInputElement).files?.[0];
                    if (file) setSecret(f, await file.text());
                    (e.target as HTMLInputElement).value = "";
                  }} />
              </label>
              {(s.secrets[f] ?? "") !== "" && (
                <button type="button" data-testid={`show-${f}`} aria-pressed={showTyped[f] !== undefined}
                  onClick={() => setShowTyped((v) => (v[f] !== undefined ? {} : { [f]: "" }))}>
                  {showTyped[f] !== undefined ? "Hide" : "Show"}
                </button>
              )}
            </>
          ) : (
            <>
              <input name={f} type={showTyped[f] !== undefined ? "text" : "password"} autoComplete="off" value={s.secrets[f] ?? ""} placeholder={placeholder}
                onInput={(e) => setSecret(f, (e.target as HTMLInputElement).value)} />
              {(s.secrets[f] ?? "") !== "" && (
                <button type="button" data-testid={`show-${f}`} aria-pressed={showTyped[f] !== undefined}
                  aria-label={`${showTyped[f] !== undefined ? "Hide" : "Show"} the typed ${SECRET_LABELS[f].toLowerCase()}`}
                  onClick={() => setShowTyped((v) => (v[f] !== undefined ? {} : { [f]: "" }))}>
                  {showTyped[f] !== undefined ? "Hide" : "Show"}
                </button>
              )}
            </>
          )}
          <select aria-label={`${SECRET_LABELS[f]} source`} name={`${f}-source`} value={ref} onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            setS((p) => ({ ...p, secretRefs: { ...p.secretRefs, [f]: v }, secrets: { ...p.secrets, [f]: "" } }));
          }}>
            <option value="">typed here</option>
            {userSecrets.map((u) => <option value={u.name}>use secret “{u.name}”</option>)}
          </select>
          {editing && !editing.team && isSaved && !ref && (
            <>
              <button type="button" data-testid={`reveal-${f}`} onClick={() => reveal(f)}>Reveal</button>
              <button type="button" onClick={() => setS((p) => ({ ...p, cleared: { ...p.cleared, [f]: true }, secrets: { ...p.secrets, [f]: "" } }))}>Clear</button>
            </>
          )}
        </div>
        {revealed[f] !== undefined && <code class="revealed" data-testid={`revealed-${f}`}>{revealed[f]}</code>}
        {s.cleared[f] && <small class="help">Will be removed when you save.</small>}
        {errors[f] && <small class="field-error" data-field={f}>{errors[f]}</small>}
      </div>
    );
  };

  const f = s.fields;
  const proto = String(f.security_protocol ?? "PLAINTEXT");
  return (
    <form class="panel form" onSubmit={save} onKeyDown={(e) => { if (e.key === "Escape") { e.preventDefault(); onEscape(); } }} onPaste={onFormPaste} data-testid="connection-form">
      <header>
        <h2>{editing?.copy ? `New connection: a copy of ${editing.name}` : editing ? `Edit ${editing.name}${editing.team ? ` in team ${editing.team} (version ${editing.version})` : ""}` : "New connection"}</h2>
        <button type="button" class="ghost" aria-label="Close" onClick={onClose}>×</button>
      </header>
      <div class="paste">
        <input name="url" placeholder="Paste a URL or connection string"
          title="Fills the form: postgres://user@host:5432/db, mysql://…, https://minio:9000, s3://bucket, abfss://c@account.dfs.core.windows.net, gs://bucket, k1:9092"
          value={paste} onInput={(e) => setPaste((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); fillFromUrl(); } }} />
        <button type="button" onClick={() => fillFromUrl()} disabled={!paste.trim()}>Fill</button>
        {errors.url && <small class="field-error" data-field="url">{errors.url}</small>}
      </div>
      {detected && <small class="help paste-detected" data-testid="paste-detected">{detected}</small>}
      <div class="grid">
        <label class="field">
          <span>Name</span>
          <input name="name" value={s.name} autoFocus aria-invalid={errors.name ? "true" : undefined}
            onInput={(e) => { setS((p) => ({ ...p, name: (e.target as HTMLInputElement).value })); setErrors((x) => ({ ...x, name: "" })); }} />
          {errors.name && <small class="field-error" data-field="name">{errors.name}</small>}
        </label>
        <label class="field">
          <span>Environment</span>
          <input name="env_tag" list="env-tags" value={s.envTag} placeholder="dev, staging, prod…"
            onInput={(e) => setS((p) => ({ ...p, envTag: (e.target as HTMLInputElement).value }))}
            onKeyDown={(e) => {
              // The suggestions' popup takes the first Enter to pick one: Enter saves here at once.
              if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); save(); }
            }} />
          <datalist id="env-tags">{KINDS.suggested_tags.map((t) => <option value={t} />)}</datalist>
          {errors.env_tag && <small class="field-error" data-field="env_tag">{errors.env_tag}</small>}
        </label>

        {!editing && siblings(s.kind).length > 1 && (
          <label class="field">
            <span>Type</span>
            <select name="kind" value={s.kind} onChange={(e) => {
              const k = (e.target as HTMLSelectElement).value as Kind;
              setS((p) => ({ ...blank(k), name: p.name, envTag: p.envTag }));
              setErrors({});
            }}>
              {siblings(s.kind).map((k) => <option value={k}>{KINDS.kinds.find((i) => i.kind === k)!.type_label}</option>)}
            </select>
          </label>
        )}
        {storeFields(s, f, { text, select, secret, check, area })}
        {s.kind === "database" && (
          <>
            {select("engine", "Type", KINDS.engines.map((e): [string, string] => [e.engine, e.label]), (v) => {
              const dflt = String(KINDS.engines.find((e) => e.engine === v)?.default_port ?? "");
              if (DEFAULT_PORTS.includes(String(f.port)) || f.port === "") set("port", dflt);
            })}
            {text("host", f.ssh_on === true ? "Host (as the bastion sees it)" : "Host", { placeholder: "db.example.com" })}
            {text("port", "Port", { type: "text" })}
            {text("database", "Database")}
            {text("username", "User")}
            {secret("password")}
            {select("ssl_mode", "SSL", [["disable", "Off"], ["prefer", "Prefer"], ["require", "Require"], ["verify-ca", "Verify CA"], ["verify-full", "Verify CA and host"]])}
            {(KINDS.ssl_modes.find((m) => m.mode === f.ssl_mode)?.verifies || f.ca_cert) && area("ca_cert", "CA certificate (PEM)", "-----BEGIN CERTIFICATE-----")}
            {sshFields(s, f, { text, select, secret, check, area })}
          </>
        )}
        {s.kind === "kafka" && (
          <>
            {text("bootstrap_servers", "Bootstrap servers", { placeholder: "k1:9092,k2:9092" })}
            {select("security_protocol", "Security protocol", KINDS.security_protocols.map((p): [string, string] => [p.protocol, p.protocol]), (v) => {
              if (protocol(v)?.uses_sasl && !f.sasl_mechanism) set("sasl_mechanism", "SCRAM-SHA-512");
              if (!protocol(v)?.uses_sasl) set("sasl_mechanism", "");
            })}
            {protocol(proto)?.uses_sasl && (
              <>
                {select("sasl_mechanism", "SASL mechanism", [["", "—"], ...KINDS.sasl_mechanisms.map((m): [string, string] => [m, m])])}
                {text("sasl_username", "SASL user")}
                {secret("sasl_password")}
              </>
            )}
            {protocol(proto)?.uses_tls && (
              <>
                {area("ca_cert", "CA certificate (PEM)", "-----BEGIN CERTIFICATE-----")}
                {area("client_cert", "Client certificate (PEM, optional)", "-----BEGIN CERTIFICATE-----")}
                {secret("client_key")}
              </>
            )}
            {text("schema_registry_url", "Schema Registry URL", { placeholder: "https://registry:8081 (optional)" })}
            {f.schema_registry_url && (
              <>
                {text("schema_registry_username", "Schema Registry user")}
                {secret("schema_registry_password")}
                {String(f.schema_registry_url).startsWith("http://") && check("schema_registry_allow_http", "Allow unsafe HTTP for the registry")}
                {!protocol(proto)?.uses_tls && String(f.schema_registry_url).startsWith("https://") &&
                  area("ca_cert", "CA certificate (PEM, for a registry behind a private CA)", "-----BEGIN CERTIFICATE-----")}
              </>
            )}
          </>
        )}
      </div>
      {general && <div class="banner error" role="alert" data-testid="form-error">{general}</div>}
      {locked && <p class="notice" data-testid="form-locked">{locked}</p>}
      {moving && (
        <Confirm title="Send the saved secret to the new settings?" confirm="Save and keep the secret" danger
          onCancel={() => setMoving(null)} onConfirm={() => save(undefined, true)}>
          <p data-testid="moving-secret">{moving[0].toUpperCase() + moving.slice(1)}.</p>
        </Confirm>
      )}
      {verdict && <VerdictView v={verdict} onRetry={test} />}
      <footer class="actions">
        <button type="button" data-testid="form-test" onClick={test} disabled={testingSince !== null}>
          {testingSince !== null ? `Testing… ${Math.floor((Date.now() - testingSince) / 1000)} s` : "Test"}
        </button>
        {ticket !== null && <button type="button" data-testid="form-test-cancel" onClick={() => api.cancelCheck(ticket)}>Cancel test</button>}
        {cancelled && <small class="help" data-testid="test-cancelled">Test cancelled.</small>}
        <span class="spacer" />
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="submit" class="primary" data-testid="form-save" disabled={saving || !!locked} title={locked}>{saving ? "Saving…" : "Save"}</button>
      </footer>
    </form>
  );
}
