//! Undoing a deletion made in the window. The deleted connection's `Tombstone` (its row, its
//! secrets still sealed, its shared-secret references, its last check) stays in this process's
//! memory for `UNDO_SECONDS` (plus a short grace for a click already on its way); the front end
//! holds only a token. Nothing of it is written anywhere, so a quit ends the chance to undo.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use super::Desk;
use crate::catalog::Tombstone;
use crate::error::{Error, Result};
use crate::model::{Connection, Kind};

/// How long the window offers Undo after a deletion.
pub const UNDO_SECONDS: u32 = 10;
const GRACE: Duration = Duration::from_secs(5);

/// A deletion that can be undone for a while.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Deleted {
    pub kind: Kind,
    pub name: String,
    /// What `undo_delete` takes back.
    #[ts(type = "number")]
    pub undo: u64,
    /// How long Undo is offered.
    pub undo_seconds: u32,
}

#[derive(Default)]
pub(super) struct Held {
    next: u64,
    tombstones: HashMap<u64, (Instant, Tombstone)>,
}

impl Held {
    fn prune(&mut self) {
        let limit = Duration::from_secs(UNDO_SECONDS.into()) + GRACE;
        self.tombstones.retain(|_, (at, _)| at.elapsed() < limit);
    }
}

impl Desk {
    /// Deletes a connection with the secrets it owns, keeping what it takes to undo that.
    pub fn delete_undoable(&self, kind: impl Into<Option<Kind>>, name: &str) -> Result<Deleted> {
        let (c, tombstone) = self.cat().remove_undoable(kind.into(), name)?;
        let mut held = self.held();
        held.prune();
        held.next += 1;
        let undo = held.next;
        held.tombstones.insert(undo, (Instant::now(), tombstone));
        Ok(Deleted {
            kind: c.kind,
            name: c.name,
            undo,
            undo_seconds: UNDO_SECONDS,
        })
    }

    /// Puts back the connection a `delete_undoable` deleted, with its secrets and last check.
    pub fn undo_delete(&self, undo: u64) -> Result<Connection> {
        let tombstone = {
            let mut held = self.held();
            held.prune();
            held.tombstones.remove(&undo).map(|(_, t)| t)
        };
        let t = tombstone.ok_or_else(|| {
            Error::UndoUnavailable(format!(
                "that deletion can no longer be undone (Undo is offered for {UNDO_SECONDS} seconds)"
            ))
        })?;
        self.cat().restore(t)
    }

    fn held(&self) -> std::sync::MutexGuard<'_, Held> {
        self.undo.lock().unwrap_or_else(|p| p.into_inner())
    }
}
