//! Deleting connections, and undoing a deletion. A deletion can leave a `Tombstone`: the
//! connection's row, its secrets still sealed, its references to shared secrets, its last
//! check and its favourite mark, held in memory by the caller. Restoring it puts them back as
//! they were, so the sealed values (bound to the connection's uid, not its row id) open again. A restore is refused when
//! the name was taken meanwhile, a shared secret it used is gone, or the store's key changed.

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::{meta_on, unique_violation, Catalog};
use crate::error::{Error, Result};
use crate::model::{Connection, Kind};

/// A deleted connection as it was stored; its secrets stay sealed. Its `Debug` shows the name.
pub struct Tombstone {
    kind: Kind,
    name: String,
    row: Row,
    owned: Vec<Owned>,
    refs: Vec<(String, i64)>,
    check: Option<Check>,
    usage: Option<(bool, Option<i64>)>,
    /// The store's key check, id and sealing format when it was deleted.
    key: [Option<String>; 3],
}

struct Row {
    env_tag: Option<String>,
    spec: String,
    created_at: i64,
    updated_at: i64,
    uid: Option<String>,
    mac: Option<String>,
}

struct Owned {
    uid: String,
    field: String,
    ciphertext: String,
    created_at: i64,
    updated_at: i64,
}

struct Check {
    ok: i64,
    failed_step: Option<String>,
    message: String,
    total_ms: f64,
    checked_at: i64,
}

impl std::fmt::Debug for Tombstone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tombstone")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

const KEY_META: [&str; 3] = ["key_check", "store_id", "seal_format"];

impl Catalog {
    /// Deletes a connection with the secrets it owns. Shared secrets it used stay.
    pub fn remove(&mut self, kind: Option<Kind>, name: &str) -> Result<Connection> {
        self.remove_undoable(kind, name).map(|(c, _)| c)
    }

    /// Deletes a connection like `remove`, and hands back what it takes to undo that.
    pub fn remove_undoable(
        &mut self,
        kind: Option<Kind>,
        name: &str,
    ) -> Result<(Connection, Tombstone)> {
        let existing = self.get(kind, name)?;
        self.no_role_starts_from(&existing)?;
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = existing.id;
        let row = tx.query_row(
            "SELECT env_tag, spec, created_at, updated_at, uid, mac FROM connections WHERE id = ?1",
            [id],
            |r| {
                Ok(Row {
                    env_tag: r.get(0)?,
                    spec: r.get(1)?,
                    created_at: r.get(2)?,
                    updated_at: r.get(3)?,
                    uid: r.get(4)?,
                    mac: r.get(5)?,
                })
            },
        )?;
        let owned = tx
            .prepare("SELECT uid, field, ciphertext, created_at, updated_at FROM secrets WHERE owner_id = ?1")?
            .query_map([id], |r| {
                Ok(Owned {
                    uid: r.get(0)?,
                    field: r.get(1)?,
                    ciphertext: r.get(2)?,
                    created_at: r.get(3)?,
                    updated_at: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let refs = tx
            .prepare("SELECT field, secret_id FROM secret_refs WHERE connection_id = ?1")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let check = tx
            .query_row(
                "SELECT ok, failed_step, message, total_ms, checked_at FROM last_checks WHERE connection_id = ?1",
                [id],
                |r| {
                    Ok(Check {
                        ok: r.get(0)?,
                        failed_step: r.get(1)?,
                        message: r.get(2)?,
                        total_ms: r.get(3)?,
                        checked_at: r.get(4)?,
                    })
                },
            )
            .optional()?;
        let usage = tx
            .query_row(
                "SELECT favourite, used_at FROM usage WHERE connection_id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let key = [
            meta_on(&tx, KEY_META[0])?,
            meta_on(&tx, KEY_META[1])?,
            meta_on(&tx, KEY_META[2])?,
        ];
        tx.execute("DELETE FROM connections WHERE id = ?1", [id])?;
        tx.commit()?;
        let tombstone = Tombstone {
            kind: existing.kind,
            name: existing.name.clone(),
            row,
            owned,
            refs,
            check,
            usage,
            key,
        };
        Ok((existing, tombstone))
    }

    /// Puts a deleted connection back as it was: fields, sealed secrets, shared-secret
    /// references and last check.
    pub fn restore(&mut self, t: Tombstone) -> Result<Connection> {
        let what = format!("{} \"{}\"", t.kind.label(), t.name);
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Sealed values and the fields' MAC open only under the key they were sealed with.
        let sealed = !t.owned.is_empty() || t.row.mac.is_some();
        for (i, key) in KEY_META.iter().enumerate() {
            if sealed && meta_on(&tx, key)? != t.key[i] {
                return Err(Error::UndoUnavailable(format!(
                    "the deletion of {what} cannot be undone: the store's key was changed since"
                )));
            }
        }
        let r = &t.row;
        tx.execute(
            "INSERT INTO connections (kind, name, env_tag, spec, created_at, updated_at, uid, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![t.kind.as_str(), t.name, r.env_tag, r.spec, r.created_at, r.updated_at, r.uid, r.mac],
        )
        .map_err(|e| {
            if unique_violation(&e) {
                Error::UndoUnavailable(format!(
                    "the deletion of {what} cannot be undone: a {} named \"{}\" was saved since",
                    t.kind.label(),
                    t.name
                ))
            } else {
                e.into()
            }
        })?;
        let id = tx.last_insert_rowid();
        for o in &t.owned {
            tx.execute(
                "INSERT INTO secrets (uid, owner_id, field, ciphertext, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![o.uid, id, o.field, o.ciphertext, o.created_at, o.updated_at],
            )?;
        }
        for (field, secret_id) in &t.refs {
            let shared: Option<String> = tx
                .query_row(
                    "SELECT name FROM secrets WHERE id = ?1 AND owner_id IS NULL",
                    [secret_id],
                    |r| r.get(0),
                )
                .optional()?;
            if shared.is_none() {
                return Err(Error::UndoUnavailable(format!(
                    "the deletion of {what} cannot be undone: the shared secret its {} used was deleted since",
                    field.replace('_', " ")
                )));
            }
            tx.execute(
                "INSERT INTO secret_refs (connection_id, field, secret_id) VALUES (?1, ?2, ?3)",
                params![id, field, secret_id],
            )?;
        }
        if let Some(c) = &t.check {
            tx.execute(
                "INSERT INTO last_checks (connection_id, ok, failed_step, message, total_ms, checked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, c.ok, c.failed_step, c.message, c.total_ms, c.checked_at],
            )?;
        }
        // Sealed anew as restored: a shared secret it uses may have a new value (and row uid)
        // since the deletion.
        let vault = self.sealing.vault_for_write(&self.keys, &self.path, &tx)?;
        let store = meta_on(&tx, "store_id")?.unwrap_or_default();
        super::binding::seal(&tx, &vault, &store, id)?;
        if let Some((favourite, used_at)) = t.usage {
            tx.execute(
                "INSERT INTO usage (connection_id, favourite, used_at) VALUES (?1, ?2, ?3)",
                params![id, favourite, used_at],
            )?;
        }
        tx.commit()?;
        self.get_by_id(id)
    }
}
