// A check's verdict as the user sees it: ok or the failing step, the hint, and every step's time.
// Each cause is said once: the failing step's detail when it repeats the message is left out,
// and so are error details the message already holds.
import type { Verdict } from "./gen/bindings";

export function VerdictView({ v }: { v: Verdict }) {
  return (
    <div class={`verdict ${v.ok ? "ok" : "failed"}`} data-testid="verdict" data-ok={String(v.ok)} data-failed-step={v.failed_step ?? ""}>
      <div class="verdict-head">
        <strong>{v.ok ? "Works" : `Failed at ${v.failed_step}`}</strong>
        <span class="muted"> · {Math.round(v.total_ms)} ms</span>
      </div>
      <div class="verdict-message" data-testid="verdict-message">{v.message}</div>
      {v.hint && <div class="verdict-hint" data-testid="verdict-hint">{v.hint}</div>}
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
