//! PostgreSQL checks against the real server: each step named, TLS verified by the SSL mode's
//! rules (verify-ca the chain only, as psql), a password never sent where it should not go.

use patchbay_core::check::StepName;
use patchbay_core::kinds;
use patchbay_core::model::*;

use crate::checks::*;

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn postgres_with_the_right_password_over_verified_tls_reports_server_and_tls_version() {
    let v = check(
        db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "app",
            SslMode::VerifyFull,
            pem("PB_CA_CERT"),
        )
        .with_secret(SecretField::Password, env("PB_PG_PASSWORD")),
    )
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(
        steps(&v),
        [
            StepName::Dns,
            StepName::Tcp,
            StepName::Tls,
            StepName::Auth,
            StepName::Query
        ]
    );
    assert!(fact(&v, "server").starts_with("PostgreSQL 15"), "{v:#?}");
    assert_eq!(fact(&v, "tls"), "TLS 1.3");
    assert_eq!(
        fact(&v, "session tls").split(',').next(),
        Some("TLS 1.3"),
        "the server's TLSv1.3 in words, not \"TLS TLSv1.3\": {v:#?}"
    );
    assert!(
        v.message.starts_with("PostgreSQL 15") && v.message.contains(", TLS 1.3, TLS_"),
        "{}",
        v.message
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_wrong_postgres_password_fails_at_auth_and_the_verdict_never_shows_it() {
    let v = check(
        db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "app",
            SslMode::Require,
            None,
        )
        .with_secret(SecretField::Password, "WRONG-pw-in-verdict"),
    )
    .await;
    assert_failed(&v, StepName::Auth, "wrong password for user app");
    assert!(!serde_json::to_string(&v)
        .unwrap()
        .contains("WRONG-pw-in-verdict"));
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_tls_only_postgres_user_without_ssl_is_told_to_turn_ssl_on() {
    let v = check(
        db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "tlsonly",
            SslMode::Disable,
            None,
        )
        .with_secret(SecretField::Password, env("PB_PG_TLS_PASSWORD")),
    )
    .await;
    assert_failed(
        &v,
        StepName::Auth,
        "the server requires TLS for user tlsonly",
    );
    assert_says(&v, "turn SSL on");
    let ok = check(
        db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "tlsonly",
            SslMode::Require,
            None,
        )
        .with_secret(SecretField::Password, env("PB_PG_TLS_PASSWORD")),
    )
    .await;
    assert!(ok.ok, "{ok:#?}");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn verify_full_without_the_ca_or_with_another_ca_fails_at_tls() {
    let pw = env("PB_PG_PASSWORD");
    let v = check(
        db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "app",
            SslMode::VerifyFull,
            None,
        )
        .with_secret(SecretField::Password, pw.clone()),
    )
    .await;
    assert_failed(
        &v,
        StepName::Tls,
        "the server's certificate is not signed by a trusted CA",
    );
    assert!(v
        .hint
        .as_deref()
        .unwrap()
        .contains("add the server's CA certificate"));
    let v = check(
        db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "app",
            SslMode::VerifyCa,
            pem("PB_OTHER_CA_CERT"),
        )
        .with_secret(SecretField::Password, pw),
    )
    .await;
    assert_failed(
        &v,
        StepName::Tls,
        "the server's certificate is not signed by a trusted CA",
    );
    assert_says(&v, "right CA");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn editing_a_saved_connection_tests_with_the_stored_password_when_the_field_is_left_blank() {
    let (s, _) = saved(
        db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "app",
            SslMode::Require,
            None,
        )
        .with_secret(SecretField::Password, env("PB_PG_PASSWORD")),
    );
    let mut form = db(
        DbEngine::Postgresql,
        port("PB_PG_PORT"),
        "app",
        SslMode::VerifyFull,
        pem("PB_CA_CERT"),
    );
    form.secrets
        .insert(SecretField::Password, SecretInput::Keep);
    let r = s
        .catalog
        .resolve_draft(&form, Some((Kind::Database, "db")))
        .unwrap();
    let v = kinds::check(&r, T, &Default::default()).await;
    assert!(v.ok, "{v:#?}");
    // An unsaved form without a password is tested without one (and fails), never with a placeholder.
    let r = s.catalog.resolve_draft(&form, None).unwrap();
    assert_failed(
        &kinds::check(&r, T, &Default::default()).await,
        StepName::Auth,
        "wrong password for user app",
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_login_that_works_and_a_query_that_fails_is_reported_at_the_query_step() {
    let mut d = db(
        DbEngine::Postgresql,
        port("PB_PG_PORT"),
        "shadowed",
        SslMode::Require,
        None,
    );
    d = d.with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
    let v = check(d).await;
    assert_failed(&v, StepName::Query, "logged in, but the test query failed");
    assert!(
        steps(&v).contains(&StepName::Auth),
        "the login step passed: {v:#?}"
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_server_asking_for_a_cleartext_password_without_tls_is_not_sent_it() {
    for mode in [SslMode::Disable, SslMode::Prefer] {
        let d = db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "cleartext",
            mode,
            None,
        )
        .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
        let v = check(d).await;
        if mode == SslMode::Prefer {
            // The test server offers TLS: with prefer the login is encrypted, so it may go.
            assert!(v.ok, "{v:#?}");
            continue;
        }
        assert_failed(
            &v,
            StepName::Auth,
            "the server asks for the password in cleartext, over a connection without TLS",
        );
        assert!(
            v.hint.as_deref().unwrap().contains("did not send it"),
            "{v:#?}"
        );
        assert!(!steps(&v).contains(&StepName::Query), "{v:#?}");
    }
    // Over TLS the same account logs in.
    let d = db(
        DbEngine::Postgresql,
        port("PB_PG_PORT"),
        "cleartext",
        SslMode::Require,
        None,
    )
    .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
    let v = check(d).await;
    assert!(v.ok, "{v:#?}");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn verify_full_without_a_ca_says_it_trusts_the_system_roots() {
    let d = db(
        DbEngine::Postgresql,
        port("PB_PG_PORT"),
        "app",
        SslMode::VerifyFull,
        pem("PB_CA_CERT"),
    )
    .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
    let v = check(d).await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "trusts"), "the CA certificate you gave");
    let d = db(
        DbEngine::Postgresql,
        port("PB_PG_PORT"),
        "app",
        SslMode::VerifyFull,
        None,
    )
    .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
    let v = check(d).await;
    assert_failed(
        &v,
        StepName::Tls,
        "the server's certificate is not signed by a trusted CA",
    );
    assert_eq!(fact(&v, "trusts"), "the system's trusted roots");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn verify_ca_checks_the_chain_but_not_the_name_as_postgresql_and_psql_do() {
    // 127.0.0.2 reaches the same server; its certificate lists localhost and 127.0.0.1 only.
    let at = |mode: SslMode| {
        let mut d = db(
            DbEngine::Postgresql,
            port("PB_PG_PORT"),
            "app",
            mode,
            pem("PB_CA_CERT"),
        )
        .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
        if let Spec::Database(db) = &mut d.spec {
            db.host = "127.0.0.2".into();
        }
        d
    };
    // The reference: psql logs in with verify-ca and refuses verify-full.
    let psql = |mode: &str| {
        std::process::Command::new("psql")
            .arg(format!(
                "host=127.0.0.2 port={} user=app dbname=app sslmode={mode} sslrootcert={}",
                env("PB_PG_PORT"),
                env("PB_CA_CERT")
            ))
            .args(["-Atc", "select 1"])
            .env("PGPASSWORD", env("PB_PG_PASSWORD"))
            .env("PGCONNECT_TIMEOUT", "5")
            .output()
            .unwrap()
    };
    assert!(
        psql("verify-ca").status.success(),
        "psql accepts verify-ca here"
    );
    assert!(
        !psql("verify-full").status.success(),
        "psql refuses verify-full here"
    );

    let v = check(at(SslMode::VerifyCa)).await;
    assert!(v.ok, "verify-ca passes as with psql: {v:#?}");
    assert_eq!(
        fact(&v, "session tls").split(',').next(),
        Some("TLS 1.3"),
        "{v:#?}"
    );
    let v = check(at(SslMode::VerifyFull)).await;
    assert_failed(
        &v,
        StepName::Tls,
        "the server's certificate is not valid for \"127.0.0.2\"",
    );
    // Checked with the others (test --all), too.
    let (_s, r) = saved(at(SslMode::VerifyCa));
    let all = kinds::check_all(vec![r], T, 4, &Default::default()).await;
    assert!(all[0].ok, "{:#?}", all[0]);
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_postgresql_check_against_a_mariadb_port_says_it_is_not_postgresql() {
    for mode in [SslMode::Disable, SslMode::Prefer] {
        let d = db(DbEngine::Postgresql, port("PB_MY_PORT"), "app", mode, None)
            .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
        let v = check(d).await;
        assert!(!v.ok, "{v:#?}");
        let all = format!("{} {}", v.message, v.hint.clone().unwrap_or_default());
        assert!(
            all.contains("PostgreSQL") && !all.contains("login failed"),
            "{mode:?}: {v:#?}"
        );
    }
}
