//! What the list shows of a connection (its row: a local one, or a team's as last listed), and
//! which saved connection a form edits.

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
    /// Set for a team's connection: which team, at which version, and what the member may do.
    pub team: Option<TeamMark>,
}

/// Where a team connection in the list is kept, as its team last listed it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TeamMark {
    pub team: String,
    /// The engine's version of it when listed.
    #[ts(type = "number")]
    pub version: u64,
    /// Whether this member's policies let them change it.
    pub may_edit: bool,
    /// When the team's list was read from its engine (ms since the epoch).
    #[ts(type = "number")]
    pub listed_at: i64,
}

/// Which saved connection a form edits, or, with `copy`, which one a new connection is a copy
/// of (its secret fields left as "keep" take that connection's secrets when saved or tested).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct Editing {
    pub kind: Kind,
    pub name: String,
    #[serde(default)]
    pub copy: bool,
    /// The team the connection is kept in (None: this computer's store).
    #[serde(default)]
    #[ts(optional)]
    pub team: Option<String>,
    /// The team connection's version the form was read at (what a save is based on).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub version: Option<u64>,
}

impl Editing {
    /// The form edits the saved connection called `name`.
    pub fn of(kind: Kind, name: impl Into<String>) -> Editing {
        Editing {
            kind,
            name: name.into(),
            copy: false,
            team: None,
            version: None,
        }
    }
}
