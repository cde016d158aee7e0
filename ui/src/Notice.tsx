// The window's notices: a toast over the list's corner (one appearing never moves a row under the
// pointer). A plain notice fades after 5 s, an error stays until dismissed. A copy with a secret
// counts down to its clipboard clearing; a deletion offers Undo (the button, or Ctrl+Z) for as
// long as the core keeps what it takes.
import { useEffect, useState } from "preact/hooks";
import type { Copied } from "./gen/desk-bindings";

/** How long a plain notice stays. */
export const FADE_AFTER_MS = 5000;

export interface NoticeState {
  text: string;
  error?: boolean;
  /** When the clipboard holding a copied secret is cleared (ms since the epoch). */
  clearsAt?: number;
  /** A deletion's undo: what to call, until when. */
  undo?: { run: () => void; until: number };
}

/** The notice of a copy: `text`, and the clipboard's countdown when the copy will be cleared. */
export function copiedNotice(text: string, c: Copied): NoticeState {
  return { text, clearsAt: c.clears_in_seconds ? Date.now() + c.clears_in_seconds * 1000 : undefined };
}

export function Notice({ notice, onDismiss }: { notice: NoticeState; onDismiss: () => void }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!notice.clearsAt && !notice.undo) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [notice]);
  const undoable = notice.undo && notice.undo.until > now;
  // A plain notice fades after a few seconds; an error stays until dismissed, and one with an
  // undo or a clipboard countdown stays while those run.
  useEffect(() => {
    if (notice.error || notice.undo || notice.clearsAt) return;
    const t = setTimeout(onDismiss, FADE_AFTER_MS);
    return () => clearTimeout(t);
  }, [notice]);
  useEffect(() => {
    if (!undoable) return;
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement;
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z" && !typing) {
        e.preventDefault();
        notice.undo!.run();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undoable, notice]);
  return (
    <div class={`banner toast ${notice.error ? "error" : "info"}`} role="status" data-testid="notice">
      <span>
        {notice.text}
        {notice.clearsAt && (
          <span data-testid="clipboard-countdown">
            {notice.clearsAt > now ? `; the clipboard clears in ${Math.ceil((notice.clearsAt - now) / 1000)} s` : "; the clipboard was cleared"}
          </span>
        )}
      </span>
      {undoable && (
        <button type="button" class="undo" data-testid="undo" title="Ctrl+Z" onClick={() => notice.undo!.run()}>
          Undo ({Math.ceil((notice.undo!.until - now) / 1000)} s)
        </button>
      )}
      <button type="button" class="ghost" aria-label="Dismiss" onClick={onDismiss}>×</button>
    </div>
  );
}
