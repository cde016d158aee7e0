//! Cancelling a running check. A front end that may want to stop a check names it with a ticket
//! (a number of its choosing) and runs it through `Desk::cancellable`; `cancel_check` stops it.
//! A cancelled check is dropped where it stands: it records nothing (no last check, no use) and
//! answers `Error::Cancelled`. A blocking client call already under way (librdkafka's metadata
//! request) ends in its own thread at its timeout; nothing waits for it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::Desk;
use crate::error::{Error, Result};

#[derive(Default)]
pub(super) struct Running {
    checks: Mutex<HashMap<u64, Arc<Notify>>>,
}

impl Running {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Notify>>> {
        self.checks.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Desk {
    /// Runs `work` (a check) so that `cancel_check(ticket)` can stop it; without a ticket it
    /// just runs.
    pub async fn cancellable<T>(
        &self,
        ticket: Option<u64>,
        work: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let Some(ticket) = ticket else {
            return work.await;
        };
        let stop = Arc::new(Notify::new());
        self.running.lock().insert(ticket, stop.clone());
        let answer = tokio::select! {
            answer = work => answer,
            _ = stop.notified() => Err(Error::Cancelled(
                "the check was cancelled; nothing was recorded".into(),
            )),
        };
        self.running.lock().remove(&ticket);
        answer
    }

    /// Stops the check running under `ticket`; false when none is (it already finished).
    pub fn cancel_check(&self, ticket: u64) -> bool {
        match self.running.lock().get(&ticket) {
            Some(stop) => {
                // A stored permit: a cancel that arrives before the check first waits still counts.
                stop.notify_one();
                true
            }
            None => false,
        }
    }
}
