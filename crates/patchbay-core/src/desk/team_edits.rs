//! Creating and changing a team connection from a form (`add --team`, `edit --team`): the form's
//! secrets as a local save takes them (a value, cleared, kept, or a named secret's value), the
//! kinds' rules for its fields and the secrets they need, a kept secret never sent to another
//! endpoint unless confirmed — then one check-and-set write, so a teammate's change since the
//! form was read is a conflict and nothing is written.

use std::collections::HashMap;

use super::team_layout::{resolved, write};
use super::Desk;
use crate::error::{Error, Result};
use crate::kinds;
use crate::model::*;
use crate::secret::SecretString;

impl Desk {
    /// The team connection `name` and the version it was read at (what an edit is based on).
    pub async fn team_read(&self, team: &str, name: &str) -> Result<(Resolved, u64)> {
        let (t, e) = self.engine(team).await?;
        self.team_resolve_with(&t, &e, name).await
    }

    /// Saves the form `draft` as a new connection of `team` (a name the team has is a conflict).
    pub async fn team_create(&self, team: &str, draft: ConnectionDraft) -> Result<u64> {
        let r = self.team_form(draft, None)?;
        let (_, e) = self.engine(team).await?;
        write(&e, team, &r, 0).await
    }

    /// Saves the form `draft` over `current`, the team connection as read at version `base`.
    pub async fn team_edit(
        &self,
        team: &str,
        draft: ConnectionDraft,
        current: &Resolved,
        base: u64,
    ) -> Result<u64> {
        let r = self.team_edited(draft, current)?;
        self.team_save(team, &r, base).await
    }

    /// The form `draft` over `current` as the connection to write (its name is its path: kept).
    pub(super) fn team_edited(
        &self,
        draft: ConnectionDraft,
        current: &Resolved,
    ) -> Result<Resolved> {
        if draft.name.trim() != current.connection.name {
            return Err(Error::invalid(
                "name",
                "a team connection keeps its name (its path in the engine): share a copy under the new name instead",
            ));
        }
        self.team_form(draft, Some(current))
    }

    /// The form as a connection with its secrets, by the rules a local save follows.
    pub(super) fn team_form(
        &self,
        draft: ConnectionDraft,
        current: Option<&Resolved>,
    ) -> Result<Resolved> {
        let (name, env_tag, spec) =
            crate::catalog::checked_form(current.map(|c| c.connection.clone()), draft.clone())?;
        let mut secrets: HashMap<SecretField, SecretString> = HashMap::new();
        for field in spec.kind().secret_fields() {
            let value = match draft.secrets.get(field).unwrap_or(&SecretInput::Keep) {
                SecretInput::Value { value } => Some(value.clone()),
                SecretInput::Secret { name } => Some(self.reveal_secret(name)?),
                SecretInput::Clear => None,
                SecretInput::Keep => match current.and_then(|c| c.secret(*field).map(|v| (c, v))) {
                    Some((c, kept)) => {
                        let moved = kinds::moved(*field, &c.connection.spec, &spec);
                        if let (Some(why), false) = (moved, draft.confirm_kept_secrets) {
                            return Err(Error::SecretWouldMove {
                                field: field.as_str().into(),
                                message: format!("the saved {} would go elsewhere ({why}): give it again, or confirm it goes there", field.label()),
                            });
                        }
                        Some(kept.clone())
                    }
                    None => None,
                },
            };
            if let Some(v) = value.filter(|_| kinds::applies(&spec, *field)) {
                secrets.insert(*field, v);
            }
        }
        Ok(resolved(&name, env_tag, spec, secrets))
    }
}
