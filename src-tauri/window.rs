//! The Connections window: shown, focused or created on demand, on one connection when asked
//! (`--open kind/name`, from the tray or a second start).

use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

pub const MAIN: &str = "main";

/// Shows the window (creating it if it was closed), optionally opening one connection.
pub fn show_main(app: &AppHandle, open: Option<String>) {
    if let Some(w) = app.get_webview_window(MAIN) {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
        if let Some(target) = open {
            let _ = w.emit("open-connection", target);
        }
        return;
    }
    let Some(mut config) = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
    else {
        return;
    };
    let url = match &open {
        Some(target) => format!("index.html#open={target}"),
        None => "index.html".to_string(),
    };
    config.url = WebviewUrl::App(url.into());
    let built = WebviewWindowBuilder::from_config(app, &config).and_then(|b| b.build());
    if let Err(e) = built {
        eprintln!("patchbay: could not open the window: {e}");
    }
}

/// The connection `--open kind/name` asks for, if any.
pub fn open_arg(args: &[String]) -> Option<String> {
    let at = args.iter().position(|a| a == "--open")?;
    args.get(at + 1).cloned()
}

/// Tells the window the catalog changed (edits from the tray or the CLI, checks and uses recorded there).
pub fn emit_changed(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(MAIN) {
        let _ = w.emit("catalog-changed", ());
    }
}
