// A row's one actions menu (the "⋯" button): a popup anchored to the button (above it when there
// is no room below), arrow keys and Home/End move through it, Enter or a click runs an item, Esc
// or a click elsewhere closes it and gives focus back to the button.
import { useEffect, useRef, useState } from "preact/hooks";

export interface MenuItem {
  /** The item's `data-action` ("edit", "copy-url"…). */
  action: string;
  label: string;
  danger?: boolean;
  /** A separator above this item. */
  group?: boolean;
  /** Why the item cannot be used now (it is shown greyed out, with this as its tooltip). */
  disabled?: string;
  run: () => void;
}

/** What a row's Copy items put on the clipboard (through Rust). */
export type Copy = "url" | "url_with_password" | "env" | "env_with_secrets";
const COPIES: [Copy, string][] = [["url", "Copy URL"], ["url_with_password", "Copy URL with password"], ["env", "Copy environment"], ["env_with_secrets", "Copy environment with secrets"]];

/** A row's Copy items (a group of their own), each running `copy` with what it copies. */
export const copyItems = (copy: (what: Copy) => void): MenuItem[] =>
  COPIES.map(([what, label], i) => ({ action: `copy-${what.replace(/_/g, "-")}`, label, group: i === 0, run: () => copy(what) }));

/** `tabIndex`: -1 inside a row that is itself the one Tab stop (the row's M key opens the menu). */
export function RowMenu({ label, items, tabIndex }: { label: string; items: MenuItem[]; tabIndex?: number }) {
  const [at, setAt] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  const open = () => {
    const r = button.current!.getBoundingClientRect();
    const height = items.length * 30 + 12;
    const below = r.bottom + height < window.innerHeight;
    setAt({ top: below ? r.bottom + 2 : Math.max(4, r.top - height - 2), right: window.innerWidth - r.right });
  };
  const close = (refocus = true) => {
    setAt(null);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!at) return;
    menu.current?.querySelector<HTMLElement>("[role=menuitem]")?.focus();
    const outside = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && e.target !== button.current) close(false);
    };
    const away = () => close(false);
    document.addEventListener("mousedown", outside, true);
    window.addEventListener("resize", away);
    document.addEventListener("scroll", away, true);
    return () => {
      document.removeEventListener("mousedown", outside, true);
      window.removeEventListener("resize", away);
      document.removeEventListener("scroll", away, true);
    };
  }, [at]);

  const onKey = (e: KeyboardEvent) => {
    const list = [...(menu.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])];
    const i = list.indexOf(document.activeElement as HTMLElement);
    const go = (n: number) => { e.preventDefault(); list[(n + list.length) % list.length]?.focus(); };
    if (e.key === "ArrowDown") go(i + 1);
    else if (e.key === "ArrowUp") go(i - 1);
    else if (e.key === "Home") go(0);
    else if (e.key === "End") go(list.length - 1);
    else if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); close(); }
    else if (e.key === "Tab") close(false);
  };

  return (
    <>
      <button type="button" ref={button} class="menu-button" data-testid="row-menu" aria-label={label} aria-haspopup="menu" tabIndex={tabIndex}
        aria-expanded={at ? "true" : "false"} onClick={() => (at ? close() : open())}>⋯</button>
      {at && (
        <div role="menu" class="menu" ref={menu} aria-label={label} style={{ top: `${at.top}px`, right: `${at.right}px` }} onKeyDown={onKey}>
          {items.map((it) => (
            <>
              {it.group && <div role="separator" class="menu-sep" />}
              <button type="button" role="menuitem" tabIndex={-1} data-action={it.action} class={it.danger ? "danger" : ""}
                aria-disabled={it.disabled ? "true" : undefined} title={it.disabled}
                onClick={() => { if (it.disabled) return; close(false); it.run(); }}>{it.label}</button>
            </>
          ))}
        </div>
      )}
    </>
  );
}
