//! Kafka checks against tansu: each security protocol, SASL mechanisms told apart, the
//! advertised-address trap, a dead bootstrap server wherever it stands, the Schema Registry.

use patchbay_core::check::StepName;
use patchbay_core::model::*;

use crate::checks::*;

pub(crate) fn kafka_draft(
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
    assert_failed(
        &v,
        StepName::Tls,
        "the server's certificate is not signed by a trusted CA",
    );
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
    assert_failed(&v, StepName::Advertised, "the bootstrap servers answered, but broker 111 advertises 127.0.0.1:59099, which cannot be reached from here");
    assert_says(&v, "classic Kafka trap");
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
        "the Schema Registry refused the credentials (HTTP 401)",
    );
    assert_says(&v, "wrong Schema Registry user or password");
    assert!(
        v.steps.iter().any(|s| s.name == StepName::Metadata && s.ok),
        "the brokers themselves were fine"
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
async fn sasl_plain_against_a_scram_only_broker_is_named_at_once() {
    let d = kafka_draft(
        port("PB_KAFKA_SASL_PORT"),
        SecurityProtocol::SaslPlaintext,
        Some((SaslMechanism::Plain, "alice", env("PB_KAFKA_PASSWORD_256"))),
        None,
    );
    let v = check(d).await;
    assert_failed(
        &v,
        StepName::Auth,
        "the brokers refused the SASL PLAIN handshake",
    );
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
    assert_failed(
        &v,
        StepName::Auth,
        "SASL authentication failed for user alice",
    );
    assert!(
        v.hint.as_deref().unwrap().contains("SCRAM-SHA-256"),
        "{v:#?}"
    );
}
