//! The user's named secrets (the Secrets tab): set, rename, remove, reveal. A secret that a
//! connection uses cannot be removed; the refusal names the connections.

use rusqlite::{params, OptionalExtension, TransactionBehavior};

use super::{unique_violation, Catalog};
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::model::SecretInfo;
use crate::secret::SecretString;
use crate::validate;
use crate::vault::{random_uid, Vault};

impl Catalog {
    /// Every user secret (never connection-owned ones), by name.
    pub fn list_secrets(&self) -> Result<Vec<SecretInfo>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT s.name, s.description, s.created_at, s.updated_at,
                    (SELECT group_concat(c.kind || '/' || c.name, char(10)) FROM secret_refs r
                       JOIN connections c ON c.id = r.connection_id WHERE r.secret_id = s.id)
             FROM secrets s WHERE s.owner_id IS NULL ORDER BY s.name",
        )?;
        let rows = stmt.query_map([], info_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One user secret's metadata.
    pub fn secret_info(&self, name: &str) -> Result<SecretInfo> {
        self.db
            .query_row(
                "SELECT s.name, s.description, s.created_at, s.updated_at,
                        (SELECT group_concat(c.kind || '/' || c.name, char(10)) FROM secret_refs r
                           JOIN connections c ON c.id = r.connection_id WHERE r.secret_id = s.id)
                 FROM secrets s WHERE s.owner_id IS NULL AND s.name = ?1",
                [name.trim()],
                info_from_row,
            )
            .optional()?
            .ok_or_else(|| not_found(name))
    }

    /// Creates the secret `name`, or replaces its value if it exists. `description: None` keeps
    /// the saved description; `Some("")` clears it.
    pub fn put_secret(
        &mut self,
        name: &str,
        value: &SecretString,
        description: Option<&str>,
    ) -> Result<SecretInfo> {
        let name = validate::name("name", name)?;
        validate::secret_value("value", value.expose())?;
        let description = description
            .map(|d| validate::text("description", d, false))
            .transpose()?;
        let now = now_ms();
        self.unlock_ahead()?;
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let vault = self.sealing.vault_for_write(&self.keys, &self.path, &tx)?;
        put_in(&tx, &vault, &name, value, description.as_deref(), now)?;
        tx.commit()?;
        self.secret_info(&name)
    }

    /// The window's "save" of a secret, as one transaction: creates `name` (`editing: None`,
    /// a value required, the name free) or edits the secret called `editing`, renaming it to
    /// `name`, replacing its value when one is given and its description. Checked whole before
    /// anything is written; a failure leaves the secret as it was.
    pub fn save_secret(
        &mut self,
        editing: Option<&str>,
        name: &str,
        value: Option<&SecretString>,
        description: Option<&str>,
    ) -> Result<SecretInfo> {
        let name = validate::name("name", name)?;
        let description = validate::text("description", description.unwrap_or(""), false)?;
        if let Some(v) = value {
            validate::secret_value("value", v.expose())?;
        }
        if editing.is_none() && value.is_none() {
            return Err(Error::invalid(
                "value",
                "is required; enter the secret's value",
            ));
        }
        let now = now_ms();
        if value.is_some() {
            self.unlock_ahead()?;
        }
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let taken = |n: &str| -> Result<bool> {
            Ok(tx
                .query_row(
                    "SELECT 1 FROM secrets WHERE owner_id IS NULL AND name = ?1",
                    [n],
                    |_| Ok(()),
                )
                .optional()?
                .is_some())
        };
        let duplicate = || Error::Duplicate {
            kind: "secret".into(),
            name: name.clone(),
        };
        let old = match editing {
            Some(old) => {
                if !taken(old.trim())? {
                    return Err(not_found(old));
                }
                if !old.trim().eq_ignore_ascii_case(&name) && taken(&name)? {
                    return Err(duplicate());
                }
                old.trim().to_string()
            }
            None => {
                if taken(&name)? {
                    return Err(duplicate());
                }
                name.clone()
            }
        };
        // The key is needed only for a new value.
        let vault = match value {
            Some(_) => Some(self.sealing.vault_for_write(&self.keys, &self.path, &tx)?),
            None => None,
        };
        let sealed = match (value, &vault) {
            (Some(v), Some(vault)) => Some(seal_user_value(vault, &tx, v)?),
            _ => None,
        };
        match (editing, sealed) {
            (None, Some((uid, token))) => {
                tx.execute(
                    "INSERT INTO secrets (uid, name, description, ciphertext, created_at, updated_at) VALUES (?1, ?2, nullif(?3, ''), ?4, ?5, ?5)",
                    params![uid, name, description, token, now],
                )?;
            }
            (Some(_), Some((uid, token))) => {
                let vault = vault.as_ref().expect("a new value was sealed with it");
                super::binding::change_named_secret(&tx, vault, &old, || {
                    Ok(tx.execute(
                        "UPDATE secrets SET name = ?2, description = nullif(?3, ''), uid = ?4, ciphertext = ?5, updated_at = ?6 WHERE owner_id IS NULL AND name = ?1",
                        params![old, name, description, uid, token, now],
                    )?)
                })?;
            }
            (Some(_), None) => {
                tx.execute(
                    "UPDATE secrets SET name = ?2, description = nullif(?3, ''), updated_at = ?4 WHERE owner_id IS NULL AND name = ?1",
                    params![old, name, description, now],
                )?;
            }
            (None, None) => unreachable!("refused above"),
        }
        tx.commit()?;
        self.secret_info(&name)
    }

    /// Changes only the description of a secret.
    pub fn describe_secret(&mut self, name: &str, description: &str) -> Result<SecretInfo> {
        let description = validate::text("description", description, false)?;
        let n = self.db.execute(
            "UPDATE secrets SET description = nullif(?2, ''), updated_at = ?3 WHERE owner_id IS NULL AND name = ?1",
            params![name.trim(), description, now_ms()],
        )?;
        if n == 0 {
            return Err(not_found(name));
        }
        self.secret_info(name)
    }

    /// Renames a secret; connections that use it follow.
    pub fn rename_secret(&mut self, name: &str, new_name: &str) -> Result<SecretInfo> {
        let new_name = validate::name("name", new_name)?;
        let n = self
            .db
            .execute(
                "UPDATE secrets SET name = ?2, updated_at = ?3 WHERE owner_id IS NULL AND name = ?1",
                params![name.trim(), new_name, now_ms()],
            )
            .map_err(|e| {
                if unique_violation(&e) {
                    Error::Duplicate { kind: "secret".into(), name: new_name.clone() }
                } else {
                    e.into()
                }
            })?;
        if n == 0 {
            return Err(not_found(name));
        }
        self.secret_info(&new_name)
    }

    /// Removes a secret, unless a connection uses it.
    pub fn remove_secret(&mut self, name: &str) -> Result<SecretInfo> {
        let info = self.secret_info(name)?;
        if !info.used_by.is_empty() {
            return Err(Error::SecretInUse {
                name: info.name,
                users: info.used_by.join(", "),
            });
        }
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM secrets WHERE owner_id IS NULL AND name = ?1",
            [&info.name],
        )?;
        tx.commit()?;
        Ok(info)
    }

    /// A secret's value (the UI's "reveal", `patchbay secret show --reveal`).
    pub fn reveal_secret(&self, name: &str) -> Result<SecretString> {
        self.upgrade_if_pending()?;
        let _snapshot = self.snapshot()?;
        let (uid, token, real): (String, String, String) = self
            .db
            .query_row(
                "SELECT uid, ciphertext, name FROM secrets WHERE owner_id IS NULL AND name = ?1",
                [name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or_else(|| not_found(name))?;
        let vault = self.vault()?;
        let context = super::binding::user(self.sealing.format(), &self.store_id()?, &uid);
        vault.open(&context, &token, &format!("secret \"{real}\""))
    }
}

fn info_from_row(r: &rusqlite::Row) -> rusqlite::Result<SecretInfo> {
    let used: Option<String> = r.get(4)?;
    let mut used_by: Vec<String> = used
        .map(|u| u.split('\n').map(str::to_string).collect())
        .unwrap_or_default();
    used_by.sort();
    Ok(SecretInfo {
        name: r.get(0)?,
        description: r.get(1)?,
        used_by,
        created_at: r.get(2)?,
        updated_at: r.get(3)?,
    })
}

fn not_found(name: &str) -> Error {
    Error::NotFound {
        what: "secret".into(),
        name: name.trim().to_string(),
        hint: "; `patchbay secret list` shows the saved ones".into(),
    }
}

/// Creates the named secret `name` or replaces its value inside `tx` (the names and value
/// already checked); `description: None` keeps a saved description, `Some("")` clears it.
pub(super) fn put_in(
    tx: &rusqlite::Transaction,
    vault: &Vault,
    name: &str,
    value: &SecretString,
    description: Option<&str>,
    now: i64,
) -> Result<()> {
    let (uid, token) = seal_user_value(vault, tx, value)?;
    super::binding::change_named_secret(tx, vault, name, || {
        Ok(tx.execute(
            "INSERT INTO secrets (uid, name, description, ciphertext, created_at, updated_at) VALUES (?1, ?2, nullif(?3, ''), ?4, ?5, ?5)
             ON CONFLICT (name) WHERE owner_id IS NULL DO UPDATE SET
                uid = excluded.uid, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at,
                description = CASE WHEN ?3 IS NULL THEN description ELSE nullif(?3, '') END",
            params![uid, name, description, token, now],
        )?)
    })?;
    Ok(())
}

/// A named secret's value sealed for a new row (uid, token) with `vault` (the write
/// transaction `tx`'s), bound to this store and that row.
fn seal_user_value(
    vault: &Vault,
    tx: &rusqlite::Transaction,
    value: &SecretString,
) -> Result<(String, String)> {
    let uid = random_uid()?;
    let store = super::meta_on(tx, "store_id")?.unwrap_or_default();
    let token = vault.seal(
        &super::binding::user(super::binding::CURRENT, &store, &uid),
        value.expose(),
    );
    Ok((uid, token))
}
