//! `patchbay-desktop --autostart on|off`: the XDG autostart entry the desktops read at login is
//! written (starting Patchbay's tray, the program installed beside the window's) and removed, never anything else; a wrong value is a
//! usage error that writes nothing.

use std::process::Command;

fn desktop(config: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_patchbay-desktop"))
        .args(args)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap()
}

#[test]
fn autostart_on_writes_the_login_entry_that_starts_the_tray_program_and_off_removes_it() {
    let config = tempfile::tempdir().unwrap();
    let entry = config.path().join("autostart/patchbay.desktop");
    let o = desktop(config.path(), &["--autostart", "on"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!(
            "Patchbay starts in the tray at login ({})\n",
            entry.display()
        )
    );
    let text = std::fs::read_to_string(&entry).unwrap();
    // The tray beside the window's program (cargo builds both into one folder, as the .deb
    // installs them), given a minute for the desktop's panel to appear at login.
    let tray = std::path::Path::new(env!("CARGO_BIN_EXE_patchbay-desktop"))
        .with_file_name("patchbay-tray");
    assert!(
        tray.is_file(),
        "build patchbay-tray first (cargo build): {}",
        tray.display()
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "[Desktop Entry]");
    assert!(
        lines.contains(&format!("Exec=\"{}\" --wait-for-host 60", tray.display()).as_str()),
        "{text}"
    );
    assert!(lines.contains(&"Type=Application"), "{text}");

    let o = desktop(config.path(), &["--autostart", "off"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!entry.exists());
    // Off again, with nothing there, is fine; a wrong value writes nothing.
    assert_eq!(
        desktop(config.path(), &["--autostart", "off"])
            .status
            .code(),
        Some(0)
    );
    let o = desktop(config.path(), &["--autostart", "yes"]);
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stderr).trim()),
        (Some(2), "patchbay-desktop: --autostart takes on or off")
    );
    assert!(!entry.exists());
}
