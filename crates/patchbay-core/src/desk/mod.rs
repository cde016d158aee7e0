//! `Desk`: Patchbay's application layer, the one set of operations every front end calls (the
//! `patchbay` CLI and the desktop app's Tauri commands and tray are thin adapters: parse, call,
//! render). It owns the shared `Catalog`, runs each user action as one operation (one
//! transaction where it writes), and gives one semantics to every hand-off (URL, environment,
//! with or without secrets) and one shape to the key status. Answers carry metadata, verdicts and
//! confirmations; a secret's value leaves only through `reveal_*` and the hand-off text asked for
//! with secrets (which front ends put on the clipboard or stdout, never into the web view).
//!
//! - `mod.rs`: opening, connections (list, save, rename, duplicate, delete), checks.
//! - `rows.rs`: a list row, and which saved connection a form edits.
//! - `secrets.rs`: named secrets.
//! - `handoff.rs`: URL and environment text, with or without secrets.
//! - `import.rs`: the preview of an import and its one transaction.
//! - `export.rs`: Patchbay's document, Airflow's formats and encrypted bundles.
//! - `staged.rs`: the window's import, held in the core between its preview and its save.
//! - `keys.rs`: key status and rotation.
//! - `tunnels.rs`: SSH host keys accepted, and tunnels held open for hand-offs.
//! - `browse.rs`: what an object store holds, a page at a time.
//! - `undo.rs`: undoing a deletion for a few seconds.
//! - `cancel.rs`: stopping a running check.

mod browse;
mod cancel;
mod export;
mod form_check;
mod handoff;
mod import;
mod keys;
mod rows;
mod secrets;
mod sessions;
mod staged;
mod team_conflicts;
mod team_edits;
mod team_layout;
mod team_secrets;
mod team_uses;
mod teams;
mod tunnels;
mod undo;

pub use export::ExportFormat;
pub use handoff::{pick_snippet, Copied, HandoffKind, Opened};
pub use import::{check_choice, chosen_rows, Candidate, Imported, OnConflict, Outcome};
pub use keys::KeyStatus;
pub use rows::{Editing, Line, ListedRow, Row, TeamMark};
pub use secrets::RevealTarget;
pub use sessions::Minted;
pub use staged::{ImportPreview, SourceFound};
pub use team_uses::TeamConnection;
pub use teams::{LeftOut, TeamList};
pub use undo::{Deleted, UNDO_SECONDS};

use std::sync::Mutex;
use std::time::Duration;

use crate::catalog::Catalog;
use crate::check::{self, Verdict};
use crate::error::ErrorPayload;
use crate::error::{Error, Result};
use crate::keys::KeySource;
use crate::kinds;
use crate::model::*;
use crate::paste::Pasted;

pub struct Desk {
    catalog: Mutex<Catalog>,
    /// A second connection to the same store for the lists (metadata, no key): they answer
    /// while the catalog above waits on the keychain.
    lists: Option<Mutex<Catalog>>,
    timeout: Duration,
    parallelism: usize,
    undo: Mutex<undo::Held>,
    running: cancel::Running,
    /// The last form's check, until that form is saved.
    form_check: Mutex<Option<form_check::FormCheck>>,
    /// The import the window is looking at (`staged.rs`).
    staged: Mutex<Option<crate::import::Reading>>,
    /// Where SSH host keys are judged, and the one the user accepted (`tunnels.rs`).
    host_keys: Mutex<crate::ssh::host_keys::HostKeys>,
    /// Tunnels held open for the tray, by connection name (`tunnels.rs`).
    held: Mutex<std::collections::BTreeMap<String, crate::ssh::Tunnel>>,
    /// IAM Identity Center sign-ins waiting for approval, by connection name (`sessions.rs`).
    signing_in: Mutex<std::collections::BTreeMap<String, crate::kinds::s3::sso::Pending>>,
}

pub(crate) fn payload(e: &Error) -> ErrorPayload {
    ErrorPayload {
        code: e.code().into(),
        message: e.to_string(),
        field: e.field().map(str::to_string),
    }
}

impl Desk {
    pub fn new(catalog: Catalog) -> Desk {
        let catalog_dir: std::path::PathBuf =
            catalog.path().parent().map(Into::into).unwrap_or_default();
        let lists = Catalog::open(catalog.path(), catalog.key_source().clone())
            .ok()
            .map(Mutex::new);
        Desk {
            catalog: Mutex::new(catalog),
            lists,
            timeout: check::DEFAULT_TIMEOUT,
            parallelism: check::DEFAULT_PARALLELISM,
            undo: Mutex::default(),
            running: Default::default(),
            form_check: Mutex::default(),
            staged: Mutex::default(),
            host_keys: Mutex::new(tunnels::standard_host_keys(&catalog_dir)),
            held: Mutex::default(),
            signing_in: Mutex::default(),
        }
    }

