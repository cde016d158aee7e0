//! Connectivity checks against the real servers that tests/servers/start runs on 127.0.0.1
//! (PostgreSQL, MariaDB, s3s-fs, tansu brokers behind stunnel, a Schema Registry stand-in).
//! Ignored by a plain `cargo test`; tests/run starts the servers and includes them.

use std::collections::HashMap;
use std::time::Duration;

use patchbay_core::model::*;
use patchbay_core::probe::{self, StepName, Verdict};
use patchbay_core::Resolved;
use patchbay_testkit::*;

pub(crate) const T: Duration = Duration::from_secs(10);

pub(crate) fn servers() -> HashMap<String, String> {
    let path = std::env::var("PATCHBAY_TEST_SERVERS")
        .expect("PATCHBAY_TEST_SERVERS names servers.env: run tests/run");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

pub(crate) fn env(k: &str) -> String {
    servers()
        .get(k)
        .cloned()
        .unwrap_or_else(|| panic!("{k} missing from servers.env"))
}

pub(crate) fn port(k: &str) -> u32 {
    env(k).parse().unwrap()
}

pub(crate) fn pem(k: &str) -> Option<String> {
    Some(std::fs::read_to_string(env(k)).unwrap())
}

/// Saves the draft in a fresh store and resolves it, as `patchbay test` does.
pub(crate) fn saved(draft: ConnectionDraft) -> (Store, Resolved) {
    let mut s = store();
    let name = draft.name.clone();
    s.catalog.create(draft).unwrap();
    let r = s.catalog.resolve(None, &name).unwrap();
    (s, r)
}

pub(crate) async fn check(draft: ConnectionDraft) -> Verdict {
    let (_s, r) = saved(draft);
    probe::check(&r, T).await
}

pub(crate) fn db(
    engine: DbEngine,
    port: u32,
    user: &str,
    ssl: SslMode,
    ca: Option<String>,
) -> ConnectionDraft {
    ConnectionDraft::new(
        "db",
        Spec::Database(DatabaseSpec {
            engine,
            host: "127.0.0.1".into(),
            port,
            database: "app".into(),
            username: user.into(),
            ssl_mode: ssl,
            ca_cert: ca,
        }),
    )
}

pub(crate) fn assert_failed(v: &Verdict, step: StepName, needle: &str) {
    assert!(!v.ok, "expected a failure at {step:?}: {v:#?}");
    assert_eq!(v.failed_step, Some(step), "{v:#?}");
    let all = format!(
        "{} {} {}",
        v.message,
        v.hint.clone().unwrap_or_default(),
        v.error.clone().unwrap_or_default()
    );
    assert!(all.contains(needle), "\"{needle}\" not in: {all}");
    assert!(v.hint.is_some(), "a failure comes with a hint: {v:#?}");
}

pub(crate) fn fact<'a>(v: &'a Verdict, label: &str) -> &'a str {
    v.facts
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no fact {label}: {v:#?}"))
}

pub(crate) fn steps(v: &Verdict) -> Vec<StepName> {
    v.steps.iter().map(|s| s.name).collect()
}

// ------------------------------------------------------------------ PostgreSQL

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
    assert!(fact(&v, "session tls").starts_with("TLSv1.3"));
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
    assert_failed(&v, StepName::Auth, "turn SSL on");
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
    assert_failed(&v, StepName::Tls, "not signed by a trusted CA");
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
    assert_failed(&v, StepName::Tls, "right CA");
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
    let v = probe::check(&r, T).await;
    assert!(v.ok, "{v:#?}");
    // An unsaved form without a password is tested without one (and fails), never with a placeholder.
    let r = s.catalog.resolve_draft(&form, None).unwrap();
    assert_failed(&probe::check(&r, T).await, StepName::Auth, "app");
}

// ------------------------------------------------------------------ MariaDB

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
    assert_failed(&v, StepName::Auth, "REQUIRE SSL");
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
    assert_ne!(fact(&v, "session tls"), "off");
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
    let v = probe::check(&r, Duration::from_secs(2)).await;
    assert_failed(&v, StepName::Tls, "is this port a MySQL or MariaDB server?");
}

// ------------------------------------------------------------------ S3 (s3s-fs)

