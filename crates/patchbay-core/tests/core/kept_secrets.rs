//! A secret kept while editing goes only where it was saved for: what each kind counts as
//! "another endpoint, or less safely" for each of its secrets; a form's test and a save alike
//! refuse to send it there without the user's word.

use patchbay_core::model::*;
use patchbay_testkit::*;

#[test]
fn a_kept_registry_password_is_not_sent_once_the_ca_changed_even_if_the_brokers_have_no_tls() {
    let mut s = store();
    let mut spec = kafka_spec();
    spec.schema_registry_url = Some("https://127.0.0.1:8081".into());
    spec.schema_registry_allow_http = false;
    assert!(!spec.security_protocol.uses_tls());
    let draft = ConnectionDraft::new("events", Spec::Kafka(spec.clone()))
        .with_secret(SecretField::SaslPassword, "sasl-pw")
        .with_secret(SecretField::SchemaRegistryPassword, "registry-pw");
    s.catalog.create(draft).unwrap();
    // The brokers move to TLS with a CA (stronger for them: the SASL password may go), but the
    // registry (https) would now trust that CA instead of the system's roots: its password must
    // not go there.
    spec.security_protocol = SecurityProtocol::SaslSsl;
    spec.ca_cert = Some(a_real_ca());
    let edited = ConnectionDraft::new("events", Spec::Kafka(spec));
    let e = s
        .catalog
        .resolve_draft(&edited, Some((Kind::Kafka, "events")))
        .unwrap_err();
    assert_eq!(e.code(), "secret_would_move", "{e}");
    assert_eq!(e.field(), Some("schema_registry_password"), "{e}");
    let e = s.catalog.update(None, "events", edited).unwrap_err();
    assert_eq!(e.code(), "secret_would_move", "{e}");
}

/// The saved PostgreSQL connection "pg" edited as `change` says, its password left as "keep".
fn kept(change: impl Fn(&mut DatabaseSpec)) -> ConnectionDraft {
    let mut d = postgres("pg", "unused");
    d.secrets.clear();
    if let Spec::Database(db) = &mut d.spec {
        change(db);
    }
    d
}

#[test]
fn a_kept_password_is_tested_only_against_the_endpoint_and_tls_it_was_saved_for() {
    let mut s = store();
    let mut saved = postgres("pg", "saved-pw");
    if let Spec::Database(db) = &mut saved.spec {
        db.ssl_mode = SslMode::VerifyFull;
    }
    s.catalog.create(saved).unwrap();
    let editing = Some((Kind::Database, "pg"));

    // Unchanged endpoint (other fields may change): the saved password is used.
    let same = kept(|d| {
        d.ssl_mode = SslMode::VerifyFull;
        d.database = "other_db".into();
        d.username = "other_user".into();
    });
    let r = s.catalog.resolve_draft(&same, editing).unwrap();
    assert_eq!(
        r.secret(SecretField::Password).unwrap().expose(),
        "saved-pw"
    );

    for (what, draft) in [
        (
            "host",
            kept(|d| {
                d.ssl_mode = SslMode::VerifyFull;
                d.host = "attacker.example".into();
            }),
        ),
        (
            "port",
            kept(|d| {
                d.ssl_mode = SslMode::VerifyFull;
                d.port = 6543;
            }),
        ),
        ("SSL mode", kept(|d| d.ssl_mode = SslMode::Require)),
        (
            "engine",
            kept(|d| {
                d.ssl_mode = SslMode::VerifyFull;
                d.engine = DbEngine::Mysql;
            }),
        ),
    ] {
        let e = s.catalog.resolve_draft(&draft, editing).unwrap_err();
        assert_eq!(e.code(), "secret_would_move", "{what}: {e}");
        assert_eq!(e.field(), Some("password"), "{what}: {e}");
        assert!(e.to_string().contains(what), "{what}: {e}");
        assert!(!e.to_string().contains("saved-pw"));
        // With the password typed again, the check may go anywhere.
        let typed = draft.clone().with_secret(SecretField::Password, "typed-pw");
        let r = s.catalog.resolve_draft(&typed, editing).unwrap();
        assert_eq!(
            r.secret(SecretField::Password).unwrap().expose(),
            "typed-pw"
        );
    }
}

#[test]
fn editing_must_name_a_connection_of_the_drafts_kind() {
    let mut s = store();
    s.catalog.create(postgres("shared-name", "pg-pw")).unwrap();
    let mut k = kafka("shared-name", "unused");
    k.secrets.clear();
    let e = s
        .catalog
        .resolve_draft(&k, Some((Kind::Database, "shared-name")))
        .unwrap_err();
    assert_eq!(e.field(), Some("kind"), "{e}");
}

#[test]
fn saving_a_changed_host_with_a_kept_password_needs_an_explicit_confirmation() {
    let mut s = store();
    s.catalog.create(postgres("pg", "saved-pw")).unwrap();
    let moved = kept(|d| {
        d.ssl_mode = SslMode::Require;
        d.host = "db2.internal".into();
    });
    let before = s.snapshot();
    let e = s
        .catalog
        .update(Some(Kind::Database), "pg", moved.clone())
        .unwrap_err();
    assert_eq!(e.code(), "secret_would_move");
    assert_eq!(s.snapshot(), before, "nothing was saved");

    let mut confirmed = moved;
    confirmed.confirm_kept_secrets = true;
    s.catalog
        .update(Some(Kind::Database), "pg", confirmed)
        .unwrap();
    let r = s.catalog.resolve(None, "pg").unwrap();
    assert_eq!(
        patchbay_core::kinds::target(&r.connection.spec),
        "db2.internal:5432/app"
    );
    assert_eq!(
        r.secret(SecretField::Password).unwrap().expose(),
        "saved-pw"
    );

    // Editing what does not move the password needs no confirmation.
    let renamed_db = kept(|d| {
        d.ssl_mode = SslMode::VerifyFull;
        d.host = "db2.internal".into();
        d.database = "reports".into();
    });
    s.catalog
        .update(Some(Kind::Database), "pg", renamed_db)
        .unwrap();
}

/// A real CA certificate (the first of the system bundle).
#[test]
fn strengthening_tls_keeps_the_password_but_trusting_another_ca_does_not() {
    let mut s = store();
    s.catalog.create(postgres("pg", "saved-pw")).unwrap(); // require, no CA
                                                           // From "require" (nothing verified) to verify-full with a CA: stronger, the password goes.
    let stronger = kept(|d| {
        d.ssl_mode = SslMode::VerifyFull;
        d.ca_cert = Some(a_real_ca());
    });
    let r = s
        .catalog
        .resolve_draft(&stronger, Some((Kind::Database, "pg")))
        .unwrap();
    assert_eq!(
        r.secret(SecretField::Password).unwrap().expose(),
        "saved-pw"
    );

    // Verified against the system's roots; trusting a given CA instead is another proof.
    let mut verified = postgres("v", "saved-pw");
    if let Spec::Database(d) = &mut verified.spec {
        d.ssl_mode = SslMode::VerifyFull;
    }
    s.catalog.create(verified).unwrap();
    let mut other_ca = stronger.clone();
    other_ca.name = "v".into();
    let e = s
        .catalog
        .resolve_draft(&other_ca, Some((Kind::Database, "v")))
        .unwrap_err();
    assert_eq!(e.code(), "secret_would_move", "{e}");
    assert!(e.to_string().contains("CA certificate changed"), "{e}");
}
