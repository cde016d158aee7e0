//! What the list shows of a connection (its row: a local one, or a team's as last listed; its
//! line in a one-line listing), and which saved connection a form edits.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Desk;
use crate::catalog::{CheckSummary, Usage};
use crate::error::Result;
use crate::kinds;
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

/// A connection as one line of a listing (`patchbay list`): no secrets, checks or use. Its
/// name and tag are borrowed from the store's row while it is read.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub name: &'a str,
    /// The kind's word for its type (`postgres`, `s3`, …).
    pub type_word: &'static str,
    pub env_tag: Option<&'a str>,
    pub target: String,
    pub credential_warning: Option<String>,
}

impl Desk {
    /// Saved connections (of `kind`, or all) as lines, in list order, each handed to `each` as
    /// it is read: the name, type, tag, target and credential warning, without whole records
    /// (at 10,000, building and freeing them was most of `patchbay list`'s time).
    pub fn each_line(&self, kind: Option<Kind>, mut each: impl FnMut(Line<'_>)) -> Result<()> {
        let now = crate::clock::now_ms();
        self.lists().each_listed(kind, |name, env_tag, spec| {
            each(Line {
                name,
                type_word: kinds::type_word(&spec),
                env_tag,
                target: kinds::target(&spec),
                credential_warning: kinds::credential_warning(&spec, now),
            })
        })
    }
}
