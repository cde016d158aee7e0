//! The master key as the front ends show it: one `KeyStatus` shape for the window's status line
//! and banner and for `patchbay key status` (text or JSON), a backup of the key as a
//! passphrase-sealed key file (and a reminder until one exists), and key rotation.

use serde::Serialize;
use ts_rs::TS;

use super::{payload, Desk};
use crate::catalog::{KeyBackup, Rotation};
use crate::error::ErrorPayload;
use crate::error::Result;
use crate::keys::{self, KeySource};
use crate::secret::SecretString;
use crate::vault::MasterKey;

/// Where the master key is and whether it works.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeyStatus {
    /// Where the key is looked for ("the OS keychain", "PATCHBAY_MASTER_KEY", "key file …").
    pub source: String,
    /// Whether the key was found and opens this store.
    pub unlocked: bool,
    /// Why not (or why the keychain self-test failed).
    pub error: Option<ErrorPayload>,
    /// With the keychain, once the key opened: whether a write, read back and delete of a test
    /// entry worked (not run when the key could not be read: the error says why already).
    pub keychain_self_test: Option<bool>,
    #[ts(type = "number")]
    pub encrypted_values: u64,
    /// The store file.
    pub store: String,
    /// What to do when the keychain cannot be used.
    pub fallbacks: Vec<String>,
    /// The last backup of the key in use now (a key file that opens this store).
    pub backup: Option<KeyBackup>,
    /// Whether to remind the user to back the key up: it opens secrets that only it opens, it
    /// lives in the keychain alone, and no backup of it exists.
    pub remind_backup: bool,
    /// Where a backup is proposed to go (in the home directory).
    pub backup_suggestion: String,
}

impl Desk {
    pub fn key_status(&self) -> KeyStatus {
        let cat = self.cat();
        // Opening the key is what failed when it failed: its error says why, and the keychain
        // self-test (a throw-away entry written, read back and deleted) runs only otherwise —
        // after a keychain that did not answer, it would only wait as long again.
        let unlock_error = cat.vault().err().map(|e| payload(&e));
        let mut self_test_error = None;
        let keychain_self_test = (matches!(cat.key_source(), KeySource::Keychain)
            && unlock_error.is_none())
        .then(|| match keys::keychain_self_test() {
            Ok(()) => true,
            Err(e) => {
                self_test_error = Some(payload(&e));
                false
            }
        });
        let source = cat.key_source();
        let fallbacks = match source {
            KeySource::Keychain => vec![
                "Unlock the keychain, or start a Secret Service (GNOME Keyring, KeePassXC) in this desktop session, then Retry.".to_string(),
                format!(
                    "Or use a key file: the key sealed with a passphrase, in a file you choose (in the window: Use a key file…, remembered for this store; for one command: {}).",
                    keys::ENV_KEY_FILE
                ),
                format!(
                    "Or start Patchbay with {} set to a key from `patchbay key generate`.",
                    keys::ENV_MASTER_KEY
                ),
            ],
            KeySource::KeyFile { .. } => vec![
                "Enter the key file's passphrase, or choose another key file (Use a key file…).".to_string(),
            ],
            KeySource::Given { origin, .. } => vec![format!(
                "Start Patchbay with {origin} set to the key this store was created with."
            )],
        };
        let backup = cat.key_backup().ok().flatten();
        let encrypted_values = cat.encrypted_values().unwrap_or(0);
        KeyStatus {
            source: source.describe(),
            unlocked: unlock_error.is_none(),
            remind_backup: unlock_error.is_none()
                && matches!(source, KeySource::Keychain)
                && encrypted_values > 0
                && backup.is_none(),
            error: unlock_error.or(self_test_error),
            keychain_self_test,
            encrypted_values,
            store: cat.path().display().to_string(),
            fallbacks,
            backup,
            backup_suggestion: std::env::var_os("HOME")
                .map(std::path::PathBuf::from)
                .unwrap_or_default()
                .join("patchbay-master-key.json")
                .display()
                .to_string(),
        }
    }

