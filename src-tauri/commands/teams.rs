//! The Teams dialog's IPC commands: join a team's engine (the secret crosses into the core
//! once; the token it gives stays in the keychain), log in again, list a team's connections
//! (without secrets), check one, share a saved connection with a team; and a team connection
//! used from the one list: opened in the form, saved over its version, copied, opened in a
//! terminal.

use patchbay_core::catalog::teams::TeamRow;
use patchbay_core::check::Verdict;
use patchbay_core::desk::{Copied, Opened, TeamConnection, TeamList};
use patchbay_core::model::ConnectionDraft;
use patchbay_core::team::Team;
use patchbay_core::{Desk, Result, SecretString};
use tauri::State;

/// The teams this store belongs to (no token: it is in the keychain).
#[tauri::command(async)]
pub fn list_teams(desk: State<'_, Desk>) -> Result<Vec<Team>> {
    desk.teams()
}

/// Joins a team with the token, password, secret id or JWT typed in the dialog.
#[tauri::command]
pub async fn join_team(desk: State<'_, Desk>, draft: Team, secret: String) -> Result<Team> {
    desk.team_add(draft, SecretString::new(secret)).await
}

/// Logs in to a team again with its saved settings.
#[tauri::command]
pub async fn team_login(desk: State<'_, Desk>, name: String, secret: String) -> Result<Team> {
    desk.team_login(&name, SecretString::new(secret)).await
}

/// A team's connections (the kept list, marked stale, when its engine cannot be reached).
#[tauri::command]
pub async fn team_connections(desk: State<'_, Desk>, team: String) -> Result<TeamList> {
    desk.team_list(&team).await
}

/// Checks a team connection (read from the engine for this check); `ticket` cancels it.
#[tauri::command]
pub async fn test_team(
    desk: State<'_, Desk>,
    team: String,
    name: String,
    ticket: Option<u64>,
) -> Result<Verdict> {
    desk.cancellable(ticket, desk.team_test(&team, &name)).await
}

/// Shares a saved connection with a team; its row as the team lists it now.
#[tauri::command]
pub async fn share_with_team(
    desk: State<'_, Desk>,
    name: String,
    team: String,
) -> Result<Vec<TeamRow>> {
    desk.share(&name, &team, false).await?;
    Ok(desk.team_list(&team).await?.rows)
}

/// A team connection for the form: its fields (no secret), the version read, whether it may be
/// changed.
#[tauri::command]
pub async fn team_connection(
    desk: State<'_, Desk>,
    team: String,
    name: String,
) -> Result<TeamConnection> {
    desk.team_connection(&team, &name).await
}

/// Saves the form over the version it was read at (a teammate's change since: a conflict).
#[tauri::command]
pub async fn save_team_connection(
    desk: State<'_, Desk>,
    team: String,
    name: String,
    version: u64,
    draft: ConnectionDraft,
) -> Result<u64> {
    desk.team_save_form(&team, draft, &name, version).await
}

/// Checks the form of a team connection (its kept secrets those of the version read).
#[tauri::command]
pub async fn test_team_draft(
    desk: State<'_, Desk>,
    team: String,
    name: String,
    version: u64,
    draft: ConnectionDraft,
    ticket: Option<u64>,
) -> Result<Verdict> {
    let check = desk.team_test_draft(&team, draft, &name, version);
    desk.cancellable(ticket, check).await
}

/// Copies a team connection's URL, environment or snippet (put on the clipboard by Rust).
#[tauri::command]
pub async fn copy_team_connection(
    app: tauri::AppHandle,
    desk: State<'_, Desk>,
    team: String,
    name: String,
    what: String,
) -> Result<Copied> {
    crate::clipboard::put(&app, desk.team_copy_text(&team, &name, &what).await?)
}

/// Opens the user's terminal running a team connection's client.
#[tauri::command]
pub async fn open_team_in_terminal(
    desk: State<'_, Desk>,
    team: String,
    name: String,
) -> Result<Opened> {
    desk.team_open_in_terminal(&team, &name).await
}

/// A team connection's code snippets (they run it through `patchbay exec --team`).
#[tauri::command]
pub async fn team_snippets(
    desk: State<'_, Desk>,
    team: String,
    name: String,
) -> Result<Vec<patchbay_core::snippets::Snippet>> {
    desk.team_snippets(&team, &name).await
}
