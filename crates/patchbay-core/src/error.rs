//! The one error type of the core: every failure a user can meet, with a stable `code`, a
//! message that says what to do, and the form field it belongs to when there is one. It
//! serialises to `{code, message, field?}` for the UI and the CLI's `--json` output.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// Everything that can go wrong in the core. Messages never contain secret values.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field of a form or command holds a value that cannot be saved.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },

    /// A draft keeps a saved secret although the endpoint it would go to changed (or its
    /// transport got weaker): refused for checks, and for saves without confirmation.
    #[error("{field}: {message}")]
    SecretWouldMove { field: String, message: String },

    /// The name is taken within its kind.
    #[error(
        "name: a {kind} named \"{name}\" already exists; choose another name or edit that one"
    )]
    Duplicate { kind: String, name: String },

    /// Nothing by that name.
    #[error("no {what} named \"{name}\"{hint}")]
    NotFound {
        what: String,
        name: String,
        hint: String,
    },

    /// The same name exists in several kinds and the caller did not say which.
    #[error("\"{name}\" names several connections ({kinds}); say which with --kind")]
    Ambiguous { name: String, kinds: String },

    /// A user secret cannot be removed while connections point at it.
    #[error("secret \"{name}\" is used by {users}; point those connections at another secret or remove them first")]
    SecretInUse { name: String, users: String },

    /// An S3 connection cannot be removed or renamed while others assume their roles with it.
    #[error("connection \"{name}\" is the role source of {users}: they assume their roles with its credentials; give them another role source, or remove them first")]
    SourceInUse { name: String, users: String },

    /// The OS keychain cannot be used; the message says what to do.
    #[error("{0}")]
    Keychain(String),

    /// The store holds encrypted secrets but their key is nowhere to be found.
    #[error("{0}")]
    KeyMissing(String),

    /// A key was found but it does not open this store.
    #[error("{0}")]
    WrongKey(String),

    /// A stored secret does not decrypt under the store's key (tampered or foreign ciphertext).
    #[error("{0}")]
    Decrypt(String),

    /// A connection's fields do not match the seal Patchbay put on them (edited outside it).
    #[error("{0}")]
    Tampered(String),

    /// The SQLite store failed.
    #[error("the connection store failed: {0}")]
    Storage(String),

    /// A file or process could not be used.
    #[error("{0}")]
    Io(String),

    /// A connectivity check could not be run at all (not the same as a failed verdict).
    #[error("{0}")]
    Check(String),

    /// A check was cancelled by the user before it finished (nothing was recorded).
    #[error("{0}")]
    Cancelled(String),

    /// A deletion can no longer be undone (too late, or the store changed under it).
    #[error("{0}")]
    UndoUnavailable(String),

    /// An object store refused to list a place, or could not be reached to list it.
    #[error("{0}")]
    Listing(String),

    /// The credentials may not list this place (the store said so): the message says what they
    /// lack, or to type a bucket when it is the store's buckets they may not list.
    #[error("{0}")]
    Denied(String),

    /// An AWS role asks for an MFA code to mint a session, and none was given: the message
    /// names the device; the caller asks for a code and tries again with it.
    #[error("{0}")]
    MfaNeeded(String),

    /// A team's secrets engine could not be used: unreachable, sealed, a refused or expired
    /// token, a policy that does not allow it, a missing mount, a lost check-and-set race.
    #[error("{0}")]
    Engine(String),

    /// A team connection was changed by a teammate since it was read: nothing was written; the
    /// message names the versions and the fields that changed (never a secret's value).
    #[error("{0}")]
    Conflict(String),
}

impl Error {
    /// Builds a field error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// A stable machine-readable code, used by the UI and by scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::SecretWouldMove { .. } => "secret_would_move",
            Error::Duplicate { .. } => "duplicate",
            Error::NotFound { .. } => "not_found",
            Error::Ambiguous { .. } => "ambiguous",
            Error::SecretInUse { .. } => "secret_in_use",
            Error::SourceInUse { .. } => "source_in_use",
            Error::Keychain(_) => "keychain",
            Error::KeyMissing(_) => "key_missing",
            Error::WrongKey(_) => "wrong_key",
            Error::Decrypt(_) => "decrypt",
            Error::Tampered(_) => "tampered",
            Error::Storage(_) => "storage",
            Error::Io(_) => "io",
            Error::Check(_) => "check",
            Error::UndoUnavailable(_) => "undo_unavailable",
            Error::Cancelled(_) => "cancelled",
            Error::Listing(_) => "listing",
            Error::Denied(_) => "denied",
            Error::MfaNeeded(_) => "mfa_needed",
            Error::Engine(_) => "engine",
            Error::Conflict(_) => "conflict",
        }
    }

    /// The form field this error belongs to, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } | Error::SecretWouldMove { field, .. } => Some(field),
            Error::Duplicate { .. } => Some("name"),
            Error::MfaNeeded(_) => Some("mfa_code"),
            _ => None,
        }
    }

    /// The message without the field prefix, for display next to the field itself.
    pub fn message(&self) -> String {
        match self {
            Error::Invalid { message, .. } | Error::SecretWouldMove { message, .. } => {
                message.clone()
            }
            other => other.to_string(),
        }
    }
}

impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let field = self.field();
        let mut s = serializer.serialize_struct("Error", if field.is_some() { 3 } else { 2 })?;
        s.serialize_field("code", self.code())?;
        s.serialize_field("message", &self.to_string())?;
        if let Some(field) = field {
            s.serialize_field("field", field)?;
        }
        s.end()
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Storage(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e.to_string())
    }
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_serialises_with_code_message_and_field() {
        let e = Error::invalid("port", "must be between 1 and 65535");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "invalid");
        assert_eq!(v["field"], "port");
        assert_eq!(v["message"], "port: must be between 1 and 65535");
    }

    #[test]
    fn an_error_without_a_field_omits_it() {
        let v = serde_json::to_value(Error::Storage("disk full".into())).unwrap();
        assert!(v.get("field").is_none());
        assert_eq!(v["code"], "storage");
    }
}

/// The shape an [`Error`] takes on the wire (IPC, `--json`), for the generated TypeScript types.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ErrorPayload {
    pub code: String,
    pub message: String,
    #[ts(optional)]
    pub field: Option<String>,
}
