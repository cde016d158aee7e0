//! Writing connections: create, edit, rename and remove, each in one transaction. A draft is
//! checked whole (fields, secret inputs, what each kind requires) before anything is written.

use rusqlite::{params, TransactionBehavior};

use super::planned::{duplicate_or, Planned};
use super::Catalog;
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::model::{Connection, ConnectionDraft, Kind};
use crate::validate;

impl Catalog {
    /// Saves a new connection.
    pub fn create(&mut self, draft: ConnectionDraft) -> Result<Connection> {
        self.save(None, draft)
    }

    /// Replaces the fields of the connection called `name` with `draft` (which may rename it).
    /// Secret fields marked `Keep` (or absent) keep their saved values.
    pub fn update(
        &mut self,
        kind: Option<Kind>,
        name: &str,
        draft: ConnectionDraft,
    ) -> Result<Connection> {
        let existing = self.get(kind, name)?;
        if existing.kind != draft.spec.kind() {
            return Err(Error::invalid(
                "kind",
                format!(
                    "\"{}\" is {}; it cannot become {} (create a new one instead)",
                    existing.name,
                    existing.kind.a_label(),
                    draft.spec.kind().a_label()
                ),
            ));
        }
        self.may_rename(&existing, draft.name.trim())?;
        self.save(Some(existing), draft)
    }

    /// Renames a connection.
    pub fn rename(&mut self, kind: Option<Kind>, name: &str, new_name: &str) -> Result<Connection> {
        let existing = self.get(kind, name)?;
        let new_name = validate::name("name", new_name)?;
        self.may_rename(&existing, &new_name)?;
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE connections SET name = ?2, updated_at = ?3 WHERE id = ?1",
            params![existing.id, new_name, now_ms()],
        )
        .map_err(|e| duplicate_or(&tx, e, existing.kind, &new_name))?;
        tx.commit()?;
        self.get_by_id(existing.id)
    }

    pub(super) fn save(
        &mut self,
        existing: Option<Connection>,
        draft: ConnectionDraft,
    ) -> Result<Connection> {
        let planned = Planned::of(existing, draft)?;
        self.unlock_ahead()?;
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let store = super::meta_on(&tx, "store_id")?.unwrap_or_default();
        // Seal new values under the key the store holds now (a store's first save creates it),
        // inside the write lock so a rotation elsewhere cannot slip in between.
        let vault = self.sealing.vault_for_write(&self.keys, &self.path, &tx)?;
        let id = planned.write(&tx, &vault, &store)?;
        tx.commit()?;
        self.get_by_id(id)
    }

    /// Refuses a new name for `c` that takes it from the roles that start from it; a change of
    /// case keeps them (names are caseless).
    fn may_rename(&self, c: &Connection, new_name: &str) -> Result<()> {
        if c.name.eq_ignore_ascii_case(new_name) {
            return Ok(());
        }
        self.no_role_starts_from(c)
    }

    /// Refuses to take `c` away (removed, or renamed) from the S3 connections that assume their
    /// roles with its credentials: they would fail at their next use, far from the cause.
    pub(super) fn no_role_starts_from(&self, c: &Connection) -> Result<()> {
        if c.kind != Kind::S3 {
            return Ok(());
        }
        let users: Vec<String> = self
            .db
            .prepare_cached(
                "SELECT name FROM connections WHERE kind = ?1 AND id != ?2
                 AND json_extract(spec, '$.role.source') = ?3 COLLATE NOCASE ORDER BY name",
            )?
            .query_map(params![Kind::S3.as_str(), c.id, c.name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if users.is_empty() {
            return Ok(());
        }
        Err(Error::SourceInUse {
            name: c.name.clone(),
            users: users.join(", "),
        })
    }
}
