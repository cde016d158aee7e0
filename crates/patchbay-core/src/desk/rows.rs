//! What the list shows of a connection (its row: a local one, or a team's as last listed; its
//! line in a one-line listing), and which saved connection a form edits.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Desk;
use crate::catalog::{CheckSummary, Usage};
use crate::error::Result;
use crate::kinds;
use crate::model::{Connection, DbEngine, Kind, Spec};

/// A connection as a list row: its record, its last check, its favourite mark and last use.
/// Sent to the window as `ListedRow` (what the list shows, not the whole record).
#[derive(Debug, Clone)]
pub struct Row {
    pub connection: Connection,
    pub target: String,
    pub last_check: Option<CheckSummary>,
    pub usage: Usage,
    /// Set for a team's connection: which team, at which version, and what the member may do.
    pub team: Option<TeamMark>,
}

/// What the window's list is sent of a row: what it shows, sorts and searches by, and nothing
/// else (no fields, secret slots or ids; the form asks for the whole record when it opens one);
/// empty values are left out. At 10,000 connections the whole records were 5.4 MB to send and
/// parse before the list could show.
#[derive(Serialize, TS)]
#[ts(rename = "Row")]
pub struct ListedRow<'a> {
    name: &'a str,
    kind: Kind,
    /// The database engine (for its short label), for a database.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    engine: Option<DbEngine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    env_tag: Option<&'a str>,
    target: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    transport_warning: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    credential_warning: Option<&'a str>,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    updated_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    last_check: Option<&'a CheckSummary>,
    /// Present (true) for a favourite.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    favourite: Option<bool>,
    /// Milliseconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    used_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    team: Option<&'a TeamMark>,
}

impl<'a> From<&'a Row> for ListedRow<'a> {
    fn from(r: &'a Row) -> ListedRow<'a> {
        let c = &r.connection;
        ListedRow {
            name: &c.name,
            kind: c.kind,
            engine: match &c.spec {
                Spec::Database(d) => Some(d.engine),
                _ => None,
            },
            env_tag: c.env_tag.as_deref(),
            target: &r.target,
            transport_warning: c.transport_warning.as_deref(),
            credential_warning: c.credential_warning.as_deref(),
            updated_at: c.updated_at,
            last_check: r.last_check.as_ref(),
            favourite: r.usage.favourite.then_some(true),
            used_at: r.usage.used_at,
            team: r.team.as_ref(),
        }
    }
}

impl Serialize for Row {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        ListedRow::from(self).serialize(s)
    }
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
