// The banner shown when saved secrets cannot be opened: why (commands in it shown as code, not
// with literal backticks), what can be done, and the buttons that do it from here — Retry, Unlock
// (the Secret Service's own prompt) and "Use a key file…" (path and passphrase, no environment
// variables and no restart; the choice is remembered for this store, the CLI uses it too).
import { useState } from "preact/hooks";
import { api, errorText, isError, type KeyStatus } from "./api";

/** Text with `backticked` commands rendered as code. */
export function Prose({ text }: { text: string }) {
  return <>{text.split("`").map((part, i) => (i % 2 ? <code>{part}</code> : part))}</>;
}

export function KeyBanner({ status, onStatus }: { status: KeyStatus; onStatus: (s: KeyStatus) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ field?: string; text: string } | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [path, setPath] = useState(status.source.startsWith("key file ") ? status.source.slice(9) : "");
  const [passphrase, setPassphrase] = useState("");
  const keychain = status.source === "the OS keychain";

  const run = async (what: string, call: () => Promise<KeyStatus>) => {
    setBusy(what);
    setProblem(null);
    try {
      const s = await call();
      onStatus(s);
      // The banner above now shows this answer's cause; saying it again below would repeat it.
      if (!s.unlocked) setProblem({ text: `Tried again at ${new Date().toLocaleTimeString()}: still locked, for the reason above.` });
    } catch (e) {
      setProblem({ field: isError(e) ? e.field ?? undefined : undefined, text: isError(e) ? e.message.replace(/^[a-z_]+: /, "") : errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div class="banner error key-banner" role="alert" data-testid="key-banner">
      <div>
        <strong>Saved secrets cannot be opened.</strong> {status.error && <Prose text={status.error.message} />}
      </div>
      <ul>{status.fallbacks.map((f) => <li><Prose text={f} /></li>)}</ul>
      <div class="key-actions">
        <button type="button" data-testid="key-retry" disabled={busy !== null} onClick={() => run("retry", api.keyStatus)}>
          {busy === "retry" ? "Retrying…" : "Retry"}
        </button>
        {keychain && (
          <button type="button" data-testid="key-unlock" disabled={busy !== null} onClick={() => run("unlock", api.unlockKeychain)}>
            {busy === "unlock" ? "Waiting for the keychain…" : "Unlock the keychain"}
          </button>
        )}
        <button type="button" data-testid="key-use-file" aria-expanded={choosing} onClick={() => setChoosing(!choosing)}>Use a key file…</button>
      </div>
      {choosing && (
        <form class="key-file" onSubmit={(e) => { e.preventDefault(); run("file", () => api.useKeyFile(path, passphrase)); }}>
          <label class="field">
            <span>Key file (full path; made on first use if the store has no secrets yet)</span>
            <input name="key_file" value={path} placeholder="/home/you/.config/patchbay/key" onInput={(e) => setPath((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            <span>Passphrase</span>
            <input name="key_passphrase" type="password" autoComplete="off" value={passphrase} onInput={(e) => setPassphrase((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="primary" data-testid="key-file-use" disabled={busy !== null}>{busy === "file" ? "Opening…" : "Use this key file"}</button>
        </form>
      )}
      {problem && <small class="field-error" data-testid="key-problem" data-field={problem.field ?? ""}><Prose text={problem.text} /></small>}
    </div>
  );
}
