//! The Patchbay desktop app: a thin Tauri shell over `patchbay-core`. It opens the user's
//! catalog, serves the Connections window's commands, keeps a tray menu of every saved
//! connection, and follows changes made from the CLI. `patchbay-desktop --tray` starts in the
//! tray without opening the window.

pub mod autostart;
pub mod clipboard;
pub mod commands;
pub mod confirm;
pub mod tray;
pub mod window;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{Manager, RunEvent};

/// Whether closing the window leaves the app running in the tray.
struct KeepInTray(AtomicBool);

/// Polls the store's data version and refreshes the tray and window when another process wrote.
fn follow_external_changes(app: tauri::AppHandle) {
    std::thread::spawn(move || {
        let mut seen = app.state::<patchbay_core::Desk>().data_version();
        loop {
            std::thread::sleep(Duration::from_secs(2));
            let now = app.state::<patchbay_core::Desk>().data_version();
            if now != seen {
                seen = now;
                tray::refresh(&app);
                window::emit_changed(&app);
            }
        }
    });
}

pub fn run() {
    let desk = match patchbay_core::Desk::open_default() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("patchbay: {e}");
            std::process::exit(1);
        }
    };
    let close_quits = std::env::var_os("PATCHBAY_CLOSE_QUITS").is_some_and(|v| v == "1");
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::show_main(app, None)
        }))
        .plugin(tauri_plugin_notification::init())
        .manage(desk)
        .manage(clipboard::Clipboard::default())
        .invoke_handler(tauri::generate_handler![
            commands::list_connections,
            commands::get_connection,
            commands::save_connection,
            commands::undo_delete,
            commands::set_favourite,
            commands::cancel_check,
            commands::accept_host_key,
            commands::snippets,
            commands::storage::browse,
            commands::storage::copy_uri,
            commands::storage::copy_object_snippet,
            commands::storage::use_bucket,
            commands::storage::mint_session,
            commands::storage::sso_login,
            commands::storage::sso_login_wait,
            commands::teams::list_teams,
            commands::teams::join_team,
            commands::teams::team_login,
            commands::teams::team_connections,
            commands::teams::test_team,
            commands::teams::share_with_team,
            commands::teams::team_connection,
            commands::teams::save_team_connection,
            commands::teams::test_team_draft,
            commands::teams::copy_team_connection,
            commands::teams::open_team_in_terminal,
            commands::teams::team_snippets,
            commands::settings::autostart,
            commands::settings::set_autostart,
            commands::unlock_keychain,
            commands::use_key_file,
            commands::backup_key,
            commands::delete_connection,
            commands::test_saved,
            commands::last_verdict,
            commands::test_draft,
            commands::test_all,
            commands::reveal_field,
            commands::list_secrets,
            commands::save_secret,
            commands::delete_secret,
            commands::reveal_secret,
            commands::copy_connection,
            commands::open_in_terminal,
            commands::copy_secret,
            commands::key_status,
            commands::parse_url,
            commands::import_sources,
            commands::import_preview,
            commands::import_restage,
            commands::import_commit,
        ])
        .setup(move |app| {
            let has_tray = tray::install(app.handle());
            // `--tray` (e.g. when started at login) starts without the window, if there is a tray.
            let tray_only = std::env::args().any(|a| a == "--tray");
            if !(tray_only && has_tray) {
                window::show_main(app.handle(), None);
            }
            app.manage(KeepInTray(AtomicBool::new(has_tray && !close_quits)));
            follow_external_changes(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Tauri app could not be built");
    app.run(|app, event| {
        if let RunEvent::ExitRequested {
            code: None, api, ..
        } = event
        {
            // The last window closed: stay in the tray (unless there is none, or the user chose
            // PATCHBAY_CLOSE_QUITS=1). An explicit Quit passes a code and is not stopped.
            if app.state::<KeepInTray>().0.load(Ordering::Relaxed) {
                api.prevent_exit();
            }
        }
    });
}
