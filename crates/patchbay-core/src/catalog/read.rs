//! Reading connections: the list (one index-ordered scan per kind), one by name, their secret
//! slots, and the mapping of a row to a `Connection` (no key needed for any of it).

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::Catalog;
use crate::error::{Error, Result};
use crate::model::{Connection, Kind, SecretField, SecretSlot, SecretSource, Spec};

impl Catalog {
    /// Every connection, optionally of one kind, sorted by kind (tab order) then name.
    pub fn list(&self, kind: Option<Kind>) -> Result<Vec<Connection>> {
        // One index-ordered scan per kind (no sort), and the secret slots of all connections
        // gathered in one pass: this keeps a 10,000-connection list well under 20 ms.
        let mut slots = self.all_slots()?;
        let mut stmt = self
            .db
            .prepare_cached(&format!("{SELECT_ROW} WHERE c.kind = ?1 ORDER BY c.name"))?;
        // Of the kind asked for (all of them for every kind).
        let total: i64 = self.db.query_row(
            "SELECT count(*) FROM connections WHERE ?1 IS NULL OR kind = ?1",
            [kind.map(|k| k.as_str())],
            |r| r.get(0),
        )?;
        // Sized once: a growing list of 10,000 was copied over and over as it doubled.
        let mut out = Vec::with_capacity(total as usize);
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
        // A row of a kind this build does not know is in no scan above: name it rather than
        // leave it out of the list unsaid.
        if kind.is_none() && total as usize != out.len() {
            self.known_kinds_only()?;
        }
        Ok(out)
    }

    /// Each connection's name, tag and fields, in the list's order, handed to `each` as read:
    /// what a one-line listing needs, without secret slots, timestamps or a list of records
    /// (`patchbay list` at 10,000 spent most of its time building and freeing whole ones).
    pub fn each_listed(
        &self,
        kind: Option<Kind>,
        mut each: impl FnMut(&str, Option<&str>, Spec),
    ) -> Result<()> {
        let mut stmt = self.db.prepare_cached(
            "SELECT name, env_tag, spec FROM connections WHERE kind = ?1 ORDER BY name",
        )?;
        for k in Kind::ALL
            .into_iter()
            .filter(|k| kind.is_none_or(|want| want == *k))
        {
            let mut rows = stmt.query([k.as_str()])?;
            while let Some(r) = rows.next()? {
                // Borrowed from SQLite's row: no string is made for a field only parsed.
                let text = |i| r.get_ref(i).and_then(|v| Ok(v.as_str_or_null()?));
                let name = text(0)?.unwrap_or_default();
                let spec = Spec::from_stored(k, text(2)?.unwrap_or_default())
                    .map_err(|e| unreadable(name, e))?;
                each(name, text(1)?, spec);
            }
        }
        if kind.is_none() {
            self.known_kinds_only()?;
        }
        Ok(())
    }

    /// An error naming a row of a kind this build does not know, if there is one: such a row is
    /// in no scan of the known kinds, and is named rather than left out of a list unsaid.
    fn known_kinds_only(&self) -> Result<()> {
        let known: Vec<String> = Kind::ALL
            .iter()
            .map(|k| format!("'{}'", k.as_str()))
            .collect();
        let unknown: Option<(String, String)> = self
            .db
            .query_row(
                &format!(
                    "SELECT name, kind FROM connections WHERE kind NOT IN ({}) LIMIT 1",
                    known.join(", ")
                ),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match unknown {
            Some((name, kind)) => Err(unknown_kind(&name, &kind)),
            None => Ok(()),
        }
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
                hint: String::new(),
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
}

pub(super) fn slot(field: &str, shared: Option<String>) -> Result<SecretSlot> {
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
pub(super) const SELECT_ROW: &str =
    "SELECT c.id, c.kind, c.name, c.env_tag, c.spec, c.created_at, c.updated_at FROM connections c";

/// A `connections` row before its JSON is parsed.
pub(super) struct RawConnection {
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
        let kind =
            Kind::from_column(&self.kind).ok_or_else(|| unknown_kind(&self.name, &self.kind))?;
        let spec = Spec::from_stored(kind, &self.spec).map_err(|e| unreadable(&self.name, e))?;
        Ok(Connection {
            id: self.id,
            kind: spec.kind(),
            name: self.name,
            env_tag: self.env_tag,
            transport_warning: crate::kinds::transport_warning(&spec),
            credential_warning: crate::kinds::credential_warning(&spec, crate::clock::now_ms()),
            spec,
            secrets,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The error for a row whose fields do not parse.
fn unreadable(name: &str, e: serde_json::Error) -> Error {
    Error::Storage(format!("connection \"{name}\" has unreadable fields: {e}"))
}

/// The error for a row whose kind this build does not know.
fn unknown_kind(name: &str, kind: &str) -> Error {
    Error::Storage(format!(
        "connection \"{name}\" has an unknown kind \"{kind}\": written by a newer Patchbay, or edited outside it"
    ))
}
