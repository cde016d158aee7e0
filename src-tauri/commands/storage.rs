//! The object stores' IPC commands: browsing a store (names and sizes, no secret), copying a
//! place's URI, saving the bucket a connection starts in, minting the AWS session a role with an
//! MFA device asks a code for, and an IAM Identity Center sign-in (the person approves it in
//! their browser, which is opened on its page).

use patchbay_core::desk::{Copied, Minted};
use patchbay_core::kinds::s3::sso::SsoPrompt;
use patchbay_core::listing::{Page, Place};
use patchbay_core::model::*;
use patchbay_core::{Desk, Result};
use tauri::State;

/// A page of what an object store holds (names and sizes: no secret is in it).
#[tauri::command]
pub async fn browse(
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    place: Place,
    after: Option<String>,
) -> Result<Page> {
    desk.browse(Some(kind), &name, place, after, None).await
}

/// Copies the `index`th URI of a place (no secret in it) to the clipboard.
#[tauri::command]
pub fn copy_uri(
    app: tauri::AppHandle,
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    place: Place,
    index: usize,
) -> Result<Copied> {
    crate::clipboard::put(&app, desk.place_uri(kind, &name, &place, index)?)
}

/// Makes `bucket` the bucket (container) the connection is saved with.
#[tauri::command(async)]
pub fn use_bucket(
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    bucket: String,
) -> Result<Connection> {
    desk.use_bucket(kind, &name, &bucket)
}

/// Mints the session of an S3 connection whose role asks for an MFA code, with the code typed
/// in the window's dialog, and keeps it until it expires (the code is used once, never kept).
#[tauri::command]
pub async fn mint_session(desk: State<'_, Desk>, name: String, mfa_code: String) -> Result<Minted> {
    desk.mint_session(&name, &mfa_code).await
}

/// Starts the IAM Identity Center sign-in of an S3 connection by an SSO profile and opens its
/// page in the browser; the answer is what the window shows (the page and the code it shows).
#[tauri::command]
pub async fn sso_login(desk: State<'_, Desk>, name: String) -> Result<SsoPrompt> {
    let prompt = desk.login(&name).await?;
    // Best effort: the window shows the address too.
    let _ = std::process::Command::new("xdg-open")
        .arg(&prompt.url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    Ok(prompt)
}

/// Waits for the sign-in `sso_login` started to be approved; when it expires.
#[tauri::command]
pub async fn sso_login_wait(desk: State<'_, Desk>, name: String) -> Result<String> {
    desk.login_wait(&name).await
}

/// Copies the snippet `id` (Polars, DuckDB) that reads the object `place` names (no secret in
/// it: it runs under `patchbay exec`).
#[tauri::command]
pub fn copy_object_snippet(
    app: tauri::AppHandle,
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    place: Place,
    id: String,
) -> Result<Copied> {
    let s = desk.object_snippet(kind, &name, &place, &id)?;
    let what = format!(
        "{} snippet (it reads its credentials from patchbay exec)",
        s.label
    );
    let copied = Copied {
        what,
        includes_secrets: false,
        clears_in_seconds: None,
    };
    crate::clipboard::put(&app, (s.code, copied))
}
