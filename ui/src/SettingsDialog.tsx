// "Settings": how Patchbay runs on this computer. Today one: start in the tray at login (the
// XDG autostart entry; off unless turned on here or with `patchbay-desktop --autostart on`).
import { useEffect, useState } from "preact/hooks";
import { api, errorText } from "./api";
import { Dialog } from "./Modal";

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const [autostart, setAutostart] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { api.autostart().then(setAutostart).catch((e) => setError(errorText(e))); }, []);
  const toggle = async (on: boolean) => {
    try { setAutostart(await api.setAutostart(on)); setError(null); } catch (e) { setError(errorText(e)); }
  };
  return (
    <Dialog title="Settings" testid="settings" onCancel={onClose}>
      <h2>Settings</h2>
      <label class="check">
        <input type="checkbox" name="autostart" checked={!!autostart} disabled={autostart === null}
          onChange={(e) => toggle((e.target as HTMLInputElement).checked)} />
        <span>Start Patchbay in the tray when I log in</span>
      </label>
      <p class="muted">The tray's quick connect is there from login; the window opens when you ask for it.</p>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="actions"><button type="button" onClick={onClose}>Close</button></div>
    </Dialog>
  );
}
