//! A database connection (PostgreSQL, MySQL/MariaDB): its form, the rules its fields follow,
//! which changes move its saved password elsewhere, how safely it travels, and how it is named.
//! Its check is `probe/database.rs`; its hand-off is in `handoff.rs`.

use super::{changed, Info};
use crate::error::Result;
use crate::model::{DatabaseSpec, DbEngine, SecretField, SslMode};
use crate::validate::*;

pub fn info() -> Info {
    Info {
        tab: "Database",
        empty_help: "Save a PostgreSQL or MySQL connection once, then use it by name: patchbay exec NAME -- psql.",
        blank: crate::model::Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: String::new(),
            port: DbEngine::Postgresql.default_port(),
            database: String::new(),
            username: String::new(),
            ssl_mode: SslMode::default(),
            ca_cert: None,
        }),
    }
}

/// The fields, checked and normalised.
pub fn validate(d: &DatabaseSpec) -> Result<DatabaseSpec> {
    let ca_cert = match d
        .ca_cert
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(pem) => Some(pem_certificates("ca_cert", pem)?),
        None => None,
    };
    Ok(DatabaseSpec {
        engine: d.engine,
        host: host("host", &d.host)?,
        port: port("port", d.port)?,
        database: text("database", &d.database, false)?,
        username: text("username", &d.username, true)?,
        ssl_mode: d.ssl_mode,
        ca_cert,
    })
}

/// How strongly a mode protects the password in transit.
fn rank(mode: SslMode) -> u8 {
    match mode {
        SslMode::Disable => 0,
        SslMode::Prefer => 1,
        SslMode::Require => 2,
        SslMode::VerifyCa => 3,
        SslMode::VerifyFull => 4,
    }
}

/// What changed that would send the saved password elsewhere, or less safely.
pub fn moved(_field: SecretField, o: &DatabaseSpec, n: &DatabaseSpec) -> Option<String> {
    changed("engine", &o.engine, &n.engine)
        .or_else(|| changed("host", &o.host.to_lowercase(), &n.host.to_lowercase()))
        .or_else(|| changed("port", &o.port, &n.port))
        .or_else(|| {
            (rank(n.ssl_mode) < rank(o.ssl_mode)).then(|| {
                format!(
                    "the SSL mode went down from {} to {}",
                    o.ssl_mode.as_str(),
                    n.ssl_mode.as_str()
                )
            })
        })
        // A CA matters where the certificate was verified: trusting another CA (or the system's
        // roots instead of the given one) is a weaker proof of the same server. Where nothing
        // was verified, adding a CA only makes it stronger.
        .or_else(|| {
            o.ssl_mode
                .verifies()
                .then(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
                .flatten()
        })
}

/// Why the transport is not verified TLS, if it is not.
pub fn transport_warning(d: &DatabaseSpec) -> Option<&'static str> {
    match d.ssl_mode {
        SslMode::Disable => Some("no TLS: the password and data travel in the clear"),
        SslMode::Prefer => Some("TLS only if the server offers it, and not verified"),
        SslMode::Require => Some("TLS not verified: the server's identity is not checked"),
        SslMode::VerifyCa | SslMode::VerifyFull => None,
    }
}

/// `host:port/database`.
pub fn target(d: &DatabaseSpec) -> String {
    let db = if d.database.is_empty() {
        String::new()
    } else {
        format!("/{}", d.database)
    };
    format!("{}:{}{}", d.host, d.port, db)
}
