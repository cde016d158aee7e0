// A confirmation dialog inside the page (native dialogs are unreliable in web views).
import type { ComponentChildren } from "preact";

export function Confirm(props: { title: string; children: ComponentChildren; confirm: string; danger?: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div class="modal-backdrop" onClick={props.onCancel}>
      <div class="modal" role="dialog" aria-modal="true" aria-label={props.title} onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => e.key === "Escape" && props.onCancel()}>
        <h2>{props.title}</h2>
        <div class="modal-body">{props.children}</div>
        <div class="actions">
          <button type="button" onClick={props.onCancel}>Cancel</button>
          <button type="button" class={props.danger ? "danger" : "primary"} data-testid="confirm" onClick={props.onConfirm} autoFocus>
            {props.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}
