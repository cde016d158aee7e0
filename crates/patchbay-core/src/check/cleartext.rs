//! The cleartext guard: on a database session without TLS, it reads what the server says before
//! the client (sqlx) hears it, and ends the session before a password would go out in clear.
//! It runs inside the [bridge](super::bridge) of the session that logs in, so what it decides
//! holds for that login.
//! - PostgreSQL: every authentication request up to AuthenticationOk; a request for the
//!   cleartext password (`password` in pg_hba.conf), first or after another method, ends it.
//! - MySQL/MariaDB: the greeting. A server that names `mysql_clear_password` as its plugin gets
//!   the password in the client's very first answer, so the session ends there unless TLS will
//!   come first. (A later switch to that plugin is refused by sqlx, whose cleartext plugin is
//!   off.)

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};

use super::verdict::{Failure, StepName};

/// PostgreSQL's AuthenticationCleartextPassword and AuthenticationOk.
const AUTH_CLEARTEXT: i32 = 3;
const AUTH_OK: i32 = 0;
const MYSQL_CLEAR: &[u8] = b"mysql_clear_password";
const CLIENT_SSL: u32 = 0x800;
const CLIENT_SECURE_CONNECTION: u32 = 0x8000;

/// What to watch for.
#[derive(Debug, Clone, Copy)]
pub enum Guard {
    Postgres,
    /// `client_tls`: the client asks for TLS when the server offers it (SSL mode prefer).
    MySql {
        client_tls: bool,
    },
}

/// Why the guard ended a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The password would have gone out in cleartext.
    Cleartext,
    /// The server's first message was not PostgreSQL's: its type byte.
    NotPostgres(u8),
}

impl Refusal {
    pub fn failure(self) -> Failure {
        match self {
            Refusal::Cleartext => Failure::new(
                StepName::Auth,
                "the server asks for the password in cleartext, over a connection without TLS",
            )
            .hint("Patchbay did not send it. Use SSL mode require or verify-full, or have the server use a hashed method (scram-sha-256 in PostgreSQL's pg_hba.conf, caching_sha2_password or ed25519 in MySQL/MariaDB)"),
            Refusal::NotPostgres(b) => Failure::new(
                StepName::Auth,
                "the server does not speak PostgreSQL's protocol",
            )
            .error(format!("its first answer began with byte 0x{b:02x}"))
            .hint("is this port a PostgreSQL server? (a MySQL or MariaDB server, for one, greets first)"),
        }
    }
}

impl Guard {
    /// Forwards the server's messages to the client until no password can go out in cleartext
    /// any more. `Err(Some(why))`: the guard ended the session; `Err(None)`: it ended itself.
    pub async fn watch<R, W>(self, from: &mut R, to: &mut W) -> Result<(), Option<Refusal>>
    where
        R: AsyncRead + Unpin,
        W: AsyncWrite + Unpin,
    {
        match self {
            Guard::Postgres => postgres(from, to).await,
            Guard::MySql { client_tls } => mysql(from, to, client_tls).await,
        }
    }
}

async fn postgres<R, W>(from: &mut R, to: &mut W) -> Result<(), Option<Refusal>>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut first = true;
    loop {
        let mut head = [0u8; 5];
        from.read_exact(&mut head).await.map_err(|_| None)?;
        let len = i32::from_be_bytes([head[1], head[2], head[3], head[4]]);
        let known = matches!(head[0], b'R' | b'E' | b'N' | b'v');
        if first && (!known || !(4..=1 << 20).contains(&len)) {
            return Err(Some(Refusal::NotPostgres(head[0])));
        }
        first = false;
        let mut body = vec![0u8; (len.max(4) - 4) as usize];
        from.read_exact(&mut body).await.map_err(|_| None)?;
        let code = (head[0] == b'R' && body.len() >= 4)
            .then(|| i32::from_be_bytes([body[0], body[1], body[2], body[3]]));
        if code == Some(AUTH_CLEARTEXT) {
            return Err(Some(Refusal::Cleartext));
        }
        to.write_all(&head).await.map_err(|_| None)?;
        to.write_all(&body).await.map_err(|_| None)?;
        // Logged in, refused, or something else than the login's messages: nothing left to
        // guard.
        if code == Some(AUTH_OK) || !matches!(head[0], b'R' | b'N' | b'v') {
            return Ok(());
        }
    }
}

async fn mysql<R, W>(from: &mut R, to: &mut W, client_tls: bool) -> Result<(), Option<Refusal>>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut head = [0u8; 4];
    from.read_exact(&mut head).await.map_err(|_| None)?;
    let len = u32::from_le_bytes([head[0], head[1], head[2], 0]) as usize;
    let mut body = vec![0u8; len];
    from.read_exact(&mut body).await.map_err(|_| None)?;
    if let Some((server_tls, plugin)) = greeting(&body) {
        if plugin == MYSQL_CLEAR && !(client_tls && server_tls) {
            return Err(Some(Refusal::Cleartext));
        }
    }
    to.write_all(&head).await.map_err(|_| None)?;
    to.write_all(&body).await.map_err(|_| None)?;
    Ok(())
}

/// From a MySQL protocol-10 greeting: whether the server offers TLS, and its auth plugin's name.
fn greeting(body: &[u8]) -> Option<(bool, &[u8])> {
    if body.first() != Some(&10) {
        return None;
    }
    let version_end = body[1..].iter().position(|b| *b == 0)? + 1;
    // thread id (4), scramble part 1 (8), filler (1), capabilities low (2)
    let caps_at = version_end + 1 + 4 + 8 + 1;
    let low = body.get(caps_at..caps_at + 2)?;
    // character set (1), status (2), capabilities high (2), scramble length (1), reserved (10)
    let high = body.get(caps_at + 5..caps_at + 7).unwrap_or(&[0, 0]);
    let caps = u32::from_le_bytes([low[0], low[1], high[0], high[1]]);
    let scramble_len = *body.get(caps_at + 7).unwrap_or(&0) as usize;
    let mut at = caps_at + 8 + 10;
    if caps & CLIENT_SECURE_CONNECTION != 0 {
        at += scramble_len.saturating_sub(8).max(13);
    }
    let rest = body.get(at..).unwrap_or_default();
    let plugin = rest.split(|b| *b == 0).next().unwrap_or_default();
    Some((caps & CLIENT_SSL != 0, plugin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mariadb_greeting_names_its_plugin_and_tls() {
        let mut g = vec![10];
        g.extend_from_slice(b"11.4.2-MariaDB\0");
        g.extend_from_slice(&[1, 0, 0, 0]);
        g.extend_from_slice(b"abcdefgh\0");
        g.extend_from_slice(&(0xf7ffu16 | 0x800).to_le_bytes());
        g.push(45);
        g.extend_from_slice(&[2, 0]);
        g.extend_from_slice(&0x81bfu16.to_le_bytes());
        g.push(21);
        g.extend_from_slice(&[0; 10]);
        g.extend_from_slice(b"ijklmnopqrst\0");
        g.extend_from_slice(b"mysql_clear_password\0");
        assert_eq!(greeting(&g), Some((true, MYSQL_CLEAR)));
    }
}
