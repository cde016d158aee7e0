//! New connections made from saved ones: a form opened as a copy of a connection is saved as a
//! new connection whose secret fields left as "keep" take the original's secrets (its own ones
//! sealed anew for the copy, shared ones referenced). The kept-secret rules of editing apply: a
//! copy that sends a kept secret to another endpoint (or less safely) needs confirmation.

use super::{kept, Catalog};
use crate::error::Result;
use crate::kinds;
use crate::model::{Connection, ConnectionDraft, Kind, SecretInput, SecretSource};

impl Catalog {
    /// Saves `draft` as a new connection; its secret fields left as `Keep` take the secrets of
    /// the connection called `source` (which must be of the same kind).
    pub fn create_from(
        &mut self,
        kind: Option<Kind>,
        source: &str,
        mut draft: ConnectionDraft,
    ) -> Result<Connection> {
        let original = self.get(kind, source)?;
        let spec = kinds::validate(&draft.spec)?;
        kept::same_kind(&original, &spec)?;
        if !draft.confirm_kept_secrets {
            if let Some((field, why)) = kept::first_moved(&original, &draft, &spec) {
                return Err(kept::refusal(field, &why, true));
            }
        }
        let kept: Vec<_> = original
            .secrets
            .iter()
            .filter(|slot| {
                matches!(
                    draft.secrets.get(&slot.field).unwrap_or(&SecretInput::Keep),
                    SecretInput::Keep
                ) && kinds::applies(&spec, slot.field)
            })
            .cloned()
            .collect();
        // Resolving verifies the original's seal: a reference pointed elsewhere in SQLite must
        // not be copied into a new, freshly sealed connection.
        let resolved = if kept.is_empty() {
            None
        } else {
            Some(self.resolve(Some(original.kind), &original.name)?)
        };
        for slot in kept {
            let input = match slot.source {
                SecretSource::Shared { name } => SecretInput::Secret { name },
                SecretSource::Owned => SecretInput::Value {
                    value: resolved
                        .as_ref()
                        .and_then(|r| r.secret(slot.field))
                        .cloned()
                        .expect("resolved above"),
                },
            };
            draft.secrets.insert(slot.field, input);
        }
        self.save(None, draft)
    }

    /// Saves a copy of a connection under `new_name`, with copies of the secrets it owns (sealed
    /// anew) and the same shared secrets.
    pub fn duplicate(
        &mut self,
        kind: Option<Kind>,
        name: &str,
        new_name: &str,
    ) -> Result<Connection> {
        let original = self.get(kind, name)?;
        let mut draft = ConnectionDraft::new(new_name, original.spec.clone());
        draft.env_tag = original.env_tag.clone();
        self.create_from(Some(original.kind), &original.name, draft)
    }
}
