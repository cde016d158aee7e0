// Dialogs inside the page (native dialogs are unreliable in web views). `Dialog` is the shell
// every one shares: focus stays inside it (Tab cycles), Esc cancels, a click outside cancels.
// `Confirm` asks one question: a dangerous one starts on Cancel, and one that asks for a typed
// word (a production connection's name) keeps its button off until it is typed.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

const FOCUSABLE = "button:not([disabled]), input, select, textarea, [tabindex]:not([tabindex='-1'])";

/** The shell of a dialog; `onSubmit` makes it a form (Enter submits). */
export function Dialog(props: {
  title: string;
  /** A wide dialog (code). */
  wide?: boolean;
  /** Another class beside "modal" (its own layout). */
  class?: string;
  testid?: string;
  onCancel: () => void;
  onSubmit?: (e: Event) => void;
  children: ComponentChildren;
}) {
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        // The dialog's own: a form underneath must not take it as its Esc too.
        e.preventDefault();
        e.stopPropagation();
        props.onCancel();
      } else if (e.key === "Tab" && box.current) {
        const items = [...box.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
        if (items.length === 0) return;
        const i = items.indexOf(document.activeElement as HTMLElement);
        const next = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : (i === -1 || i === items.length - 1 ? 0 : i + 1);
        e.preventDefault();
        items[next].focus();
      }
    };
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [props.onCancel]);
  const attrs = {
    class: ["modal", props.wide ? "wide" : "", props.class ?? ""].filter(Boolean).join(" "),
    role: "dialog",
    "aria-modal": "true",
    "aria-label": props.title,
    "data-testid": props.testid,
    onClick: (e: Event) => e.stopPropagation(),
  } as const;
  return (
    <div class="modal-backdrop" onClick={props.onCancel}>
      {props.onSubmit
        ? <form {...attrs} ref={box as { current: HTMLFormElement | null }} onSubmit={props.onSubmit}>{props.children}</form>
        : <div {...attrs} ref={box as { current: HTMLDivElement | null }}>{props.children}</div>}
    </div>
  );
}

export function Confirm(props: {
  title: string;
  children: ComponentChildren;
  confirm: string;
  danger?: boolean;
  /** The text the user must type before the button works. */
  requireText?: string;
  /** A wide dialog (code). */
  wide?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const [typed, setTyped] = useState("");
  const ready = props.requireText === undefined || typed.trim() === props.requireText;

  return (
    <Dialog title={props.title} wide={props.wide} onCancel={props.onCancel}>
      <h2>{props.title}</h2>
      <div class="modal-body">{props.children}</div>
      {props.requireText !== undefined && (
        <label class="field">
          <span>Type <strong>{props.requireText}</strong> to confirm</span>
          <input name="confirm-text" autoComplete="off" value={typed} autoFocus
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => { if (e.key === "Enter" && ready) props.onConfirm(); }} />
        </label>
      )}
      <div class="actions">
        <button type="button" data-testid="confirm-cancel" onClick={props.onCancel} autoFocus={props.danger && props.requireText === undefined}>Cancel</button>
        <button type="button" class={props.danger ? "danger" : "primary"} data-testid="confirm" onClick={props.onConfirm}
          disabled={!ready} autoFocus={!props.danger}>
          {props.confirm}
        </button>
      </div>
    </Dialog>
  );
}
