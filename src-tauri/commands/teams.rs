//! The Teams dialog's IPC commands: join a team's engine (the secret crosses into the core
//! once; the token it gives stays in the keychain), log in again, list a team's connections
//! (without secrets), check one, share a saved connection with a team.

use patchbay_core::catalog::teams::TeamRow;
use patchbay_core::check::Verdict;
use patchbay_core::desk::TeamList;
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

/// Checks a team connection (read from the engine for this check).
#[tauri::command]
pub async fn test_team(desk: State<'_, Desk>, team: String, name: String) -> Result<Verdict> {
    desk.team_test(&team, &name).await
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
