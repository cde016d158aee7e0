// Revealed secrets hide again by themselves, as in a password manager: after REVEAL_MS, when the
// window loses focus or is hidden, and when the user switches tabs (main.tsx sends HIDE_EVENT).
import { useEffect, useState } from "preact/hooks";

export const REVEAL_MS = 20_000;
export const HIDE_EVENT = "patchbay-hide-secrets";

export function useRevealed<K extends string>() {
  const [revealed, setRevealed] = useState<Partial<Record<K, string>>>({});
  const shown = Object.keys(revealed).length > 0;
  useEffect(() => {
    if (!shown) return;
    const hide = () => setRevealed({});
    const timer = setTimeout(hide, REVEAL_MS);
    const onVisibility = () => document.hidden && hide();
    window.addEventListener("blur", hide);
    window.addEventListener(HIDE_EVENT, hide);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("blur", hide);
      window.removeEventListener(HIDE_EVENT, hide);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [revealed]);
  return [revealed, setRevealed] as const;
}
