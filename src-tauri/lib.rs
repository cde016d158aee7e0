//! The Patchbay desktop app: the Connections window, a thin Tauri shell over `patchbay-core`. It
//! opens the user's catalog, serves the window's commands and follows changes made elsewhere (the
//! CLI, the tray). The tray is a program of its own (`patchbay-tray`, no web engine) that this
//! one starts beside it (`companion.rs`); closing the window ends this process, web view and all.
//! `--open kind/name` opens one connection; a second start hands its arguments to the first.

pub mod autostart;
pub mod clipboard;
pub mod commands;
pub mod companion;
pub mod confirm;
pub mod window;

use std::time::Duration;

use tauri::Manager;

/// Polls the store's data version and refreshes the window when another process wrote.
fn follow_external_changes(app: tauri::AppHandle) {
    std::thread::spawn(move || {
        let mut seen = app.state::<patchbay_core::Desk>().data_version();
        loop {
            std::thread::sleep(Duration::from_secs(2));
            let now = app.state::<patchbay_core::Desk>().data_version();
            if now != seen {
                seen = now;
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
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            window::show_main(app, window::open_arg(&args))
        }))
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
            let args: Vec<String> = std::env::args().collect();
            window::show_main(app.handle(), window::open_arg(&args));
            follow_external_changes(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Tauri app could not be built");
    // The window closed: the app ends (the tray, if any, is its own process).
    app.run(|_, _| {});
}
