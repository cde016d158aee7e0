//! Where the master key was last backed up (a passphrase-sealed key file): recorded with the
//! key check of the key it holds, so a rotation (a new key) makes the record stale by itself and
//! the window reminds again.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{meta_on, Catalog};
use crate::error::Result;

/// A backup of the key that encrypts the store now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KeyBackup {
    /// The key file written.
    pub path: String,
    /// When, in milliseconds since the epoch.
    #[ts(type = "number")]
    pub at: i64,
}

#[derive(Serialize, Deserialize)]
struct Recorded {
    key_check: String,
    #[serde(flatten)]
    backup: KeyBackup,
}

impl Catalog {
    /// The last backup of the current key, if there is one (a backup of a key the store is no
    /// longer under does not count).
    pub fn key_backup(&self) -> Result<Option<KeyBackup>> {
        let (Some(text), Some(check)) = (
            meta_on(&self.db, "key_backup")?,
            meta_on(&self.db, "key_check")?,
        ) else {
            return Ok(None);
        };
        Ok(serde_json::from_str::<Recorded>(&text)
            .ok()
            .filter(|r| r.key_check == check)
            .map(|r| r.backup))
    }

    /// Records that the key proven by `key_check` was backed up to `path` just now.
    pub fn record_key_backup(&self, key_check: &str, path: &str) -> Result<KeyBackup> {
        let backup = KeyBackup {
            path: path.to_string(),
            at: crate::clock::now_ms(),
        };
        let text = serde_json::to_string(&Recorded {
            key_check: key_check.to_string(),
            backup: backup.clone(),
        })
        .expect("serialisable");
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('key_backup', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [text],
        )?;
        Ok(backup)
    }

    /// The key check of the key the store is encrypted under (None before its first key).
    pub fn key_check(&self) -> Result<Option<String>> {
        meta_on(&self.db, "key_check")
    }
}
