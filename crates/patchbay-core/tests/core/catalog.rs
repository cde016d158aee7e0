//! The catalog as a user meets it: create, read, edit, rename and delete each kind; names unique
//! per kind; owned secrets go with their connection; shared secrets cannot be deleted while used.

use patchbay_core::model::*;
use patchbay_core::Catalog;
use patchbay_testkit::*;

#[test]
fn each_kind_can_be_created_listed_edited_renamed_and_removed() {
    let mut s = store();
    for draft in [
        postgres("pg", "pw-pg"),
        mysql("my", "pw-my"),
        s3("bucket", "sk-s3"),
        kafka("events", "pw-kafka"),
    ] {
        let kind = draft.spec.kind();
        let name = draft.name.clone();
        let created = s.catalog.create(draft.clone()).unwrap();
        assert_eq!(created.kind, kind);
        assert_eq!(s.catalog.get(Some(kind), &name).unwrap(), created);
        assert!(
            !created.secrets.is_empty(),
            "{name} lists its set secret fields"
        );

        let mut edited = draft.clone();
        edited.secrets.clear(); // keep the saved secrets
        edited.env_tag = Some("prod".into());
        let updated = s.catalog.update(Some(kind), &name, edited).unwrap();
        assert_eq!(updated.env_tag.as_deref(), Some("prod"));
        assert_eq!(updated.secrets, created.secrets, "{name} kept its secrets");

        let renamed = s
            .catalog
            .rename(Some(kind), &name, &format!("{name}-2"))
            .unwrap();
        assert_eq!(renamed.name, format!("{name}-2"));
        assert!(s.catalog.get(Some(kind), &name).is_err());
    }
    let names: Vec<String> = s
        .catalog
        .list(None)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(
        names,
        ["my-2", "pg-2", "bucket-2", "events-2"],
        "sorted by kind then name"
    );
    assert_eq!(s.catalog.list(Some(Kind::Kafka)).unwrap().len(), 1);

    for name in ["pg-2", "my-2", "bucket-2", "events-2"] {
        s.catalog.remove(None, name).unwrap();
    }
    assert!(s.catalog.list(None).unwrap().is_empty());
    assert_eq!(
        s.catalog.encrypted_values().unwrap(),
        0,
        "owned secrets went with their connections"
    );
}

#[test]
fn a_resolved_connection_carries_its_decrypted_secrets() {
    let mut s = store();
    s.catalog.create(kafka("events", "sasl-pw")).unwrap();
    let r = s.catalog.resolve(None, "events").unwrap();
    assert_eq!(
        r.secret(SecretField::SaslPassword).unwrap().expose(),
        "sasl-pw"
    );
    assert_eq!(
        r.secret(SecretField::SchemaRegistryPassword)
            .unwrap()
            .expose(),
        "sasl-pw-registry"
    );
    assert!(
        !format!("{r:?}").contains("sasl-pw"),
        "Debug of a resolved connection is redacted"
    );
}

#[test]
fn editing_with_a_new_password_replaces_only_that_secret() {
    let mut s = store();
    s.catalog.create(postgres("pg", "old")).unwrap();
    let mut d = postgres("pg", "new");
    if let Spec::Database(db) = &mut d.spec {
        db.host = "db.internal".into();
    }
    s.catalog.update(None, "pg", d).unwrap();
    let r = s.catalog.resolve(None, "pg").unwrap();
    assert_eq!(r.secret(SecretField::Password).unwrap().expose(), "new");
    assert_eq!(
        patchbay_core::kinds::target(&r.connection.spec),
        "db.internal:5432/app"
    );
    assert_eq!(
        s.catalog.encrypted_values().unwrap(),
        1,
        "the old ciphertext is gone"
    );
}

#[test]
fn clearing_a_password_removes_it() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    let mut d = postgres("pg", "x");
    d.secrets.insert(SecretField::Password, SecretInput::Clear);
    let c = s.catalog.update(None, "pg", d).unwrap();
    assert!(!c.has_secret(SecretField::Password));
    assert_eq!(s.catalog.encrypted_values().unwrap(), 0);
}

#[test]
fn names_are_unique_per_kind_regardless_of_case_but_may_repeat_across_kinds() {
    let mut s = store();
    s.catalog.create(postgres("orders", "a")).unwrap();
    let e = s.catalog.create(mysql("ORDERS", "b")).unwrap_err();
    assert_eq!(e.code(), "duplicate");
    assert_eq!(e.field(), Some("name"));
    s.catalog.create(kafka("orders", "c")).unwrap();
    let e = s.catalog.get(None, "orders").unwrap_err();
    assert_eq!(e.code(), "ambiguous", "{e}");
    assert!(s.catalog.get(Some(Kind::Kafka), "orders").is_ok());
}

#[test]
fn renaming_onto_a_taken_name_is_refused() {
    let mut s = store();
    s.catalog.create(postgres("a", "1")).unwrap();
    s.catalog.create(postgres("b", "2")).unwrap();
    let e = s.catalog.rename(None, "a", "B").unwrap_err();
    assert_eq!(e.code(), "duplicate");
    assert!(s.catalog.get(None, "a").is_ok());
}

