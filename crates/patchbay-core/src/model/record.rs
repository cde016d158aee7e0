//! What a form or command submits (`ConnectionDraft`, with a `SecretInput` per secret field)
//! and what the catalog hands back (`Connection`, `SecretSlot`, `SecretInfo`): metadata and
//! which secrets are set, never a secret's value.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;
use crate::secret::SecretString;

/// What to do with one secret field when saving a draft.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum SecretInput {
    /// Leave the saved value as it is (the default when editing; nothing on create).
    #[default]
    Keep,
    /// Remove the saved value.
    Clear,
    /// Store this value, encrypted, owned by the connection.
    Value {
        #[ts(type = "string")]
        value: SecretString,
    },
    /// Use the user secret with this name.
    Secret { name: String },
}

/// What a form or command submits to create or edit a connection.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectionDraft {
    pub name: String,
    #[serde(default)]
    pub env_tag: Option<String>,
    pub spec: Spec,
    #[serde(default)]
    #[ts(type = "Partial<Record<SecretField, SecretInput>>")]
    pub secrets: std::collections::BTreeMap<SecretField, SecretInput>,
    /// When editing: the user confirmed that saved secrets left as "keep" go to the changed
    /// endpoint (see `catalog::kept`). Never needed for a check, which refuses instead.
    #[serde(default)]
    pub confirm_kept_secrets: bool,
}

impl ConnectionDraft {
    pub fn new(name: impl Into<String>, spec: Spec) -> Self {
        ConnectionDraft {
            name: name.into(),
            env_tag: None,
            spec,
            secrets: Default::default(),
            confirm_kept_secrets: false,
        }
    }

    /// Sets a secret field to a value owned by the connection.
    pub fn with_secret(mut self, field: SecretField, value: impl Into<SecretString>) -> Self {
        self.secrets.insert(
            field,
            SecretInput::Value {
                value: value.into(),
            },
        );
        self
    }

    /// Points a secret field at a named user secret.
    pub fn with_secret_ref(mut self, field: SecretField, secret: impl Into<String>) -> Self {
        self.secrets.insert(
            field,
            SecretInput::Secret {
                name: secret.into(),
            },
        );
        self
    }
}

/// Where a set secret field gets its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum SecretSource {
    /// The connection owns the value.
    Owned,
    /// The value is the user secret with this name.
    Shared { name: String },
}

/// A secret field that has a value: which field and where the value lives (never the value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SecretSlot {
    pub field: SecretField,
    #[serde(flatten)]
    pub source: SecretSource,
}

/// A saved connection as listed and shown: metadata only.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Connection {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: Kind,
    pub env_tag: Option<String>,
    pub spec: Spec,
    /// The secret fields that have a value.
    pub secrets: Vec<SecretSlot>,
    /// Why the way this connection travels is not fully protected (no TLS, TLS that may fall
    /// back, a certificate not verified), for marking it; None when TLS is verified.
    pub transport_warning: Option<String>,
    /// Credentials that have expired or expire soon (a session token, a SAS), in words.
    pub credential_warning: Option<String>,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

impl Connection {
    pub fn has_secret(&self, field: SecretField) -> bool {
        self.secrets.iter().any(|s| s.field == field)
    }
}

/// A user secret as listed: its name, description and users, never its value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SecretInfo {
    pub name: String,
    pub description: Option<String>,
    /// The connections whose fields point at this secret, as "kind/name".
    pub used_by: Vec<String>,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

/// A connection with its secrets decrypted: what a check or a consumer needs at run time.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub connection: Connection,
    pub secrets: HashMap<SecretField, SecretString>,
    /// The saved connection whose credentials this one starts from (an S3 connection that
    /// assumes a role with another's keys), resolved in turn.
    pub source: Option<Box<Resolved>>,
    /// A session minted for it earlier that is still good (the store's cache of AWS sessions).
    pub session: Option<Session>,
}

/// Short-lived AWS credentials minted for a connection (by its profile, or by assuming its role).
#[derive(Debug, Clone)]
pub struct Session {
    pub access_key_id: String,
    pub secret: SecretString,
    pub token: Option<SecretString>,
    /// When they stop working, milliseconds since the Unix epoch, when they do.
    pub expires_ms: Option<i64>,
}

impl Session {
    /// Whether it still works `margin_ms` from `now`.
    pub fn good_at(&self, now: i64, margin_ms: i64) -> bool {
        self.expires_ms.is_none_or(|at| at > now + margin_ms)
    }
}

impl Resolved {
    /// A connection with these secrets and nothing lent to it.
    pub fn new(connection: Connection, secrets: HashMap<SecretField, SecretString>) -> Resolved {
        Resolved {
            connection,
            secrets,
            source: None,
            session: None,
        }
    }

    pub fn secret(&self, field: SecretField) -> Option<&SecretString> {
        self.secrets.get(&field)
    }
}
