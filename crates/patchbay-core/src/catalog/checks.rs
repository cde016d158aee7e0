//! The last check of each connection: recorded after every check (app, tray or CLI) so lists and
//! the tray can show "ok 42 ms, 3 minutes ago" or "failed at auth", and the window can open the
//! whole verdict again (its steps, timings and hint; verdict text is already scrubbed of
//! secrets). The target it was made against says when an edit has made it stale.

use std::collections::HashMap;

use rusqlite::{params, TransactionBehavior};
use serde::Serialize;
use ts_rs::TS;

use super::Catalog;
use crate::check::{StepName, Verdict};
use crate::error::Result;

/// What a list shows of the last check.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct CheckSummary {
    pub ok: bool,
    pub failed_step: Option<String>,
    pub message: String,
    pub total_ms: f64,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub checked_at: i64,
    /// Made against another target than the connection has now (an edit changed it since).
    pub stale: bool,
    /// The target it was made against (None for checks recorded before it was kept).
    #[serde(skip)]
    #[ts(skip)]
    pub target: Option<String>,
}

impl CheckSummary {
    pub fn of(v: &Verdict) -> CheckSummary {
        CheckSummary {
            ok: v.ok,
            failed_step: v.failed_step.map(|s: StepName| s.as_str().to_string()),
            message: v.message.clone(),
            total_ms: v.total_ms,
            checked_at: v.checked_at,
            stale: false,
            target: Some(v.target.clone()),
        }
    }

    /// Marks it stale when it was made against another target than `now`.
    pub fn against(mut self, now: &str) -> CheckSummary {
        self.stale = self.target.as_deref().is_some_and(|t| t != now);
        self
    }
}

impl Catalog {
    /// Remembers a verdict as the connection's last check (ignored if it was deleted meanwhile).
    pub fn record_check(&mut self, connection_id: i64, v: &Verdict) -> Result<()> {
        self.record_checks([(connection_id, v)])
    }

    /// Remembers many verdicts (a "test all") in one transaction: one commit, not one each.
    pub fn record_checks<'a>(
        &mut self,
        verdicts: impl IntoIterator<Item = (i64, &'a Verdict)>,
    ) -> Result<()> {
        let tx = self
            .db
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO last_checks (connection_id, ok, failed_step, message, total_ms, checked_at, target, verdict)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE EXISTS (SELECT 1 FROM connections WHERE id = ?1)
                 ON CONFLICT (connection_id) DO UPDATE SET ok = excluded.ok, failed_step = excluded.failed_step,
                    message = excluded.message, total_ms = excluded.total_ms, checked_at = excluded.checked_at,
                    target = excluded.target, verdict = excluded.verdict",
            )?;
            for (connection_id, v) in verdicts {
                stmt.execute(params![
                    connection_id,
                    v.ok,
                    v.failed_step.map(|s| s.as_str()),
                    v.message,
                    v.total_ms,
                    v.checked_at,
                    v.target,
                    serde_json::to_string(v).expect("serialisable")
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The last check of every connection that has one, by connection id.
    pub fn last_checks(&self) -> Result<HashMap<i64, CheckSummary>> {
        let mut stmt = self.db.prepare_cached(
            "SELECT connection_id, ok, failed_step, message, total_ms, checked_at, target FROM last_checks",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                CheckSummary {
                    ok: r.get(1)?,
                    failed_step: r.get(2)?,
                    message: r.get(3)?,
                    total_ms: r.get(4)?,
                    checked_at: r.get(5)?,
                    stale: false,
                    target: r.get(6)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The whole last verdict of a connection, if one was kept.
    pub fn last_verdict(&self, connection_id: i64) -> Result<Option<Verdict>> {
        use rusqlite::OptionalExtension as _;
        let text: Option<Option<String>> = self
            .db
            .query_row(
                "SELECT verdict FROM last_checks WHERE connection_id = ?1",
                [connection_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(text.flatten().and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// A counter that changes whenever another process commits to the store (SQLite's
    /// `data_version`): cheap to poll, so the app and tray follow edits made with the CLI.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.db.query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}
