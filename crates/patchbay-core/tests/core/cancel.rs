//! A running check can be cancelled by its ticket: it answers at once that it was cancelled and
//! records nothing, where it would otherwise wait for its timeout and record a failure.

use std::sync::Arc;
use std::time::Duration;

use patchbay_core::desk::Desk;
use patchbay_core::model::*;
use patchbay_testkit::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_cancelled_check_of_a_silent_server_answers_cancelled_and_records_nothing() {
    // Accepts the connection and never answers: the check would wait for its whole timeout.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let _held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            open.push(s);
        }
    });
    let s = store();
    let d = Arc::new(
        Desk::new(s.reopen_with(s.key.clone())).with_check_limits(Duration::from_secs(30), 1),
    );
    let mut draft = postgres("slow", "pw");
    if let Spec::Database(db) = &mut draft.spec {
        db.port = port.into();
    }
    d.save(draft, None).unwrap();

    let running = {
        let d = d.clone();
        tokio::spawn(async move {
            d.cancellable(Some(7), d.test_saved(Kind::Database, "slow"))
                .await
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(d.cancel_check(7), "the check was running");
    let answer = tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .expect("the cancelled check answered long before its 30 s timeout")
        .unwrap();
    let e = answer.unwrap_err();
    assert_eq!(e.code(), "cancelled", "{e}");
    let row = &d.list().unwrap()[0];
    assert!(
        row.last_check.is_none(),
        "nothing recorded: {:?}",
        row.last_check
    );
    assert!(row.usage.used_at.is_none());
    assert!(!d.cancel_check(7), "a finished check cannot be cancelled");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cancel_that_overtakes_its_check_stops_the_check_as_it_starts() {
    // The window's Stop is a command of its own: it can reach the Desk before the check it stops
    // has started (waiting for a worker). The check must then stop, not run to its end.
    let s = store();
    let d = Desk::new(s.reopen_with(s.key.clone()));
    assert!(
        d.cancel_check(11),
        "a ticket not yet started is taken as cancelled"
    );
    let ran = std::sync::atomic::AtomicBool::new(false);
    let answer = d
        .cancellable(Some(11), async {
            ran.store(true, std::sync::atomic::Ordering::SeqCst);
            Ok(())
        })
        .await;
    assert_eq!(answer.unwrap_err().code(), "cancelled");
    assert!(
        !ran.load(std::sync::atomic::Ordering::SeqCst),
        "the check did nothing"
    );
    assert!(!d.cancel_check(11), "a finished check cannot be cancelled");
    // Another ticket's check is not touched by it.
    assert!(d.cancellable(Some(12), async { Ok(()) }).await.is_ok());
}
