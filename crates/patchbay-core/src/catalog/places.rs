//! Buckets a user typed and listed with a connection whose credentials may not list the
//! store's buckets: remembered, so that browsing it again offers them (names only; a bucket's
//! name is not a secret, and it is not part of the connection's sealed fields).

use rusqlite::params;

use super::Catalog;
use crate::clock::now_ms;
use crate::error::Result;

/// How many typed buckets a connection keeps (the most recent).
const KEPT: i64 = 50;

impl Catalog {
    /// Notes that `bucket` listed with connection `connection_id` just now.
    pub fn remember_bucket(&mut self, connection_id: i64, bucket: &str) -> Result<()> {
        let tx = self.db.transaction()?;
        tx.execute(
            "INSERT INTO known_buckets (connection_id, bucket, seen_at)
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM connections WHERE id = ?1)
             ON CONFLICT (connection_id, bucket) DO UPDATE SET seen_at = excluded.seen_at",
            params![connection_id, bucket, now_ms()],
        )?;
        tx.execute(
            "DELETE FROM known_buckets WHERE connection_id = ?1 AND bucket NOT IN
             (SELECT bucket FROM known_buckets WHERE connection_id = ?1
              ORDER BY seen_at DESC LIMIT ?2)",
            params![connection_id, KEPT],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The buckets remembered for connection `connection_id`, by name.
    pub fn known_buckets(&self, connection_id: i64) -> Result<Vec<String>> {
        let mut q = self
            .db
            .prepare("SELECT bucket FROM known_buckets WHERE connection_id = ?1 ORDER BY bucket")?;
        let rows = q.query_map([connection_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
