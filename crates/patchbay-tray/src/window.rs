//! Starting the Connections window: `patchbay-desktop` (beside this program, else on PATH), a
//! process of its own. A window already open is focused by it (one instance), and opens the
//! connection asked for (`--open kind/name`).

use std::process::{Command, Stdio};

/// Starts (or focuses) the window, optionally on one connection ("database/orders").
pub fn open(target: Option<String>) -> Result<(), String> {
    let program = patchbay_core::process::sibling("patchbay-desktop")
        .ok_or("patchbay-desktop is not installed (next to patchbay-tray or on PATH)")?;
    let mut cmd = Command::new(program);
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
