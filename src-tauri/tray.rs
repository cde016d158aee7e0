//! The system tray: renders the core's tray model (favourites and recent connections first, then
//! a submenu per kind; each connection with open in terminal / test / copy URL / copy environment
//! / open, and a database's SSH tunnel; the tunnels held open on top, each with its URL and
//! Close) and carries out its actions. A missing tray host or
//! a missing appindicator library leaves the app running without a tray instead of crashing.

use std::panic::AssertUnwindSafe;

use patchbay_core::tray::teams::TeamVerb;
use patchbay_core::tray::{TrayAction, TrayEntry, TrayGroup, TrayMenu};
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_notification::NotificationExt as _;

use crate::window;
use patchbay_core::Desk;

pub const TRAY_ID: &str = "patchbay";

/// Installs the tray; returns whether there is one.
pub fn install(app: &AppHandle) -> bool {
    // libappindicator is loaded at run time and its absence panics inside tauri: contain it.
    match std::panic::catch_unwind(AssertUnwindSafe(|| build(app))) {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            eprintln!("patchbay: no system tray ({e}); the window stays the way in");
            false
        }
        Err(_) => {
            eprintln!("patchbay: no system tray (is libayatana-appindicator3 installed?); the window stays the way in");
            false
        }
    }
}

fn build(app: &AppHandle) -> tauri::Result<()> {
    let menu = render(app)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(Image::from_bytes(include_bytes!("../icons/tray.png"))?)
        .tooltip("Patchbay")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| handle(app, event.id().as_ref()))
        .build(app)?;
    Ok(())
}

/// Rebuilds the menu after the catalog changed.
pub fn refresh(app: &AppHandle) {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        match render(app) {
            Ok(menu) => {
                let _ = tray.set_menu(Some(menu));
            }
            Err(e) => eprintln!("patchbay: could not rebuild the tray menu: {e}"),
        }
    }
}

fn render(app: &AppHandle) -> tauri::Result<Menu<Wry>> {
    let model: TrayMenu = app.state::<Desk>().tray_menu().unwrap_or_else(|_| {
        patchbay_core::tray::menu(&[], &Default::default(), &Default::default())
    });
    let menu = Menu::new(app)?;
    let heading = |id: &str, title: &str| MenuItem::with_id(app, id, title, false, None::<&str>);
    if model.is_empty() {
        menu.append(&heading("empty", "No saved connections yet")?)?;
    }
    for (title, entries) in [
        ("Open SSH tunnels", &model.tunnels),
        ("Favourites", &model.favourites),
        ("Recent", &model.recent),
    ] {
        if entries.is_empty() {
            continue;
        }
        menu.append(&heading(&format!("section:{title}"), title)?)?;
        for entry in entries {
            menu.append(&entry_menu(app, entry)?)?;
        }
        menu.append(&PredefinedMenuItem::separator(app)?)?;
    }
    // One submenu per kind, then one per team: the menu stays short whatever the number of
    // connections.
    for group in model.groups.iter().chain(&model.teams) {
        menu.append(&group_menu(app, group)?)?;
    }
    if !model.is_empty() {
        menu.append(&PredefinedMenuItem::separator(app)?)?;
    }
    for (label, action) in &model.footer {
        menu.append(&MenuItem::with_id(
            app,
            action.id(),
            label,
            true,
            None::<&str>,
        )?)?;
    }
    Ok(menu)
}

/// A kind's or a team's submenu: its connections, and how many more the window has.
fn group_menu(app: &AppHandle, group: &TrayGroup) -> tauri::Result<Submenu<Wry>> {
    let mut items: Vec<Box<dyn IsMenuItem<Wry>>> = Vec::new();
    for entry in &group.entries {
        items.push(Box::new(entry_menu(app, entry)?));
    }
    if group.more > 0 {
        items.push(Box::new(PredefinedMenuItem::separator(app)?));
        items.push(Box::new(MenuItem::with_id(
            app,
            format!("{}#more-{}", TrayAction::OpenApp.id(), group.title),
            format!("…and {} more (open Patchbay)", group.more),
            true,
            None::<&str>,
        )?));
    }
    let refs: Vec<&dyn IsMenuItem<Wry>> = items.iter().map(|b| b.as_ref()).collect();
    let count = group.entries.len() + group.more;
    Submenu::with_items(app, format!("{} ({count})", group.title), true, &refs)
}

/// A connection's submenu: its status (when checked or expiring), then its actions.
fn entry_menu(app: &AppHandle, entry: &TrayEntry) -> tauri::Result<Submenu<Wry>> {
    let mut items: Vec<Box<dyn IsMenuItem<Wry>>> = Vec::new();
    if let Some(status) = &entry.status {
        items.push(Box::new(MenuItem::with_id(
            app,
            format!("status:{}", entry.label),
            status,
            false,
            None::<&str>,
        )?));
        items.push(Box::new(PredefinedMenuItem::separator(app)?));
    }
    for (label, action) in &entry.actions {
        items.push(Box::new(MenuItem::with_id(
            app,
            action.id(),
            label,
            true,
            None::<&str>,
        )?));
    }
    let refs: Vec<&dyn IsMenuItem<Wry>> = items.iter().map(|b| b.as_ref()).collect();
    Submenu::with_items(app, &entry.label, true, &refs)
}

