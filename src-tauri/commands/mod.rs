//! The IPC commands of the Connections window: one line each over `Desk`. Errors cross as
//! `{code, message, field?}`. The object stores' own (browsing, AWS sessions) are in `storage.rs`. A command that may wait on the keychain (or the network) runs off
//! the main thread (`async`), so the window keeps drawing and the lists answer meanwhile.

use patchbay_core::check::Verdict;
use patchbay_core::model::*;
use patchbay_core::paste::Pasted;
use patchbay_core::Result;
use tauri::{Manager as _, State};

pub mod settings;
pub mod storage;
pub mod teams;
use patchbay_core::desk::{
    Copied, Deleted, Editing, ImportPreview, Imported, KeyStatus, OnConflict, Opened, RevealTarget,
    Row, SourceFound,
};
use patchbay_core::import::Source;
use patchbay_core::Desk;

#[tauri::command]
pub fn list_connections(desk: State<'_, Desk>) -> Result<Vec<Row>> {
    desk.list_everywhere()
}

#[tauri::command(async)]
pub fn get_connection(desk: State<'_, Desk>, kind: Kind, name: String) -> Result<Connection> {
    desk.get(kind, &name)
}

#[tauri::command(async)]
pub fn save_connection(
    desk: State<'_, Desk>,
    draft: ConnectionDraft,
    editing: Option<Editing>,
) -> Result<Connection> {
    let saved = desk.save(draft, editing)?;
    Ok(saved)
}

#[tauri::command(async)]
pub fn set_favourite(
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    favourite: bool,
) -> Result<()> {
    desk.set_favourite(kind, &name, favourite)?;
    Ok(())
}

#[tauri::command(async)]
pub fn undo_delete(desk: State<'_, Desk>, undo: u64) -> Result<Connection> {
    let back = desk.undo_delete(undo)?;
    Ok(back)
}

#[tauri::command(async)]
pub fn delete_connection(desk: State<'_, Desk>, kind: Kind, name: String) -> Result<Deleted> {
    let gone = desk.delete_undoable(kind, &name)?;
    Ok(gone)
}

#[tauri::command]
pub async fn test_saved(
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    ticket: Option<u64>,
    mfa_code: Option<String>,
) -> Result<Verdict> {
    let code = mfa_code.as_deref();
    let v = desk
        .cancellable(ticket, desk.test_with_code(kind, &name, code))
        .await?;
    Ok(v)
}

#[tauri::command]
pub async fn test_draft(
    desk: State<'_, Desk>,
    draft: ConnectionDraft,
    editing: Option<Editing>,
    ticket: Option<u64>,
) -> Result<Verdict> {
    desk.cancellable(ticket, desk.test_draft(draft, editing))
        .await
}

/// Trusts an SSH bastion's host key by the fingerprint a check named (remembered when the
/// next check or tunnel meets it).
#[tauri::command]
pub fn accept_host_key(desk: State<'_, Desk>, fingerprint: String) -> Result<()> {
    desk.accept_host_key(&fingerprint)
}

/// Stops the check started with `ticket` (it answers "cancelled" and records nothing).
#[tauri::command]
pub fn cancel_check(desk: State<'_, Desk>, ticket: u64) -> bool {
    desk.cancel_check(ticket)
}

#[tauri::command]
pub async fn test_all(
    desk: State<'_, Desk>,
    kind: Option<Kind>,
    names: Option<Vec<String>>,
    ticket: Option<u64>,
) -> Result<Vec<Verdict>> {
    // The window passes the rows it shows; without names (and a kind) every connection is checked.
    let v = desk
        .cancellable(ticket, async {
            match (kind, names) {
                (Some(kind), Some(names)) => desk.test_these(kind, &names).await,
                (kind, _) => desk.test_all(kind).await,
            }
        })
        .await?;
    Ok(v)
}

/// A secret of a saved connection, for the form's Reveal. A production connection's is shown
/// only once the user said so in a native dialog (see `confirm.rs`): the web view cannot
/// answer it, so a page that calls this by itself gets nothing without the user.
#[tauri::command]
pub async fn reveal_field(
    app: tauri::AppHandle,
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    field: SecretField,
) -> Result<String> {
    confirmed(&app, &desk, RevealTarget::Field { kind, name: &name }).await?;
    Ok(desk
        .reveal_field(Some(kind), &name, field)?
        .expose()
        .to_string())
}

/// Passes when `target` needs no confirmation or the user gave it.
async fn confirmed(app: &tauri::AppHandle, desk: &Desk, target: RevealTarget<'_>) -> Result<()> {
    let Some(question) = desk.reveal_guard(target)? else {
        return Ok(());
    };
    if crate::confirm::reveal(app, question).await? {
        Ok(())
    } else {
        Err(patchbay_core::Error::Cancelled(
            "not revealed: the confirmation was declined".into(),
        ))
    }
}

#[tauri::command]
pub fn list_secrets(desk: State<'_, Desk>) -> Result<Vec<SecretInfo>> {
    desk.secrets()
}

#[tauri::command(async)]
pub fn save_secret(
    desk: State<'_, Desk>,
    name: String,
    value: Option<String>,
    description: Option<String>,
    editing: Option<String>,
) -> Result<SecretInfo> {
    desk.save_secret(&name, value.map(Into::into), description, editing)
}

#[tauri::command(async)]
pub fn delete_secret(desk: State<'_, Desk>, name: String) -> Result<SecretInfo> {
    desk.delete_secret(&name)
}

/// A named secret's value, for the Secrets tab's Reveal; one a production connection uses only
/// after the native confirmation.
#[tauri::command]
pub async fn reveal_secret(
    app: tauri::AppHandle,
    desk: State<'_, Desk>,
    name: String,
) -> Result<String> {
    confirmed(&app, &desk, RevealTarget::Secret { name: &name }).await?;
    Ok(desk.reveal_secret(&name)?.expose().to_string())
}

