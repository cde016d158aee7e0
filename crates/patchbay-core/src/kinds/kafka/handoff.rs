//! What other programs get of a Kafka connection: its `kafka://` URL, the variables Kafka tools
//! and Schema Registry clients read, and kcat's configuration file with the client "Open in
//! terminal" runs. (The client properties files are in `properties.rs`.)

use crate::handoff::{EnvBuilder, OptionVar};
use crate::model::{KafkaSpec, SecretField};

/// A `kafka://` URL (bootstrap list, protocol, mechanism), with `password` when given.
pub fn url(k: &KafkaSpec, password: Option<&str>) -> String {
    use crate::handoff::userinfo;
    let mut auth = String::new();
    if let Some(user) = &k.sasl_username {
        auth = userinfo(user);
        if let Some(pw) = password {
            auth.push(':');
            auth.push_str(&userinfo(pw));
        }
        auth.push('@');
    }
    let mut s = format!(
        "kafka://{auth}{}?security.protocol={}",
        k.bootstrap_servers,
        k.security_protocol.as_str()
    );
    if let Some(m) = k.sasl_mechanism {
        s.push_str("&sasl.mechanism=");
        s.push_str(m.as_str());
    }
    s
}

/// The variables Kafka tools and the Schema Registry clients read.
pub fn env(b: &mut EnvBuilder, k: &KafkaSpec) {
    b.ecosystem("KAFKA_");
    b.ecosystem("SCHEMA_REGISTRY_");
    b.plain("KAFKA_BOOTSTRAP_SERVERS", k.bootstrap_servers.clone());
    b.plain("KAFKA_SECURITY_PROTOCOL", k.security_protocol.as_str());
    if let Some(m) = k.sasl_mechanism {
        b.plain("KAFKA_SASL_MECHANISM", m.as_str());
    }
    if let Some(u) = &k.sasl_username {
        b.plain("KAFKA_SASL_USERNAME", u.clone());
    }
    b.secret("KAFKA_SASL_PASSWORD", SecretField::SaslPassword);
    if let Some(ca) = &k.ca_cert {
        b.pem_file("KAFKA_SSL_CA_LOCATION", ca);
    }
    if let Some(c) = &k.client_cert {
        b.pem_file("KAFKA_SSL_CERTIFICATE_LOCATION", c);
    }
    b.secret("KAFKA_SSL_KEY_PEM", SecretField::ClientKey);
    if let Some(u) = &k.schema_registry_url {
        b.plain("SCHEMA_REGISTRY_URL", u.clone());
    }
    if let Some(u) = &k.schema_registry_username {
        b.plain("SCHEMA_REGISTRY_USERNAME", u.clone());
    }
    b.secret(
        "SCHEMA_REGISTRY_PASSWORD",
        SecretField::SchemaRegistryPassword,
    );
    kcat_config(b, k);
}

/// The client "Open in terminal" runs: kcat, which reads the connection from `KCAT_CONFIG`
/// (no argument, so no secret on a command line), lists the cluster, and leaves a shell with
/// the same configuration for the next kcat; when the listing fails, its status goes to the
/// terminal, which then stays open.
pub fn terminal_client() -> (&'static str, Vec<&'static str>) {
    let then_a_shell = "kcat -L || exit; printf '\\n%s\\n' \"kcat reads this connection from \\$KCAT_CONFIG: kcat -C -t TOPIC -e reads a topic; exit closes this window.\"; exec \"${SHELL:-/bin/sh}\" -i";
    ("kcat", vec!["sh", "-c", then_a_shell])
}

/// kcat's configuration (`KCAT_CONFIG`, librdkafka properties, for `exec` only): what lets
/// `kcat -L` in a terminal reach the cluster with no argument. Its format has no quoting (one
/// `name=value` a line, the value trimmed), so a value it cannot carry leaves it out, saying why.
fn kcat_config(b: &mut EnvBuilder, k: &KafkaSpec) {
    if !b.with_secrets() {
        return;
    }
    b.ecosystem("KCAT_");
    let value = |v: &str| zeroize::Zeroizing::new(v.to_string());
    let mut lines: Vec<_> = super::properties::common_names(k)
        .into_iter()
        .map(|(name, v)| (name, zeroize::Zeroizing::new(v)))
        .collect();
    if let Some(u) = &k.sasl_username {
        lines.push(("sasl.username", value(u)));
    }
    if let Some(p) = b.secret_value(SecretField::SaslPassword) {
        lines.push(("sasl.password", value(p.expose())));
    }
    let unwritable = lines
        .iter()
        .find(|(_, v)| v.contains(['\n', '\r']) || v.trim() != v.as_str());
    if let Some((name, _)) = unwritable {
        b.warn(format!(
            "KCAT_CONFIG is not set: kcat's configuration file cannot carry a {name} that starts or ends with a space or holds a line break"
        ));
        return;
    }
    let text = zeroize::Zeroizing::new(
        lines
            .iter()
            .map(|(k, v)| format!("{k}={}\n", v.as_str()))
            .collect::<String>(),
    );
    let (mut files, mut paths) = (Vec::new(), Vec::new());
    if k.security_protocol.uses_tls() {
        if let Some(ca) = &k.ca_cert {
            files.push(("ca.pem", ca.as_str().into()));
            paths.push(("ssl.ca.location=", "ca.pem"));
        }
        if let Some(cert) = &k.client_cert {
            files.push(("certificate.pem", cert.as_str().into()));
            paths.push(("ssl.certificate.location=", "certificate.pem"));
        }
        if let Some(key) = b.secret_value(SecretField::ClientKey) {
            files.push(("key.pem", key.clone()));
            paths.push(("ssl.key.location=", "key.pem"));
        }
    }
    let content = crate::secret::SecretString::new(text.as_str());
    b.option_file(
        "KCAT_CONFIG",
        OptionVar::File,
        "kcat.conf",
        content,
        files,
        paths,
    );
}
