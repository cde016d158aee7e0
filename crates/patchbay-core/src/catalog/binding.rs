//! What each sealed value is bound to, and the seal over each connection. A connection's secret
//! is sealed with its store id, kind, connection uid, field and row uid inside, a named secret
//! with its store id and row uid; in a v3 store (the current format) **every** connection carries
//! a MAC (under a key derived from the master key) over its store id, uid, kind, fields and the
//! named secret each of its secret fields uses (field → that secret's row uid). So a value moved
//! to another row, field, connection or store does not open; a host (port, URL, TLS setting…)
//! edited in SQLite, a field pointed at another named secret, or a connection INSERTed behind
//! Patchbay's back is reported as "changed outside Patchbay" before anything is sent — secrets
//! and ambient credentials (an `az` token, a JWT signed with application-default credentials)
//! alike.
//!
//! The format is proven by the store's key check (sealed, so it cannot be downgraded by editing
//! the file). An older store (v1: values bound to their row only; v2: MACs only on connections
//! with secrets, not covering references) is re-sealed in one transaction the first time its key
//! is unlocked with the write lock available; that upgrade trusts the store as it finds it, once.

use rusqlite::{params, Connection as Db, OptionalExtension as _};

use super::meta_on;
use crate::error::{Error, Result};
use crate::vault::Vault;

/// The current sealing format.
pub(super) const CURRENT: u8 = 3;

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

/// What a connection's MAC covers: everything but its name, tag and own secrets (which are
/// bound to it by their context), and for each field that uses a named secret, that secret's
/// row uid (which its value is bound to).
fn mac_data(db: &Db, store: &str, id: i64) -> Result<Option<(String, Option<String>)>> {
    let row: Option<(Option<String>, String, String, Option<String>)> = db
        .query_row(
            "SELECT uid, kind, spec, mac FROM connections WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((Some(uid), kind, spec, mac)) = row else {
        return Ok(None);
    };
    let mut stmt = db.prepare_cached(
        "SELECT r.field, s.uid FROM secret_refs r JOIN secrets s ON s.id = r.secret_id
         WHERE r.connection_id = ?1 ORDER BY r.field",
    )?;
    let refs = stmt
        .query_map([id], |r| {
            Ok(format!(
                "{}={}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .join("\u{1e}");
    Ok(Some((
        format!("v3\u{1f}{store}\u{1f}{uid}\u{1f}{kind}\u{1f}{spec}\u{1f}{refs}"),
        mac,
    )))
}

/// Seals connection `id` as it now is in `tx` (fields and references): the last write of every
/// change to a connection or to what it references.
pub(super) fn seal(tx: &Db, vault: &Vault, store: &str, id: i64) -> Result<()> {
    if let Some((data, _)) = mac_data(tx, store, id)? {
        tx.execute(
            "UPDATE connections SET mac = ?2 WHERE id = ?1",
            params![id, vault.mac(&data)],
        )?;
    }
    Ok(())
}

/// Whether connection `id` is as Patchbay sealed it.
pub(super) fn intact(db: &Db, vault: &Vault, store: &str, id: i64) -> Result<bool> {
    Ok(match mac_data(db, store, id)? {
        Some((data, Some(m))) => vault.mac_matches(&data, &m),
        _ => false,
    })
}

/// Refuses to use a connection (its secrets, or the credentials its check would send) when its
/// fields or references are not the ones Patchbay sealed.
pub(super) fn verify(db: &Db, vault: &Vault, store: &str, id: i64, what: &str) -> Result<()> {
    if intact(db, vault, store, id)? {
        Ok(())
    } else {
        Err(tampered(what))
    }
}

/// "changed outside Patchbay", for `what`.
pub(super) fn tampered(what: &str) -> Error {
    Error::Tampered(format!(
        "{what} was changed outside Patchbay: its fields or the secrets it uses no longer match their seal, so nothing is sent for it. \
         If you edited the store yourself, edit the connection in Patchbay and enter its secrets again"
    ))
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

/// Re-seals an older store in the current format inside `tx` (which holds the write lock):
/// every value opened with its old binding and sealed with its full context, every connection
/// given its MAC, and a current key check recorded. Returns the new key check.
pub(super) fn upgrade(tx: &Db, vault: &Vault, from: u8) -> Result<String> {
    let store = meta_on(tx, "store_id")?.unwrap_or_default();
    if from < 2 {
        reseal_v1_values(tx, vault, &store)?;
    }
    reseal_all(tx, vault, &store)?;
    let check = vault.key_check();
    record_key_check(tx, &check)?;
    record_format(tx)?;
    Ok(check)
}

/// Every value of a v1 store (bound to its row only) sealed with its full context (v2 and
/// later seal values alike).
fn reseal_v1_values(tx: &Db, vault: &Vault, store: &str) -> Result<()> {
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
            (Some(f), Some(k), Some(c)) => owned(CURRENT, store, &k, &c, &f, &uid),
            _ => user(CURRENT, store, &uid),
        };
        upd.execute(params![id, vault.seal(&context, value.expose())])?;
    }
    Ok(())
}

/// Seals every connection anew under `vault` (an upgrade to this format, a store's first key).
pub(super) fn reseal_all(tx: &Db, vault: &Vault, store: &str) -> Result<()> {
    for id in connection_ids(tx)? {
        seal(tx, vault, store, id)?;
    }
    Ok(())
}

/// Seals anew under `new` every connection that `old` vouches for (a key rotation).
pub(super) fn reseal_intact(tx: &Db, old: &Vault, new: &Vault, store: &str) -> Result<()> {
    for id in connection_ids(tx)? {
        if intact(tx, old, store, id)? {
            seal(tx, new, store, id)?;
        }
    }
    Ok(())
}

/// Replaces the value of the named secret `name` by running `change` (which gives it a new row
/// uid) and seals anew the connections that use it — those that were intact before: one changed
/// outside Patchbay stays refused.
pub(super) fn change_named_secret<T>(
    tx: &Db,
    vault: &Vault,
    name: &str,
    change: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let store = meta_on(tx, "store_id")?.unwrap_or_default();
    let users: Vec<i64> = tx
        .prepare(
            "SELECT r.connection_id FROM secret_refs r JOIN secrets s ON s.id = r.secret_id
             WHERE s.owner_id IS NULL AND s.name = ?1",
        )?
        .query_map([name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut intact_users = Vec::new();
    for id in users {
        if intact(tx, vault, &store, id)? {
            intact_users.push(id);
        }
    }
    let out = change()?;
    for id in intact_users {
        seal(tx, vault, &store, id)?;
    }
    Ok(out)
}

fn connection_ids(tx: &Db) -> Result<Vec<i64>> {
    Ok(tx
        .prepare("SELECT id FROM connections")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Notes in `meta` that the store is in the current format (a hint that spares a read of the
/// key: the format itself is proven by the key check).
pub(super) fn record_format(tx: &Db) -> Result<()> {
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('seal_format', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [CURRENT.to_string()],
    )?;
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

/// Records which key encrypts the store (the key check, which also proves the format).
pub(super) fn record_key_check(db: &Db, check: &str) -> Result<()> {
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('key_check', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [check],
    )?;
    Ok(())
}
