//! `Desk`: what the window and the tray can do with the catalog, as plain methods over a shared
//! `Catalog` (the Tauri commands are one-line wrappers around these). Responses carry metadata,
//! verdicts and confirmations only; a secret's value leaves through `reveal_*` alone.

use std::sync::Mutex;
use std::time::Duration;

use patchbay_core::catalog::CheckSummary;
use patchbay_core::error::ErrorPayload;
use patchbay_core::handoff;
use patchbay_core::keys::{self, KeySource};
use patchbay_core::model::*;
use patchbay_core::paste::{self, Pasted};
use patchbay_core::probe::{self, Verdict};
use patchbay_core::{Catalog, Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A connection as a list row: its record and its last check.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Row {
    #[serde(flatten)]
    pub connection: Connection,
    pub target: String,
    pub last_check: Option<CheckSummary>,
}

/// Which saved connection a form edits.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct Editing {
    pub kind: Kind,
    pub name: String,
}

/// Where the master key is and whether it works, for the window's status line.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeyStatus {
    pub source: String,
    pub unlocked: bool,
    pub error: Option<ErrorPayload>,
    #[ts(type = "number")]
    pub encrypted_values: u64,
    pub store: String,
    pub fallbacks: Vec<String>,
}

/// What "copy" put on the clipboard (never the text itself).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Copied {
    pub what: String,
    pub includes_secrets: bool,
    /// Seconds until the clipboard is cleared (copies with secrets), if it will be.
    pub clears_in_seconds: Option<u32>,
}

pub struct Desk {
    catalog: Mutex<Catalog>,
    timeout: Duration,
}

fn payload(e: &Error) -> ErrorPayload {
    ErrorPayload {
        code: e.code().into(),
        message: e.to_string(),
        field: e.field().map(str::to_string),
    }
}

impl Desk {
    pub fn new(catalog: Catalog) -> Desk {
        Desk {
            catalog: Mutex::new(catalog),
            timeout: probe::DEFAULT_TIMEOUT,
        }
    }

    /// Opens the user's store (`PATCHBAY_DATA_DIR` or the data directory) with the key source
    /// the environment asks for.
    pub fn open_default() -> Result<Desk> {
        let dir = patchbay_core::paths::data_dir()?;
        Ok(Desk::new(Catalog::open_in(&dir, KeySource::from_env()?)?))
    }

    fn cat(&self) -> std::sync::MutexGuard<'_, Catalog> {
        self.catalog.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn list(&self) -> Result<Vec<Row>> {
        let cat = self.cat();
        let last = cat.last_checks()?;
        Ok(cat
            .list(None)?
            .into_iter()
            .map(|c| Row {
                target: c.target(),
                last_check: last.get(&c.id).cloned(),
                connection: c,
            })
            .collect())
    }

    pub fn get(&self, kind: Kind, name: &str) -> Result<Connection> {
        self.cat().get(Some(kind), name)
    }

    pub fn save(&self, draft: ConnectionDraft, editing: Option<Editing>) -> Result<Connection> {
        let mut cat = self.cat();
        match editing {
            Some(e) => cat.update(Some(e.kind), &e.name, draft),
            None => cat.create(draft),
        }
    }

    pub fn duplicate(&self, kind: Kind, name: &str, new_name: &str) -> Result<Connection> {
        self.cat().duplicate(Some(kind), name, new_name)
    }

    pub fn delete(&self, kind: Kind, name: &str) -> Result<Connection> {
        self.cat().remove(Some(kind), name)
    }

    /// Checks a saved connection and records the verdict as its last check.
    pub async fn test_saved(&self, kind: Kind, name: &str) -> Result<Verdict> {
        let r = self.cat().resolve(Some(kind), name)?;
        let v = probe::check(&r, self.timeout).await;
        self.cat().record_check(r.connection.id, &v)?;
        Ok(v)
    }

    /// Checks a form before (or instead of) saving it.
    pub async fn test_draft(
        &self,
        draft: ConnectionDraft,
        editing: Option<Editing>,
    ) -> Result<Verdict> {
        let r = self
            .cat()
            .resolve_draft(&draft, editing.as_ref().map(|e| (e.kind, e.name.as_str())))?;
        Ok(probe::check(&r, self.timeout).await)
    }

    /// Checks every connection of a kind (or all) concurrently, recording each verdict.
    pub async fn test_all(&self, kind: Option<Kind>) -> Result<Vec<Verdict>> {
        let list = self.cat().resolve_all(kind)?;
        let ids: Vec<i64> = list.iter().map(|r| r.connection.id).collect();
        let verdicts = probe::check_all(list, self.timeout, probe::DEFAULT_PARALLELISM).await;
        self.cat()
            .record_checks(ids.iter().copied().zip(&verdicts))?;
        Ok(verdicts)
    }

