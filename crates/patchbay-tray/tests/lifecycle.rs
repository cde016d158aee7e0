//! The tray's own start and end, as a user meets them: on a desktop without a tray host it says
//! so and ends (the window stays the way in); a second tray for the same store ends at once and
//! quietly; a wrong argument is a usage error. (Its menu, through a real tray host, is the
//! window's end-to-end tray.test.mjs.)

use std::fs::File;
use std::process::{Command, Output};

fn tray(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_patchbay-tray"))
        .args(args)
        .env("PATCHBAY_DATA_DIR", data)
        .env_remove("PATCHBAY_MASTER_KEY")
        .output()
        .unwrap()
}

#[test]
fn without_a_tray_host_the_tray_says_so_and_ends() {
    // The test session's D-Bus has no StatusNotifierWatcher (and outside it there is no bus).
    let data = tempfile::tempdir().unwrap();
    let o = tray(data.path(), &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.starts_with("patchbay-tray: no tray host on this desktop ("),
        "{stderr}"
    );
    assert!(
        stderr.trim_end().ends_with(
            "the window is the way in (patchbay-desktop). A tray needs a StatusNotifierItem host: KDE, Xfce, Cinnamon, MATE or Budgie panels, or GNOME with the AppIndicator extension"
        ),
        "{stderr}"
    );
}

#[test]
fn a_second_tray_for_the_same_store_ends_at_once_and_quietly() {
    let data = tempfile::tempdir().unwrap();
    // The first one's hold on the store's tray lock, taken here as the running tray takes it.
    let first = tray(data.path(), &["--wait-for-host", "0"]);
    assert_eq!(first.status.code(), Some(3));
    let lock = File::options()
        .write(true)
        .open(data.path().join("tray.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let second = tray(data.path(), &[]);
    assert_eq!(
        (
            second.status.code(),
            String::from_utf8_lossy(&second.stderr).as_ref()
        ),
        (Some(0), "")
    );
}

#[test]
fn a_wrong_argument_is_a_usage_error() {
    let data = tempfile::tempdir().unwrap();
    let o = tray(data.path(), &["--wait-for-host", "soon"]);
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stderr).as_ref()),
        (
            Some(2),
            "patchbay-tray: --wait-for-host takes a number of seconds, not \"soon\"\nusage: patchbay-tray [--wait-for-host SECONDS]\n"
        )
    );
    assert!(!data.path().join("tray.lock").exists(), "nothing was done");
}