#[test]
fn a_connection_can_use_a_shared_secret_which_then_cannot_be_deleted() {
    let mut s = store();
    s.catalog
        .put_secret("team-pg", &"shared-pw".into(), Some("the team's login"))
        .unwrap();
    let d = postgres("pg", "unused").with_secret_ref(SecretField::Password, "team-pg");
    let c = s.catalog.create(d).unwrap();
    assert_eq!(
        c.secrets[0].source,
        SecretSource::Shared {
            name: "team-pg".into()
        }
    );
    assert_eq!(
        s.catalog
            .resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "shared-pw"
    );

    let e = s.catalog.remove_secret("team-pg").unwrap_err();
    assert_eq!(e.code(), "secret_in_use");
    assert!(
        e.to_string().contains("database/pg"),
        "names the connection: {e}"
    );
    assert!(s.catalog.reveal_secret("team-pg").is_ok(), "still there");

    // Renaming the secret keeps the connection pointing at it.
    s.catalog.rename_secret("team-pg", "team-login").unwrap();
    assert_eq!(
        s.catalog
            .resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "shared-pw"
    );

    s.catalog.remove(None, "pg").unwrap();
    s.catalog.remove_secret("team-login").unwrap();
    assert!(s.catalog.list_secrets().unwrap().is_empty());
}

#[test]
fn connection_owned_secrets_are_not_listed_among_user_secrets() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    s.catalog
        .put_secret("api-token", &"t0k".into(), None)
        .unwrap();
    let names: Vec<String> = s
        .catalog
        .list_secrets()
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, ["api-token"]);
}

#[test]
fn setting_a_secret_again_replaces_its_value_and_keeps_its_description() {
    let mut s = store();
    s.catalog
        .put_secret("tok", &"one".into(), Some("CI token"))
        .unwrap();
    let info = s.catalog.put_secret("tok", &"two".into(), None).unwrap();
    assert_eq!(info.description.as_deref(), Some("CI token"));
    assert_eq!(s.catalog.reveal_secret("tok").unwrap().expose(), "two");
    assert_eq!(s.catalog.list_secrets().unwrap().len(), 1);
}

#[test]
fn a_kafka_connection_switched_away_from_sasl_drops_its_sasl_password() {
    let mut s = store();
    s.catalog.create(kafka("k", "pw")).unwrap();
    let mut spec = kafka_spec();
    spec.security_protocol = SecurityProtocol::Plaintext;
    spec.sasl_mechanism = None;
    spec.sasl_username = None;
    let c = s
        .catalog
        .update(None, "k", ConnectionDraft::new("k", Spec::Kafka(spec)))
        .unwrap();
    assert!(!c.has_secret(SecretField::SaslPassword));
    assert!(c.has_secret(SecretField::SchemaRegistryPassword));
}

#[test]
fn timestamps_are_kept_and_updated() {
    let mut s = store();
    let c = s.catalog.create(postgres("pg", "pw")).unwrap();
    assert_eq!(c.created_at, c.updated_at);
    std::thread::sleep(std::time::Duration::from_millis(5));
    let u = s.catalog.rename(None, "pg", "pg2").unwrap();
    assert_eq!(u.created_at, c.created_at);
    assert!(u.updated_at > c.updated_at);
}

#[test]
fn a_store_reopened_from_disk_has_everything() {
    let mut s = store();
    s.catalog.create(s3("bucket", "sk")).unwrap();
    let again = Catalog::open_in(s.dir.path(), given(s.key.clone())).unwrap();
    assert_eq!(
        again
            .resolve(None, "bucket")
            .unwrap()
            .secret(SecretField::SecretAccessKey)
            .unwrap()
            .expose(),
        "sk"
    );
    assert_eq!(again.integrity_check().unwrap(), "ok");
}

#[test]
fn a_store_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt as _;
    let s = store();
    let mode = std::fs::metadata(s.file()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let dir_mode = std::fs::metadata(s.dir.path())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700);
}

#[test]
fn the_kind_column_is_checked_in_rust_and_a_row_of_an_unknown_kind_is_named() {
    // No SQL constraint to rebuild for a new kind: the store takes any kind text, and reading
    // one the code does not know names the row instead of guessing.
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    let sql: String = s
        .raw()
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'connections'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!sql.contains("CHECK (kind"), "{sql}");
    s.raw()
        .execute(
            "UPDATE connections SET kind = 'redis' WHERE name = 'pg'",
            [],
        )
        .unwrap();
    let cat = s.reopen_with(s.key.clone());
    let e = cat.list(None).unwrap_err();
    assert_eq!(e.code(), "storage");
    assert_eq!(
        e.to_string(),
        "the connection store failed: connection \"pg\" has an unknown kind \"redis\": written by a newer Patchbay, or edited outside it"
    );
}
