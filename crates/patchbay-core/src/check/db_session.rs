//! Sessions the check opens itself for a database login that may go without TLS (SSL mode
//! disable, or prefer when the server offers none): bridged to sqlx through the cleartext
//! guard, so a password is never sent in clear on the very session that logs in (see
//! `bridge.rs` and `cleartext.rs`).

use super::bridge::{self, Bridge};
use super::cleartext::Guard;
use super::db_wire::pg_offers_tls;
use super::net;
use super::tls::{self, TlsSettings, Verify};
use super::verdict::{Failure, StepName};
use crate::model::{DatabaseSpec, SslMode};

/// The name PostgreSQL gives the socket of `port` (sqlx finds it in the bridge's directory).
pub(crate) fn pg_socket(port: u16) -> String {
    format!(".s.PGSQL.{port}")
}

/// A session of the check's own for a login that may go without TLS (SSL mode disable, or
/// prefer when the server offers none), bridged through the cleartext guard; over TLS when a
/// `prefer` server offers it.
pub(crate) async fn postgres(d: &DatabaseSpec) -> Result<Bridge, Failure> {
    let port = d.port as u16;
    let stream = connect(d).await?;
    let bridged = if d.ssl_mode == SslMode::Prefer {
        match pg_offers_tls(stream).await? {
            (s, true) => {
                let settings = TlsSettings {
                    verify: Verify::Nothing,
                    ca_pem: None,
                    client: None,
                    unverified: None,
                };
                let (tls, _) = tls::handshake(s, &d.host, &settings).await?;
                bridge::open(tls, &pg_socket(port), None)
            }
            (s, false) => bridge::open(s, &pg_socket(port), Some(Guard::Postgres)),
        }
    } else {
        bridge::open(stream, &pg_socket(port), Some(Guard::Postgres))
    };
    bridged.map_err(handing)
}

/// A MySQL/MariaDB session whose greeting the guard reads before sqlx answers it (sqlx asks
/// for TLS itself in `prefer` when the server offers it).
pub(crate) async fn mysql(d: &DatabaseSpec) -> Result<Bridge, Failure> {
    let stream = connect(d).await?;
    let guard = Guard::MySql {
        client_tls: d.ssl_mode == SslMode::Prefer,
    };
    bridge::open(stream, "mysql.sock", Some(guard)).map_err(handing)
}

async fn connect(d: &DatabaseSpec) -> Result<tokio::net::TcpStream, Failure> {
    let stream = tokio::net::TcpStream::connect(net::dial(&d.host, d.port as u16))
        .await
        .map_err(|e| net::io_failure(StepName::Auth, "the login's connection", &e))?;
    // The bridge relays small login messages one by one: no Nagle delay on them.
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

fn handing(e: std::io::Error) -> Failure {
    Failure::new(StepName::Auth, "could not hand the session to the login").error(e)
}

/// A MySQL/MariaDB session that the check upgrades to TLS itself, verified by the rules of the
/// SSL mode (verify-ca: the chain only), with sqlx logging in over it (see `mysql_tls.rs`).
pub(crate) async fn mysql_verified(d: &DatabaseSpec) -> Result<Bridge, Failure> {
    let stream = connect(d).await?;
    super::mysql_tls::open(stream, super::mysql_tls::trust(d)).map_err(handing)
}
