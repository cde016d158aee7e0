//! One connection's write, planned and done: `Planned::of` checks a draft whole (fields, secret
//! inputs, what its kind requires, kept secrets) before the key or the store is touched, and
//! `Planned::write` writes it inside a transaction the caller holds (one save, or an import of
//! many in one transaction).

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, OptionalExtension, Transaction};

use super::unique_violation;
use crate::clock::now_ms;
use crate::error::{Error, Result};
use crate::model::{Connection, ConnectionDraft, Kind, SecretField, SecretInput};
use crate::vault::{random_uid, Vault};
use crate::{kinds, validate};

/// What will happen to one secret field.
enum Step {
    Keep,
    Clear,
    Store { uid: String, token: String },
    Use { secret_id: i64 },
}

/// A draft checked whole (fields, secret inputs, what its kind requires, kept secrets) and
/// ready to be written: nothing about it is looked at again inside the transaction.
pub(super) struct Planned {
    existing: Option<Connection>,
    draft: ConnectionDraft,
    name: String,
    env_tag: Option<String>,
    spec: crate::model::Spec,
    before: BTreeSet<SecretField>,
    after: BTreeSet<SecretField>,
}

/// A form checked by the rules a save follows — its name, tag and fields, each secret input,
/// the secrets its fields need — without the store: the name, tag and fields as they would be
/// saved (`existing`: the connection it replaces, whose secrets count as kept).
pub fn checked_form(
    existing: Option<Connection>,
    draft: ConnectionDraft,
) -> Result<(String, Option<String>, crate::model::Spec)> {
    let p = Planned::of(existing, draft)?;
    Ok((p.name, p.env_tag, p.spec))
}

impl Planned {
    /// Checks `draft` (replacing `existing`, if any) before the key or the store is touched.
    pub(super) fn of(existing: Option<Connection>, draft: ConnectionDraft) -> Result<Planned> {
        let name = validate::name("name", &draft.name)?;
        let env_tag = validate::env_tag(&draft.env_tag)?;
        let mut spec = kinds::validate(&draft.spec)?;
        let kind = spec.kind();

        // Check every secret input before touching the key or the store.
        for (field, input) in &draft.secrets {
            if !kind.secret_fields().contains(field) {
                return Err(Error::invalid(
                    field.as_str(),
                    format!("{} has no {}", kind.a_label(), field.label()),
                ));
            }
            match input {
                SecretInput::Value { value } => {
                    validate::secret_value(field.as_str(), value.expose())?;
                    if !kinds::applies(&spec, *field) {
                        return Err(kinds::not_applicable(&spec, *field));
                    }
                    kinds::secret_value(*field, value.expose())?;
                }
                SecretInput::Secret { name } => {
                    validate::name(field.as_str(), name)?;
                    if !kinds::applies(&spec, *field) {
                        return Err(kinds::not_applicable(&spec, *field));
                    }
                }
                SecretInput::Keep | SecretInput::Clear => {}
            }
        }
        let new_values: Vec<(SecretField, &str)> = draft
            .secrets
            .iter()
            .filter_map(|(f, i)| match i {
                SecretInput::Value { value } => Some((*f, value.expose())),
                _ => None,
            })
            .collect();
        let cleared: Vec<SecretField> = draft
            .secrets
            .iter()
            .filter(|(_, i)| matches!(i, SecretInput::Clear))
            .map(|(f, _)| *f)
            .collect();
        kinds::derive(&mut spec, &new_values, &cleared);

        // The fields that will have a value afterwards.
        let before: BTreeSet<SecretField> = existing
            .iter()
            .flat_map(|c| c.secrets.iter().map(|s| s.field))
            .collect();
        let mut after = BTreeSet::new();
        for field in kind.secret_fields() {
            let set = match draft.secrets.get(field).unwrap_or(&SecretInput::Keep) {
                SecretInput::Keep => before.contains(field) && kinds::applies(&spec, *field),
                SecretInput::Clear => false,
                SecretInput::Value { .. } | SecretInput::Secret { .. } => true,
            };
            if set {
                after.insert(*field);
            }
        }
        kinds::required(&spec, &after)?;
        if let Some(c) = &existing {
            if !draft.confirm_kept_secrets {
                if let Some((field, why)) = super::kept::first_moved(c, &draft, &spec) {
                    return Err(super::kept::refusal(field, &why, true));
                }
            }
        }
        Ok(Planned {
            existing,
            draft,
            name,
            env_tag,
            spec,
            before,
            after,
        })
    }

