//! Which vault seals and opens this store's values. The master key is unlocked on first use and
//! kept; every later use first compares the store's key check with the one the kept key was
//! proven against, so a key rotated by another process (the CLI while the app is open) is
//! noticed and unlocked again instead of sealing new values under a key that no longer opens
//! the store. Callers pass the connection (or the open transaction) they read through, so the
//! comparison and the values it protects come from the same snapshot.
//!
//! Changing where the key lives (creating it, promoting a rotated key from its pending place)
//! happens only under the `KeyLock`, a file lock next to the store that a rotation holds from
//! staging its new key until it is promoted. Lock order: SQLite's write lock, then the key lock.

use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection as Db;

use super::{encrypted_values_on, meta_on};

use crate::error::Result;
use crate::keys::{self, KeySource, StoreFacts};
use crate::vault::Vault;

/// The unlocked vault, the key check it was proven against, and the sealing format that check
/// proves (see `binding.rs`).
#[derive(Default)]
pub(super) struct Sealing {
    kept: RefCell<Option<Kept>>,
}

/// The vault, the key check it was proven against, and the sealing format that check proves.
type Kept = (Arc<Vault>, Option<String>, u8);

impl Sealing {
    /// The vault for the key the store is encrypted under right now, as seen through `db`.
    pub(super) fn vault(&self, keys: &KeySource, path: &Path, db: &Db) -> Result<Arc<Vault>> {
        let check = meta_on(db, "key_check")?;
        if let Some((vault, proven, _)) = &*self.kept.borrow() {
            if *proven == check {
                return Ok(vault.clone());
            }
        }
        let _lock = KeyLock::take(path)?;
        // Read again under the key lock: a rotation that finished while we waited for it has
        // committed a new check and promoted its key together (outside a read snapshot, this
        // sees both).
        let check = meta_on(db, "key_check")?;
        let store_id = meta_on(db, "store_id")?.unwrap_or_default();
        let facts = StoreFacts {
            store_id: &store_id,
            key_check: check.as_deref(),
            encrypted_values: encrypted_values_on(db)?,
            store_path: path,
        };
        let unlocked = keys::unlock(keys, &facts)?;
        let proven = match unlocked.new_key_check {
            Some(new) => {
                super::binding::record_key_check(db, &new)?;
                Some(new)
            }
            None => check,
        };
        let format = proven
            .as_deref()
            .and_then(|c| unlocked.vault.format_of(c))
            .unwrap_or(super::binding::CURRENT);
        let vault = Arc::new(unlocked.vault);
        *self.kept.borrow_mut() = Some((vault.clone(), proven, format));
        Ok(vault)
    }

    /// The vault for a write transaction (`tx` holds the write lock): a store still in an older
    /// sealing format is re-sealed first, inside the same transaction, and a store getting its
    /// first key has its connections sealed.
    pub(super) fn vault_for_write(
        &self,
        keys: &KeySource,
        path: &Path,
        tx: &Db,
    ) -> Result<Arc<Vault>> {
        let keyless = meta_on(tx, "key_check")?.is_none() && encrypted_values_on(tx)? == 0;
        let vault = self.vault(keys, path, tx)?;
        let format = self.format();
        if format < super::binding::CURRENT {
            let check = super::binding::upgrade(tx, &vault, format)?;
            *self.kept.borrow_mut() = Some((vault.clone(), Some(check), super::binding::CURRENT));
        } else if keyless {
            // The store's first key: connections saved before it (which had nothing to be
            // sealed with) are sealed now, as an upgrade would.
            let store = meta_on(tx, "store_id")?.unwrap_or_default();
            super::binding::reseal_all(tx, &vault, &store)?;
            super::binding::record_format(tx)?;
        }
        Ok(vault)
    }

    /// The sealing format of the store as proven by its key check (the current one before any
    /// key was unlocked).
    pub(super) fn format(&self) -> u8 {
        self.kept
            .borrow()
            .as_ref()
            .map_or(super::binding::CURRENT, |k| k.2)
    }

    /// Keeps `vault` as the one proven against `check` (after a rotation in this process).
    pub(super) fn keep(&self, vault: Vault, check: String) {
        *self.kept.borrow_mut() = Some((Arc::new(vault), Some(check), super::binding::CURRENT));
    }
}

/// An exclusive lock on `<store>.keylock`, released when dropped (or when the process dies).
pub(super) struct KeyLock {
    _file: std::fs::File,
}

impl KeyLock {
    pub(super) fn take(store: &Path) -> Result<KeyLock> {
        let mut name = store.as_os_str().to_owned();
        name.push(".keylock");
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            opts.mode(0o600);
        }
        let file = opts.open(&name).map_err(|e| {
            crate::error::Error::Io(format!("cannot open {}: {e}", Path::new(&name).display()))
        })?;
        file.lock().map_err(|e| {
            crate::error::Error::Io(format!("cannot lock {}: {e}", Path::new(&name).display()))
        })?;
        Ok(KeyLock { _file: file })
    }
}
