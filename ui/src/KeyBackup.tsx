// "Back up master key…": the key sealed with a passphrase in a new key file (the format that
// "Use a key file…" and PATCHBAY_KEY_FILE open), so that losing the keychain does not lose every
// secret. The header's key status is its button ("Key in the OS keychain"), and says "Key not
// backed up…" until a backup of the key in use exists.
import { useState } from "preact/hooks";
import { api, errorText, type KeyStatus } from "./api";
import { Dialog } from "./Modal";

/** The header's button and, once pressed, its dialog; `onDone` gets the file written. */
export function KeyBackup({ status, onDone }: { status: KeyStatus; onDone: (path: string) => void }) {
  const [open, setOpen] = useState(false);
  if (!status.unlocked) return null;
  return (
    <>
      <KeyBackupButton status={status} onOpen={() => setOpen(true)} />
      {open && <KeyBackupDialog status={status} onCancel={() => setOpen(false)} onDone={(p) => { setOpen(false); onDone(p); }} />}
    </>
  );
}

function KeyBackupButton({ status, onOpen }: { status: KeyStatus; onOpen: () => void }) {
  return (
    <button type="button" class={status.remind_backup ? "backup-reminder" : "ghost-text"} data-testid="backup-key" onClick={onOpen}
      title={`Key in ${status.source}. ${status.backup ? `Backed up to ${status.backup.path}.` : "Not backed up."} Back up master key…`}>
      {status.remind_backup ? "Key not backed up…" : `Key in ${status.source}`}
    </button>
  );
}

function KeyBackupDialog({ status, onDone, onCancel }: {
  status: KeyStatus;
  onDone: (path: string) => void;
  onCancel: () => void;
}) {
  const [path, setPath] = useState(status.backup_suggestion);
  const [pass, setPass] = useState("");
  const [again, setAgain] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (pass !== again) { setError("The two passphrases differ."); return; }
    setBusy(true);
    try {
      const b = await api.backupKey(path, pass);
      onDone(b.path);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Back up the master key" testid="backup-dialog" onCancel={onCancel} onSubmit={submit}>
      <h2>Back up the master key</h2>
      <p>The key that opens every saved secret, sealed with a passphrase in a new file. Keep the file and the passphrase apart from this computer: with them, “Use a key file…” (or <code>PATCHBAY_KEY_FILE</code>) opens this store when the keychain is gone.</p>
      <label class="field"><span>File (full path; never an existing one)</span>
        <input name="backup-path" value={path} autoComplete="off" onInput={(e) => setPath((e.target as HTMLInputElement).value)} /></label>
      <label class="field"><span>Passphrase (at least 8 characters)</span>
        <input name="backup-passphrase" type="password" value={pass} autoFocus autoComplete="new-password" onInput={(e) => setPass((e.target as HTMLInputElement).value)} /></label>
      <label class="field"><span>The same passphrase again</span>
        <input name="backup-passphrase-again" type="password" value={again} autoComplete="new-password" onInput={(e) => setAgain((e.target as HTMLInputElement).value)} /></label>
      {error && <p class="error" role="alert" data-testid="backup-error">{error}</p>}
      <div class="actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="submit" class="primary" data-testid="backup-save" disabled={busy || !pass || !path}>{busy ? "Writing…" : "Back up"}</button>
      </div>
    </Dialog>
  );
}