/// Copies a named secret's value from Rust to the clipboard (marked for clipboard managers and
/// cleared after its time); the web view never receives it.
#[tauri::command(async)]
pub fn copy_secret(app: tauri::AppHandle, desk: State<'_, Desk>, name: String) -> Result<Copied> {
    let value = desk.reveal_secret(&name)?;
    let clears_in_seconds = app
        .state::<crate::clipboard::Clipboard>()
        .write(value.expose().to_string(), true)?;
    Ok(Copied {
        what: format!("secret {name}"),
        includes_secrets: true,
        clears_in_seconds,
    })
}

#[tauri::command(async)]
pub fn open_in_terminal(desk: State<'_, Desk>, kind: Kind, name: String) -> Result<Opened> {
    desk.open_in_terminal(kind, &name)
}

#[tauri::command(async)]
pub fn copy_connection(
    app: tauri::AppHandle,
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
    what: String,
) -> Result<Copied> {
    crate::clipboard::put(&app, desk.copy_text(kind, &name, &what)?)
}

/// The connection's code snippets (their code reads every credential from `patchbay exec`).
#[tauri::command(async)]
pub fn snippets(
    desk: State<'_, Desk>,
    kind: Kind,
    name: String,
) -> Result<Vec<patchbay_core::snippets::Snippet>> {
    desk.snippets(kind, &name)
}

#[tauri::command(async)]
pub fn key_status(desk: State<'_, Desk>) -> KeyStatus {
    desk.key_status()
}

/// Asks the Secret Service to unlock the keychain (its own prompt); the key status after.
#[tauri::command]
pub async fn unlock_keychain(app: tauri::AppHandle) -> Result<KeyStatus> {
    // The prompt may wait for the user: off the main thread.
    tauri::async_runtime::spawn_blocking(move || app.state::<Desk>().unlock_keychain())
        .await
        .map_err(|e| patchbay_core::Error::Keychain(e.to_string()))?
}

/// Backs the master key up to a new key file at `path`, sealed with `passphrase`.
#[tauri::command]
pub async fn backup_key(
    app: tauri::AppHandle,
    path: String,
    passphrase: String,
) -> Result<patchbay_core::catalog::KeyBackup> {
    // scrypt takes a moment: off the main thread.
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<Desk>()
            .backup_key(&path, patchbay_core::SecretString::new(passphrase))
    })
    .await
    .map_err(|e| patchbay_core::Error::Io(e.to_string()))?
}

/// The whole stored last check of a saved connection (steps, timings, hint), if kept.
#[tauri::command(async)]
pub fn last_verdict(desk: State<'_, Desk>, kind: Kind, name: String) -> Result<Option<Verdict>> {
    desk.last_verdict(kind, &name)
}

/// Uses (and remembers for this store) the key file at `path` with `passphrase`.
#[tauri::command]
pub async fn use_key_file(
    app: tauri::AppHandle,
    path: String,
    passphrase: String,
) -> Result<KeyStatus> {
    // scrypt takes a moment: off the main thread.
    let status = tauri::async_runtime::spawn_blocking(move || {
        app.state::<Desk>()
            .use_key_file(&path, patchbay_core::SecretString::new(passphrase))
    })
    .await
    .map_err(|e| patchbay_core::Error::Io(e.to_string()))??;
    Ok(status)
}

#[tauri::command]
pub fn parse_url(desk: State<'_, Desk>, text: String) -> Result<Pasted> {
    desk.parse_url(&text)
}

/// Import…: what each source holds at its usual places.
#[tauri::command(async)]
pub fn import_sources(desk: State<'_, Desk>) -> Vec<SourceFound> {
    desk.import_sources(&patchbay_core::foreign::Env::current())
}

/// Import…: reads a source (its usual places, or `path`; a bundle with `passphrase`) into the
/// core and answers its preview (never a secret's value).
#[tauri::command(async)]
pub fn import_preview(
    desk: State<'_, Desk>,
    source: String,
    path: Option<String>,
    passphrase: Option<String>,
    on_conflict: OnConflict,
) -> Result<ImportPreview> {
    let source = Source::of_word(&source).ok_or_else(|| {
        patchbay_core::Error::invalid("source", format!("\"{source}\" is not a source"))
    })?;
    let path = path
        .filter(|p| !p.trim().is_empty())
        .map(std::path::PathBuf::from);
    let reading = match (source, &path) {
        (Source::Patchbay, Some(p)) => {
            let key = passphrase.map(|p| patchbay_core::bundle::Key::Passphrase(p.into()));
            patchbay_core::import::patchbay::read(p, key.as_ref())?
        }
        _ => patchbay_core::import::read(
            source,
            path.as_deref(),
            &patchbay_core::foreign::Env::current(),
        )?,
    };
    desk.stage_import(reading, on_conflict)
}

/// Import…: the held import's preview with another choice for taken names.
#[tauri::command(async)]
pub fn import_restage(desk: State<'_, Desk>, on_conflict: OnConflict) -> Result<ImportPreview> {
    desk.staged_preview(on_conflict)
}

/// Import…: saves the chosen rows of the held import in one transaction (or lets it go when
/// `only` is None: the dialog was closed).
#[tauri::command(async)]
pub fn import_commit(
    desk: State<'_, Desk>,
    only: Option<Vec<String>>,
    on_conflict: OnConflict,
) -> Result<Option<Imported>> {
    let Some(only) = only else {
        desk.drop_staged();
        return Ok(None);
    };
    let done = desk.commit_staged(&only, on_conflict)?;
    Ok(Some(done))
}
