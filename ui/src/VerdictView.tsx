// A check's verdict as the user sees it: ok or the failing step, the hint, and every step's time.
// Each cause is said once: the failing step's detail when it repeats the message is left out,
// and so are error details the message already holds. An SSH bastion not yet known is trusted
// from here by the fingerprint the check showed, and the check runs again; a role that asks for
// an MFA code gets it here: the session is minted with it (and kept), and the check runs again.
import { useState } from "preact/hooks";
import { api, errorText } from "./api";
import type { Verdict } from "./gen/bindings";
import type { SsoPrompt } from "./gen/desk-bindings";

/** The fingerprint of an unknown bastion's host key, as the core's verdict names it. */
export function unknownHostKey(v: Verdict): string | null {
  if (v.failed_step !== "ssh_host_key") return null;
  return /is not known: its host key is (SHA256:[A-Za-z0-9+/]{43})$/.exec(v.message)?.[1] ?? null;
}

/** `mintsWithCode`: the verdict is a saved connection's, whose session a typed MFA code can mint. */
export function VerdictView({ v, onRetry, mintsWithCode = false }: { v: Verdict; onRetry?: () => void; mintsWithCode?: boolean }) {
  const fp = unknownHostKey(v);
  const [trustError, setTrustError] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const asksCode = mintsWithCode && v.failed_step === "mfa_code" && v.kind === "storage";
  // An IAM Identity Center profile not signed in: the sign-in's page (opened in the browser) and
  // the code it shows, until it is approved; then the check runs again.
  const [signIn, setSignIn] = useState<SsoPrompt | null>(null);
  const [signInError, setSignInError] = useState<string | null>(null);
  const asksSignIn = mintsWithCode && v.failed_step === "sso_login" && v.kind === "storage";
  const startSignIn = async () => {
    setSignInError(null);
    try {
      setSignIn(await api.ssoLogin(v.name));
      await api.ssoLoginWait(v.name);
      setSignIn(null);
      onRetry?.();
    } catch (err) {
      setSignIn(null);
      setSignInError(errorText(err));
    }
  };
  const useCode = async (e: Event) => {
    e.preventDefault();
    try {
      await api.mintSession(v.name, code);
      setCode("");
      onRetry?.();
    } catch (err) {
      setCodeError(errorText(err));
    }
  };
  const trust = async () => {
    try {
      await api.acceptHostKey(fp!);
      onRetry?.();
    } catch (e) {
      setTrustError(errorText(e));
    }
  };
  return (
    <div class={`verdict ${v.ok ? "ok" : "failed"}`} data-testid="verdict" data-ok={String(v.ok)} data-failed-step={v.failed_step ?? ""}>
      <div class="verdict-head">
        <strong>{v.ok ? "Works" : `Failed at ${v.failed_step}`}</strong>
        <span class="muted"> · {Math.round(v.total_ms)} ms</span>
      </div>
      <div class="verdict-message" data-testid="verdict-message">{v.message}</div>
      {v.hint && <div class="verdict-hint" data-testid="verdict-hint">{v.hint}</div>}
      {fp && onRetry && (
        <div class="verdict-actions">
          <button type="button" data-testid="trust-host-key" onClick={trust}>Trust host key {fp} and test again</button>
          {trustError && <small class="field-error">{trustError}</small>}
        </div>
      )}
      {asksCode && onRetry && (
        <form class="verdict-actions" onSubmit={useCode}>
          <label>MFA code <input name="mfa_code" data-testid="mfa-code" style={{ maxWidth: "10em" }} inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code}
            onInput={(e) => { setCode((e.target as HTMLInputElement).value); setCodeError(null); }} /></label>
          <button type="submit" data-testid="use-mfa-code" disabled={code.trim().length !== 6}>Use code and test again</button>
          {codeError && <small class="field-error" data-testid="mfa-code-error">{codeError}</small>}
        </form>
      )}
      {asksSignIn && onRetry && (
        <div class="verdict-actions">
          {signIn
            ? <p data-testid="sso-prompt">Approve the sign-in at <code data-testid="sso-url">{signIn.url}</code> (opened in your browser); it shows the code <strong data-testid="sso-code">{signIn.user_code}</strong>. Waiting…</p>
            : <button type="button" data-testid="sso-sign-in" onClick={startSignIn}>Sign in with IAM Identity Center</button>}
          {signInError && <small class="field-error" data-testid="sso-error">{signInError}</small>}
        </div>
      )}
      {v.error && !v.message.includes(v.error) && <details><summary>Error details</summary><code>{v.error}</code></details>}
      <ol class="steps">
        {v.steps.map((s) => (
          <li class={s.ok ? "step-ok" : "step-failed"}>
            <span class="step-name">{s.name}</span>
            <span class="step-ms">{s.ms < 10 ? s.ms.toFixed(1) : Math.round(s.ms)} ms</span>
            <span class="step-detail">{!s.ok && s.detail === v.message ? "" : s.detail}</span>
          </li>
        ))}
      </ol>
      {v.facts.length > 0 && (
        <dl class="facts">
          {v.facts.map((f) => (
            <>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </>
          ))}
        </dl>
      )}
    </div>
  );
}
