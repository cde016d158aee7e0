//! What a kind's lines of `patchbay show` are made of (each kind's `details`; `kinds::details`
//! dispatches): text, or a secret field named, never shown — the front end says whether it is
//! set and where from.

use crate::model::SecretField;

/// One value of `show`.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Text(String),
    /// A secret field: shown as set or not, and where from.
    Secret(SecretField),
}

/// The lines of `show`: label and value, in order.
pub type Lines = Vec<(&'static str, Shown)>;

/// A text value.
pub fn text(v: impl ToString) -> Shown {
    Shown::Text(v.to_string())
}

/// PEM material as the number of blocks it holds.
pub fn pem_summary(pem: &Option<String>) -> Shown {
    text(match pem {
        None => "(none)".into(),
        Some(p) => format!("{} PEM block(s)", p.matches("-----BEGIN").count()),
    })
}

/// The CA a verifying connection trusts: the one given, or the system's roots.
pub fn ca_summary(pem: &Option<String>, verifies: bool) -> Shown {
    match pem {
        None if verifies => text("(none: the system's trusted roots are used)"),
        other => pem_summary(other),
    }
}
