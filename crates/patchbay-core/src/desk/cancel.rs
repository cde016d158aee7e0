//! Cancelling a running check. A front end that may want to stop a check names it with a ticket
//! (a number of its choosing) and runs it through `Desk::cancellable`; `cancel_check` stops it.
//! A cancelled check is dropped where it stands: it records nothing (no last check, no use) and
//! answers `Error::Cancelled`. A blocking client call already under way (librdkafka's metadata
//! request) ends in its own thread at its timeout; nothing waits for it.
//!
//! A cancel may arrive before its check starts: the window's Stop is a command of its own that
//! can overtake the check's (the check waits for a free worker, the cancel does not). A ticket
//! that is neither running nor finished is kept as cancelled, and its check stops as it starts.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::Desk;
use crate::error::{Error, Result};

/// How many finished and early-cancelled tickets are remembered (tickets are never reused).
const REMEMBERED: usize = 1024;

#[derive(Default)]
pub(super) struct Running {
    tickets: Mutex<Tickets>,
}

#[derive(Default)]
struct Tickets {
    running: HashMap<u64, Arc<Notify>>,
    /// Cancelled before their check started.
    early: VecDeque<u64>,
    finished: VecDeque<u64>,
}

fn remember(list: &mut VecDeque<u64>, ticket: u64) {
    if list.len() == REMEMBERED {
        list.pop_front();
    }
    list.push_back(ticket);
}

impl Running {
    fn lock(&self) -> std::sync::MutexGuard<'_, Tickets> {
        self.tickets.lock().unwrap_or_else(|p| p.into_inner())
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
        {
            let mut t = self.running.lock();
            if let Some(i) = t.early.iter().position(|&e| e == ticket) {
                t.early.remove(i);
                // A stored permit: the check below stops before it does anything.
                stop.notify_one();
            }
            t.running.insert(ticket, stop.clone());
        }
        let answer = tokio::select! {
            biased;
            _ = stop.notified() => Err(Error::Cancelled(
                "the check was cancelled; nothing was recorded".into(),
            )),
            answer = work => answer,
        };
        let mut t = self.running.lock();
        t.running.remove(&ticket);
        remember(&mut t.finished, ticket);
        answer
    }

    /// Stops the check running under `ticket`, or stops it as it starts when it has not yet;
    /// false when it already finished.
    pub fn cancel_check(&self, ticket: u64) -> bool {
        let mut t = self.running.lock();
        if let Some(stop) = t.running.get(&ticket) {
            // A stored permit: a cancel that arrives before the check first waits still counts.
            stop.notify_one();
            return true;
        }
        if t.finished.contains(&ticket) {
            return false;
        }
        if !t.early.contains(&ticket) {
            remember(&mut t.early, ticket);
        }
        true
    }
}
