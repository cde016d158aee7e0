//! The window's settings: whether Patchbay starts in the tray at login (the XDG autostart entry,
//! the same one `patchbay-desktop --autostart on|off` writes).

use patchbay_core::{Error, Result};

/// Whether Patchbay starts at login.
#[tauri::command]
pub fn autostart() -> bool {
    crate::autostart::is_on()
}

/// Turns starting at login on or off; whether it is on now.
#[tauri::command]
pub fn set_autostart(on: bool) -> Result<bool> {
    crate::autostart::set(on).map_err(Error::Io)?;
    Ok(crate::autostart::is_on())
}
