//! Starting with the desktop session, opt-in and never on by default: `patchbay-desktop
//! --autostart on` writes the XDG autostart entry (`$XDG_CONFIG_HOME/autostart/patchbay.desktop`,
//! which GNOME, KDE, Xfce and the other desktops read at login) that starts Patchbay's tray
//! (`patchbay-tray`, giving the desktop's panel a minute to appear); `--autostart off` removes it.
//! Nothing else is touched.

use std::path::PathBuf;

/// Where the desktops look for the entry.
pub fn entry() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("autostart").join("patchbay.desktop"))
}

/// Whether Patchbay starts with the session.
pub fn is_on() -> bool {
    entry().is_some_and(|p| p.is_file())
}

/// Writes (or removes) the entry; where it is.
pub fn set(on: bool) -> Result<PathBuf, String> {
    let path = entry().ok_or("neither XDG_CONFIG_HOME nor HOME is set")?;
    if !on {
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(format!("could not remove {}: {e}", path.display()))
            }
            _ => return Ok(path),
        }
    }
    let exe = crate::companion::tray_program();
    // The Desktop Entry specification's quoting: the path in double quotes, with \ " ` $ escaped.
    let quoted: String = exe
        .display()
        .to_string()
        .chars()
        .flat_map(|c| match c {
            '"' | '`' | '$' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let text = format!(
        "[Desktop Entry]\nType=Application\nName=Patchbay\nComment=Saved connections, in the tray\nExec=\"{quoted}\" --wait-for-host 60\nIcon=patchbay\nTerminal=false\nX-GNOME-Autostart-enabled=true\n"
    );
    let dir = path.parent().expect("a file in a folder");
    std::fs::create_dir_all(dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
    std::fs::write(&path, text).map_err(|e| format!("could not write {}: {e}", path.display()))?;
    Ok(path)
}

/// `--autostart on|off` on the command line: done and said, with the exit status to end with;
/// None when it was not given.
pub fn from_args(args: &[String]) -> Option<i32> {
    let at = args.iter().position(|a| a == "--autostart")?;
    let on = match args.get(at + 1).map(String::as_str) {
        Some("on") => true,
        Some("off") => false,
        _ => {
            eprintln!("patchbay-desktop: --autostart takes on or off");
            return Some(2);
        }
    };
    match set(on) {
        Ok(p) if on => println!("Patchbay starts in the tray at login ({})", p.display()),
        Ok(_) => println!("Patchbay no longer starts at login"),
        Err(e) => {
            eprintln!("patchbay-desktop: {e}");
            return Some(1);
        }
    }
    Some(0)
}
