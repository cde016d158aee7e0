//! The tray beside the window: `patchbay-tray` (installed next to this program, else on PATH) is
//! started when the window starts, in a process group of its own so that it outlives the window
//! and a Ctrl-C meant for the window. One tray per store: a second one ends at once, as does one
//! on a desktop without a tray host (it says why on stderr).

use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The tray program: beside this one when installed together, else `patchbay-tray` on PATH.
pub fn tray_program() -> PathBuf {
    patchbay_core::process::sibling("patchbay-tray").unwrap_or_else(|| "patchbay-tray".into())
}

/// Starts the tray (it ends at once if this store's tray already runs); `wait_for_host` gives a
/// desktop's panel that many seconds to appear (at login).
pub fn start_tray(wait_for_host: Option<u64>) {
    let mut cmd = Command::new(tray_program());
    if let Some(s) = wait_for_host {
        cmd.arg("--wait-for-host").arg(s.to_string());
    }
    match cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .process_group(0)
        .spawn()
    {
        // Reaped when it ends, so that a tray that ended at once leaves no zombie behind.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => eprintln!("patchbay: no tray ({}: {e})", tray_program().display()),
    }
}
