//! The first bytes of a database session, spoken by the check itself before any login: whether
//! a PostgreSQL server (SSLRequest) or a MySQL/MariaDB server (greeting, SSL request) offers TLS.
//! A silent or foreign server is told apart here from one that refuses TLS.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::net;
use super::verdict::{Failure, StepName};

/// Sends PostgreSQL's SSLRequest: the stream, and whether the server answered 'S' (TLS comes
/// next) rather than 'N' (the session goes on without it).
pub(crate) async fn pg_offers_tls(mut s: TcpStream) -> Result<(TcpStream, bool), Failure> {
    s.write_all(&[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])
        .await
        .map_err(|e| net::io_failure(StepName::Tls, "the TLS request", &e))?;
    let mut b = [0u8; 1];
    s.read_exact(&mut b)
        .await
        .map_err(|e| net::io_failure(StepName::Tls, "the TLS request", &e))?;
    match b[0] {
        b'S' => Ok((s, true)),
        b'N' => Ok((s, false)),
        other => Err(
            Failure::new(StepName::Tls, "the server did not answer like PostgreSQL")
                .error(format!(
                    "unexpected byte 0x{other:02x} in answer to SSLRequest"
                ))
                .hint("is this port a PostgreSQL server?"),
        ),
    }
}

/// When a MySQL server never greets: the classic case is a PostgreSQL port, which waits silently.
pub(crate) const NO_GREETING: &str = "no MySQL greeting arrived: is this port a MySQL or MariaDB server? (a PostgreSQL server, for one, waits silently for the client)";

const CLIENT_LONG_PASSWORD: u32 = 0x1;
const CLIENT_PROTOCOL_41: u32 = 0x200;
const CLIENT_SSL: u32 = 0x800;
const CLIENT_SECURE_CONNECTION: u32 = 0x8000;
const CLIENT_PLUGIN_AUTH: u32 = 0x80000;

/// Reads the MySQL greeting and, if the server offers TLS, asks for it.
pub(crate) async fn mysql_offers_tls(mut s: TcpStream) -> Result<Option<TcpStream>, Failure> {
    let not_mysql = |why: String| {
        Failure::new(StepName::Tls, "the server did not answer like MySQL")
            .error(why)
            .hint("is this port a MySQL or MariaDB server?")
    };
    let mut head = [0u8; 4];
    s.read_exact(&mut head)
        .await
        .map_err(|e| net::io_failure(StepName::Tls, "the MySQL greeting", &e))?;
    let len = u32::from_le_bytes([head[0], head[1], head[2], 0]) as usize;
    if !(10..=65_536).contains(&len) {
        return Err(not_mysql(format!("greeting of {len} bytes")));
    }
    let mut body = vec![0u8; len];
    s.read_exact(&mut body)
        .await
        .map_err(|e| net::io_failure(StepName::Tls, "the MySQL greeting", &e))?;
    if body[0] == 0xff {
        let msg = String::from_utf8_lossy(body.get(3..).unwrap_or_default()).into_owned();
        return Err(
            Failure::new(StepName::Tls, "the server refused the connection")
                .error(msg)
                .hint("the server refuses this client (blocked host or too many connections)"),
        );
    }
    if body[0] != 10 {
        return Err(not_mysql(format!("protocol version {}", body[0])));
    }
    let version_end = body[1..]
        .iter()
        .position(|b| *b == 0)
        .ok_or_else(|| not_mysql("no server version".into()))?
        + 1;
    let caps_at = version_end + 1 + 4 + 8 + 1;
    let caps = body
        .get(caps_at..caps_at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]) as u32)
        .ok_or_else(|| not_mysql("short greeting".into()))?;
    if caps & CLIENT_SSL == 0 {
        return Ok(None);
    }
    let flags = CLIENT_LONG_PASSWORD
        | CLIENT_PROTOCOL_41
        | CLIENT_SSL
        | CLIENT_SECURE_CONNECTION
        | CLIENT_PLUGIN_AUTH;
    let mut packet = vec![32, 0, 0, 1];
    packet.extend_from_slice(&flags.to_le_bytes());
    packet.extend_from_slice(&(16u32 << 20).to_le_bytes());
    packet.push(45); // utf8mb4
    packet.extend_from_slice(&[0u8; 23]);
    s.write_all(&packet)
        .await
        .map_err(|e| net::io_failure(StepName::Tls, "the TLS request", &e))?;
    Ok(Some(s))
}
