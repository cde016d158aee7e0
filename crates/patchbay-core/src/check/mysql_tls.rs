//! MySQL's TLS upgrade done by the check itself, under sqlx, for `verify-ca` and `verify-full`:
//! the session is verified once, by the rules of the chosen mode (verify-ca checks the chain
//! only, as PostgreSQL's verify-ca does; sqlx 0.8 would check the host name there too).
//!
//! sqlx speaks plain protocol into the bridge. Its greeting is the server's; its handshake
//! response is held back while the bridge sends the server an SSL request with the same
//! capabilities (plus SSL), completes and verifies the TLS handshake, and then sends the response
//! over TLS. The SSL request took one sequence number, so until the login ends (the server's OK
//! or error) every packet's sequence number is shifted by one on the way in and out; after that
//! each command starts again at 0 and bytes are copied as they are.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::{TcpStream, UnixStream};

use super::bridge::{self, Bridge};
use super::tls::{self, TlsSettings, Verify};
use super::verdict::{Failure, StepName};

const CLIENT_SSL: u32 = 0x800;

/// What the TLS handshake checks.
pub struct Trust {
    pub host: String,
    pub verify: Verify,
    pub ca_pem: Option<String>,
}

/// Serves `stream` (a MySQL server that has not greeted yet) to sqlx over TLS verified by
/// `trust`.
pub fn open(stream: TcpStream, trust: Trust) -> std::io::Result<Bridge> {
    bridge::serve("mysql.sock", move |local, said| async move {
        if let Err(f) = upgrade(local, stream, &trust).await {
            *said.lock().unwrap_or_else(|p| p.into_inner()) = f;
        }
    })
}

/// One MySQL packet: its header (length, sequence number) and body.
async fn read_packet<R: AsyncRead + Unpin>(r: &mut R) -> std::io::Result<([u8; 4], Vec<u8>)> {
    let mut head = [0u8; 4];
    r.read_exact(&mut head).await?;
    let len = u32::from_le_bytes([head[0], head[1], head[2], 0]) as usize;
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).await?;
    Ok((head, body))
}

async fn write_packet<W: AsyncWrite + Unpin>(
    w: &mut W,
    seq: u8,
    body: &[u8],
) -> std::io::Result<()> {
    // One write per packet: a header and a body written apart wait on Nagle and delayed ACKs.
    let len = (body.len() as u32).to_le_bytes();
    let mut packet = Vec::with_capacity(4 + body.len());
    packet.extend_from_slice(&[len[0], len[1], len[2], seq]);
    packet.extend_from_slice(body);
    w.write_all(&packet).await?;
    w.flush().await
}

/// `Err(Some(why))` when the session ended for a reason the verdict should give.
async fn upgrade(
    local: UnixStream,
    mut server: TcpStream,
    trust: &Trust,
) -> Result<(), Option<Failure>> {
    let (mut lr, mut lw) = local.into_split();
    let io = |e: std::io::Error| -> Option<Failure> {
        Some(super::net::io_failure(StepName::Tls, "the TLS request", &e))
    };
    // The greeting goes to sqlx as it is (sqlx, told to use no TLS, asks for none).
    let (head, greeting) = read_packet(&mut server).await.map_err(io)?;
    if greeting.first() == Some(&10) && !offers_tls(&greeting) {
        return Err(Some(
            Failure::new(StepName::Tls, "the server does not offer TLS")
                .hint("turn SSL off (disable or prefer), or enable TLS on the server"),
        ));
    }
    lw.write_all(&head).await.map_err(|_| None)?;
    lw.write_all(&greeting).await.map_err(|_| None)?;
    // sqlx's handshake response: held back until TLS is up.
    let (head, mut response) = read_packet(&mut lr).await.map_err(|_| None)?;
    if response.len() < 32 {
        return Err(None);
    }
    let caps =
        u32::from_le_bytes([response[0], response[1], response[2], response[3]]) | CLIENT_SSL;
    response[..4].copy_from_slice(&caps.to_le_bytes());
    // The SSL request: the response's first 32 bytes (capabilities, packet size, character set,
    // filler), with SSL.
    write_packet(&mut server, head[3], &response[..32])
        .await
        .map_err(io)?;
    let settings = TlsSettings {
        verify: trust.verify,
        ca_pem: trust.ca_pem.as_deref(),
        client: None,
        unverified: None,
    };
    let (tls, _) = tls::handshake(server, &trust.host, &settings)
        .await
        .map_err(Some)?;
    let (mut sr, mut sw) = tokio::io::split(tls);
    write_packet(&mut sw, head[3].wrapping_add(1), &response)
        .await
        .map_err(|_| None)?;
    let logged_in = Arc::new(AtomicBool::new(false));
    let done = logged_in.clone();
    let to_server = async move {
        // Until the login ends, each packet of sqlx's is one further on.
        while !done.load(Ordering::SeqCst) {
            let Ok((head, body)) = read_packet(&mut lr).await else {
                return;
            };
            let seq = if done.load(Ordering::SeqCst) {
                head[3]
            } else {
                head[3].wrapping_add(1)
            };
            if write_packet(&mut sw, seq, &body).await.is_err() {
                return;
            }
        }
        let _ = tokio::io::copy(&mut lr, &mut sw).await;
        let _ = sw.shutdown().await;
    };
    let to_client = async move {
        loop {
            let Ok((head, body)) = read_packet(&mut sr).await else {
                return;
            };
            // OK or error: the login is over (an auth switch or more auth data is not).
            if matches!(body.first(), Some(0x00 | 0xff)) {
                logged_in.store(true, Ordering::SeqCst);
            }
            if write_packet(&mut lw, head[3].wrapping_sub(1), &body)
                .await
                .is_err()
            {
                return;
            }
            if logged_in.load(Ordering::SeqCst) {
                break;
            }
        }
        let _ = tokio::io::copy(&mut sr, &mut lw).await;
    };
    tokio::join!(to_server, to_client);
    Ok(())
}

/// The trust of a verifying SSL mode.
pub fn trust(d: &crate::model::DatabaseSpec) -> Trust {
    Trust {
        host: d.host.clone(),
        verify: match d.ssl_mode {
            crate::model::SslMode::VerifyCa => Verify::Chain,
            _ => Verify::Full,
        },
        ca_pem: d.ca_cert.clone(),
    }
}

/// Whether a protocol-10 greeting offers TLS (its lower capability flags).
fn offers_tls(greeting: &[u8]) -> bool {
    let Some(version_end) = greeting[1..].iter().position(|b| *b == 0) else {
        return false;
    };
    let at = version_end + 1 + 1 + 4 + 8 + 1;
    greeting
        .get(at..at + 2)
        .is_some_and(|c| u16::from_le_bytes([c[0], c[1]]) as u32 & CLIENT_SSL != 0)
}
