//! Handing a resolved connection to another program: the driver URL it understands and the
//! environment variables its ecosystem's tools read. Secrets are included only when asked for
//! (`with_secrets`); a `Handoff` built with them redacts them in Debug.

use std::collections::BTreeMap;

use crate::catalog::Resolved;
use crate::kinds;
use crate::model::{SecretField, Spec, SslMode};
use crate::secret::SecretString;

mod builder;
pub use builder::EnvBuilder;

/// A variable's value: plain, or a secret that is only exposed when written to a child process.
#[derive(Debug, Clone)]
pub enum Value {
    Plain(String),
    Secret(SecretString),
    /// PEM text that tools want as a file path; `exec` writes it to a private temporary file.
    PemFile(String),
    /// A client option file that tools find through a directory variable (MariaDB's
    /// `MYSQL_HOME/my.cnf`): `exec` writes `files` and then `name`: `content`, followed by one
    /// line per entry of `paths` — its text, then the full path of the file it names (the
    /// private directory is known only then; nothing in `content` is rewritten), so they belong
    /// to `content`'s last group — and sets the variable to that directory. It may hold a
    /// password, so it is only made for `exec`.
    OptionDir {
        name: &'static str,
        content: SecretString,
        files: Vec<(&'static str, String)>,
        paths: Vec<(&'static str, &'static str)>,
    },
    /// A secret that tools read from a file named by the variable (a service account's JSON
    /// key): `exec` writes it as `name` in its private directory, removed when the child exits.
    /// Only made for `exec`.
    SecretFile {
        name: &'static str,
        content: SecretString,
    },
}

/// The variables a consumer needs, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Handoff {
    pub vars: BTreeMap<String, Value>,
    /// Secret variables left out because secrets were not requested.
    pub withheld: Vec<String>,
    /// Variables a child must not inherit, because they would mix in other credentials.
    pub unset: Vec<String>,
    /// Prefixes of the connection's ecosystem (`PG`, `MYSQL_`, `AWS_`, `KAFKA_`…): a child gets
    /// none of the caller's variables with them except those Patchbay sets, so nothing in the
    /// caller's environment redirects or overrides the connection it was given.
    pub ecosystem: Vec<&'static str>,
    /// What the user should know before a child uses these variables (a file of theirs that
    /// would override the connection), said by `exec` on stderr.
    pub warnings: Vec<String>,
}

/// A value for a `.env` file, or why it cannot be one. A `.env` file is read by python-dotenv,
/// by docker compose's `env_file`, and very often sourced by a POSIX shell (`set -a; . .env`):
/// the value is written in single quotes, which all three read literally, and a value those
/// readers would read differently is refused — it must never run code in the shell, nor come
/// back changed (python-dotenv 1.2 reads `\\` and `\'` as escapes inside single quotes, so a
/// trailing backslash swallows the closing quote and the next variable, and expands `${NAME}`
/// even there).
pub fn dotenv_quote(v: &str) -> std::result::Result<String, &'static str> {
    let why = if v.contains('\'') {
        Some("a single quote")
    } else if v.contains('\n') || v.contains('\r') {
        Some("a line break")
    } else if v.contains("${") {
        Some("\"${\", which python-dotenv expands")
    } else if v.contains("\\\\") || v.ends_with('\\') {
        Some("a backslash that python-dotenv reads as an escape")
    } else {
        None
    };
    match why {
        Some(why) => Err(why),
        None => Ok(format!("'{v}'")),
    }
}

/// Escapes a Java `.properties` key or value as `java.util.Properties.load` reads it back:
/// `\\`, line breaks and tabs as escapes, `=`/`:`/`#`/`!` and spaces where they would end a key
/// or be trimmed, and everything outside printable ASCII as `\uXXXX` (UTF-16).
pub fn properties_escape(v: &str, key: bool) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0c' => out.push_str("\\f"),
            ' ' if key || i == 0 => out.push_str("\\ "),
            '=' | ':' if key => {
                out.push('\\');
                out.push(c);
            }
            '#' | '!' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
        }
    }
    out
}

impl Handoff {
    /// The variables as `.env` lines (`NAME='value'`), read back exactly by python-dotenv and
    /// docker compose, and inert when sourced by a shell; a value that cannot be written so is
    /// refused, naming its variable (see [`dotenv_quote`]).
    pub fn dotenv_lines(&self) -> crate::Result<Vec<String>> {
        self.vars
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Value::Plain(s) => s.as_str(),
                    Value::Secret(s) => s.expose(),
                    Value::PemFile(_) | Value::OptionDir { .. } | Value::SecretFile { .. } => {
                        return Ok(format!("# {k} is set by `patchbay exec` (a temporary file)"))
                    }
                };
                let quoted = dotenv_quote(value).map_err(|why| {
                    crate::Error::invalid(
                        k.as_str(),
                        format!(
                            "holds {why}: a .env file cannot carry it so that a shell, python-dotenv and docker compose read it the same; use --format shell or --format json"
                        ),
                    )
                })?;
                Ok(format!("{k}={quoted}"))
            })
            .collect()
    }

    /// The caller's variables (`names`) that `exec` removes from the child: those of the
    /// connection's ecosystem that Patchbay does not set, and the explicit `unset` ones.
    pub fn to_remove<'a>(&'a self, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        let mut out: Vec<&str> = names
            .filter(|n| {
                self.ecosystem.iter().any(|p| n.starts_with(p)) && !self.vars.contains_key(*n)
            })
            .collect();
        out.extend(self.unset.iter().map(String::as_str));
        out
    }
}

