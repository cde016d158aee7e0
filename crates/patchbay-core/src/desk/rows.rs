//! What the list shows of a connection (its row), and which saved connection a form edits.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::{CheckSummary, Usage};
use crate::model::{Connection, Kind};

/// A connection as a list row: its record, its last check, its favourite mark and last use.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Row {
    #[serde(flatten)]
    pub connection: Connection,
    pub target: String,
    pub last_check: Option<CheckSummary>,
    #[serde(flatten)]
    pub usage: Usage,
}

/// Which saved connection a form edits, or, with `copy`, which one a new connection is a copy
/// of (its secret fields left as "keep" take that connection's secrets when saved or tested).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct Editing {
    pub kind: Kind,
    pub name: String,
    #[serde(default)]
    pub copy: bool,
}

impl Editing {
    /// The form edits the saved connection called `name`.
    pub fn of(kind: Kind, name: impl Into<String>) -> Editing {
        Editing {
            kind,
            name: name.into(),
            copy: false,
        }
    }
}
