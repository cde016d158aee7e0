//! Undoing a deletion made in the window, through the `Desk`: the connection comes back with its
//! own secrets (which still open), its shared-secret references and its last check; an undo is
//! refused, with the reason, when it is too late to be honest about what it would restore.

use patchbay_core::desk::Desk;
use patchbay_core::model::*;
use patchbay_core::MasterKey;
use patchbay_testkit::*;

fn desk() -> (tempfile::TempDir, Desk) {
    let s = store();
    let Store { dir, catalog, .. } = s;
    (dir, Desk::new(catalog))
}

#[test]
fn an_undone_deletion_brings_back_the_connection_with_its_secrets_and_last_check() {
    let (_dir, d) = desk();
    d.save_secret("shared-ca-pw", Some("shared-value".into()), None, None)
        .unwrap();
    // A refused port fails the check at once: a last check to bring back too.
    let port = closed_port();
    let mut draft = kafka("events", "own-sasl-pw");
    draft = draft.with_secret_ref(SecretField::SchemaRegistryPassword, "shared-ca-pw");
    if let Spec::Kafka(k) = &mut draft.spec {
        k.schema_registry_url = Some("https://registry.internal:8081".into());
        k.schema_registry_username = Some("reg".into());
        k.bootstrap_servers = format!("127.0.0.1:{port}");
    }
    draft.env_tag = Some("staging".into());
    d.save(draft, None).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert!(!rt.block_on(d.test_saved(Kind::Kafka, "events")).unwrap().ok);
    let before = d.list().unwrap();
    assert!(before[0].last_check.is_some());

    let gone = d.delete_undoable(Kind::Kafka, "events").unwrap();
    assert_eq!(gone.name, "events");
    assert_eq!(gone.undo_seconds, 10);
    assert!(
        d.get(Kind::Kafka, "events").is_err(),
        "it is deleted at once"
    );

    let back = d.undo_delete(gone.undo).unwrap();
    assert_eq!(back.name, "events");
    let after = d.list().unwrap();
    let strip = |rows: Vec<patchbay_core::desk::Row>| {
        rows.into_iter()
            .map(|mut r| {
                r.connection.id = 0;
                serde_json::to_string(&r).unwrap()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(after),
        strip(before),
        "the same row, tag, secrets and times"
    );
    let r = d.resolve(Kind::Kafka, "events").unwrap();
    assert_eq!(
        r.secret(SecretField::SaslPassword).unwrap().expose(),
        "own-sasl-pw"
    );
    assert_eq!(
        r.secret(SecretField::SchemaRegistryPassword)
            .unwrap()
            .expose(),
        "shared-value"
    );

    let again = d.undo_delete(gone.undo).unwrap_err();
    assert_eq!(again.code(), "undo_unavailable", "{again}");
}

#[test]
fn an_undo_is_refused_when_the_name_was_taken_or_the_shared_secret_deleted_since() {
    let (_dir, d) = desk();
    d.save(postgres("orders", "pw-1"), None).unwrap();
    let gone = d.delete_undoable(Kind::Database, "orders").unwrap();
    d.save(postgres("orders", "pw-2"), None).unwrap();
    let e = d.undo_delete(gone.undo).unwrap_err();
    assert_eq!(e.code(), "undo_unavailable");
    assert!(e.to_string().contains("was saved since"), "{e}");
    let r = d.resolve(Kind::Database, "orders").unwrap();
    assert_eq!(r.secret(SecretField::Password).unwrap().expose(), "pw-2");

    d.save_secret("kafka-pw", Some("v".into()), None, None)
        .unwrap();
    d.save(
        kafka("events", "x").with_secret_ref(SecretField::SaslPassword, "kafka-pw"),
        None,
    )
    .unwrap();
    let gone = d.delete_undoable(Kind::Kafka, "events").unwrap();
    d.delete_secret("kafka-pw").unwrap();
    let e = d.undo_delete(gone.undo).unwrap_err();
    assert!(e.to_string().contains("shared secret"), "{e}");
    assert!(
        d.get(Kind::Kafka, "events").is_err(),
        "nothing half-restored"
    );
}

#[test]
fn an_undo_is_refused_after_the_key_was_rotated() {
    let (_dir, d) = desk();
    d.save(postgres("orders", "pw-1"), None).unwrap();
    d.save(postgres("other", "pw-2"), None).unwrap();
    let gone = d.delete_undoable(Kind::Database, "orders").unwrap();
    d.rotate_key(Some(MasterKey::generate().unwrap())).unwrap();
    let e = d.undo_delete(gone.undo).unwrap_err();
    assert!(e.to_string().contains("key was changed"), "{e}");
    assert!(d.get(Kind::Database, "orders").is_err());
}

#[test]
fn an_unknown_undo_says_how_long_undo_is_offered() {
    let (_dir, d) = desk();
    let e = d.undo_delete(12345).unwrap_err();
    assert_eq!(e.code(), "undo_unavailable");
    assert!(e.to_string().contains("10 seconds"), "{e}");
}