    /// Writes the connection inside `tx`, sealing new values with `vault`; its id.
    pub(super) fn write(self, tx: &Transaction, vault: &Vault, store: &str) -> Result<i64> {
        let Planned {
            existing,
            draft,
            name,
            env_tag,
            spec,
            before,
            after,
        } = self;
        let kind = spec.kind();

        let spec_json = spec.to_stored();
        let now = now_ms();
        // The connection's random uid, sealed into its secrets and its MAC.
        let conn_uid: String = match &existing {
            None => random_uid()?,
            Some(c) => tx
                .query_row("SELECT uid FROM connections WHERE id = ?1", [c.id], |r| {
                    r.get::<_, Option<String>>(0)
                })?
                .unwrap_or(random_uid()?),
        };
        // Every connection gets a seal over its fields and references (written last, below).
        // What is kept (secrets, references) must be what Patchbay saved: keeping from a
        // connection changed outside Patchbay would seal the change in.
        if let Some(c) = &existing {
            let keeps = before.iter().any(|f| {
                after.contains(f)
                    && matches!(
                        draft.secrets.get(f).unwrap_or(&SecretInput::Keep),
                        SecretInput::Keep
                    )
            });
            if keeps {
                let what = format!("{} \"{}\"", c.kind.label(), c.name);
                super::binding::verify(tx, vault, store, c.id, &what)?;
            }
        }
        let mut sealed: BTreeMap<SecretField, (String, String)> = BTreeMap::new();
        for (field, input) in &draft.secrets {
            if let SecretInput::Value { value } = input {
                let uid = random_uid()?;
                let context = super::binding::owned(
                    super::binding::CURRENT,
                    store,
                    kind.as_str(),
                    &conn_uid,
                    field.as_str(),
                    &uid,
                );
                let token = vault.seal(&context, value.expose());
                sealed.insert(*field, (uid, token));
            }
        }
        let id = match &existing {
            None => {
                tx.execute(
                    "INSERT INTO connections (kind, name, env_tag, spec, created_at, updated_at, uid) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)",
                    params![kind.as_str(), name, env_tag, spec_json, now, conn_uid],
                )
                .map_err(|e| duplicate_or(tx, e, kind, &name))?;
                tx.last_insert_rowid()
            }
            Some(c) => {
                tx.execute(
                    "UPDATE connections SET name = ?2, env_tag = ?3, spec = ?4, updated_at = ?5, uid = ?6, mac = NULL WHERE id = ?1",
                    params![c.id, name, env_tag, spec_json, now, conn_uid],
                )
                .map_err(|e| duplicate_or(tx, e, kind, &name))?;
                c.id
            }
        };
        for field in kind.secret_fields() {
            let step = match draft.secrets.get(field).unwrap_or(&SecretInput::Keep) {
                SecretInput::Keep if before.contains(field) && !after.contains(field) => {
                    Step::Clear
                }
                SecretInput::Keep => Step::Keep,
                SecretInput::Clear => Step::Clear,
                SecretInput::Value { .. } => {
                    let (uid, token) = sealed.remove(field).expect("sealed above");
                    Step::Store { uid, token }
                }
                SecretInput::Secret { name } => Step::Use {
                    secret_id: user_secret_id(tx, field.as_str(), name)?,
                },
            };
            apply(tx, id, *field, step, now)?;
        }
        super::binding::seal(tx, vault, store, id)?;
        Ok(id)
    }
}

fn user_secret_id(tx: &Transaction, field: &str, name: &str) -> Result<i64> {
    tx.query_row(
        "SELECT id FROM secrets WHERE owner_id IS NULL AND name = ?1",
        [name.trim()],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| {
        Error::invalid(
            field,
            format!(
                "there is no secret named \"{}\"; create it in Secrets first",
                name.trim()
            ),
        )
    })
}

fn apply(tx: &Transaction, id: i64, field: SecretField, step: Step, now: i64) -> Result<()> {
    let f = field.as_str();
    match step {
        Step::Keep => {}
        Step::Clear => {
            tx.execute(
                "DELETE FROM secrets WHERE owner_id = ?1 AND field = ?2",
                params![id, f],
            )?;
            tx.execute(
                "DELETE FROM secret_refs WHERE connection_id = ?1 AND field = ?2",
                params![id, f],
            )?;
        }
        Step::Store { uid, token } => {
            tx.execute(
                "DELETE FROM secret_refs WHERE connection_id = ?1 AND field = ?2",
                params![id, f],
            )?;
            tx.execute(
                "INSERT INTO secrets (uid, owner_id, field, ciphertext, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT (owner_id, field) DO UPDATE SET uid = excluded.uid, ciphertext = excluded.ciphertext, updated_at = excluded.updated_at",
                params![uid, id, f, token, now],
            )?;
        }
        Step::Use { secret_id } => {
            tx.execute(
                "DELETE FROM secrets WHERE owner_id = ?1 AND field = ?2",
                params![id, f],
            )?;
            tx.execute(
                "INSERT INTO secret_refs (connection_id, field, secret_id) VALUES (?1, ?2, ?3)
                 ON CONFLICT (connection_id, field) DO UPDATE SET secret_id = excluded.secret_id",
                params![id, f, secret_id],
            )?;
        }
    }
    Ok(())
}

/// A name taken within its kind, said with the saved spelling (names are unique regardless of
/// case: "Orders" collides with "orders").
pub(super) fn duplicate_or(tx: &Transaction, e: rusqlite::Error, kind: Kind, name: &str) -> Error {
    if unique_violation(&e) {
        let existing: Option<String> = tx
            .query_row(
                "SELECT name FROM connections WHERE kind = ?1 AND name = ?2",
                params![kind.as_str(), name],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        Error::Duplicate {
            kind: kind.label().to_string(),
            name: existing.unwrap_or_else(|| name.to_string()),
        }
    } else {
        e.into()
    }
}