/// Percent-encodes a URL user-info component.
pub(crate) fn userinfo(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub(crate) fn host_for_url(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// The driver URL of a connection (each kind's own: `kinds/`). The password is included only
/// with `with_password`.
pub fn url(r: &Resolved, with_password: bool) -> String {
    let secret = |f: SecretField| {
        with_password
            .then(|| r.secret(f))
            .flatten()
            .map(|s| s.expose())
    };
    match &r.connection.spec {
        Spec::Database(d) => kinds::database::url(d, secret(SecretField::Password)),
        Spec::Storage(s) => kinds::storage::url(s),
        Spec::Azure(a) => kinds::azure::url(a, secret(SecretField::SasToken)),
        Spec::Gcs(g) => kinds::gcs::url(g),
        Spec::Kafka(k) => kinds::kafka::url(k, secret(SecretField::SaslPassword)),
    }
}

/// MySQL's names for the SSL modes.
pub fn mysql_ssl_mode(mode: SslMode) -> &'static str {
    match mode {
        SslMode::Disable => "DISABLED",
        SslMode::Prefer => "PREFERRED",
        SslMode::Require => "REQUIRED",
        SslMode::VerifyCa => "VERIFY_CA",
        SslMode::VerifyFull => "VERIFY_IDENTITY",
    }
}

/// The environment variables for a connection (each kind's own: `kinds/`).
pub fn env(r: &Resolved, with_secrets: bool) -> Handoff {
    let mut b = EnvBuilder::new(r, with_secrets);
    match &r.connection.spec {
        Spec::Database(d) => kinds::database::env(&mut b, d),
        Spec::Storage(s) => kinds::storage::env(&mut b, s),
        Spec::Azure(a) => kinds::azure::env(&mut b, a),
        Spec::Gcs(g) => kinds::gcs::env(&mut b, g),
        Spec::Kafka(k) => kinds::kafka::env(&mut b, k),
    }
    b.finish()
}

/// Quotes a value for POSIX shells.
pub fn shell_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

impl Handoff {
    /// The variables as `export NAME='value'` lines (`dotenv`: without `export` and `unset`).
    /// PEM material becomes a comment: only `patchbay exec` can hand it over, as a file.
    pub fn shell_lines(&self, dotenv: bool) -> Vec<String> {
        let prefix = if dotenv { "" } else { "export " };
        let mut out: Vec<String> = self
            .vars
            .iter()
            .map(|(k, v)| match v {
                Value::Plain(s) => format!("{prefix}{k}={}", shell_quote(s)),
                Value::Secret(s) => format!("{prefix}{k}={}", shell_quote(s.expose())),
                Value::PemFile(_) => {
                    format!("# {k} is set by `patchbay exec` (a temporary file holding the PEM)")
                }
                Value::SecretFile { name, .. } => {
                    format!("# {k} is set by `patchbay exec` (a temporary file holding the {name})")
                }
                Value::OptionDir { name, .. } => {
                    format!(
                        "# {k} is set by `patchbay exec` (a temporary directory with its {name})"
                    )
                }
            })
            .collect();
        if !dotenv {
            out.extend(self.unset.iter().map(|k| format!("unset {k}")));
        }
        out
    }
}

/// The properties both client families name alike: servers, protocol, SASL mechanism.
fn kafka_common(k: &crate::model::KafkaSpec) -> Vec<(String, Value)> {
    let mut out = vec![
        (
            "bootstrap.servers".to_string(),
            Value::Plain(k.bootstrap_servers.clone()),
        ),
        (
            "security.protocol".to_string(),
            Value::Plain(k.security_protocol.as_str().to_string()),
        ),
    ];
    if let Some(m) = k.sasl_mechanism {
        out.push(("sasl.mechanism".into(), Value::Plain(m.as_str().into())));
    }
    out
}

/// librdkafka client properties (`bootstrap.servers=…`), for `--format properties`.
pub fn kafka_properties(r: &Resolved, with_secrets: bool) -> Vec<(String, Value)> {
    let Spec::Kafka(k) = &r.connection.spec else {
        return Vec::new();
    };
    let mut out = kafka_common(k);
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
pub fn java_kafka_properties(r: &Resolved, with_secrets: bool) -> Vec<(String, Value)> {
    let Spec::Kafka(k) = &r.connection.spec else {
        return Vec::new();
    };
    let mut out = kafka_common(k);
    if let Some(m) = k.sasl_mechanism {
        if let (true, Some(user), Some(pw)) = (
            with_secrets,
            &k.sasl_username,
            r.secret(SecretField::SaslPassword),
        ) {
            let module = match m {
                crate::model::SaslMechanism::Plain => {
                    "org.apache.kafka.common.security.plain.PlainLoginModule"
                }
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
