//! What each sealed value is bound to, and the seal over each connection's fields. In a v2
//! store (the current format) a connection's secret is sealed with its store id, kind,
//! connection uid, field and row uid inside, a named secret with its store id and row uid, and
//! every connection that has secrets carries a MAC (under a key derived from the master key)
//! over its store id, uid, kind and fields. So a value moved to another row, field, connection
//! or store does not open, and a host (port, URL, TLS setting…) edited in SQLite behind
//! Patchbay's back is reported as "changed outside Patchbay" before any secret is used.
//!
//! The format is proven by the store's key check (sealed, so it cannot be downgraded by editing
//! the file). A v1 store (values bound to their row only, no MACs) is re-sealed in one
//! transaction the first time its key is unlocked with the write lock available.

use rusqlite::{params, Connection as Db, OptionalExtension as _};

use super::{meta_on, sealing};
use crate::error::{Error, Result};
use crate::vault::Vault;

/// The current sealing format.
pub(super) const CURRENT: u8 = 2;

/// The context a connection's own secret is sealed with.
pub(super) fn owned(
    format: u8,
    store: &str,
    kind: &str,
    connection: &str,
    field: &str,
    uid: &str,
) -> String {
    if format < 2 {
        return uid.to_string();
    }
    format!("v2\u{1f}{store}\u{1f}{kind}\u{1f}{connection}\u{1f}{field}\u{1f}{uid}")
}

/// The context a named (user) secret is sealed with.
pub(super) fn user(format: u8, store: &str, uid: &str) -> String {
    if format < 2 {
        return uid.to_string();
    }
    format!("v2\u{1f}{store}\u{1f}user\u{1f}{uid}")
}

/// What a connection's MAC covers: everything but its name, tag and secrets.
fn mac_data(store: &str, connection: &str, kind: &str, spec_json: &str) -> String {
    format!("{store}\u{1f}{connection}\u{1f}{kind}\u{1f}{spec_json}")
}

pub(super) fn mac(vault: &Vault, store: &str, connection: &str, kind: &str, spec: &str) -> String {
    vault.mac(&mac_data(store, connection, kind, spec))
}

/// Refuses to use a connection's secrets when its fields are not the ones Patchbay sealed.
pub(super) fn verify(db: &Db, vault: &Vault, store: &str, id: i64, what: &str) -> Result<()> {
    let (uid, kind, spec, stored): (Option<String>, String, String, Option<String>) = db
        .query_row(
            "SELECT uid, kind, spec, mac FROM connections WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let ok = match (uid, stored) {
        (Some(uid), Some(m)) => vault.mac_matches(&mac_data(store, &uid, &kind, &spec), &m),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::Tampered(format!(
            "{what} was changed outside Patchbay: its fields no longer match their seal, so its secrets are not used. \
             If you edited the store yourself, edit the connection in Patchbay and enter its secrets again"
        )))
    }
}

/// A secret row with what binds it: id, uid, token, field, kind, connection uid, name.
type SecretRow = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Re-seals a v1 store in the current format inside `tx` (which holds the write lock): every
/// value opened with its v1 binding and sealed with its full context, every connection with
/// secrets given its MAC, and a v2 key check recorded. Returns the new key check.
pub(super) fn upgrade(tx: &Db, vault: &Vault) -> Result<String> {
    let store = meta_on(tx, "store_id")?.unwrap_or_default();
    let rows: Vec<SecretRow> = {
        let mut stmt = tx.prepare(
            "SELECT s.id, s.uid, s.ciphertext, s.field, c.kind, c.uid, coalesce(s.name, c.name) FROM secrets s
             LEFT JOIN connections c ON c.id = s.owner_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };
    let mut upd = tx.prepare("UPDATE secrets SET ciphertext = ?2 WHERE id = ?1")?;
    for (id, uid, token, field, kind, conn_uid, name) in rows {
        let value = vault.open(&uid, &token, &format!("\"{}\"", name.unwrap_or_default()))?;
        let context = match (field, kind, conn_uid) {
            (Some(f), Some(k), Some(c)) => owned(CURRENT, &store, &k, &c, &f, &uid),
            _ => user(CURRENT, &store, &uid),
        };
        upd.execute(params![id, vault.seal(&context, value.expose())])?;
    }
    reseal_macs(tx, vault, &store)?;
    let check = vault.key_check();
    sealing::record_key_check(tx, &check)?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('seal_format', '2')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [],
    )?;
    Ok(check)
}

/// Computes the MAC of every connection that has secrets (owned or shared) under `vault`.
pub(super) fn reseal_macs(tx: &Db, vault: &Vault, store: &str) -> Result<()> {
    let rows: Vec<(i64, String, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT c.id, c.uid, c.kind, c.spec FROM connections c
             WHERE EXISTS (SELECT 1 FROM secrets s WHERE s.owner_id = c.id)
                OR EXISTS (SELECT 1 FROM secret_refs r WHERE r.connection_id = c.id)",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows
    };
    let mut upd = tx.prepare("UPDATE connections SET mac = ?2 WHERE id = ?1")?;
    for (id, uid, kind, spec) in rows {
        upd.execute(params![id, mac(vault, store, &uid, &kind, &spec)])?;
    }
    Ok(())
}

/// The context of the secret in row `secret_id`, read from the store (for rotation).
pub(super) fn context_of(db: &Db, format: u8, store: &str, secret_id: i64) -> Result<String> {
    let (uid, field, kind, conn): (String, Option<String>, Option<String>, Option<String>) = db
        .query_row(
            "SELECT s.uid, s.field, c.kind, c.uid FROM secrets s LEFT JOIN connections c ON c.id = s.owner_id WHERE s.id = ?1",
            [secret_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?
        .ok_or_else(|| Error::Storage(format!("secret row {secret_id} vanished")))?;
    Ok(match (field, kind, conn) {
        (Some(f), Some(k), Some(c)) => owned(format, store, &k, &c, &f, &uid),
        _ => user(format, store, &uid),
    })
}
