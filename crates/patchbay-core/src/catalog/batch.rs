//! Saving many connections as one change (an import, a restored bundle): every draft is checked
//! before the key or the store is touched, then all are written in one transaction — all of them
//! or none.

use rusqlite::{params, TransactionBehavior};

use super::planned::Planned;
use super::Catalog;
use crate::error::{Error, Result};
use crate::model::{Connection, ConnectionDraft, SecretInput};
use crate::secret::SecretString;
use crate::validate;

/// One connection of a batch.
pub struct Saving {
    pub draft: ConnectionDraft,
    /// The saved connection of the draft's kind this one replaces, whole: its secrets are the
    /// ones the draft brings, no others.
    pub replaces: Option<String>,
    /// Pinned at the top of the list and the tray.
    pub favourite: bool,
}

/// A named secret a batch creates (or whose value it replaces) before its connections (its
/// value is a `SecretString`: `Debug` does not show it).
#[derive(Debug)]
pub struct NamedSaving {
    pub name: String,
    pub description: Option<String>,
    pub value: SecretString,
}

impl Catalog {
    /// Saves every connection of `batch`, or none: a draft that cannot be saved (its fields,
    /// a name taken) fails the whole batch, naming the draft.
    pub fn save_all(&mut self, batch: Vec<Saving>) -> Result<Vec<Connection>> {
        self.save_all_with(Vec::new(), batch)
    }

    /// `save_all`, the named secrets `named` first (the connections may use them).
    pub fn save_all_with(
        &mut self,
        named: Vec<NamedSaving>,
        batch: Vec<Saving>,
    ) -> Result<Vec<Connection>> {
        for n in &named {
            validate::name("secret", &n.name)?;
            validate::secret_value("secret", n.value.expose()).map_err(|e| of_draft(e, &n.name))?;
            if let Some(d) = &n.description {
                validate::text("description", d, false)?;
            }
        }
        let mut planned = Vec::with_capacity(batch.len());
        for s in batch {
            let kind = s.draft.spec.kind();
            let name = s.draft.name.clone();
            let mut draft = s.draft;
            let existing = match &s.replaces {
                Some(n) => Some(self.get(Some(kind), n).map_err(|e| of_draft(e, &name))?),
                None => None,
            };
            if existing.is_some() {
                for f in kind.secret_fields() {
                    draft.secrets.entry(*f).or_insert(SecretInput::Clear);
                }
                draft.confirm_kept_secrets = true;
            }
            let p = Planned::of(existing, draft).map_err(|e| of_draft(e, &name))?;
            planned.push((p, name, s.favourite));
        }
        self.unlock_ahead()?;
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let store = super::meta_on(&tx, "store_id")?.unwrap_or_default();
        let vault = self.sealing.vault_for_write(&self.keys, &self.path, &tx)?;
        let now = crate::clock::now_ms();
        for n in &named {
            let description = n.description.as_deref().map(str::trim);
            super::user_secrets::put_in(&tx, &vault, n.name.trim(), &n.value, description, now)?;
        }
        let mut ids = Vec::with_capacity(planned.len());
        for (p, name, favourite) in planned {
            let id = p
                .write(&tx, &vault, &store)
                .map_err(|e| of_draft(e, &name))?;
            if favourite {
                tx.execute(
                    "INSERT INTO usage (connection_id, favourite) VALUES (?1, 1)
                     ON CONFLICT (connection_id) DO UPDATE SET favourite = 1",
                    params![id],
                )?;
            }
            ids.push(id);
        }
        tx.commit()?;
        ids.into_iter().map(|id| self.get_by_id(id)).collect()
    }
}

/// A field error of one draft in a batch says which draft.
fn of_draft(e: Error, name: &str) -> Error {
    match e {
        Error::Invalid { field, message } => Error::Invalid {
            field,
            message: format!("{message} (in \"{}\")", name.trim()),
        },
        e => e,
    }
}

impl Catalog {
    /// Whether `draft` could be saved as a new connection (every check `save` makes before it
    /// writes), without writing anything or touching the key.
    pub fn check_draft(&self, draft: &ConnectionDraft) -> Result<()> {
        Planned::of(None, draft.clone()).map(drop)
    }
}
