//! Whether a plaintext Kafka port speaks Kafka, asked before librdkafka is started: one
//! ApiVersions request (allowed before SASL) on the connection the TCP step opened. A port that
//! resets the connection or answers with something that is not a Kafka response gets its own
//! verdict at once, instead of librdkafka retrying until the check's timeout. A port that stays
//! silent, or any answer that looks like Kafka, is left to the metadata step.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::check::verdict::{Failure, StepName};

/// A correlation id that a real broker echoes back.
const CORRELATION: i32 = 0x5042_0001;

/// ApiVersions v0 with client id "patchbay-check".
fn request() -> Vec<u8> {
    let client = b"patchbay-check";
    let mut body = Vec::new();
    body.extend_from_slice(&18i16.to_be_bytes()); // ApiVersions
    body.extend_from_slice(&0i16.to_be_bytes()); // version 0
    body.extend_from_slice(&CORRELATION.to_be_bytes());
    body.extend_from_slice(&(client.len() as i16).to_be_bytes());
    body.extend_from_slice(client);
    let mut msg = (body.len() as i32).to_be_bytes().to_vec();
    msg.extend_from_slice(&body);
    msg
}

/// Asks `stream` (at `addr`, for messages) whether it speaks Kafka, for at most `within`.
pub async fn probe(mut stream: TcpStream, addr: &str, within: Duration) -> Result<(), Failure> {
    let exchange = async {
        stream.write_all(&request()).await?;
        let mut head = [0u8; 8];
        stream.read_exact(&mut head).await?;
        Ok::<_, std::io::Error>(head)
    };
    match tokio::time::timeout(within, exchange).await {
        Err(_) => Ok(()), // silent: the metadata step will say so
        Ok(Ok(head)) => {
            let size = i32::from_be_bytes([head[0], head[1], head[2], head[3]]);
            let correlation = i32::from_be_bytes([head[4], head[5], head[6], head[7]]);
            if correlation == CORRELATION && (4..100_000_000).contains(&size) {
                Ok(())
            } else {
                Err(Failure::new(
                    StepName::Metadata,
                    "the server does not answer in the Kafka protocol",
                )
                .error(format!(
                    "{addr} answered an ApiVersions request with bytes {head:02x?}, not a Kafka response"
                ))
                .hint("is this port a Kafka broker? Something else answered (a web, database or TLS server); for TLS brokers choose SSL or SASL_SSL"))
            }
        }
        Ok(Err(e)) => {
            let closed = matches!(
                e.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::ConnectionAborted
            );
            if !closed {
                return Ok(());
            }
            let what = if e.kind() == std::io::ErrorKind::ConnectionReset {
                "reset"
            } else {
                "closed"
            };
            Err(Failure::new(
                StepName::Tcp,
                format!("the broker {what} the connection at once"),
            )
            .error(format!("{addr}: {e}"))
            .hint("something on this port closes connections at once: a firewall, a proxy, a server that is not Kafka, or a broker that expects TLS (choose SSL or SASL_SSL)"))
        }
    }
}
