//! The system clipboard, written from Rust (never through the web view). A copy that contains
//! a secret is marked for password managers and clipboard histories
//! (`x-kde-passwordManagerHint: secret`, which KDE Klipper, GNOME extensions and others skip)
//! and cleared after `PATCHBAY_CLIPBOARD_SECONDS` (default 30; 0 keeps it) if the clipboard
//! still holds it. A later copy is never cleared by an earlier one's timer.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use patchbay_core::{Error, Result};

/// How long a secret stays on the clipboard unless `PATCHBAY_CLIPBOARD_SECONDS` says otherwise.
pub const DEFAULT_SECONDS: u32 = 30;

pub struct Clipboard {
    /// Kept for the app's lifetime: on X11 the owner of a selection must stay to serve it.
    board: Arc<Mutex<Option<arboard::Clipboard>>>,
    /// Increases with every copy; a timer clears only its own copy.
    generation: Arc<AtomicU64>,
}

impl Default for Clipboard {
    fn default() -> Self {
        Clipboard {
            board: Arc::new(Mutex::new(None)),
            generation: Arc::new(AtomicU64::new(0)),
        }
    }
}

/// Seconds before a copied secret is cleared (None: never).
pub fn clear_after() -> Option<u32> {
    let s = std::env::var("PATCHBAY_CLIPBOARD_SECONDS")
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(DEFAULT_SECONDS);
    (s > 0).then_some(s)
}

fn io(e: arboard::Error) -> Error {
    Error::Io(format!("could not use the clipboard: {e}"))
}

impl Clipboard {
    /// Puts `text` on the clipboard; with `secret`, marks it and schedules its clearing.
    /// Returns the seconds until it is cleared.
    pub fn write(&self, text: String, secret: bool) -> Result<Option<u32>> {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        {
            let mut guard = self.board.lock().unwrap_or_else(|p| p.into_inner());
            if guard.is_none() {
                *guard = Some(arboard::Clipboard::new().map_err(io)?);
            }
            let board = guard.as_mut().expect("set above");
            let set = board.set();
            #[cfg(target_os = "linux")]
            let set = if secret {
                arboard::SetExtLinux::exclude_from_history(set)
            } else {
                set
            };
            set.text(text.clone()).map_err(io)?;
        }
        let clears = if secret { clear_after() } else { None };
        if let Some(seconds) = clears {
            let (board, current) = (self.board.clone(), self.generation.clone());
            let text = zeroize::Zeroizing::new(text);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(u64::from(seconds)));
                if current.load(Ordering::SeqCst) != generation {
                    return; // something newer was copied since
                }
                let mut guard = board.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(b) = guard.as_mut() {
                    if b.get_text().is_ok_and(|now| now.as_str() == text.as_str()) {
                        let _ = b.clear();
                    }
                }
            });
        }
        Ok(clears)
    }
}
