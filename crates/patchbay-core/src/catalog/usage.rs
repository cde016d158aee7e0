//! What the user marks and uses: favourite connections (pinned first in the window and the tray)
//! and when each connection was last used — checked, copied, opened in a terminal, handed to a
//! program by `url`/`env`/`exec` — for "recently used". Neither is part of a connection's sealed
//! fields: marking one never touches its secrets or its MAC.

use std::collections::HashMap;

use rusqlite::{params, TransactionBehavior};
use serde::Serialize;
use ts_rs::TS;

use super::Catalog;
use crate::clock::now_ms;
use crate::error::Result;
use crate::model::{Connection, Kind};

/// A connection's mark and its last use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Usage {
    pub favourite: bool,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number | null")]
    pub used_at: Option<i64>,
}

impl Catalog {
    /// Pins (or unpins) a connection as a favourite.
    pub fn set_favourite(
        &mut self,
        kind: Option<Kind>,
        name: &str,
        favourite: bool,
    ) -> Result<Connection> {
        let c = self.get(kind, name)?;
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO usage (connection_id, favourite) VALUES (?1, ?2)
             ON CONFLICT (connection_id) DO UPDATE SET favourite = excluded.favourite",
            params![c.id, favourite],
        )?;
        tx.commit()?;
        Ok(c)
    }

    /// Notes that a connection was used just now (ignored if it was deleted meanwhile).
    pub fn record_use(&mut self, connection_id: i64) -> Result<()> {
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO usage (connection_id, used_at)
             SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM connections WHERE id = ?1)
             ON CONFLICT (connection_id) DO UPDATE SET used_at = excluded.used_at",
            params![connection_id, now_ms()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every connection's mark and last use that has one, by connection id.
    pub fn usage(&self) -> Result<HashMap<i64, Usage>> {
        let mut stmt = self
            .db
            .prepare_cached("SELECT connection_id, favourite, used_at FROM usage")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Usage {
                    favourite: r.get(1)?,
                    used_at: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
