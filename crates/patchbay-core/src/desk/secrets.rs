//! Named secrets (the Secrets tab, `patchbay secret …`): each user action is one operation,
//! checked whole before anything is written and saved in one transaction.

use super::Desk;
use crate::error::Result;
use crate::model::SecretInfo;
use crate::secret::SecretString;

impl Desk {
    pub fn secrets(&self) -> Result<Vec<SecretInfo>> {
        self.lists().list_secrets()
    }

    pub fn secret_info(&self, name: &str) -> Result<SecretInfo> {
        self.cat().secret_info(name)
    }

    /// Creates a secret (`editing: None`) or edits the one called `editing`: renames it to
    /// `name`, replaces its value (`value: None` keeps it) and its description, all in one
    /// transaction, so a failure (a taken name, a locked keychain) leaves nothing half-changed.
    pub fn save_secret(
        &self,
        name: &str,
        value: Option<SecretString>,
        description: Option<String>,
        editing: Option<String>,
    ) -> Result<SecretInfo> {
        self.cat().save_secret(
            editing.as_deref(),
            name,
            value.as_ref(),
            description.as_deref(),
        )
    }

    /// `patchbay secret set`: creates the secret or replaces its value.
    pub fn put_secret(
        &self,
        name: &str,
        value: &SecretString,
        description: Option<&str>,
    ) -> Result<SecretInfo> {
        self.cat().put_secret(name, value, description)
    }

    pub fn describe_secret(&self, name: &str, description: &str) -> Result<SecretInfo> {
        self.cat().describe_secret(name, description)
    }

    pub fn rename_secret(&self, name: &str, new_name: &str) -> Result<SecretInfo> {
        self.cat().rename_secret(name, new_name)
    }

    pub fn delete_secret(&self, name: &str) -> Result<SecretInfo> {
        self.cat().remove_secret(name)
    }

    /// The explicit reveal of a secret's value.
    pub fn reveal_secret(&self, name: &str) -> Result<SecretString> {
        self.cat().reveal_secret(name)
    }

    /// Why showing a saved secret of connection `name` (or the named secret `secret`) needs
    /// the user's own confirmation, outside the web view: a production connection's secrets, or
    /// a named secret a production connection uses. None when it needs none.
    pub fn reveal_guard(&self, target: RevealTarget<'_>) -> Result<Option<String>> {
        let cat = self.cat();
        match target {
            RevealTarget::Field { kind, name } => {
                let c = cat.get(Some(kind), name)?;
                Ok(crate::kinds::is_production(c.env_tag.as_deref()).then(|| {
                    format!(
                        "\"{}\" is tagged {}: its secret will show in the window for 20 seconds.",
                        c.name,
                        c.env_tag.as_deref().unwrap_or_default()
                    )
                }))
            }
            RevealTarget::Secret { name } => {
                let info = cat.secret_info(name)?;
                let list = cat.list(None)?;
                let production: Vec<String> = info
                    .used_by
                    .iter()
                    .filter(|u| {
                        list.iter().any(|c| {
                            format!("{}/{}", c.kind.as_str(), c.name) == **u
                                && crate::kinds::is_production(c.env_tag.as_deref())
                        })
                    })
                    .cloned()
                    .collect();
                Ok((!production.is_empty()).then(|| {
                    format!(
                        "The secret \"{}\" is used by production connection(s) {}: its value will show in the window for 20 seconds.",
                        info.name,
                        production.join(", ")
                    )
                }))
            }
        }
    }
}

/// What a reveal would show.
#[derive(Debug, Clone, Copy)]
pub enum RevealTarget<'a> {
    Field {
        kind: crate::model::Kind,
        name: &'a str,
    },
    Secret {
        name: &'a str,
    },
}
