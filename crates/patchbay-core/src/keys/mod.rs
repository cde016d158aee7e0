//! Where the store's master key lives and how it is found: the OS keychain (default), a key given
//! in `PATCHBAY_MASTER_KEY`, or a key file sealed with a passphrase (scrypt). This module never
//! creates a key while the store holds encrypted values, never falls back to another source on
//! its own, and makes key rotation crash-safe with a "pending" copy of the new key.

mod key_file;
mod keychain;
mod rotation;
pub(crate) mod team_tokens;
pub use team_tokens::VARIABLES as TEAM_TOKEN_VARIABLES;

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::vault::{MasterKey, Vault};

use key_file::key_file_unlock;
pub(crate) use key_file::write_key_file;
pub use key_file::{open_key_file, MIN_PASSPHRASE_CHARS};
use keychain::{keychain_account, keychain_unlock};
pub use keychain::{keychain_self_test, unlock_keychain};
pub use rotation::forget_keychain_key;
pub(crate) use rotation::{discard, prepare, promote, stage, Staged};

/// The keychain service name under which Patchbay keeps its keys.
pub const KEYCHAIN_SERVICE: &str = "patchbay";
/// Environment variable holding a master key (explicit fallback for machines without a keychain).
pub const ENV_MASTER_KEY: &str = "PATCHBAY_MASTER_KEY";
/// Environment variable naming a passphrase-protected key file.
pub const ENV_KEY_FILE: &str = "PATCHBAY_KEY_FILE";
/// The file in the data directory naming the key file chosen in the window (just its path).
pub const KEY_FILE_CHOICE: &str = "key-file";
/// Environment variable holding the key file's passphrase (otherwise the CLI prompts).
pub const ENV_PASSPHRASE: &str = "PATCHBAY_PASSPHRASE";

/// Where to find the master key. Chosen explicitly; never switched silently.
#[derive(Clone)]
pub enum KeySource {
    /// The OS keychain: Secret Service, macOS Keychain or Windows Credential Manager.
    Keychain,
    /// A key handed over directly, e.g. from `PATCHBAY_MASTER_KEY`; `origin` names it in errors.
    Given { key: MasterKey, origin: String },
    /// A key file sealed with a passphrase.
    KeyFile {
        path: PathBuf,
        passphrase: Option<SecretString>,
    },
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Keychain => f.write_str("Keychain"),
            KeySource::Given { origin, .. } => write!(f, "Given({origin})"),
            KeySource::KeyFile { path, .. } => write!(f, "KeyFile({})", path.display()),
        }
    }
}

/// The key variables as the process started with them, kept after [`take_env`] removed the
/// secret-bearing ones from the environment.
struct StartEnv {
    master_key: Option<Zeroizing<String>>,
    key_file: Option<std::ffi::OsString>,
    passphrase: Option<SecretString>,
}

static START_ENV: std::sync::OnceLock<StartEnv> = std::sync::OnceLock::new();

fn read_start_env() -> StartEnv {
    StartEnv {
        master_key: std::env::var(ENV_MASTER_KEY).ok().map(Zeroizing::new),
        key_file: std::env::var_os(ENV_KEY_FILE),
        passphrase: std::env::var(ENV_PASSPHRASE).ok().map(SecretString::new),
    }
}

/// Reads the key variables once and removes the secret-bearing ones (`PATCHBAY_MASTER_KEY`,
/// `PATCHBAY_PASSPHRASE`) from this process's environment, so that no child process (the
/// command `exec` runs, the web view's processes) inherits the key to every secret. Paths
/// (`PATCHBAY_KEY_FILE`, `PATCHBAY_DATA_DIR`) stay. [`KeySource::from_env`] reads what was taken.
///
/// Call it first thing in `main`, before any thread or child process exists: changing the
/// environment while another thread reads it is undefined behaviour in C libraries.
pub fn take_env() {
    START_ENV.get_or_init(|| {
        let taken = read_start_env();
        std::env::remove_var(ENV_MASTER_KEY);
        std::env::remove_var(ENV_PASSPHRASE);
        taken
    });
}

impl KeySource {
    /// The source the environment asks for: `PATCHBAY_MASTER_KEY`, else `PATCHBAY_KEY_FILE`
    /// (with `PATCHBAY_PASSPHRASE` when set), else the keychain. After [`take_env`], the values
    /// it took; before (in tests and libraries), the live environment.
    pub fn from_env() -> Result<KeySource> {
        KeySource::choose(|| None)
    }

    /// The source for the store in `dir`: the environment's choice, else the key file chosen
    /// for this store in the window ("Use a key file…", remembered in `dir/key-file`, with the
    /// passphrase from `PATCHBAY_PASSPHRASE` if set), else the keychain.
    pub fn for_store(dir: &Path) -> Result<KeySource> {
        KeySource::choose(|| {
            let text = std::fs::read_to_string(dir.join(KEY_FILE_CHOICE)).ok()?;
            let path = text.trim_end_matches('\n');
            (!path.trim().is_empty()).then(|| PathBuf::from(path))
        })
    }