    /// How long a check may take, and how many run at once when checking many.
    pub fn with_check_limits(mut self, timeout: Duration, parallelism: usize) -> Desk {
        self.timeout = timeout;
        self.parallelism = parallelism.max(1);
        self
    }

    /// Opens the user's store (`PATCHBAY_DATA_DIR` or the data directory) with the key source
    /// the environment asks for.
    pub fn open_default() -> Result<Desk> {
        let dir = crate::paths::data_dir()?;
        Desk::open_in(&dir, KeySource::for_store(&dir)?)
    }

    /// Opens the store in `dir` with `keys`.
    pub fn open_in(dir: &std::path::Path, keys: KeySource) -> Result<Desk> {
        Ok(Desk::new(Catalog::open_in(dir, keys)?))
    }

    pub(crate) fn cat(&self) -> std::sync::MutexGuard<'_, Catalog> {
        self.catalog.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The catalog for reading lists, which never waits on the master key.
    pub(crate) fn lists(&self) -> std::sync::MutexGuard<'_, Catalog> {
        match &self.lists {
            Some(l) => l.lock().unwrap_or_else(|p| p.into_inner()),
            None => self.cat(),
        }
    }

    /// Saved connections (of `kind`, or all) with their last checks, in list order.
    pub fn list_of(&self, kind: Option<Kind>) -> Result<Vec<Row>> {
        let cat = self.lists();
        let last = cat.last_checks()?;
        let usage = cat.usage()?;
        Ok(cat
            .list(kind)?
            .into_iter()
            .map(|c| {
                let target = kinds::target(&c.spec);
                Row {
                    last_check: last.get(&c.id).cloned().map(|s| s.against(&target)),
                    target,
                    usage: usage.get(&c.id).copied().unwrap_or_default(),
                    connection: c,
                    team: None,
                }
            })
            .collect())
    }

    pub fn list(&self) -> Result<Vec<Row>> {
        self.list_of(None)
    }

    /// Saved connections (of `kind`, or all), as saved, in list order: no checks or use.
    pub fn connections(&self, kind: Option<Kind>) -> Result<Vec<Connection>> {
        self.lists().list(kind)
    }

    /// The connection called `name` (of `kind`, when the name exists in several kinds).
    pub fn get(&self, kind: impl Into<Option<Kind>>, name: &str) -> Result<Connection> {
        self.cat().get(kind.into(), name)
    }

    /// Saves a form; when it is exactly what the form's last check was made on, that verdict
    /// becomes the connection's last check.
    pub fn save(&self, draft: ConnectionDraft, editing: Option<Editing>) -> Result<Connection> {
        let mut cat = self.cat();
        let saved = match editing {
            Some(e) if e.copy => cat.create_from(Some(e.kind), &e.name, draft),
            Some(e) => cat.update(Some(e.kind), &e.name, draft),
            None => cat.create(draft),
        }?;
        let checked = self
            .form_check
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(fc) = checked {
            let fits = cat
                .resolve(Some(saved.kind), &saved.name)
                .is_ok_and(|r| fc.fits(&r));
            if fits {
                cat.record_check(saved.id, &fc.verdict)?;
            }
        }
        Ok(saved)
    }

    /// The last check of a saved connection, whole (steps, timings, hint), if one was kept.
    pub fn last_verdict(&self, kind: Kind, name: &str) -> Result<Option<Verdict>> {
        let cat = self.lists();
        let c = cat.get(Some(kind), name)?;
        cat.last_verdict(c.id)
    }

    pub fn duplicate(
        &self,
        kind: impl Into<Option<Kind>>,
        name: &str,
        new_name: &str,
    ) -> Result<Connection> {
        self.cat().duplicate(kind.into(), name, new_name)
    }

    pub fn rename(
        &self,
        kind: impl Into<Option<Kind>>,
        name: &str,
        new_name: &str,
    ) -> Result<Connection> {
        self.cat().rename(kind.into(), name, new_name)
    }

    /// Pins (or unpins) a connection at the top of the window's list and the tray.
    pub fn set_favourite(
        &self,
        kind: impl Into<Option<Kind>>,
        name: &str,
        favourite: bool,
    ) -> Result<Connection> {
        self.cat().set_favourite(kind.into(), name, favourite)
    }

    /// Notes a use of a connection for "recently used". Best effort: a store that cannot be
    /// written just now (busy, read-only) does not fail the use itself.
    pub(crate) fn used(&self, connection_id: i64) {
        let _ = self.cat().record_use(connection_id);
    }

    /// Deletes a connection with the secrets it owns.
    pub fn delete(&self, kind: impl Into<Option<Kind>>, name: &str) -> Result<Connection> {
        self.cat().remove(kind.into(), name)
    }

    /// The connection with its secrets decrypted (for `exec`).
    pub fn resolve(
        &self,
        kind: impl Into<Option<Kind>>,
        name: &str,
    ) -> Result<crate::model::Resolved> {
        self.cat().resolve(kind.into(), name)
    }

    /// Checks a saved connection and records the verdict as its last check.
    pub async fn test_saved(&self, kind: impl Into<Option<Kind>>, name: &str) -> Result<Verdict> {
        self.test_with_code(kind, name, None).await
    }

    /// Checks a form before (or instead of) saving it. A form that is the saved connection
    /// unchanged (same name, fields and tag, every secret kept) is that connection: its verdict
    /// is recorded as its last check.
    pub async fn test_draft(
        &self,
        draft: ConnectionDraft,
        editing: Option<Editing>,
    ) -> Result<Verdict> {
        let (r, unchanged) = {
            let cat = self.cat();
            let mut r =
                cat.resolve_draft(&draft, editing.as_ref().map(|e| (e.kind, e.name.as_str())))?;
            let unchanged = match &editing {
                // A copy is a new connection: nothing saved to record its check on.
                Some(e) if e.copy => {
                    r.connection.id = 0;
                    None
                }
                Some(e) => {
                    let saved = cat.get(Some(e.kind), &e.name)?;
                    // The resolved form holds the validated spec and the trimmed name.
                    let same = saved.name == r.connection.name
                        && saved.env_tag == crate::validate::env_tag(&draft.env_tag)?
                        && saved.spec == r.connection.spec
                        && draft
                            .secrets
                            .values()
                            .all(|s| matches!(s, SecretInput::Keep));
                    same.then_some(saved.id)
                }
                None => None,
            };
            (r, unchanged)
        };
        let v = kinds::check(&r, self.timeout, &self.host_keys()).await;
        if let Some(id) = unchanged {
            self.cat().record_check(id, &v)?;
        }
        *self.form_check.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(form_check::FormCheck::of(&r, v.clone()));
        Ok(v)
    }

    /// Checks every connection of a kind (or all) concurrently, recording each verdict.
    /// A connection changed outside Patchbay is reported as refused at its seal (nothing is
    /// sent for it) and the others are checked.
    pub async fn test_all(&self, kind: Option<Kind>) -> Result<Vec<Verdict>> {
        let all = self.cat().resolve_all(kind)?;
        let mut refused = Vec::new();
        let mut list = Vec::new();
        for (i, (c, r)) in all.into_iter().enumerate() {
            match r {
                Ok(r) => list.push(r),
                Err(e) => refused.push((
                    i,
                    c.id,
                    Verdict::refused(&c, kinds::target(&c.spec), e.to_string()),
                )),
            }
        }
        self.cat()
            .record_checks(refused.iter().map(|(_, id, v)| (*id, v)))?;
        let mut verdicts = self.check_and_record(list).await?;
        for (i, _, v) in refused {
            verdicts.insert(i, v);
        }
        Ok(verdicts)
    }

    /// Checks just the named connections of `kind` — what a filtered list shows — so a
    /// connection the user cannot see (a production one, say) is never contacted by "Test all".
    /// A name that is not saved fails the whole call before anything is contacted.
    pub async fn test_these(&self, kind: Kind, names: &[String]) -> Result<Vec<Verdict>> {
        let list = {
            let cat = self.cat();
            names
                .iter()
                .map(|n| cat.resolve(Some(kind), n))
                .collect::<Result<Vec<_>>>()?
        };
        self.check_and_record(list).await
    }

    async fn check_and_record(&self, list: Vec<crate::model::Resolved>) -> Result<Vec<Verdict>> {
        let ids: Vec<i64> = list.iter().map(|r| r.connection.id).collect();
        let verdicts =
            kinds::check_all(list, self.timeout, self.parallelism, &self.host_keys()).await;
        self.cat()
            .record_checks(ids.iter().copied().zip(&verdicts))?;
        Ok(verdicts)
    }

    /// The explicit "reveal" of one secret field.
    pub fn reveal_field(
        &self,
        kind: Option<Kind>,
        name: &str,
        field: SecretField,
    ) -> Result<crate::secret::SecretString> {
        self.cat().reveal(kind, name, field)
    }

    pub fn parse_url(&self, text: &str) -> Result<Pasted> {
        crate::kinds::paste(text)
    }

    /// The saved connections and their last checks, and each team's as last listed, for the tray.
    pub fn tray_menu(&self) -> Result<crate::tray::TrayMenu> {
        let cat = self.cat();
        let mut m = crate::tray::menu(&cat.list(None)?, &cat.last_checks()?, &cat.usage()?);
        m.tunnels = self
            .held_tunnels()
            .iter()
            .map(|(n, a)| crate::tray::tunnel_entry(n, *a))
            .collect();
        let mut kept = Vec::new();
        for t in cat.teams()? {
            kept.extend(cat.team_rows(&t.name)?);
        }
        m.teams = crate::tray::teams::groups(&kept);
        Ok(m)
    }

    /// Changes whenever another process (the CLI) writes to the store.
    pub fn data_version(&self) -> i64 {
        self.cat().data_version().unwrap_or(0)
    }
}