/// A tray action used a connection: its place in "Recent" (menu and window) moved.
fn used(app: &AppHandle) {
    refresh(app);
    window::emit_changed(app);
}

fn notify(app: &AppHandle, title: &str, body: &str) {
    if let Err(e) = app.notification().builder().title(title).body(body).show() {
        eprintln!("patchbay: {title}: {body} (no notification service: {e})");
    }
}

fn handle(app: &AppHandle, id: &str) {
    let Some(action) = TrayAction::parse(id) else {
        return;
    };
    match action {
        TrayAction::Test { kind, name } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let desk = app.state::<Desk>();
                match desk.test_saved(kind, &name).await {
                    Ok(v) => {
                        let (title, body) = verdict_words(&name, &v);
                        notify(&app, &title, &body)
                    }
                    Err(e) => notify(&app, &format!("{name}: cannot be checked"), &e.to_string()),
                }
                refresh(&app);
                window::emit_changed(&app);
            });
        }
        TrayAction::CopyUrl { kind, name } | TrayAction::CopyEnv { kind, name } => {
            let what = if id.starts_with("copy-url") {
                "url"
            } else {
                "env"
            };
            match app.state::<Desk>().copy_text(kind, &name, what) {
                Ok((text, copied)) => {
                    let board = app.state::<crate::clipboard::Clipboard>();
                    if let Err(e) = board.write(text, copied.includes_secrets) {
                        notify(app, "Copy failed", &e.to_string());
                    } else {
                        notify(app, &format!("Copied {name}"), &copied.what);
                    }
                }
                Err(e) => notify(app, "Copy failed", &e.to_string()),
            }
            used(app);
        }
        TrayAction::Terminal { kind, name } => {
            match app.state::<Desk>().open_in_terminal(kind, &name) {
                Ok(o) => {
                    if let Some(note) = o.note {
                        notify(app, &format!("{name}: {}", o.terminal), &note);
                    }
                }
                Err(e) => notify(app, &format!("{name}: no terminal opened"), &e.to_string()),
            }
            used(app);
        }
        TrayAction::OpenTunnel { name } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                match app.state::<Desk>().hold_tunnel(&name).await {
                    Ok(local) => notify(&app, &format!("{name}: tunnel open"), &format!("The database is at {local} until you close the tunnel (tray → Open SSH tunnels)")),
                    Err(e) => notify(&app, &format!("{name}: no tunnel"), &e.to_string()),
                }
                refresh(&app);
            });
        }
        TrayAction::CloseTunnel { name } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                app.state::<Desk>().close_tunnel(&name).await;
                refresh(&app);
            });
        }
        TrayAction::CopyTunnelUrl { name } => match app.state::<Desk>().tunnel_url(&name) {
            Ok(url) => {
                let board = app.state::<crate::clipboard::Clipboard>();
                match board.write(url, false) {
                    Ok(_) => notify(
                        app,
                        &format!("Copied {name}"),
                        "the URL through its SSH tunnel",
                    ),
                    Err(e) => notify(app, "Copy failed", &e.to_string()),
                }
            }
            Err(e) => notify(app, "Copy failed", &e.to_string()),
        },
        TrayAction::Team { team, name, verb } => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move { team_action(&app, &team, &name, verb).await });
        }
        TrayAction::Open { kind, name } => window::show_main(app, Some(format!("{kind}/{name}"))),
        TrayAction::OpenApp => window::show_main(app, None),
        TrayAction::Quit => app.exit(0),
    }
}

/// A team connection's tray action: the connection is read from the team's engine for it.
async fn team_action(app: &AppHandle, team: &str, name: &str, verb: TeamVerb) {
    let desk = app.state::<Desk>();
    let said = match verb {
        TeamVerb::Test => desk
            .team_test(team, name)
            .await
            .map(|v| Some(verdict_words(name, &v))),
        TeamVerb::Terminal => desk
            .team_open_in_terminal(team, name)
            .await
            .map(|o| o.note.map(|n| (format!("{name}: {}", o.terminal), n))),
        TeamVerb::CopyUrl | TeamVerb::CopyEnv => {
            let what = if verb == TeamVerb::CopyUrl {
                "url"
            } else {
                "env"
            };
            match desk.team_copy_text(team, name, what).await {
                Ok((text, copied)) => app
                    .state::<crate::clipboard::Clipboard>()
                    .write(text, copied.includes_secrets)
                    .map(|_| Some((format!("Copied {name} (team {team})"), copied.what))),
                Err(e) => Err(e),
            }
        }
    };
    match said {
        Ok(Some((title, body))) => notify(app, &title, &body),
        Ok(None) => {}
        Err(e) => notify(app, &format!("{name} (team {team})"), &e.to_string()),
    }
}

/// A verdict as a notification's title and body.
fn verdict_words(name: &str, v: &patchbay_core::check::Verdict) -> (String, String) {
    match v.ok {
        true => (format!("{name}: ok"), v.message.clone()),
        false => (
            format!(
                "{name}: failed at {}",
                v.failed_step.map(|s| s.as_str()).unwrap_or("?")
            ),
            format!(
                "{}{}",
                v.message,
                v.hint
                    .as_ref()
                    .map(|h| format!("\n{h}"))
                    .unwrap_or_default()
            ),
        ),
    }
}