fn s3_draft(
    endpoint: String,
    key_id: String,
    secret: String,
    verify: bool,
    allow_http: bool,
) -> ConnectionDraft {
    ConnectionDraft::new(
        "store",
        Spec::Storage(StorageSpec {
            access_key_id: key_id,
            region: "us-east-1".into(),
            endpoint_url: Some(endpoint),
            verify_ssl: verify,
            allow_http,
            ca_cert: None,
            session_expires: None,
        }),
    )
    .with_secret(SecretField::SecretAccessKey, secret)
}

fn http_s3() -> String {
    format!("http://127.0.0.1:{}", env("PB_S3_HTTP_PORT"))
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn s3_with_good_credentials_lists_the_buckets() {
    let v = check(s3_draft(
        http_s3(),
        env("PB_S3_ACCESS_KEY"),
        env("PB_S3_SECRET_KEY"),
        true,
        true,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "buckets visible"), "2");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn s3_tells_a_wrong_secret_from_an_unknown_key_id() {
    let v = check(s3_draft(
        http_s3(),
        env("PB_S3_ACCESS_KEY"),
        "not-the-secret".into(),
        true,
        true,
    ))
    .await;
    assert_failed(&v, StepName::Auth, "wrong secret access key");
    let v = check(s3_draft(
        http_s3(),
        "AKUNKNOWN".into(),
        env("PB_S3_SECRET_KEY"),
        true,
        true,
    ))
    .await;
    assert_failed(&v, StepName::Auth, "does not know access key id AKUNKNOWN");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn s3_over_https_needs_verify_off_for_an_untrusted_certificate() {
    let https = format!("https://127.0.0.1:{}", env("PB_S3_HTTPS_PORT"));
    let v = check(s3_draft(
        https.clone(),
        env("PB_S3_ACCESS_KEY"),
        env("PB_S3_SECRET_KEY"),
        true,
        false,
    ))
    .await;
    assert_failed(&v, StepName::Tls, "turn off \"verify SSL\"");
    let v = check(s3_draft(
        https,
        env("PB_S3_ACCESS_KEY"),
        env("PB_S3_SECRET_KEY"),
        false,
        false,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "tls"), "TLS 1.3");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn an_http_endpoint_is_not_contacted_unless_unsafe_http_is_allowed() {
    // The catalog refuses to save it; a check of such a form refuses too, before any traffic.
    let mut s = store();
    let e = s
        .catalog
        .create(s3_draft(
            http_s3(),
            env("PB_S3_ACCESS_KEY"),
            env("PB_S3_SECRET_KEY"),
            true,
            false,
        ))
        .unwrap_err();
    assert_eq!(e.field(), Some("endpoint_url"));
    let mut r = Resolved {
        connection: s
            .catalog
            .create(s3_draft(
                http_s3(),
                env("PB_S3_ACCESS_KEY"),
                env("PB_S3_SECRET_KEY"),
                true,
                true,
            ))
            .unwrap(),
        secrets: HashMap::new(),
    };
    if let Spec::Storage(st) = &mut r.connection.spec {
        st.allow_http = false;
    }
    let v = probe::check(&r, T).await;
    assert_failed(&v, StepName::Request, "allow unsafe HTTP");
    assert!(v.steps.is_empty(), "nothing was contacted: {v:#?}");
}

// ------------------------------------------------------------------ Kafka (tansu)

fn kafka_draft(
    port: u32,
    protocol: SecurityProtocol,
    sasl: Option<(SaslMechanism, &str, String)>,
    ca: Option<String>,
) -> ConnectionDraft {
    let mut spec = KafkaSpec {
        bootstrap_servers: format!("127.0.0.1:{port}"),
        security_protocol: protocol,
        sasl_mechanism: None,
        sasl_username: None,
        ca_cert: ca,
        client_cert: None,
        schema_registry_url: None,
        schema_registry_username: None,
        schema_registry_allow_http: false,
    };
    let mut secrets = Vec::new();
    if let Some((m, user, pw)) = sasl {
        spec.sasl_mechanism = Some(m);
        spec.sasl_username = Some(user.into());
        secrets.push(pw);
    }
    let mut d = ConnectionDraft::new("events", Spec::Kafka(spec));
    if let Some(pw) = secrets.pop() {
        d = d.with_secret(SecretField::SaslPassword, pw);
    }
    d
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn kafka_plaintext_reports_brokers_and_topics() {
    let v = check(kafka_draft(
        port("PB_KAFKA_PLAIN_PORT"),
        SecurityProtocol::Plaintext,
        None,
        None,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert!(fact(&v, "brokers").contains(&format!("127.0.0.1:{}", env("PB_KAFKA_PLAIN_PORT"))));
    assert_eq!(fact(&v, "topics"), "1");
    assert_eq!(
        steps(&v),
        [
            StepName::Dns,
            StepName::Tcp,
            StepName::Metadata,
            StepName::Advertised
        ]
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn kafka_sasl_scram_256_and_512_log_in_and_a_wrong_password_fails_at_auth() {
    let p = port("PB_KAFKA_SASL_PORT");
    let v = check(kafka_draft(
        p,
        SecurityProtocol::SaslPlaintext,
        Some((
            SaslMechanism::ScramSha256,
            "alice",
            env("PB_KAFKA_PASSWORD_256"),
        )),
        None,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    let v = check(kafka_draft(
        p,
        SecurityProtocol::SaslPlaintext,
        Some((
            SaslMechanism::ScramSha512,
            "bob",
            env("PB_KAFKA_PASSWORD_512"),
        )),
        None,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    let v = check(kafka_draft(
        p,
        SecurityProtocol::SaslPlaintext,
        Some((SaslMechanism::ScramSha256, "alice", "wrong-kafka-pw".into())),
        None,
    ))
    .await;
    assert_failed(
        &v,
        StepName::Auth,
        "SASL authentication failed for user alice",
    );
    assert!(!serde_json::to_string(&v)
        .unwrap()
        .contains("wrong-kafka-pw"));
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn kafka_ssl_works_with_the_ca_and_fails_at_tls_without_it() {
    let p = port("PB_KAFKA_SSL_PORT");
    let v = check(kafka_draft(
        p,
        SecurityProtocol::Ssl,
        None,
        pem("PB_CA_CERT"),
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "tls"), "TLS 1.3");
    let v = check(kafka_draft(p, SecurityProtocol::Ssl, None, None)).await;
    assert_failed(&v, StepName::Tls, "not signed by a trusted CA");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn kafka_sasl_ssl_logs_in_through_tls() {
    let v = check(kafka_draft(
        port("PB_KAFKA_SASL_SSL_PORT"),
        SecurityProtocol::SaslSsl,
        Some((
            SaslMechanism::ScramSha512,
            "bob",
            env("PB_KAFKA_PASSWORD_512"),
        )),
        pem("PB_CA_CERT"),
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(
        steps(&v),
        [
            StepName::Dns,
            StepName::Tcp,
            StepName::Tls,
            StepName::Metadata,
            StepName::Advertised
        ]
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_broker_advertising_an_unreachable_address_is_named_as_the_classic_trap() {
    let v = check(kafka_draft(
        port("PB_KAFKA_TRAP_PORT"),
        SecurityProtocol::Plaintext,
        None,
        None,
    ))
    .await;
    assert_failed(&v, StepName::Advertised, "classic Kafka trap");
    assert!(v.message.contains("127.0.0.1:59099"), "{v:#?}");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn the_schema_registry_is_checked_as_its_own_step_with_its_basic_auth() {
    let mut d = kafka_draft(
        port("PB_KAFKA_PLAIN_PORT"),
        SecurityProtocol::Plaintext,
        None,
        None,
    );
    if let Spec::Kafka(k) = &mut d.spec {
        k.schema_registry_url = Some(format!("http://127.0.0.1:{}", env("PB_REGISTRY_PORT")));
        k.schema_registry_username = Some("registry".into());
        k.schema_registry_allow_http = true;
    }
    let good = d.clone().with_secret(
        SecretField::SchemaRegistryPassword,
        env("PB_REGISTRY_PASSWORD"),
    );
    let v = check(good).await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "registry subjects"), "2");
    let v = check(d.with_secret(SecretField::SchemaRegistryPassword, "bad-registry-pw")).await;
    assert_failed(
        &v,
        StepName::Registry,
        "wrong Schema Registry user or password",
    );
    assert!(
        v.steps.iter().any(|s| s.name == StepName::Metadata && s.ok),
        "the brokers themselves were fine"
    );
}

// ------------------------------------------------------------------ all at once

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn checking_everything_at_once_returns_one_verdict_per_connection_in_order() {
    let mut s = store();
    s.catalog
        .create({
            let mut d = db(
                DbEngine::Postgresql,
                port("PB_PG_PORT"),
                "app",
                SslMode::Require,
                None,
            )
            .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
            d.name = "pg".into();
            d
        })
        .unwrap();
    s.catalog
        .create(s3_draft(
            http_s3(),
            env("PB_S3_ACCESS_KEY"),
            "wrong".into(),
            true,
            true,
        ))
        .unwrap();
    s.catalog
        .create(kafka_draft(
            port("PB_KAFKA_PLAIN_PORT"),
            SecurityProtocol::Plaintext,
            None,
            None,
        ))
        .unwrap();
    let list: Vec<Resolved> = s
        .catalog
        .list(None)
        .unwrap()
        .iter()
        .map(|c| s.catalog.resolve(Some(c.kind), &c.name).unwrap())
        .collect();
    let verdicts = probe::check_all(list, T, 8).await;
    let summary: Vec<(&str, bool)> = verdicts.iter().map(|v| (v.name.as_str(), v.ok)).collect();
    assert_eq!(summary, [("pg", true), ("store", false), ("events", true)]);
}

// ------------------------------------------------------------------ steps no other test reaches

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
        assert_failed(&v, StepName::Auth, "in cleartext");
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
    assert_failed(&v, StepName::Tls, "not signed by a trusted CA");
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
        fact(&v, "session tls").split(' ').next(),
        Some("TLSv1.3"),
        "{v:#?}"
    );
    let v = check(at(SslMode::VerifyFull)).await;
    assert_failed(&v, StepName::Tls, "not valid for \"127.0.0.2\"");
    // Checked with the others (test --all), too.
    let (_s, r) = saved(at(SslMode::VerifyCa));
    let all = probe::check_all(vec![r], T, 4).await;
    assert!(all[0].ok, "{:#?}", all[0]);
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
    assert_failed(&v, StepName::Auth, "may not connect to database \"locked\"");
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
    assert_failed(&v, StepName::Auth, "may not use database \"locked\"");
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
    assert_failed(&v, StepName::Auth, "ed25519");
    assert!(
        v.hint.as_deref().unwrap().contains("mariadb client"),
        "{v:#?}"
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_dead_bootstrap_server_is_reported_wherever_it_stands_in_the_list() {
    let live = format!("127.0.0.1:{}", env("PB_KAFKA_PLAIN_PORT"));
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    for list in [format!("{dead},{live}"), format!("{live},{dead}")] {
        let mut d = kafka_draft(
            port("PB_KAFKA_PLAIN_PORT"),
            SecurityProtocol::Plaintext,
            None,
            None,
        );
        if let Spec::Kafka(k) = &mut d.spec {
            k.bootstrap_servers = list.clone();
        }
        let v = check(d).await;
        assert!(v.ok, "{list}: the live broker answers: {v:#?}");
        assert!(
            fact(&v, "unreachable bootstrap").contains(&dead),
            "{list}: {v:#?}"
        );
    }
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

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn sasl_plain_against_a_scram_only_broker_is_named_at_once() {
    let d = kafka_draft(
        port("PB_KAFKA_SASL_PORT"),
        SecurityProtocol::SaslPlaintext,
        Some((SaslMechanism::Plain, "alice", env("PB_KAFKA_PASSWORD_256"))),
        None,
    );
    let v = check(d).await;
    assert_failed(&v, StepName::Auth, "refused the SASL PLAIN handshake");
    assert!(v.hint.as_deref().unwrap().contains("SCRAM"), "{v:#?}");
    assert!(v.total_ms < 3000.0, "told well before the timeout: {v:#?}");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_scram_login_with_the_other_mechanisms_password_suggests_that_mechanism() {
    // alice exists only for SCRAM-SHA-256 (bob only for SCRAM-SHA-512).
    let d = kafka_draft(
        port("PB_KAFKA_SASL_PORT"),
        SecurityProtocol::SaslPlaintext,
        Some((
            SaslMechanism::ScramSha512,
            "alice",
            env("PB_KAFKA_PASSWORD_256"),
        )),
        None,
    );
    let v = check(d).await;
    assert_failed(&v, StepName::Auth, "SASL authentication failed");
    assert!(
        v.hint.as_deref().unwrap().contains("SCRAM-SHA-256"),
        "{v:#?}"
    );
}
