//! The Schema Registry over https (the stand-in with the test CA's certificate, and one with a
//! certificate of another CA): verified with the connection's CA, each TLS failure reported at
//! the registry's own step, never blamed on the brokers.

use patchbay_core::check::{StepName, Verdict};
use patchbay_core::model::*;

use crate::checks::*;
use crate::checks_kafka::kafka_draft;

/// A Kafka connection (`protocol` at `broker_port`, with `ca`) whose registry is
/// https://127.0.0.1:`registry_port` with the registry user and `password`.
fn with_registry(
    broker_port: &str,
    protocol: SecurityProtocol,
    ca: Option<String>,
    registry_port: &str,
    password: &str,
) -> ConnectionDraft {
    let mut d = kafka_draft(port(broker_port), protocol, None, ca);
    if let Spec::Kafka(k) = &mut d.spec {
        k.schema_registry_url = Some(format!("https://127.0.0.1:{}", env(registry_port)));
        k.schema_registry_username = Some("registry".into());
    }
    d.with_secret(SecretField::SchemaRegistryPassword, password)
}

/// The registry's steps as they are shown: (detail, ok).
fn registry_steps(v: &Verdict) -> Vec<(String, bool)> {
    v.steps
        .iter()
        .filter(|s| {
            s.detail
                .as_deref()
                .unwrap_or("")
                .starts_with("Schema Registry: ")
        })
        .map(|s| (s.detail.clone().unwrap_or_default(), s.ok))
        .collect()
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn an_https_registry_is_verified_with_the_connections_ca() {
    let password = env("PB_REGISTRY_PASSWORD");
    let ssl = || pem("PB_CA_CERT");
    let v = check(with_registry(
        "PB_KAFKA_SSL_PORT",
        SecurityProtocol::Ssl,
        ssl(),
        "PB_REGISTRY_HTTPS_PORT",
        &password,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "registry subjects"), "2");
    assert!(
        registry_steps(&v)
            .iter()
            .any(|(detail, ok)| *ok && detail.contains("TLS 1.3")),
        "the registry's own TLS step: {v:#?}"
    );

    // The wrong password over https: the registry's answer, at its step.
    let v = check(with_registry(
        "PB_KAFKA_SSL_PORT",
        SecurityProtocol::Ssl,
        ssl(),
        "PB_REGISTRY_HTTPS_PORT",
        "not-the-registry-password",
    ))
    .await;
    assert_failed(
        &v,
        StepName::Registry,
        "the Schema Registry refused the credentials (HTTP 401)",
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_registry_certificate_the_ca_does_not_sign_fails_at_the_registry_not_the_brokers() {
    let v = check(with_registry(
        "PB_KAFKA_SSL_PORT",
        SecurityProtocol::Ssl,
        pem("PB_CA_CERT"),
        "PB_REGISTRY_OTHER_CA_PORT",
        &env("PB_REGISTRY_PASSWORD"),
    ))
    .await;
    assert_failed(
        &v,
        StepName::Registry,
        "Schema Registry: the server's certificate is not signed by a trusted CA",
    );
    assert!(
        v.steps.iter().any(|s| s.name == StepName::Metadata && s.ok),
        "the brokers passed: {v:#?}"
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_plaintext_cluster_can_carry_the_ca_of_its_https_registry() {
    let password = env("PB_REGISTRY_PASSWORD");
    // Without the CA, the system's roots do not know the test CA.
    let v = check(with_registry(
        "PB_KAFKA_PLAIN_PORT",
        SecurityProtocol::Plaintext,
        None,
        "PB_REGISTRY_HTTPS_PORT",
        &password,
    ))
    .await;
    assert_failed(
        &v,
        StepName::Registry,
        "Schema Registry: the server's certificate is not signed by a trusted CA",
    );
    // The fix the verdict names is one the connection can take: its CA, used for the registry.
    let v = check(with_registry(
        "PB_KAFKA_PLAIN_PORT",
        SecurityProtocol::Plaintext,
        pem("PB_CA_CERT"),
        "PB_REGISTRY_HTTPS_PORT",
        &password,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
}