    /// The explicit "reveal" of one secret field.
    pub fn reveal_field(&self, kind: Kind, name: &str, field: SecretField) -> Result<String> {
        Ok(self
            .cat()
            .reveal(Some(kind), name, field)?
            .expose()
            .to_string())
    }

    pub fn secrets(&self) -> Result<Vec<SecretInfo>> {
        self.cat().list_secrets()
    }

    /// Creates or edits a user secret. When editing, `value: None` keeps the saved value (a
    /// rename or a new description only). Everything is checked before anything is written.
    pub fn save_secret(
        &self,
        name: &str,
        value: Option<String>,
        description: Option<String>,
        editing: Option<String>,
    ) -> Result<SecretInfo> {
        let mut cat = self.cat();
        let description = description.unwrap_or_default();
        patchbay_core::validate::name("name", name)?;
        patchbay_core::validate::text("description", &description, false)?;
        if let Some(v) = &value {
            patchbay_core::validate::secret_value("value", v)?;
        }
        match editing {
            None => {
                let Some(v) = value else {
                    return Err(Error::invalid(
                        "value",
                        "is required; enter the secret's value",
                    ));
                };
                if cat.secret_info(name).is_ok() {
                    return Err(Error::Duplicate {
                        kind: "secret".into(),
                        name: name.trim().into(),
                    });
                }
                cat.put_secret(name, &v.into(), Some(&description))
            }
            Some(old) => {
                cat.secret_info(&old)?;
                if old.trim() != name.trim() {
                    cat.rename_secret(&old, name)?;
                }
                match value {
                    Some(v) => cat.put_secret(name, &v.into(), Some(&description)),
                    None => cat.describe_secret(name, &description),
                }
            }
        }
    }

    pub fn delete_secret(&self, name: &str) -> Result<SecretInfo> {
        self.cat().remove_secret(name)
    }

    pub fn reveal_secret(&self, name: &str) -> Result<String> {
        Ok(self.cat().reveal_secret(name)?.expose().to_string())
    }

    /// The text for "copy as URL / as environment": returned to the Rust caller only (it goes
    /// to the clipboard from Rust, never through the web view).
    pub fn copy_text(&self, kind: Kind, name: &str, what: &str) -> Result<(String, Copied)> {
        let cat = self.cat();
        let with_secrets = matches!(what, "url_with_password" | "env_with_secrets");
        let r = if with_secrets {
            cat.resolve(Some(kind), name)?
        } else {
            let connection = cat.get(Some(kind), name)?;
            patchbay_core::Resolved {
                connection,
                secrets: Default::default(),
            }
        };
        let text = match what {
            "url" | "url_with_password" => handoff::url(&r, with_secrets),
            "env" | "env_with_secrets" => {
                handoff::env(&r, with_secrets).shell_lines(false).join("\n")
            }
            other => {
                return Err(Error::invalid(
                    "what",
                    format!("\"{other}\" is not something to copy"),
                ))
            }
        };
        let label = match what {
            "url" => "URL (without password)",
            "url_with_password" => "URL with password",
            "env" => "environment variables (without secrets)",
            _ => "environment variables with secrets",
        };
        Ok((
            text,
            Copied {
                what: label.into(),
                includes_secrets: with_secrets,
                clears_in_seconds: None,
            },
        ))
    }

    pub fn key_status(&self) -> KeyStatus {
        let cat = self.cat();
        let mut error = None;
        if matches!(cat.key_source(), KeySource::Keychain) {
            if let Err(e) = keys::keychain_self_test() {
                error = Some(payload(&e));
            }
        }
        let unlocked = match cat.vault() {
            Ok(_) => true,
            Err(e) => {
                error.get_or_insert(payload(&e));
                false
            }
        };
        KeyStatus {
            source: cat.key_source().describe(),
            unlocked,
            error,
            encrypted_values: cat.encrypted_values().unwrap_or(0),
            store: cat.path().display().to_string(),
            fallbacks: vec![
                format!(
                    "Set {} to a key from `patchbay key generate` and restart Patchbay.",
                    keys::ENV_MASTER_KEY
                ),
                format!(
                    "Or set {} to a key file (sealed with the passphrase in {}).",
                    keys::ENV_KEY_FILE,
                    keys::ENV_PASSPHRASE
                ),
            ],
        }
    }

    pub fn parse_url(&self, text: &str) -> Result<Pasted> {
        paste::parse(text)
    }

    /// The saved connections and their last checks, for the tray.
    pub fn tray_menu(&self) -> Result<patchbay_core::tray::TrayMenu> {
        let cat = self.cat();
        Ok(patchbay_core::tray::menu(
            &cat.list(None)?,
            &cat.last_checks()?,
        ))
    }

    /// Changes whenever another process (the CLI) writes to the store.
    pub fn data_version(&self) -> i64 {
        self.cat().data_version().unwrap_or(0)
    }
}
