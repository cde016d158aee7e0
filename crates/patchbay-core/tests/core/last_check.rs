//! A status the user can trust: a form checked and then saved unchanged keeps that check as the
//! connection's last one (a changed form does not); the whole verdict is kept and can be opened
//! again; an edit that moves the target marks the old one stale.

use patchbay_core::check::StepName;
use patchbay_core::desk::{Desk, Editing};
use patchbay_core::model::*;
use patchbay_testkit::*;

fn desk() -> (tempfile::TempDir, Desk) {
    let Store { dir, catalog, .. } = store();
    (dir, Desk::new(catalog))
}

fn at_closed_port(name: &str) -> ConnectionDraft {
    let mut d = postgres(name, "pw");
    if let Spec::Database(db) = &mut d.spec {
        db.port = closed_port().into();
    }
    d
}

fn last(d: &Desk, name: &str) -> Option<patchbay_core::catalog::CheckSummary> {
    d.list()
        .unwrap()
        .into_iter()
        .find(|r| r.connection.name == name)
        .unwrap()
        .last_check
}

#[tokio::test]
async fn a_form_checked_then_saved_unchanged_keeps_its_check_and_a_changed_one_does_not() {
    let (_dir, d) = desk();
    let draft = at_closed_port("orders");
    let v = d.test_draft(draft.clone(), None).await.unwrap();
    assert_eq!(v.failed_step, Some(StepName::Tcp));
    d.save(draft.clone(), None).unwrap();
    let l = last(&d, "orders").expect("the form's check is the last check");
    assert_eq!(
        (l.ok, l.failed_step.as_deref(), l.checked_at, l.stale),
        (false, Some("tcp"), v.checked_at, false)
    );
    // The whole verdict is kept: its steps come back.
    let again = d.last_verdict(Kind::Database, "orders").unwrap().unwrap();
    let steps: Vec<_> = again.steps.iter().map(|s| (s.name, s.ok)).collect();
    assert_eq!(steps, [(StepName::Dns, true), (StepName::Tcp, false)]);
    assert_eq!(again.hint, v.hint);

    // Checked, then the password changed before saving: not what was checked.
    let other = at_closed_port("billing");
    d.test_draft(other.clone(), None).await.unwrap();
    d.save(other.with_secret(SecretField::Password, "another"), None)
        .unwrap();
    assert_eq!(last(&d, "billing"), None);
}

#[tokio::test]
async fn an_edit_that_moves_the_target_marks_the_last_check_stale() {
    let (_dir, d) = desk();
    let draft = at_closed_port("orders");
    d.save(draft.clone(), None).unwrap();
    d.test_saved(Kind::Database, "orders").await.unwrap();
    assert_eq!(last(&d, "orders").map(|l| l.stale), Some(false));
    // A new tag is not a new target.
    let mut tagged = draft.clone();
    tagged.env_tag = Some("dev".into());
    tagged.secrets.clear();
    d.save(tagged.clone(), Some(Editing::of(Kind::Database, "orders")))
        .unwrap();
    assert_eq!(last(&d, "orders").map(|l| l.stale), Some(false));
    let mut moved = tagged;
    if let Spec::Database(db) = &mut moved.spec {
        db.host = "db2.internal".into();
    }
    moved.confirm_kept_secrets = true;
    d.save(moved, Some(Editing::of(Kind::Database, "orders")))
        .unwrap();
    assert_eq!(last(&d, "orders").map(|l| l.stale), Some(true));
}
