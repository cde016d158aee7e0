//! Key rotation: every secret re-encrypted (and every MAC recomputed) under a new master key
//! in one durable transaction, with the new key staged before and promoted after; and SQLite's
//! own integrity check.

use std::time::Duration;

use rusqlite::{params, Connection as Db, TransactionBehavior};

use super::{binding, meta_on, sealing, Catalog, Rotation, BUSY_TIMEOUT};
use crate::error::{Error, Result};
use crate::keys::{self, KeySource};
use crate::model::{Kind, SecretField};
use crate::secret::SecretString;
use crate::vault::{MasterKey, Vault};

impl Catalog {
    /// Re-encrypts every secret under a new master key in one transaction. With a keychain or
    /// key file the new key is generated and stored there; with a given key (`PATCHBAY_MASTER_KEY`)
    /// the caller supplies `new_key` and must then update the variable.
    pub fn rotate_key(&mut self, new_key: Option<MasterKey>) -> Result<Rotation> {
        let new_key = match (&self.keys, new_key) {
            (_, Some(k)) => k,
            (KeySource::Given { origin, .. }, None) => {
                return Err(Error::invalid("new_key", format!("the key comes from {origin}: pass the new key (from `patchbay key generate`) on stdin with --new-key-stdin, then update {origin}")))
            }
            (_, None) => MasterKey::generate()?,
        };
        let new = Vault::new(new_key.clone());
        let new_check = new.key_check();
        // The current key is unlocked, and the new one sealed for its key file, before the write
        // lock is taken (both may run scrypt for a while; see `unlock_ahead`).
        self.unlock_ahead()?;
        let staged = keys::prepare(&self.keys, &new_key)?;
        // The rotation's commit must be on disk before the old key is retired: with the usual
        // synchronous=NORMAL a power cut could roll it back while the old key is gone.
        self.db.pragma_update(None, "synchronous", "FULL")?;
        let result = self.rotate_under(new_key, staged, new, new_check);
        self.db.pragma_update(None, "synchronous", "NORMAL")?;
        result
    }

    fn rotate_under(
        &mut self,
        new_key: MasterKey,
        staged: keys::Staged,
        new: Vault,
        new_check: String,
    ) -> Result<Rotation> {
        // The write lock is taken first: no other process can add or change a value between
        // reading the old ciphertexts and replacing them, or rotate at the same time.
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let old = self.sealing.vault_for_write(&self.keys, &self.path, &tx)?;
        // Held from staging the new key until it is promoted: nobody else moves keys meanwhile.
        let _lock = sealing::KeyLock::take(&self.path)?;
        let store_id = meta_on(&tx, "store_id")?.unwrap_or_default();
        // Decrypt everything first: a damaged secret stops the rotation before anything changes.
        let rows = open_every_value(&tx, &old, &store_id)?;
        keys::stage(&self.keys, &store_id, &staged)?;
        let result = (|| -> Result<()> {
            {
                let mut upd = tx.prepare("UPDATE secrets SET ciphertext = ?2 WHERE id = ?1")?;
                for (id, context, value) in &rows {
                    upd.execute(params![id, new.seal(context, value.expose())])?;
                }
            }
            // Only connections intact under the old key are sealed under the new one: one
            // changed outside Patchbay stays refused.
            binding::reseal_intact(&tx, &old, &new, &store_id)?;
            // Kept AWS sessions are a cache: dropped rather than sealed again.
            tx.execute("DELETE FROM aws_sessions", [])?;
            binding::record_key_check(&tx, &new_check)?;
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = result {
            keys::discard(&self.keys, &store_id);
            return Err(e);
        }
        // Move the new ciphertexts into the database file and empty the WAL, so the old ones
        // (under the key about to be retired) do not linger there. A truncating checkpoint
        // waits for readers while keeping writers out, so it is tried without waiting: when
        // another process is reading right now, the WAL is emptied by a later checkpoint
        // instead. The commit is durable either way.
        let _ = self.db.busy_timeout(Duration::ZERO);
        let _ = self
            .db
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let _ = self.db.busy_timeout(BUSY_TIMEOUT);
        keys::promote(&self.keys, &store_id, &new_key)?;
        if let KeySource::Given { origin, .. } = &self.keys {
            self.keys = KeySource::Given {
                key: new_key,
                origin: origin.clone(),
            };
        }
        self.sealing.keep(new, new_check);
        Ok(Rotation {
            secrets_reencrypted: rows.len(),
        })
    }

    /// Checks SQLite's own consistency (`PRAGMA integrity_check`).
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .db
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// Every encrypted value in the store, decrypted with `vault` (for re-encryption): its row id,
/// the context it is bound to, and its value. The store is in the current sealing format.
fn open_every_value(
    db: &Db,
    vault: &Vault,
    store: &str,
) -> Result<Vec<(i64, String, SecretString)>> {
    let mut rows = Vec::new();
    let mut stmt = db.prepare(
        "SELECT s.id, s.ciphertext, s.name, s.field, c.kind, c.name FROM secrets s
         LEFT JOIN connections c ON c.id = s.owner_id",
    )?;
    let mut q = stmt.query([])?;
    while let Some(r) = q.next()? {
        let (id, token): (i64, String) = (r.get(0)?, r.get(1)?);
        let what = match r.get::<_, Option<String>>(2)? {
            Some(name) => format!("secret \"{name}\""),
            None => {
                let field = SecretField::parse(&r.get::<_, String>(3)?)
                    .map_or("secret", SecretField::label);
                let kind =
                    Kind::from_column(&r.get::<_, String>(4)?).map_or("connection", Kind::label);
                format!("the {field} of {kind} \"{}\"", r.get::<_, String>(5)?)
            }
        };
        let context = binding::context_of(db, binding::CURRENT, store, id)?;
        let value = vault.open(&context, &token, &what)?;
        rows.push((id, context, value));
    }
    Ok(rows)
}
