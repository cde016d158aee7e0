//! SSH tunnels, in-process (russh): TCP to the bastion (or to the first jump host, each one then
//! reached through a channel of the one before), each session's handshake, host key judged by
//! [`host_keys`] and login by key, password or agent ([`hop`], [`login`]), then a fresh local port on
//! `127.0.0.1:0` whose every connection becomes a `direct-tcpip` channel to the database as the
//! bastion sees it. Each stage is a check step with its own verdict; keep-alives keep an idle
//! tunnel open; dropping the [`Tunnel`] closes it.

mod hop;
pub mod host_keys;
pub mod keys;
mod login;

use std::net::SocketAddr;
use std::sync::Arc;

use russh::client;
use tokio::net::TcpListener;

use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::{SshHop, SshTunnel};
use hop::Bastion;
use host_keys::HostKeys;
pub use login::Secrets;

/// An open tunnel: connections to [`Tunnel::local`] reach the database through the bastion.
pub struct Tunnel {
    local: SocketAddr,
    accept: tokio::task::JoinHandle<()>,
    /// The jump hosts' sessions, then the bastion's (the last).
    sessions: Vec<Arc<client::Handle<Bastion>>>,
}

impl Tunnel {
    /// `127.0.0.1:PORT`, a port the OS chose for this tunnel alone.
    pub fn local(&self) -> SocketAddr {
        self.local
    }

    /// Whether the bastion's session has ended (it closed, or stopped answering keep-alives).
    pub fn is_closed(&self) -> bool {
        self.sessions.iter().any(|s| s.is_closed())
    }

    /// Closes the local port (closed when this returns) and the SSH session.
    pub async fn close(mut self) {
        self.accept.abort();
        let _ = (&mut self.accept).await;
        for s in self.sessions.iter().rev() {
            let _ = s
                .disconnect(russh::Disconnect::ByApplication, "", "en")
                .await;
        }
    }
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// Opens a tunnel through `t` to `target` (the database as the bastion sees it), recording
/// the SSH steps in `rec`.
pub async fn open(
    rec: &mut Recorder,
    t: &SshTunnel,
    target: (&str, u16),
    secrets: &Secrets,
    keys: &HostKeys,
) -> Result<Tunnel, Failure> {
    // The jump hosts in order, then the bastion: each reached through the one before.
    let hops: Vec<SshTunnel> = t
        .jump
        .iter()
        .map(SshHop::as_bastion)
        .chain(std::iter::once(t.clone()))
        .collect();
    let none = Secrets::default();
    let mut sessions: Vec<Arc<client::Handle<Bastion>>> = Vec::new();
    for (i, h) in hops.iter().enumerate() {
        // The saved secrets are the last bastion's; a jump host logs in with a key file or the agent.
        let secrets = if i + 1 == hops.len() { secrets } else { &none };
        let session = match sessions.last() {
            None => {
                let stream = rec
                    .step(StepName::SshTcp, hop::dial(h.host.clone(), h.port as u16))
                    .await?;
                hop::session(rec, stream, h, secrets, keys).await?
            }
            Some(prev) => {
                let (prev, from) = (prev.clone(), hops[i - 1].host.clone());
                let (to, port) = (h.host.clone(), h.port as u16);
                let channel = rec
                    .step(StepName::SshForward, async move {
                        match prev
                            .channel_open_direct_tcpip(to.clone(), port as u32, "127.0.0.1", 0)
                            .await
                        {
                            Ok(ch) => Ok((ch, Some(format!("{from} → {to}:{port} (jump)")))),
                            Err(e) => Err(forward_failure(&from, &to, port, e)),
                        }
                    })
                    .await?;
                hop::session(rec, channel.into_stream(), h, secrets, keys).await?
            }
        };
        sessions.push(Arc::new(session));
    }
    let session = sessions.last().expect("the bastion's session").clone();
    let (host, user) = (t.host.clone(), t.user.clone());
    let (db_host, db_port) = (target.0.to_string(), target.1);
    // The first channel proves the bastion forwards and reaches the database; it is closed again.
    let probe = session.clone();
    let (probe_host, bastion_name) = (db_host.clone(), host.clone());
    rec.step(StepName::SshForward, async move {
        match probe
            .channel_open_direct_tcpip(probe_host.clone(), db_port as u32, "127.0.0.1", 0)
            .await
        {
            Ok(ch) => {
                // Closed in the background: the step is the bastion's answer, not its goodbye.
                tokio::spawn(async move { ch.close().await });
                Ok((
                    (),
                    Some(format!("{bastion_name} → {probe_host}:{db_port} as {user}")),
                ))
            }
            Err(e) => Err(forward_failure(&bastion_name, &probe_host, db_port, e)),
        }
    })
    .await?;
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
        Failure::new(
            StepName::SshForward,
            "could not open a local port for the tunnel",
        )
        .error(e)
    })?;
    let local = listener.local_addr().map_err(|e| {
        Failure::new(
            StepName::SshForward,
            "could not open a local port for the tunnel",
        )
        .error(e)
    })?;
    let accept = tokio::spawn(serve(listener, session.clone(), db_host, db_port));
    Ok(Tunnel {
        local,
        accept,
        sessions,
    })
}

/// Why the bastion did not open the channel to the database.
fn forward_failure(bastion: &str, host: &str, port: u16, e: russh::Error) -> Failure {
    use russh::ChannelOpenFailure as C;
    match e {
        russh::Error::ChannelOpenFailure(C::AdministrativelyProhibited) => Failure::new(
            StepName::SshForward,
            format!("the bastion {bastion} refuses to forward to {host}:{port}"),
        )
        .hint("its sshd does not allow this forward: AllowTcpForwarding and PermitOpen in sshd_config, or the key's permitopen= option"),
        russh::Error::ChannelOpenFailure(C::ConnectFailed) => Failure::new(
            StepName::SshForward,
            format!("the bastion {bastion} cannot reach {host}:{port}"),
        )
        .hint("the database is down or not reachable from the bastion: check the database host and port as the bastion sees them"),
        other => Failure::new(StepName::SshForward, format!("the bastion {bastion} did not open a channel to {host}:{port}"))
            .error(other),
    }
}

/// Serves the local port: each connection gets its own channel.
async fn serve(
    listener: TcpListener,
    session: Arc<client::Handle<Bastion>>,
    host: String,
    port: u16,
) {
    while let Ok((mut socket, from)) = listener.accept().await {
        let _ = socket.set_nodelay(true);
        let session = session.clone();
        let host = host.clone();
        tokio::spawn(async move {
            let Ok(channel) = session
                .channel_open_direct_tcpip(
                    host,
                    port as u32,
                    from.ip().to_string(),
                    from.port() as u32,
                )
                .await
            else {
                return; // the client sees the connection close
            };
            let mut stream = channel.into_stream();
            let _ = tokio::io::copy_bidirectional(&mut socket, &mut stream).await;
        });
    }
}
