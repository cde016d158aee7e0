//! Starting the Connections window: `patchbay-desktop` (beside this program, else on PATH), a
//! process of its own. A window already open is focused by it (one instance), and opens the
//! connection asked for (`--open kind/name`).

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The window program: beside this one when installed together, else found on PATH.
fn program() -> PathBuf {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|me| me.parent().map(|d| d.join("patchbay-desktop")));
    match beside {
        Some(p) if p.is_file() => p,
        _ => PathBuf::from("patchbay-desktop"),
    }
}

/// Starts (or focuses) the window, optionally on one connection ("database/orders").
pub fn open(target: Option<String>) -> Result<(), String> {
    let mut cmd = Command::new(program());
    if let Some(t) = target {
        cmd.arg("--open").arg(t);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start patchbay-desktop: {e}"))?;
    // Reaped when it ends, so that no zombie stays behind for the tray's lifetime.
    std::thread::spawn(move || child.wait());
    Ok(())
}
