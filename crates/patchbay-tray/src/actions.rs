//! What the tray's items do: each one uses the store through the Desk (as the window and the CLI
//! do) and says what happened in a desktop notification: a check's verdict, a copy (a secret is
//! marked and cleared like the window's), a terminal opened, a tunnel held or closed, the window
//! opened. A team connection is read from its team's engine for the action.

use std::sync::Arc;

use patchbay_clipboard::Clipboard;
use patchbay_core::check::Verdict;
use patchbay_core::tray::teams::TeamVerb;
use patchbay_core::tray::TrayAction;
use patchbay_core::{Desk, Result};

use crate::menu::{self, Resident};
use crate::window;

/// The clipboard this process owns for as long as it runs (on X11 the owner serves the copy).
fn clipboard() -> &'static Clipboard {
    static BOARD: std::sync::OnceLock<Clipboard> = std::sync::OnceLock::new();
    BOARD.get_or_init(Clipboard::default)
}

/// A desktop notification; where there is no notification service, the words go to stderr.
fn notify(title: String, body: String) {
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("Patchbay")
            .summary(&title)
            .body(&body)
            .show();
        if let Err(e) = shown {
            eprintln!("patchbay-tray: {title}: {body} (no notification service: {e})");
        }
    });
}

/// A copy and what it said, as a notification.
fn copied(title: String, put: Result<(String, patchbay_core::desk::Copied)>) {
    match put.and_then(|(text, c)| clipboard().write(text, c.includes_secrets).map(|_| c)) {
        Ok(c) => notify(title, c.what),
        Err(e) => notify("Copy failed".into(), e.to_string()),
    }
}

/// Carries out one action (Quit is the caller's).
pub async fn carry_out(desk: Arc<Desk>, tray: ksni::Handle<Resident>, action: TrayAction) {
    let desk = desk.as_ref();
    match action {
        TrayAction::Test { kind, name } => match desk.test_saved(kind, &name).await {
            Ok(v) => said(verdict_words(&name, &v)),
            Err(e) => notify(format!("{name}: cannot be checked"), e.to_string()),
        },
        TrayAction::CopyUrl { kind, name } => {
            copied(format!("Copied {name}"), desk.copy_text(kind, &name, "url"))
        }
        TrayAction::CopyEnv { kind, name } => {
            copied(format!("Copied {name}"), desk.copy_text(kind, &name, "env"))
        }
        TrayAction::Terminal { kind, name } => match desk.open_in_terminal(kind, &name) {
            Ok(o) => {
                if let Some(note) = o.note {
                    notify(format!("{name}: {}", o.terminal), note);
                }
            }
            Err(e) => notify(format!("{name}: no terminal opened"), e.to_string()),
        },
        TrayAction::OpenTunnel { name } => match desk.hold_tunnel(&name).await {
            Ok(local) => notify(
                format!("{name}: tunnel open"),
                format!("The database is at {local} until you close the tunnel (tray → Open SSH tunnels)"),
            ),
            Err(e) => notify(format!("{name}: no tunnel"), e.to_string()),
        },
        TrayAction::CloseTunnel { name } => {
            desk.close_tunnel(&name).await;
        }
        TrayAction::CopyTunnelUrl { name } => {
            let put = desk.tunnel_url(&name).map(|url| {
                let what = "the URL through its SSH tunnel".to_string();
                (url, patchbay_core::desk::Copied { what, includes_secrets: false, clears_in_seconds: None })
            });
            copied(format!("Copied {name}"), put);
        }
        TrayAction::Team { team, name, verb } => team_action(desk, &team, &name, verb).await,
        TrayAction::Quit => return,
        TrayAction::Open { kind, name } => opened(window::open(Some(format!("{kind}/{name}")))),
        TrayAction::OpenApp => opened(window::open(None)),
    }
    // Checks, copies and tunnels move "Recent" and the tunnels on top: the menu follows at once.
    menu::refresh(&tray, desk).await;
}

fn said((title, body): (String, String)) {
    notify(title, body)
}

fn opened(r: std::result::Result<(), String>) {
    if let Err(e) = r {
        notify("Patchbay".into(), e);
    }
}

/// A team connection's action: the connection is read from the team's engine for it.
async fn team_action(desk: &Desk, team: &str, name: &str, verb: TeamVerb) {
    let failed = |e: patchbay_core::Error| notify(format!("{name} (team {team})"), e.to_string());
    match verb {
        TeamVerb::Test => match desk.team_test(team, name).await {
            Ok(v) => said(verdict_words(name, &v)),
            Err(e) => failed(e),
        },
        TeamVerb::Terminal => match desk.team_open_in_terminal(team, name).await {
            Ok(o) => {
                if let Some(note) = o.note {
                    notify(format!("{name}: {}", o.terminal), note);
                }
            }
            Err(e) => failed(e),
        },
        TeamVerb::CopyUrl | TeamVerb::CopyEnv => {
            let what = if verb == TeamVerb::CopyUrl {
                "url"
            } else {
                "env"
            };
            let put = desk.team_copy_text(team, name, what).await;
            copied(format!("Copied {name} (team {team})"), put);
        }
    }
}

/// A verdict as a notification's title and body.
fn verdict_words(name: &str, v: &Verdict) -> (String, String) {
    if v.ok {
        return (format!("{name}: ok"), v.message.clone());
    }
    let step = v.failed_step.map(|s| s.as_str()).unwrap_or("?");
    let hint = v
        .hint
        .as_ref()
        .map(|h| format!("\n{h}"))
        .unwrap_or_default();
    (
        format!("{name}: failed at {step}"),
        format!("{}{hint}", v.message),
    )
}
