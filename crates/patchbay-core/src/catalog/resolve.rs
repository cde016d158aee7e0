//! Secrets leaving the store for use: a connection resolved with its secrets decrypted, a form
//! resolved for a check (kept secrets only where they were saved for), a reveal; each value
//! opened with the context it is bound to, after the connection's seal (fields and references)
//! is verified — for every connection, with secrets or without.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension};

use super::{binding, kept, Catalog, Resolved};
use crate::error::{Error, Result};
use crate::model::{Connection, Kind, SecretField, SecretSlot, SecretSource};
use crate::secret::SecretString;
use crate::vault::Vault;

impl Catalog {
    /// The connection with its secrets decrypted. The only way secrets leave the store for use.
    /// An S3 connection also gets the AWS session kept for it, and the connection its role is
    /// assumed with, resolved in turn.
    pub fn resolve(&self, kind: Option<Kind>, name: &str) -> Result<Resolved> {
        self.upgrade_if_pending()?;
        let _snapshot = self.snapshot()?;
        self.resolve_in_chain(kind, name, 0)
    }

    fn resolve_in_chain(&self, kind: Option<Kind>, name: &str, depth: usize) -> Result<Resolved> {
        let connection = self.get(kind, name)?;
        // Verified whether or not it has secrets: a check without them still sends ambient
        // credentials (an `az` token, a signed JWT) to the endpoint it names.
        let vault = self.verified(&connection)?;
        let mut secrets = HashMap::new();
        for slot in &connection.secrets {
            secrets.insert(
                slot.field,
                self.open_field(&vault, &connection, slot.field)?,
            );
        }
        let mut r = Resolved::new(connection, secrets);
        if let crate::model::Spec::S3(s) = &r.connection.spec {
            if crate::kinds::s3::session::mints(s) {
                r.session = self.kept_session(&r.connection)?;
            }
            if let Some(source) = s.role.as_ref().and_then(|x| x.source.clone()) {
                r.source = Some(Box::new(self.role_source(
                    &r.connection.name,
                    &source,
                    depth,
                )?));
            }
        }
        Ok(r)
    }

    /// The connection `source` that `name`'s role is assumed with, resolved.
    fn role_source(&self, name: &str, source: &str, depth: usize) -> Result<Resolved> {
        if depth >= 4 {
            return Err(Error::invalid(
                "role_source",
                format!("{name}'s role starts from a chain of sources longer than 4, or one that comes back to itself: give one of them keys or a profile"),
            ));
        }
        self.resolve_in_chain(Some(Kind::S3), source, depth + 1)
            .map_err(|e| match e {
                Error::NotFound { .. } => Error::invalid(
                    "role_source",
                    format!("{name} assumes its role with the S3 connection {source}, and there is none by that name: save it, or choose another source (patchbay edit {name} --role-source NAME)"),
                ),
                other => other,
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
        let spec = crate::kinds::validate(&draft.spec)?;
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
                        Some(self.open_field(&*self.verified(c)?, c, *field)?)
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
            transport_warning: crate::kinds::transport_warning(&spec),
            credential_warning: crate::kinds::credential_warning(&spec, crate::clock::now_ms()),
            spec,
            secrets: slots,
            created_at: existing.as_ref().map_or(0, |c| c.created_at),
            updated_at: existing.as_ref().map_or(0, |c| c.updated_at),
        };
        let mut r = Resolved::new(connection, secrets);
        if let crate::model::Spec::S3(s) = &r.connection.spec {
            if let Some(source) = s.role.as_ref().and_then(|x| x.source.clone()) {
                r.source = Some(Box::new(self.role_source(
                    &r.connection.name,
                    &source,
                    0,
                )?));
            }
        }
        Ok(r)
    }

    /// Every connection (of `kind`, if given) resolved, in list order: what "test all" checks.
    /// A connection changed outside Patchbay is returned with that refusal, and the others are
    /// still resolved; any other failure (the key cannot be opened) fails the whole call.
    pub fn resolve_all(&self, kind: Option<Kind>) -> Result<Vec<(Connection, Result<Resolved>)>> {
        self.upgrade_if_pending()?;
        let _snapshot = self.snapshot()?;
        self.list(kind)?
            .into_iter()
            .map(|c| match self.resolve(Some(c.kind), &c.name) {
                Err(e @ Error::Tampered(_)) => Ok((c, Err(e))),
                Err(e) => Err(e),
                Ok(r) => Ok((c, Ok(r))),
            })
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
        self.open_field(&*self.verified(&connection)?, &connection, field)
    }

    /// One secret of `c`, which the caller has [`verified`](Catalog::verified) with `vault`.
    fn open_field(
        &self,
        vault: &Vault,
        c: &Connection,
        field: SecretField,
    ) -> Result<SecretString> {
        let format = self.sealing.format();
        let store = self.store_id()?;
        let conn_what = format!("{} \"{}\"", c.kind.label(), c.name);
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
}
