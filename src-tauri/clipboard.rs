//! The window's copies: a hand-off's text put on the system clipboard by Rust (never through the
//! web view), as `patchbay-clipboard` writes it.

pub use patchbay_clipboard::Clipboard;
use patchbay_core::Result;

/// Puts a hand-off's text on the clipboard as the Desk described it (`copy_text`,
/// `place_uri`); the answer says when it will be cleared.
pub fn put(
    app: &tauri::AppHandle,
    (text, mut copied): (String, patchbay_core::desk::Copied),
) -> Result<patchbay_core::desk::Copied> {
    use tauri::Manager as _;
    copied.clears_in_seconds = app
        .state::<Clipboard>()
        .write(text, copied.includes_secrets)?;
    Ok(copied)
}
