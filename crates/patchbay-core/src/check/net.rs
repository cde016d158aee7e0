//! The first two steps of every check: name lookup and a TCP connection, with errors turned into
//! what a person can act on (closed port, unreachable network, unknown host). Inside
//! [`through`], the database is dialled at an SSH tunnel's local port instead (its name is still
//! the one TLS verifies).

use std::io::ErrorKind;
use std::net::SocketAddr;

use tokio::net::TcpStream;

use super::verdict::{Failure, Recorder, StepName};

tokio::task_local! {
    static THROUGH: SocketAddr;
}

/// Runs `f` with every dial of the database going to `local` (an SSH tunnel's port).
pub async fn through<F: std::future::Future>(local: SocketAddr, f: F) -> F::Output {
    THROUGH.scope(local, f).await
}

/// Where to dial `host:port`: the tunnel's local port inside [`through`], else the address.
pub fn dial(host: &str, port: u16) -> (String, u16) {
    match THROUGH.try_with(|a| *a) {
        Ok(a) => (a.ip().to_string(), a.port()),
        Err(_) => (host.to_string(), port),
    }
}

/// Looks up `host` and records the `dns` step (none through a tunnel: the bastion resolves it).
pub async fn lookup(rec: &mut Recorder, host: &str, port: u16) -> Result<Vec<SocketAddr>, Failure> {
    if let Ok(local) = THROUGH.try_with(|a| *a) {
        return Ok(vec![local]);
    }
    let host = host.to_string();
    rec.step(StepName::Dns, async move {
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|e| {
                Failure::new(StepName::Dns, format!("cannot resolve host \"{host}\""))
                    .error(e)
                    .hint("check the spelling of the host name, and your DNS or VPN")
            })?
            .collect();
        if addrs.is_empty() {
            return Err(
                Failure::new(StepName::Dns, format!("host \"{host}\" has no address"))
                    .hint("check the host name"),
            );
        }
        let detail = addrs
            .iter()
            .map(|a| a.ip().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        Ok((addrs, Some(detail)))
    })
    .await
}

/// Opens a TCP connection to the first address that accepts, recording the `tcp` step.
pub async fn connect(
    rec: &mut Recorder,
    host: &str,
    addrs: &[SocketAddr],
) -> Result<TcpStream, Failure> {
    let host = host.to_string();
    let addrs = addrs.to_vec();
    rec.step(StepName::Tcp, async move {
        let (s, addr) = first_that_accepts(&host, &addrs).await?;
        Ok((s, Some(addr.to_string())))
    })
    .await
}

/// A TCP connection (without Nagle) to the first of `addrs` that accepts, or why none did.
pub async fn first_that_accepts(
    host: &str,
    addrs: &[SocketAddr],
) -> Result<(TcpStream, SocketAddr), Failure> {
    let mut last = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => {
                let _ = s.set_nodelay(true);
                return Ok((s, *addr));
            }
            Err(e) => last = Some((addr, e)),
        }
    }
    match last {
        Some((addr, e)) => Err(tcp_failure(host, addr, e)),
        None => Err(Failure::new(
            StepName::Tcp,
            format!("host \"{host}\" has no address"),
        )),
    }
}

/// Explains a failed TCP connection.
pub fn tcp_failure(host: &str, addr: &SocketAddr, e: std::io::Error) -> Failure {
    let port = addr.port();
    match e.kind() {
        ErrorKind::ConnectionRefused => Failure::new(
            StepName::Tcp,
            format!("port {port} on {host} is closed ({addr} refused the connection)"),
        )
        .error(e)
        .hint(format!(
            "port closed — is the server running and listening on {port}? Check the port number"
        )),
        ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
            Failure::new(StepName::Tcp, format!("{host} ({addr}) cannot be reached"))
                .error(e)
                .hint("no route to the host: check the network, VPN or firewall")
        }
        ErrorKind::TimedOut => {
            Failure::new(StepName::Tcp, format!("connecting to {addr} timed out"))
                .error(e)
                .hint("a firewall may be dropping packets, or the host is down")
        }
        _ => Failure::new(StepName::Tcp, format!("cannot connect to {addr}")).error(e),
    }
}

/// Explains an I/O error after the connection was made (reset, closed, garbage).
pub fn io_failure(step: StepName, what: &str, e: &std::io::Error) -> Failure {
    match e.kind() {
        ErrorKind::ConnectionReset => Failure::new(step, format!("the server reset the connection during {what}"))
            .error(e)
            .hint("the server dropped the connection: is this the right port for this kind of server?"),
        ErrorKind::UnexpectedEof => Failure::new(step, format!("the server closed the connection during {what}"))
            .error(e)
            .hint("the server hung up: is this the right port for this kind of server, and does it expect TLS?"),
        _ => Failure::new(step, format!("{what} failed")).error(e),
    }
}
