//! The `Catalog`: the user's saved connections and secrets in SQLite, with their secret values
//! sealed by the vault. It opens without the master key (listing needs none) and unlocks the
//! key the first time a secret is written or read.

mod aws_sessions;
mod backup;
mod batch;
mod binding;
mod checks;
mod connections;
mod copy;
mod kept;
mod places;
mod planned;
mod read;
mod removal;
mod resolve;
mod rotation;
mod schema;
mod sealing;
pub mod teams;
mod usage;
mod user_secrets;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection as Db, OptionalExtension, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::keys::KeySource;
use crate::model::Connection;
use crate::vault::Vault;

pub use crate::model::Resolved;
pub use backup::KeyBackup;
pub use batch::{NamedSaving, Saving};
pub use checks::CheckSummary;
pub use planned::checked_form;
pub use removal::Tombstone;
pub use schema::VERSION as SCHEMA_VERSION;
pub use usage::Usage;

/// How long a writer waits for another process's write to finish before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The saved connections and secrets of one user store.
pub struct Catalog {
    db: Db,
    path: PathBuf,
    keys: KeySource,
    sealing: sealing::Sealing,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("path", &self.path)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

/// What `rotate_key` did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rotation {
    pub secrets_reencrypted: usize,
}

impl Catalog {
    /// Opens (creating if needed) the store in `dir`, finding its key through `keys` when needed.
    pub fn open_in(dir: &Path, keys: KeySource) -> Result<Catalog> {
        crate::paths::ensure_private_dir(dir)?;
        crate::paths::check_own_dir(dir)?;
        Catalog::open(&dir.join(crate::paths::CATALOG_FILE), keys)
    }

    /// Opens (creating if needed) the store file at `path`.
    pub fn open(path: &Path, keys: KeySource) -> Result<Catalog> {
        // An empty file that has been there a while is a failed copy or a truncated store, not
        // a new one: refusing it keeps a restore possible (a store being created right now by
        // another process is empty only for a moment).
        if let Ok(m) = std::fs::metadata(path) {
            let old = m
                .modified()
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(5));
            if m.len() == 0 && old {
                return Err(Error::Storage(format!(
                    "{} is empty (0 bytes): it is not a Patchbay store, perhaps a failed copy. Restore it from a backup, or remove it to start a new store",
                    path.display()
                )));
            }
        }
        // A new store file is created owner-only (SQLite gives its WAL and shared-memory files
        // the same mode), never created readable and restricted afterwards.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            let _ = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path);
        }
        let mut db = Db::open(path)
            .map_err(|e| Error::Storage(format!("cannot open {}: {e}", path.display())))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
        }
        db.busy_timeout(BUSY_TIMEOUT)?;
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "NORMAL")?;
        db.pragma_update(None, "foreign_keys", true)?;
        db.pragma_update(None, "secure_delete", true)?;
        schema::migrate(&mut db)?;
        Ok(Catalog {
            db,
            path: path.to_path_buf(),
            keys,
            sealing: sealing::Sealing::default(),
        })
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the master key is looked for.
    pub fn key_source(&self) -> &KeySource {
        &self.keys
    }

    /// Looks for the master key elsewhere from now on (forgetting the unlocked one); returns
    /// where it was looked for before.
    pub fn set_key_source(&mut self, keys: KeySource) -> KeySource {
        self.sealing = sealing::Sealing::default();
        std::mem::replace(&mut self.keys, keys)
    }

    /// This store's random identity (names its keychain entry).
    pub fn store_id(&self) -> Result<String> {
        Ok(self.meta("store_id")?.unwrap_or_default())
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        meta_on(&self.db, key)
    }

    /// How many encrypted values the store holds.
    pub fn encrypted_values(&self) -> Result<u64> {
        encrypted_values_on(&self.db)
    }

    /// The vault, unlocking the master key on first use (and again after another process
    /// rotated it).
    pub fn vault(&self) -> Result<Arc<Vault>> {
        self.sealing.vault(&self.keys, &self.path, &self.db)
    }

    /// Unlocks the key before a write takes SQLite's write lock (a key file runs scrypt for a
    /// while; other writers should not wait on it). Only when the store already has a key:
    /// creating one records its key check, a write that must happen inside the write lock,
    /// after it (lock order: SQLite's write lock, then the key lock).
    fn unlock_ahead(&self) -> Result<()> {
        if meta_on(&self.db, "key_check")?.is_some() {
            self.vault()?;
        }
        Ok(())
    }

    /// Re-seals a store still in an older sealing format, or seals the connections of a store
    /// that never had a key (one transaction, with the write lock), before anything is used
    /// from it. Costs one meta read when there is nothing to do.
    fn upgrade_if_pending(&self) -> Result<()> {
        if !self.db.is_autocommit()
            || meta_on(&self.db, "seal_format")?.as_deref()
                == Some(binding::CURRENT.to_string().as_str())
            || self
                .db
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM connections) AND NOT EXISTS (SELECT 1 FROM secrets)", [], |r| r.get::<_, bool>(0))?
        {
            return Ok(());
        }
        let tx = Transaction::new_unchecked(&self.db, TransactionBehavior::Immediate)?;
        self.sealing.vault_for_write(&self.keys, &self.path, &tx)?;
        binding::record_format(&tx)?;
        tx.commit()?;
        Ok(())
    }

    /// The vault of a store that has a key; a store without one has sealed nothing, so nothing
    /// in it can be vouched for (`what` names what was to be used).
    fn vault_of_sealed(&self, what: &str) -> Result<Arc<Vault>> {
        if self.meta("key_check")?.is_none() {
            return Err(binding::tampered(what));
        }
        self.vault()
    }

    /// Refuses connection `c` unless it is as Patchbay sealed it (fields and references), in
    /// the current format; returns the vault that proved it.
    fn verified(&self, c: &Connection) -> Result<Arc<Vault>> {
        let what = format!("{} \"{}\"", c.kind.label(), c.name);
        let vault = self.vault_of_sealed(&what)?;
        if self.sealing.format() < binding::CURRENT {
            // The format hint in `meta` says current, the key check says older: edited.
            return Err(binding::tampered(&what));
        }
        binding::verify(&self.db, &vault, &self.store_id()?, c.id, &what)?;
        Ok(vault)
    }

    /// A read snapshot, so that the key check and the values it vouches for are read together
    /// (none when a transaction is already open).
    fn snapshot(&self) -> Result<Option<Transaction<'_>>> {
        Ok(if self.db.is_autocommit() {
            Some(self.db.unchecked_transaction()?)
        } else {
            None
        })
    }
}

/// Maps a UNIQUE violation to a friendly duplicate error.
pub(crate) fn unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

/// A value of the store's `meta` table, read through `db` (the connection or an open
/// transaction).
fn meta_on(db: &Db, key: &str) -> Result<Option<String>> {
    Ok(db
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn encrypted_values_on(db: &Db) -> Result<u64> {
    Ok(db.query_row("SELECT count(*) FROM secrets", [], |r| r.get::<_, i64>(0))? as u64)
}
