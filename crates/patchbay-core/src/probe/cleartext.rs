//! Whether a PostgreSQL server would be sent the password in cleartext over a connection
//! without TLS. Before a check logs in without TLS (ssl mode `disable`, or `prefer` when the
//! server offers none), it opens the session itself and reads which password method the server
//! asks for; if that is the cleartext method (`password` in pg_hba.conf), the check stops there
//! and the password is never sent. (MySQL needs no such step: the clear-text plugin is off in
//! the client Patchbay uses.)

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::verdict::{Failure, StepName};
use crate::model::{DatabaseSpec, SslMode};

/// AuthenticationCleartextPassword in PostgreSQL's protocol.
const AUTH_CLEARTEXT: i32 = 3;

/// Refuses when the server would get the password in cleartext without TLS. Anything else
/// (TLS will be used, another method, an error) is left to the login step to report.
pub async fn refuse_plaintext_password(d: &DatabaseSpec, within: Duration) -> Result<(), Failure> {
    if !matches!(d.ssl_mode, SslMode::Disable | SslMode::Prefer) {
        return Ok(());
    }
    match tokio::time::timeout(within, asks_cleartext_without_tls(d)).await {
        Ok(Ok(Answer::Cleartext)) => Err(Failure::new(
            StepName::Auth,
            "the server asks for the password in cleartext, over a connection without TLS",
        )
        .hint("Patchbay did not send it. Use SSL mode require or verify-full, or have the server use scram-sha-256 in pg_hba.conf")),
        Ok(Ok(Answer::NotPostgres(b))) => Err(Failure::new(
            StepName::Auth,
            "the server does not speak PostgreSQL's protocol",
        )
        .error(format!("its first answer began with byte 0x{b:02x}"))
        .hint("is this port a PostgreSQL server? (a MySQL or MariaDB server, for one, greets first)")),
        _ => Ok(()),
    }
}

/// What the server answered before any password.
enum Answer {
    /// It asks for the password in cleartext, without TLS.
    Cleartext,
    /// Anything a PostgreSQL server may say (TLS on offer, another method, an error).
    Fine,
    /// Not PostgreSQL at all: its first byte.
    NotPostgres(u8),
}

async fn asks_cleartext_without_tls(d: &DatabaseSpec) -> std::io::Result<Answer> {
    let mut s = TcpStream::connect((d.host.as_str(), d.port as u16)).await?;
    s.set_nodelay(true)?;
    if d.ssl_mode == SslMode::Prefer {
        // SSLRequest: with TLS on offer, the login will be encrypted.
        s.write_all(&[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]).await?;
        let mut b = [0u8; 1];
        s.read_exact(&mut b).await?;
        match b[0] {
            b'N' => {}
            b'S' => return Ok(Answer::Fine),
            other => return Ok(Answer::NotPostgres(other)),
        }
    }
    let mut body = Vec::new();
    body.extend_from_slice(&196_608i32.to_be_bytes()); // protocol 3.0
    for (k, v) in [
        ("user", d.username.as_str()),
        ("database", d.database.as_str()),
    ] {
        if v.is_empty() {
            continue;
        }
        body.extend_from_slice(k.as_bytes());
        body.push(0);
        body.extend_from_slice(v.as_bytes());
        body.push(0);
    }
    body.push(0);
    let mut msg = ((body.len() + 4) as i32).to_be_bytes().to_vec();
    msg.extend_from_slice(&body);
    s.write_all(&msg).await?;
    let mut head = [0u8; 9];
    s.read_exact(&mut head).await?;
    let code = i32::from_be_bytes([head[5], head[6], head[7], head[8]]);
    Ok(match head[0] {
        b'R' if code == AUTH_CLEARTEXT => Answer::Cleartext,
        b'R' | b'E' | b'N' => Answer::Fine,
        other => Answer::NotPostgres(other),
    })
}
