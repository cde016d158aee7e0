//! A connection opened as a copy ("Duplicate" in the window) is a new, unsaved form: saved, its
//! secret fields left blank take the original's secrets (its own ones as independent copies, shared
//! ones by reference), under the same rule as editing: a kept secret goes only where it was saved
//! for, unless the user confirms.

use patchbay_core::desk::{Desk, Editing};
use patchbay_core::model::*;
use patchbay_testkit::*;

fn copy_of(kind: Kind, name: &str) -> Option<Editing> {
    Some(Editing {
        copy: true,
        ..Editing::of(kind, name)
    })
}

fn desk_with_orders() -> (Store, Desk) {
    let s = store();
    let d = Desk::new(s.reopen_with(s.key.clone()));
    let mut draft = postgres("orders", "orders-pw");
    draft.env_tag = Some("prod".into());
    d.save(draft, None).unwrap();
    (s, d)
}

#[test]
fn a_copy_saved_with_blank_secrets_gets_its_own_copy_of_the_originals_password() {
    let (_s, d) = desk_with_orders();
    let mut form = postgres("orders-copy", "unused");
    form.secrets.clear();
    form.env_tag = Some("dev".into());
    let copy = d.save(form, copy_of(Kind::Database, "orders")).unwrap();
    assert_eq!(copy.name, "orders-copy");
    assert_eq!(copy.env_tag.as_deref(), Some("dev"));
    let secret = |name: &str| {
        d.resolve(Kind::Database, name)
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose()
            .to_string()
    };
    assert_eq!(secret("orders-copy"), "orders-pw");
    assert_eq!(
        d.get(Kind::Database, "orders").unwrap().env_tag.as_deref(),
        Some("prod")
    );

    // Independent: changing the original's password leaves the copy's.
    let mut edit = postgres("orders", "new-pw");
    edit.env_tag = Some("prod".into());
    d.save(edit, Some(Editing::of(Kind::Database, "orders")))
        .unwrap();
    assert_eq!(secret("orders-copy"), "orders-pw");
    // And deleting the original leaves the copy whole.
    d.delete(Kind::Database, "orders").unwrap();
    assert_eq!(secret("orders-copy"), "orders-pw");
}

#[test]
fn a_copy_pointed_at_another_host_keeps_the_password_only_when_confirmed() {
    let (_s, d) = desk_with_orders();
    let mut form = postgres("orders-elsewhere", "unused");
    form.secrets.clear();
    if let Spec::Database(db) = &mut form.spec {
        db.host = "10.0.0.9".into();
    }
    let e = d
        .save(form.clone(), copy_of(Kind::Database, "orders"))
        .unwrap_err();
    assert_eq!(e.code(), "secret_would_move", "{e}");
    assert_eq!(e.field(), Some("password"));
    assert!(
        d.get(Kind::Database, "orders-elsewhere").is_err(),
        "nothing saved"
    );

    let rt = tokio::runtime::Runtime::new().unwrap();
    let refused = rt
        .block_on(d.test_draft(form.clone(), copy_of(Kind::Database, "orders")))
        .unwrap_err();
    assert_eq!(refused.code(), "secret_would_move");

    form.confirm_kept_secrets = true;
    d.save(form, copy_of(Kind::Database, "orders")).unwrap();
    let r = d.resolve(Kind::Database, "orders-elsewhere").unwrap();
    assert_eq!(
        r.secret(SecretField::Password).unwrap().expose(),
        "orders-pw"
    );
}

#[test]
fn a_copy_with_a_typed_or_cleared_password_does_not_take_the_originals() {
    let (_s, d) = desk_with_orders();
    let typed = postgres("typed", "typed-pw");
    d.save(typed, copy_of(Kind::Database, "orders")).unwrap();
    let r = d.resolve(Kind::Database, "typed").unwrap();
    assert_eq!(
        r.secret(SecretField::Password).unwrap().expose(),
        "typed-pw"
    );

    let mut cleared = postgres("cleared", "unused");
    cleared.secrets = [(SecretField::Password, SecretInput::Clear)].into();
    let c = d.save(cleared, copy_of(Kind::Database, "orders")).unwrap();
    assert!(c.secrets.is_empty(), "{c:?}");
}

#[test]
fn testing_an_unsaved_copy_records_nothing_and_never_sends_the_password_elsewhere() {
    let (_s, d) = desk_with_orders();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let port = closed_port();
    let mut form = postgres("orders-local", "unused");
    form.secrets.clear();
    if let Spec::Database(db) = &mut form.spec {
        db.port = port.into();
    }
    form.confirm_kept_secrets = true; // a save's confirmation does not count for a check
    let refused = rt
        .block_on(d.test_draft(form.clone(), copy_of(Kind::Database, "orders")))
        .unwrap_err();
    assert_eq!(refused.code(), "secret_would_move", "{refused}");

    form.secrets.insert(
        SecretField::Password,
        SecretInput::Value {
            value: "typed".into(),
        },
    );
    let v = rt
        .block_on(d.test_draft(form, copy_of(Kind::Database, "orders")))
        .unwrap();
    assert!(!v.ok, "nothing listens there");
    assert!(
        d.get(Kind::Database, "orders-local").is_err(),
        "a test saves nothing"
    );
    assert!(
        d.list().unwrap()[0].last_check.is_none(),
        "the original's last check is untouched"
    );
}

#[test]
fn a_copy_must_be_of_the_originals_kind() {
    let (_s, d) = desk_with_orders();
    let mut k = kafka("events", "unused");
    k.secrets.clear();
    let e = d.save(k, copy_of(Kind::Database, "orders")).unwrap_err();
    assert_eq!(e.field(), Some("kind"), "{e}");
}
