//! What Patchbay needs of a team's secrets engine, whichever engine it is: versioned key/value
//! secrets under the team's folder — a secret read (at a version), written over the version an
//! edit started from (never over a teammate's change), a folder listed, a secret's versions,
//! what the member may do with each secret, and the login kept alive. The Desk and the team's
//! layout speak only to this; OpenBao / HashiCorp Vault KV v2 (`kv2.rs`) is the engine today,
//! and another one (AWS Secrets Manager, in Airflow's `airflow/connections/<id>` layout) is
//! another implementation, with nothing to change in the kinds, the CLI or the window.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::Result;

/// An engine's answer, to be awaited.
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// A team's engine, logged in.
pub type Engine = Arc<dyn SecretsEngine>;

/// One version of a secret.
pub struct Read {
    pub data: Map<String, Value>,
    pub version: u64,
}

/// A version in a secret's history.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct Version {
    #[ts(type = "number")]
    pub version: u64,
    /// RFC 3339.
    pub created: String,
    /// When it was deleted (it can be brought back), if it was.
    pub deleted: Option<String>,
    pub destroyed: bool,
}

/// What a login is: how long it lives (seconds; 0 for one that never expires).
pub struct TokenInfo {
    pub ttl: u64,
    pub renewable: bool,
}

/// What the member may do with a secret, as the engine's policies say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct May {
    pub read: bool,
    pub change: bool,
}

/// A team's secrets engine. Keys are paths under the team's folder (`connections/orders`).
pub trait SecretsEngine: Send + Sync {
    /// Version `version` of `key` (the current one when None), or None when there is none.
    fn read_version<'a>(&'a self, key: &'a str, version: Option<u64>) -> Pending<'a, Option<Read>>;

    /// The current version of `key`, or None when there is none.
    fn read<'a>(&'a self, key: &'a str) -> Pending<'a, Option<Read>> {
        self.read_version(key, None)
    }

    /// Writes `data` as the next version of `key` only if its current version is `base` (0:
    /// only if there is none), else `Error::Conflict`; the new version.
    fn write<'a>(
        &'a self,
        key: &'a str,
        data: &'a Map<String, Value>,
        base: u64,
    ) -> Pending<'a, u64>;

    /// The names under `folder` (sub-folders end in "/"); none when it is empty.
    fn list<'a>(&'a self, folder: &'a str) -> Pending<'a, Vec<String>>;

    /// Every version of `key`, oldest first.
    fn versions<'a>(&'a self, key: &'a str) -> Pending<'a, Vec<Version>>;

    /// What the member may do with each of `keys` (asked in batches where the engine can).
    fn may<'a>(&'a self, keys: &'a [String]) -> Pending<'a, HashMap<String, May>>;

    /// Renews the login (its time starts again, up to its maximum); how long it lives now.
    fn renew(&self) -> Pending<'_, TokenInfo>;
}
