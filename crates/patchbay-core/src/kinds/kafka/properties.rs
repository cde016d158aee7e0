//! A Kafka connection as client properties files: librdkafka's names (`--format properties`)
//! and the Java clients' (`--format java-properties`, SASL through `sasl.jaas.config`).

use crate::handoff::Value;
use crate::model::Resolved;
use crate::model::{KafkaSpec, SaslMechanism, SecretField, Spec};
use crate::secret::SecretString;

/// The properties every client family (librdkafka, Java, kcat's file) names alike: servers,
/// protocol, SASL mechanism.
pub(super) fn common_names(k: &KafkaSpec) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("bootstrap.servers", k.bootstrap_servers.clone()),
        (
            "security.protocol",
            k.security_protocol.as_str().to_string(),
        ),
    ];
    if let Some(m) = k.sasl_mechanism {
        out.push(("sasl.mechanism", m.as_str().to_string()));
    }
    out
}

fn common(k: &KafkaSpec) -> Vec<(String, Value)> {
    common_names(k)
        .into_iter()
        .map(|(name, v)| (name.to_string(), Value::Plain(v)))
        .collect()
}

/// librdkafka client properties (`bootstrap.servers=…`), for `--format properties`.
pub fn librdkafka(r: &Resolved, with_secrets: bool) -> Vec<(String, Value)> {
    let Spec::Kafka(k) = &r.connection.spec else {
        return Vec::new();
    };
    let mut out = common(k);
    if let Some(u) = &k.sasl_username {
        out.push(("sasl.username".into(), Value::Plain(u.clone())));
    }
    if let (true, Some(p)) = (with_secrets, r.secret(SecretField::SaslPassword)) {
        out.push(("sasl.password".into(), Value::Secret(p.clone())));
    }
    // TLS material inline, so the file alone is a working configuration.
    if k.security_protocol.uses_tls() {
        if let Some(ca) = &k.ca_cert {
            out.push(("ssl.ca.pem".into(), Value::Plain(ca.clone())));
        }
        if let Some(cert) = &k.client_cert {
            out.push(("ssl.certificate.pem".into(), Value::Plain(cert.clone())));
        }
        if let (true, Some(key)) = (with_secrets, r.secret(SecretField::ClientKey)) {
            out.push(("ssl.key.pem".into(), Value::Secret(key.clone())));
        }
    }
    out
}

/// Java Kafka client properties (`--format java-properties`): the same connection in the Java
/// clients' names, SASL through `sasl.jaas.config`, TLS material as PEM trust/key stores.
pub fn java(r: &Resolved, with_secrets: bool) -> Vec<(String, Value)> {
    let Spec::Kafka(k) = &r.connection.spec else {
        return Vec::new();
    };
    let mut out = common(k);
    if let Some(m) = k.sasl_mechanism {
        if let (true, Some(user), Some(pw)) = (
            with_secrets,
            &k.sasl_username,
            r.secret(SecretField::SaslPassword),
        ) {
            let module = match m {
                SaslMechanism::Plain => "org.apache.kafka.common.security.plain.PlainLoginModule",
                _ => "org.apache.kafka.common.security.scram.ScramLoginModule",
            };
            // A quoted JAAS value is read by a StreamTokenizer, which ends it at a line break
            // and reads `\n`, `\r`, `\\` and `\"` as escapes.
            let q = |s: &str| {
                s.replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n")
                    .replace('\r', "\\r")
            };
            out.push((
                "sasl.jaas.config".into(),
                Value::Secret(SecretString::new(format!(
                    "{module} required username=\"{}\" password=\"{}\";",
                    q(user),
                    q(pw.expose())
                ))),
            ));
        }
    }
    if k.security_protocol.uses_tls() {
        if let Some(ca) = &k.ca_cert {
            out.push(("ssl.truststore.type".into(), Value::Plain("PEM".into())));
            out.push((
                "ssl.truststore.certificates".into(),
                Value::Plain(ca.clone()),
            ));
        }
        if let (Some(cert), true, Some(key)) = (
            &k.client_cert,
            with_secrets,
            r.secret(SecretField::ClientKey),
        ) {
            out.push(("ssl.keystore.type".into(), Value::Plain("PEM".into())));
            out.push((
                "ssl.keystore.certificate.chain".into(),
                Value::Plain(cert.clone()),
            ));
            out.push(("ssl.keystore.key".into(), Value::Secret(key.clone())));
        }
    }
    out
}
