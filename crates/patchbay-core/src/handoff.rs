//! Handing a resolved connection to another program: the driver URL it understands and the
//! environment variables its ecosystem's tools read. Secrets are included only when asked for
//! (`with_secrets`); a `Handoff` built with them redacts them in Debug.

use std::collections::BTreeMap;

use crate::catalog::Resolved;
use crate::model::{DbEngine, SecretField, Spec, SslMode};
use crate::secret::SecretString;

/// A variable's value: plain, or a secret that is only exposed when written to a child process.
#[derive(Debug, Clone)]
pub enum Value {
    Plain(String),
    Secret(SecretString),
    /// PEM text that tools want as a file path; `exec` writes it to a private temporary file.
    PemFile(String),
}

/// The variables a consumer needs, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Handoff {
    pub vars: BTreeMap<String, Value>,
    /// Secret variables left out because secrets were not requested.
    pub withheld: Vec<String>,
    /// Variables a child must not inherit, because they would mix in other credentials.
    pub unset: Vec<String>,
}

/// Percent-encodes a URL user-info component.
fn userinfo(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn host_for_url(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// The driver URL of a connection. The password is included only with `with_password`.
pub fn url(r: &Resolved, with_password: bool) -> String {
    match &r.connection.spec {
        Spec::Database(d) => {
            let scheme = match d.engine {
                DbEngine::Postgresql => "postgresql",
                DbEngine::Mysql => "mysql",
            };
            let mut auth = userinfo(&d.username);
            if let (true, Some(pw)) = (with_password, r.secret(SecretField::Password)) {
                auth.push(':');
                auth.push_str(&userinfo(pw.expose()));
            }
            let mut s = format!(
                "{scheme}://{auth}@{}:{}/{}",
                host_for_url(&d.host),
                d.port,
                userinfo(&d.database)
            );
            let mode = match d.engine {
                DbEngine::Postgresql => format!("sslmode={}", d.ssl_mode.as_str()),
                DbEngine::Mysql => format!("ssl-mode={}", mysql_ssl_mode(d.ssl_mode)),
            };
            s.push('?');
            s.push_str(&mode);
            s
        }
        Spec::Storage(st) => match &st.endpoint_url {
            Some(e) => e.clone(),
            None => format!("https://s3.{}.amazonaws.com", st.region),
        },
        Spec::Kafka(k) => {
            let mut auth = String::new();
            if let Some(user) = &k.sasl_username {
                auth = userinfo(user);
                if let (true, Some(pw)) = (with_password, r.secret(SecretField::SaslPassword)) {
                    auth.push(':');
                    auth.push_str(&userinfo(pw.expose()));
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

/// The environment variables for a connection.
pub fn env(r: &Resolved, with_secrets: bool) -> Handoff {
    let mut h = Handoff::default();
    let plain = |h: &mut Handoff, k: &str, v: String| {
        h.vars.insert(k.to_string(), Value::Plain(v));
    };
    // Without secrets, a secret the connection has is named as withheld (whether or not the
    // caller decrypted it).
    let secret = |h: &mut Handoff, k: &str, field: SecretField| {
        if with_secrets {
            if let Some(v) = r.secret(field) {
                h.vars.insert(k.to_string(), Value::Secret(v.clone()));
            }
        } else if r.connection.has_secret(field) {
            h.withheld.push(k.to_string());
        }
    };
    match &r.connection.spec {
        Spec::Database(d) => match d.engine {
            DbEngine::Postgresql => {
                plain(&mut h, "PGHOST", d.host.clone());
                plain(&mut h, "PGPORT", d.port.to_string());
                plain(&mut h, "PGUSER", d.username.clone());
                if !d.database.is_empty() {
                    plain(&mut h, "PGDATABASE", d.database.clone());
                }
                plain(&mut h, "PGSSLMODE", d.ssl_mode.as_str().to_string());
                if let Some(ca) = &d.ca_cert {
                    h.vars
                        .insert("PGSSLROOTCERT".into(), Value::PemFile(ca.clone()));
                }
                secret(&mut h, "PGPASSWORD", SecretField::Password);
            }
            DbEngine::Mysql => {
                plain(&mut h, "MYSQL_HOST", d.host.clone());
                plain(&mut h, "MYSQL_TCP_PORT", d.port.to_string());
                plain(&mut h, "MYSQL_USER", d.username.clone());
                plain(&mut h, "USER", d.username.clone());
                if !d.database.is_empty() {
                    plain(&mut h, "MYSQL_DATABASE", d.database.clone());
                }
                plain(
                    &mut h,
                    "MYSQL_SSL_MODE",
                    mysql_ssl_mode(d.ssl_mode).to_string(),
                );
                secret(&mut h, "MYSQL_PWD", SecretField::Password);
            }
        },
        Spec::Storage(s) => {
            plain(&mut h, "AWS_ACCESS_KEY_ID", s.access_key_id.clone());
            plain(&mut h, "AWS_REGION", s.region.clone());
            plain(&mut h, "AWS_DEFAULT_REGION", s.region.clone());
            if let Some(e) = &s.endpoint_url {
                plain(&mut h, "AWS_ENDPOINT_URL", e.clone());
                plain(&mut h, "AWS_ENDPOINT_URL_S3", e.clone());
            }
            // Keep consumers from mixing in other credentials (a profile in ~/.aws, a session
            // token belonging to other keys).
            h.unset.extend(
                ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"].map(String::from),
            );
            secret(
                &mut h,
                "AWS_SECRET_ACCESS_KEY",
                SecretField::SecretAccessKey,
            );
        }
        Spec::Kafka(k) => {
            plain(
                &mut h,
                "KAFKA_BOOTSTRAP_SERVERS",
                k.bootstrap_servers.clone(),
            );
            plain(
                &mut h,
                "KAFKA_SECURITY_PROTOCOL",
                k.security_protocol.as_str().to_string(),
            );
            if let Some(m) = k.sasl_mechanism {
                plain(&mut h, "KAFKA_SASL_MECHANISM", m.as_str().to_string());
            }
            if let Some(u) = &k.sasl_username {
                plain(&mut h, "KAFKA_SASL_USERNAME", u.clone());
            }
            secret(&mut h, "KAFKA_SASL_PASSWORD", SecretField::SaslPassword);
            if let Some(ca) = &k.ca_cert {
                h.vars
                    .insert("KAFKA_SSL_CA_LOCATION".into(), Value::PemFile(ca.clone()));
            }
            if let Some(c) = &k.client_cert {
                h.vars.insert(
                    "KAFKA_SSL_CERTIFICATE_LOCATION".into(),
                    Value::PemFile(c.clone()),
                );
            }
            secret(&mut h, "KAFKA_SSL_KEY_PEM", SecretField::ClientKey);
            if let Some(u) = &k.schema_registry_url {
                plain(&mut h, "SCHEMA_REGISTRY_URL", u.clone());
            }
            if let Some(u) = &k.schema_registry_username {
                plain(&mut h, "SCHEMA_REGISTRY_USERNAME", u.clone());
            }
            secret(
                &mut h,
                "SCHEMA_REGISTRY_PASSWORD",
                SecretField::SchemaRegistryPassword,
            );
        }
    }
    if let Spec::Database(_) = &r.connection.spec {
        // Most application frameworks read one URL: with its password when secrets are asked
        // for, otherwise without it (as `url` prints it).
        let u = url(r, with_secrets);
        match (with_secrets, r.secret(SecretField::Password)) {
            (true, Some(_)) => h
                .vars
                .insert("DATABASE_URL".into(), Value::Secret(SecretString::new(u))),
            _ => h.vars.insert("DATABASE_URL".into(), Value::Plain(u)),
        };
    }
    h
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
            })
            .collect();
        if !dotenv {
            out.extend(self.unset.iter().map(|k| format!("unset {k}")));
        }
        out
    }
}

/// librdkafka client properties (`bootstrap.servers=…`), for `--format properties`.
pub fn kafka_properties(r: &Resolved, with_secrets: bool) -> Vec<(String, Value)> {
    let Spec::Kafka(k) = &r.connection.spec else {
        return Vec::new();
    };
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
    if let Some(u) = &k.sasl_username {
        out.push(("sasl.username".into(), Value::Plain(u.clone())));
    }
    if let (true, Some(p)) = (with_secrets, r.secret(SecretField::SaslPassword)) {
        out.push(("sasl.password".into(), Value::Secret(p.clone())));
    }
    out
}
