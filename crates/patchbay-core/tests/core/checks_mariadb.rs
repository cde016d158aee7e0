//! MariaDB checks against the real server: the login, TLS a user requires, the right cause for
//! a refused login (no access to the database, another auth plugin), a foreign port.

use patchbay_core::check::StepName;
use patchbay_core::kinds;
use patchbay_core::model::*;

use crate::checks::*;
use std::time::Duration;

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn mariadb_with_the_right_password_logs_in_and_reports_its_version() {
    let v = check(
        db(
            DbEngine::Mysql,
            port("PB_MY_PORT"),
            "app",
            SslMode::Prefer,
            None,
        )
        .with_secret(SecretField::Password, env("PB_MY_PASSWORD")),
    )
    .await;
    assert!(v.ok, "{v:#?}");
    assert!(fact(&v, "server").contains("MariaDB"), "{v:#?}");
    assert_eq!(fact(&v, "tls"), "TLS 1.3");
    assert_eq!(
        fact(&v, "session tls"),
        "TLS 1.3",
        "not the server's \"TLSv1.3\""
    );
    assert!(v.message.ends_with(", TLS 1.3"), "{}", v.message);
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_mariadb_login_without_tls_says_no_tls_in_words() {
    let v = check(
        db(
            DbEngine::Mysql,
            port("PB_MY_PORT"),
            "app",
            SslMode::Disable,
            None,
        )
        .with_secret(SecretField::Password, env("PB_MY_PASSWORD")),
    )
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(
        fact(&v, "session tls"),
        "no TLS",
        "not the server's \"off\""
    );
    assert!(v.message.ends_with(", no TLS"), "{}", v.message);
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_wrong_mariadb_password_fails_at_auth() {
    let v = check(
        db(
            DbEngine::Mysql,
            port("PB_MY_PORT"),
            "app",
            SslMode::Require,
            None,
        )
        .with_secret(SecretField::Password, "nope"),
    )
    .await;
    assert_failed(&v, StepName::Auth, "access denied for user app");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_require_ssl_mariadb_user_without_tls_gets_the_tls_hint_and_logs_in_with_verified_tls() {
    let pw = env("PB_MY_TLS_PASSWORD");
    let v = check(
        db(
            DbEngine::Mysql,
            port("PB_MY_PORT"),
            "tlsuser",
            SslMode::Disable,
            None,
        )
        .with_secret(SecretField::Password, pw.clone()),
    )
    .await;
    assert_failed(&v, StepName::Auth, "access denied for user tlsuser");
    assert_says(&v, "REQUIRE SSL");
    let v = check(
        db(
            DbEngine::Mysql,
            port("PB_MY_PORT"),
            "tlsuser",
            SslMode::VerifyFull,
            pem("PB_CA_CERT"),
        )
        .with_secret(SecretField::Password, pw),
    )
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "session tls"), "TLS 1.3", "{v:#?}");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_mysql_check_pointed_at_the_postgres_port_ends_within_its_timeout() {
    let d = db(
        DbEngine::Mysql,
        port("PB_PG_PORT"),
        "app",
        SslMode::Prefer,
        None,
    )
    .with_secret(SecretField::Password, "x");
    let (_s, r) = saved(d);
    let v = kinds::check(&r, Duration::from_secs(2), &Default::default()).await;
    assert_failed(&v, StepName::Tls, "tls: no answer within 2 s");
    assert_says(&v, "is this port a MySQL or MariaDB server?");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_right_password_without_access_to_the_database_is_not_called_a_wrong_password() {
    let mut pg = db(
        DbEngine::Postgresql,
        port("PB_PG_PORT"),
        "app",
        SslMode::Require,
        None,
    )
    .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
    if let Spec::Database(d) = &mut pg.spec {
        d.database = "locked".into();
    }
    let v = check(pg).await;
    assert_failed(
        &v,
        StepName::Auth,
        "user app may not connect to database \"locked\"",
    );
    assert!(
        !v.hint.as_deref().unwrap().contains("wrong password"),
        "{v:#?}"
    );

    let mut my = db(
        DbEngine::Mysql,
        port("PB_MY_PORT"),
        "app",
        SslMode::Require,
        None,
    )
    .with_secret(SecretField::Password, env("PB_MY_PASSWORD"));
    if let Spec::Database(d) = &mut my.spec {
        d.database = "locked".into();
    }
    let v = check(my).await;
    assert_failed(
        &v,
        StepName::Auth,
        "user app may not use database \"locked\"",
    );
    assert!(
        !v.hint.as_deref().unwrap().contains("wrong password"),
        "{v:#?}"
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_mariadb_account_on_the_ed25519_plugin_is_told_apart_from_a_wrong_password() {
    let d = db(
        DbEngine::Mysql,
        port("PB_MY_PORT"),
        "edd",
        SslMode::Require,
        None,
    )
    .with_secret(SecretField::Password, env("PB_MY_PASSWORD"));
    let v = check(d).await;
    assert_failed(&v, StepName::Auth, "the account edd signs in with the ed25519 plugin, which Patchbay's MySQL client does not speak");
    assert!(
        v.hint.as_deref().unwrap().contains("mariadb client"),
        "{v:#?}"
    );
}