    /// `PATCHBAY_MASTER_KEY`, else `PATCHBAY_KEY_FILE` or the `remembered` key file (with
    /// `PATCHBAY_PASSPHRASE`), else the keychain.
    fn choose(remembered: impl FnOnce() -> Option<PathBuf>) -> Result<KeySource> {
        let live;
        let env = match START_ENV.get() {
            Some(taken) => taken,
            None => {
                live = read_start_env();
                &live
            }
        };
        if let Some(text) = &env.master_key {
            let key = MasterKey::parse(text, ENV_MASTER_KEY)?;
            return Ok(KeySource::Given {
                key,
                origin: ENV_MASTER_KEY.into(),
            });
        }
        if let Some(path) = env.key_file.as_ref().map(PathBuf::from).or_else(remembered) {
            return Ok(KeySource::KeyFile {
                path,
                passphrase: env.passphrase.clone(),
            });
        }
        Ok(KeySource::Keychain)
    }

    /// A short name for status lines.
    pub fn describe(&self) -> String {
        match self {
            KeySource::Keychain => "the OS keychain".into(),
            KeySource::Given { origin, .. } => origin.clone(),
            KeySource::KeyFile { path, .. } => format!("key file {}", path.display()),
        }
    }
}

/// Remembers the key file at `path` as the choice for the store in `dir` (`KeySource::for_store`
/// finds it there).
pub fn remember_key_file(dir: &Path, path: &Path) -> Result<()> {
    crate::paths::write_private_atomically(
        &dir.join(KEY_FILE_CHOICE),
        path.to_string_lossy().as_bytes(),
    )
}

/// Things the user should know about their key that are not errors (a lost rotation that was
/// recovered). Front ends show them once: the CLI on stderr, the window in its key status.
static NOTICES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

pub(super) fn notice(text: String) {
    NOTICES.lock().unwrap_or_else(|p| p.into_inner()).push(text);
}

/// The notices gathered since the last call.
pub fn take_notices() -> Vec<String> {
    std::mem::take(&mut *NOTICES.lock().unwrap_or_else(|p| p.into_inner()))
}

pub(super) fn lost_rotation_notice(place: &str) -> String {
    format!(
        "the last key rotation did not reach the disk (a power loss or crash right after it): the store is still encrypted under the previous key, which {place} holds again; every secret is readable. Rotate again with `patchbay key rotate`"
    )
}

/// What the store knows about its key, for deciding whether a key may be created.
pub(crate) struct StoreFacts<'a> {
    pub store_id: &'a str,
    pub key_check: Option<&'a str>,
    pub encrypted_values: u64,
    pub store_path: &'a Path,
}

/// A key found (or created) for a store.
pub(crate) struct Unlocked {
    pub vault: Vault,
    /// The key check to record, when the store had none or the key is new.
    pub new_key_check: Option<String>,
}

/// Finds the store's key in `source` and proves it against the store's key check.
pub(crate) fn unlock(source: &KeySource, facts: &StoreFacts) -> Result<Unlocked> {
    match source {
        KeySource::Keychain => keychain_unlock(facts),
        KeySource::Given { key, origin } => {
            let vault = Vault::new(key.clone());
            accept(vault, facts, || {
                Error::WrongKey(format!(
                    "{origin} does not open this store ({}): it was encrypted under another key. Set {origin} to the key this store was created with, or unset it to use the keychain",
                    facts.store_path.display()
                ))
            })
        }
        KeySource::KeyFile { path, passphrase } => {
            key_file_unlock(path, passphrase.as_ref(), facts)
        }
    }
}

/// Proves `vault` against the store, or says why not.
pub(super) fn accept(
    vault: Vault,
    facts: &StoreFacts,
    wrong: impl FnOnce() -> Error,
) -> Result<Unlocked> {
    match facts.key_check {
        Some(check) if vault.verifies(check) => Ok(Unlocked {
            vault,
            new_key_check: None,
        }),
        Some(_) => Err(wrong()),
        None => {
            let check = vault.key_check();
            Ok(Unlocked {
                vault,
                new_key_check: Some(check),
            })
        }
    }
}

pub(super) fn missing_key(facts: &StoreFacts, place: &str) -> Error {
    Error::KeyMissing(format!(
        "{place} has no Patchbay master key for this store ({}), yet the store holds {} encrypted secret(s). \
         Patchbay will not create a new key, because that would make them unreadable. \
         Restore the key (keychain entry service \"{KEYCHAIN_SERVICE}\", account \"{}\"), \
         or if the key was kept elsewhere, set {ENV_MASTER_KEY} or {ENV_KEY_FILE}",
        facts.store_path.display(),
        facts.encrypted_values,
        keychain_account(facts.store_id),
    ))
}
