//! The `Catalog`: the user's saved connections and secrets in SQLite, with their secret values
//! sealed by the vault. It opens without the master key (listing needs none) and unlocks the
//! key the first time a secret is written or read.

mod binding;
mod checks;
mod connections;
mod kept;
mod schema;
mod sealing;
mod user_secrets;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{params, Connection as Db, OptionalExtension, Transaction, TransactionBehavior};

use crate::error::{Error, Result};
use crate::keys::{self, KeySource};
use crate::model::{Connection, Kind, SecretField, SecretSlot, SecretSource, Spec};
use crate::secret::SecretString;
use crate::vault::{MasterKey, Vault};

pub use checks::CheckSummary;
pub use schema::VERSION as SCHEMA_VERSION;

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

/// A connection with its secrets decrypted: what a check or a consumer needs at run time.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub connection: Connection,
    pub secrets: HashMap<SecretField, SecretString>,
}

impl Resolved {
    pub fn secret(&self, field: SecretField) -> Option<&SecretString> {
        self.secrets.get(&field)
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
        Catalog::open(&dir.join(crate::paths::CATALOG_FILE), keys)
    }

    /// Opens (creating if needed) the store file at `path`.
    pub fn open(path: &Path, keys: KeySource) -> Result<Catalog> {
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

    /// Re-seals a store still in an older sealing format (one transaction, with the write lock)
    /// before secrets are read from it. Costs one meta read when there is nothing to do.
    fn upgrade_if_pending(&self) -> Result<()> {
        if !self.db.is_autocommit()
            || meta_on(&self.db, "seal_format")?.as_deref() == Some("2")
            || encrypted_values_on(&self.db)? == 0
        {
            return Ok(());
        }
        let tx = Transaction::new_unchecked(&self.db, TransactionBehavior::Immediate)?;
        self.sealing.vault_for_write(&self.keys, &self.path, &tx)?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('seal_format', '2')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [],
        )?;
        tx.commit()?;
        Ok(())
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

    // ------------------------------------------------------------------ reading

    /// Every connection, optionally of one kind, sorted by kind (tab order) then name.
    pub fn list(&self, kind: Option<Kind>) -> Result<Vec<Connection>> {
        // One index-ordered scan per kind (no sort), and the secret slots of all connections
        // gathered in one pass: this keeps a 10,000-connection list well under 20 ms.
        let mut slots = self.all_slots()?;
        let mut stmt = self
            .db
            .prepare_cached(&format!("{SELECT_ROW} WHERE c.kind = ?1 ORDER BY c.name"))?;
        let mut out = Vec::new();
        for k in Kind::ALL
            .into_iter()
            .filter(|k| kind.is_none_or(|want| want == *k))
        {
            for row in stmt.query_map([k.as_str()], RawConnection::from_row)? {
                let row = row?;
                let secrets = slots.remove(&row.id).unwrap_or_default();
                out.push(row.into_connection(secrets)?);
            }
        }
        Ok(out)
    }

    /// Secret slots of every connection, by connection id.
    fn all_slots(&self) -> Result<HashMap<i64, Vec<SecretSlot>>> {
        let mut map: HashMap<i64, Vec<SecretSlot>> = HashMap::new();
        let mut stmt = self.db.prepare_cached(
            "SELECT owner_id, field, NULL FROM secrets WHERE owner_id IS NOT NULL
             UNION ALL
             SELECT r.connection_id, r.field, s.name FROM secret_refs r JOIN secrets s ON s.id = r.secret_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let field: String = r.get(1)?;
            map.entry(r.get(0)?)
                .or_default()
                .push(slot(&field, r.get(2)?)?);
        }
        for slots in map.values_mut() {
            slots.sort_by_key(|s| s.field);
        }
        Ok(map)
    }

    /// The connection called `name` (of `kind` when given).
    pub fn get(&self, kind: Option<Kind>, name: &str) -> Result<Connection> {
        let mut stmt = self.db.prepare_cached(&format!(
            "{SELECT_ROW} WHERE c.name = ?1 AND (?2 IS NULL OR c.kind = ?2) ORDER BY c.kind"
        ))?;
        let mut rows: Vec<RawConnection> = stmt
            .query_map(
                params![name.trim(), kind.map(Kind::as_str)],
                RawConnection::from_row,
            )?
            .collect::<rusqlite::Result<_>>()?;
        match rows.len() {
            0 => Err(Error::NotFound {
                what: kind.map_or("connection", Kind::label).to_string(),
                name: name.to_string(),
                hint: "; `patchbay list` shows the saved ones".into(),
            }),
            1 => {
                let row = rows.remove(0);
                let secrets = self.slots_of(row.id)?;
                row.into_connection(secrets)
            }
            _ => Err(Error::Ambiguous {
                name: name.to_string(),
                kinds: rows
                    .iter()
                    .map(|r| r.kind.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    pub(crate) fn get_by_id(&self, id: i64) -> Result<Connection> {
        let mut stmt = self
            .db
            .prepare_cached(&format!("{SELECT_ROW} WHERE c.id = ?1"))?;
        let row = stmt.query_row([id], RawConnection::from_row)?;
        let secrets = self.slots_of(id)?;
        row.into_connection(secrets)
    }

    fn slots_of(&self, id: i64) -> Result<Vec<SecretSlot>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT field, NULL FROM secrets WHERE owner_id = ?1
             UNION ALL
             SELECT r.field, s.name FROM secret_refs r JOIN secrets s ON s.id = r.secret_id WHERE r.connection_id = ?1",
        )?;
        let mut slots = Vec::new();
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            let field: String = r.get(0)?;
            slots.push(slot(&field, r.get(1)?)?);
        }
        slots.sort_by_key(|s| s.field);
        Ok(slots)
    }

    /// The connection with its secrets decrypted. The only way secrets leave the store for use.
    pub fn resolve(&self, kind: Option<Kind>, name: &str) -> Result<Resolved> {
        self.upgrade_if_pending()?;
        let _snapshot = self.snapshot()?;
        let connection = self.get(kind, name)?;
        let mut secrets = HashMap::new();
        if !connection.secrets.is_empty() {
            let vault = self.vault()?;
            for slot in &connection.secrets {
                secrets.insert(
                    slot.field,
                    self.open_field(&vault, &connection, slot.field)?,
                );
            }
        }
        Ok(Resolved {
            connection,
            secrets,
        })
    }

    /// A form that may not be saved yet, resolved for a check: its own values where it has
    /// them, and for secret fields left as "keep" while editing `editing`, the stored values
    /// (never a masked placeholder).
    pub fn resolve_draft(
        &self,
        draft: &crate::model::ConnectionDraft,
        editing: Option<(Kind, &str)>,
    ) -> Result<Resolved> {
        use crate::model::SecretInput;
        let spec = crate::validate::spec(&draft.spec)?;
        self.upgrade_if_pending()?;
        let _snapshot = self.snapshot()?;
        let kind = spec.kind();
        let existing = match editing {
            Some((k, name)) => Some(self.get(Some(k), name)?),
            None => None,
        };
        // Kept secrets are those of the connection being edited, which must be of this kind,
        // and they are sent only where they were saved for.
        if let Some(c) = &existing {
            kept::same_kind(c, &spec)?;
            if let Some((field, why)) = kept::first_moved(c, draft, &spec) {
                return Err(kept::refusal(field, &why, false));
            }
        }
        let mut secrets = HashMap::new();
        let mut slots = Vec::new();
        for field in kind.secret_fields() {
            let value = match draft.secrets.get(field).unwrap_or(&SecretInput::Keep) {
                SecretInput::Value { value } => Some(value.clone()),
                SecretInput::Secret { name } => {
                    Some(self.reveal_secret(name).map_err(|e| match e {
                        Error::NotFound { .. } => Error::invalid(
                            field.as_str(),
                            format!("there is no secret named \"{name}\""),
                        ),
                        other => other,
                    })?)
                }
                SecretInput::Keep => match &existing {
                    Some(c) if c.has_secret(*field) => {
                        Some(self.open_field(&*self.vault()?, c, *field)?)
                    }
                    _ => None,
                },
                SecretInput::Clear => None,
            };
            if let Some(v) = value {
                secrets.insert(*field, v);
                slots.push(SecretSlot {
                    field: *field,
                    source: SecretSource::Owned,
                });
            }
        }
        let connection = Connection {
            id: existing.as_ref().map_or(0, |c| c.id),
            name: draft.name.trim().to_string(),
            kind,
            env_tag: draft.env_tag.clone(),
            transport_warning: spec.transport_warning(),
            spec,
            secrets: slots,
            created_at: existing.as_ref().map_or(0, |c| c.created_at),
            updated_at: existing.as_ref().map_or(0, |c| c.updated_at),
        };
        Ok(Resolved {
            connection,
            secrets,
        })
    }

    /// Every connection (of `kind`, if given) resolved, in list order: what "test all" checks.
    pub fn resolve_all(&self, kind: Option<Kind>) -> Result<Vec<Resolved>> {
        self.upgrade_if_pending()?;
        let _snapshot = self.snapshot()?;
        self.list(kind)?
            .iter()
            .map(|c| self.resolve(Some(c.kind), &c.name))
            .collect()
    }

    /// One secret field of a connection, decrypted (the UI's "reveal").
    pub fn reveal(
        &self,
        kind: Option<Kind>,
        name: &str,
        field: SecretField,
    ) -> Result<SecretString> {
        self.upgrade_if_pending()?;
        let _snapshot = self.snapshot()?;
        let connection = self.get(kind, name)?;
        if !connection.has_secret(field) {
            return Err(Error::invalid(
                field.as_str(),
                format!(
                    "{} \"{}\" has no {} saved",
                    connection.kind.label(),
                    connection.name,
                    field.label()
                ),
            ));
        }
        self.open_field(&*self.vault()?, &connection, field)
    }

    fn open_field(
        &self,
        vault: &Vault,
        c: &Connection,
        field: SecretField,
    ) -> Result<SecretString> {
        let format = self.sealing.format();
        let store = self.store_id()?;
        let conn_what = format!("{} \"{}\"", c.kind.label(), c.name);
        if format >= 2 {
            binding::verify(&self.db, vault, &store, c.id, &conn_what)?;
        }
        let (uid, token, shared, conn_uid): (String, String, Option<String>, Option<String>) = self
            .db
            .query_row(
                "SELECT s.uid, s.ciphertext, NULL, c.uid FROM secrets s JOIN connections c ON c.id = s.owner_id
                 WHERE s.owner_id = ?1 AND s.field = ?2
                 UNION ALL
                 SELECT s.uid, s.ciphertext, s.name, NULL FROM secret_refs r JOIN secrets s ON s.id = r.secret_id
                 WHERE r.connection_id = ?1 AND r.field = ?2",
                params![c.id, field.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: field.label().into(),
                name: c.name.clone(),
                hint: String::new(),
            })?;
        let (what, context) = match &shared {
            Some(s) => (
                format!("secret \"{s}\" (the {} of {conn_what})", field.label()),
                binding::user(format, &store, &uid),
            ),
            None => (
                format!("the {} of {conn_what}", field.label()),
                binding::owned(
                    format,
                    &store,
                    c.kind.as_str(),
                    conn_uid.as_deref().unwrap_or(""),
                    field.as_str(),
                    &uid,
                ),
            ),
        };
        vault.open(&context, &token, &what)
    }

    // ------------------------------------------------------------------ keys

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
            binding::reseal_macs(&tx, &new, &store_id)?;
            sealing::record_key_check(&tx, &new_check)?;
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

fn slot(field: &str, shared: Option<String>) -> Result<SecretSlot> {
    let field = SecretField::parse(field)
        .ok_or_else(|| Error::Storage(format!("unknown secret field \"{field}\" in the store")))?;
    Ok(SecretSlot {
        field,
        source: match shared {
            Some(name) => SecretSource::Shared { name },
            None => SecretSource::Owned,
        },
    })
}

/// The columns of a connection row.
const SELECT_ROW: &str =
    "SELECT c.id, c.kind, c.name, c.env_tag, c.spec, c.created_at, c.updated_at FROM connections c";

/// A `connections` row before its JSON is parsed.
struct RawConnection {
    id: i64,
    kind: String,
    name: String,
    env_tag: Option<String>,
    spec: String,
    created_at: i64,
    updated_at: i64,
}

impl RawConnection {
    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<RawConnection> {
        Ok(RawConnection {
            id: r.get(0)?,
            kind: r.get(1)?,
            name: r.get(2)?,
            env_tag: r.get(3)?,
            spec: r.get(4)?,
            created_at: r.get(5)?,
            updated_at: r.get(6)?,
        })
    }

    fn into_connection(self, secrets: Vec<SecretSlot>) -> Result<Connection> {
        let unreadable = |e: serde_json::Error| {
            Error::Storage(format!(
                "connection \"{}\" has unreadable fields: {e}",
                self.name
            ))
        };
        // Each kind's fields are stored untagged (the kind column says which): parsing them
        // directly is several times faster than through the tagged enum.
        let spec = match Kind::from_column(&self.kind) {
            Some(Kind::Database) => {
                Spec::Database(serde_json::from_str(&self.spec).map_err(unreadable)?)
            }
            Some(Kind::Storage) => {
                Spec::Storage(serde_json::from_str(&self.spec).map_err(unreadable)?)
            }
            Some(Kind::Kafka) => Spec::Kafka(serde_json::from_str(&self.spec).map_err(unreadable)?),
            None => {
                return Err(Error::Storage(format!(
                    "connection \"{}\" has an unknown kind \"{}\"",
                    self.name, self.kind
                )))
            }
        };
        Ok(Connection {
            id: self.id,
            kind: spec.kind(),
            name: self.name,
            env_tag: self.env_tag,
            transport_warning: spec.transport_warning(),
            spec,
            secrets,
            created_at: self.created_at,
            updated_at: self.updated_at,
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
                let kind = Kind::parse(&r.get::<_, String>(4)?).map_or("connection", Kind::label);
                format!("the {field} of {kind} \"{}\"", r.get::<_, String>(5)?)
            }
        };
        let context = binding::context_of(db, binding::CURRENT, store, id)?;
        let value = vault.open(&context, &token, &what)?;
        rows.push((id, context, value));
    }
    Ok(rows)
}