    /// Backs the master key up to a new key file at `path`, sealed with `passphrase` (the format
    /// `PATCHBAY_KEY_FILE` and "Use a key file…" open), proves that it opens the store, and
    /// records it. Never overwrites a file.
    pub fn backup_key(&self, path: &str, passphrase: SecretString) -> Result<KeyBackup> {
        use crate::error::Error;
        let path = full_path("file", "the backup file's", path)?;
        if path.exists() {
            return Err(Error::invalid(
                "file",
                format!(
                    "{} exists already: choose a new file (a backup never replaces one)",
                    path.display()
                ),
            ));
        }
        let (vault, check) = {
            let cat = self.cat();
            let vault = cat.vault()?;
            let check = cat.key_check()?.ok_or_else(|| {
                Error::invalid(
                    "key",
                    "this store has no master key yet: it gets one with its first secret",
                )
            })?;
            (vault, check)
        };
        // scrypt runs here, outside the catalog's lock.
        keys::write_key_file(&path, &passphrase, vault.key())?;
        let opens = keys::open_key_file(&path, &passphrase)
            .map(|k| crate::vault::Vault::new(k).verifies(&check))
            .unwrap_or(false);
        if !opens {
            let _ = std::fs::remove_file(&path);
            return Err(Error::Io(format!(
                "the backup written to {} did not open this store when read back; it was removed",
                path.display()
            )));
        }
        self.cat()
            .record_key_backup(&check, &path.display().to_string())
    }

    /// Asks the keychain to unlock (its own prompt), then reports the key status again.
    pub fn unlock_keychain(&self) -> Result<KeyStatus> {
        keys::unlock_keychain()?;
        Ok(self.key_status())
    }

    /// Uses the key file at `path` (made on first use when the store holds no secrets yet) with
    /// `passphrase` from now on, and remembers the choice for this store, so that the CLI (and
    /// Open in terminal) find the key too. Nothing changes when it does not open the store.
    pub fn use_key_file(&self, path: &str, passphrase: SecretString) -> Result<KeyStatus> {
        let path = full_path("key_file", "the key file's", path)?;
        if passphrase.is_empty() {
            return Err(crate::error::Error::invalid("passphrase", "is required"));
        }
        {
            let mut cat = self.cat();
            let before = cat.set_key_source(KeySource::KeyFile {
                path: path.clone(),
                passphrase: Some(passphrase),
            });
            if let Err(e) = cat.vault() {
                cat.set_key_source(before);
                return Err(match e {
                    crate::error::Error::WrongKey(m) if m.contains("passphrase") => {
                        crate::error::Error::invalid("passphrase", m)
                    }
                    other => other,
                });
            }
            let dir = cat.path().parent().unwrap_or(std::path::Path::new("."));
            keys::remember_key_file(dir, &path)?;
        }
        Ok(self.key_status())
    }

    /// Re-encrypts every secret under a new key (given, or made and stored where the key lives).
    pub fn rotate_key(&self, new_key: Option<MasterKey>) -> Result<Rotation> {
        self.cat().rotate_key(new_key)
    }

    /// Unlocks the key now (or says exactly why it cannot).
    pub fn unlock(&self) -> Result<()> {
        self.cat().vault().map(|_| ())
    }

    /// Where the key is looked for.
    pub fn key_source(&self) -> KeySource {
        self.cat().key_source().clone()
    }
}

/// A path typed into `field`, trimmed, which must be absolute (a window has no working directory
/// the user could mean): "give WHOSE full path (from /)".
fn full_path(field: &str, whose: &str, text: &str) -> Result<std::path::PathBuf> {
    let path = std::path::PathBuf::from(text.trim());
    if !path.is_absolute() {
        return Err(crate::error::Error::invalid(
            field,
            format!("give {whose} full path (from /)"),
        ));
    }
    Ok(path)
}
