// The Secrets tab: named values the user manages. Listed by name and users only; a value is
// shown after "Reveal"; deleting one that connections use is refused by the core, and the
// confirmation names them first.
import { useEffect, useRef, useState } from "preact/hooks";
import { useRevealed } from "./reveal";
import type { SecretInfo } from "./gen/bindings";
import type { Copied } from "./gen/desk-bindings";
import { api, errorText, isError, wasCancelled } from "./api";
import { Confirm } from "./Modal";

export function Secrets({ list, filter, onChanged, creating, setCreating, onCopied }: {
  list: SecretInfo[]; filter: string; onChanged: () => void; creating: boolean; setCreating: (b: boolean) => void;
  /** Said after a copy (the window's notice shows the clipboard's countdown). */
  onCopied: (c: Copied) => void;
}) {
  const [editing, setEditing] = useState<SecretInfo | null>(null);
  const [revealed, setRevealed] = useRevealed<string>();
  const [deleting, setDeleting] = useState<SecretInfo | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const shown = list.filter((s) => `${s.name} ${s.description ?? ""}`.toLowerCase().includes(filter.toLowerCase()));

  return (
    <div class="secrets">
      {(creating || editing) && (
        <SecretForm key={editing?.name ?? "new"} editing={editing} onClose={() => { setCreating(false); setEditing(null); }}
          onSaved={() => { setCreating(false); setEditing(null); onChanged(); }} />
      )}
      {message && <div class="banner error" role="alert">{message}</div>}
      {shown.length === 0 && !creating ? (
        <div class="empty" data-testid="empty">
          <p>{list.length === 0 ? "No secrets yet." : "Nothing matches your search."}</p>
          <p class="muted">Secrets are named values (API tokens, shared logins) that connections can use instead of their own password. Press <kbd>N</kbd> or “New secret”.</p>
        </div>
      ) : (
        <table class="list" data-testid="secret-list">
          <thead><tr><th>Name</th><th>Description</th><th>Used by</th><th>Value</th><th /></tr></thead>
          <tbody>
            {shown.map((s) => (
              <tr data-name={s.name}>
                <td class="name">{s.name}</td>
                <td>{s.description ?? ""}</td>
                <td>{s.used_by.length ? s.used_by.join(", ") : <span class="muted">—</span>}</td>
                <td>{revealed[s.name] !== undefined ? <code data-testid="revealed-secret">{revealed[s.name]}</code> : <span class="muted">••••••••</span>}</td>
                <td class="row-actions">
                  <button type="button" data-testid="reveal-secret" onClick={async () => {
                    if (revealed[s.name] !== undefined) { const r = { ...revealed }; delete r[s.name]; setRevealed(r); return; }
                    try { const v = await api.revealSecret(s.name); setRevealed({ ...revealed, [s.name]: v }); } catch (e) { if (!wasCancelled(e)) setMessage(errorText(e)); }
                  }}>{revealed[s.name] !== undefined ? "Hide" : "Reveal"}</button>
                  <button type="button" data-testid="copy-secret" aria-label={`Copy the value of ${s.name}`} onClick={async () => {
                    try { onCopied(await api.copySecret(s.name)); } catch (e) { setMessage(errorText(e)); }
                  }}>Copy</button>
                  <button type="button" onClick={() => setEditing(s)}>Edit</button>
                  <button type="button" class="danger" data-testid="delete-secret" onClick={() => setDeleting(s)}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deleting && (
        <Confirm title={`Delete secret “${deleting.name}”?`} confirm="Delete" danger onCancel={() => setDeleting(null)} onConfirm={async () => {
          const d = deleting;
          setDeleting(null);
          try { await api.removeSecret(d.name); setMessage(null); onChanged(); } catch (e) { setMessage(errorText(e)); }
        }}>
          {deleting.used_by.length
            ? <p>It is used by <strong>{deleting.used_by.join(", ")}</strong>; Patchbay will refuse until they use another secret.</p>
            : <p>No connection uses it. Its value will be gone for good.</p>}
        </Confirm>
      )}
    </div>
  );
}

function SecretForm({ editing, onClose, onSaved }: { editing: SecretInfo | null; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(editing?.name ?? "");
  const [value, setValue] = useState("");
  const [description, setDescription] = useState(editing?.description ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  // The cursor starts in Name (autofocus works only when a page loads, not for a form shown later).
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => { nameInput.current?.focus(); }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api.saveSecret(name, value === "" && editing ? null : value, description, editing?.name ?? null);
      onSaved();
    } catch (err) {
      if (isError(err) && err.field) setErrors({ [err.field]: err.message.replace(new RegExp(`^${err.field}: `), "") });
      else setErrors({ general: errorText(err) });
    }
  };
  return (
    <form class="panel form" onSubmit={submit} data-testid="secret-form" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <header><h2>{editing ? `Edit secret ${editing.name}` : "New secret"}</h2><button type="button" class="ghost" aria-label="Close" onClick={onClose}>×</button></header>
      <div class="grid">
        <label class="field"><span>Name</span><input name="secret-name" ref={nameInput} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          {errors.name && <small class="field-error" data-field="name">{errors.name}</small>}</label>
        <label class="field"><span>Value</span><input name="secret-value" type="password" autoComplete="off" value={value}
          placeholder={editing ? "Leave blank to keep the saved value" : ""} onInput={(e) => setValue((e.target as HTMLInputElement).value)} />
          {errors.value && <small class="field-error" data-field="value">{errors.value}</small>}</label>
        <label class="field wide"><span>Description</span><input name="secret-description" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} /></label>
      </div>
      {errors.general && <div class="banner error" role="alert">{errors.general}</div>}
      <footer class="actions"><span class="spacer" /><button type="button" onClick={onClose}>Cancel</button><button type="submit" class="primary" data-testid="secret-save">Save</button></footer>
    </form>
  );
}
