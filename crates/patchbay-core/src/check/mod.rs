//! The mechanisms of a check (what the CLI's `test` and the window's Test run), never naming a
//! kind: the verdict and its recorder (steps, timings, the bound), DNS/TCP (`net`), TLS, HTTP
//! requests to an endpoint, SigV4 signing, the database wire (what a server offers first, a
//! session of the check's own, the cleartext guard and its bridge to sqlx). Each kind's steps
//! live with the kind (`kinds/<kind>/check.rs`); `kinds::check` dispatches to them.

pub(crate) mod bridge;
mod cleartext;
pub(crate) mod db_session;
pub(crate) mod db_wire;
pub(crate) mod endpoint;
pub(crate) mod http;
mod mysql_tls;
pub(crate) mod net;
pub(crate) mod sigv4;
pub(crate) mod tls;
pub mod verdict;

use std::time::Duration;

pub use verdict::{Fact, Step, StepName, Verdict};

/// The default bound of one check.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many checks `check_all` runs at once by default.
pub const DEFAULT_PARALLELISM: usize = 32;
