//! SSH tunnels, in-process (russh): TCP to the bastion, the SSH handshake, its host key judged
//! by [`host_keys`], a login by key, password or agent ([`login`]), then a fresh local port on
//! `127.0.0.1:0` whose every connection becomes a `direct-tcpip` channel to the database as the
//! bastion sees it. Each stage is a check step with its own verdict; keep-alives keep an idle
//! tunnel open; dropping the [`Tunnel`] closes it.

pub mod host_keys;
pub mod keys;
mod login;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::client;
use tokio::net::{TcpListener, TcpStream};

use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::SshTunnel;
use host_keys::{HostKeys, Judgement};
pub use login::Secrets;

/// An open tunnel: connections to [`Tunnel::local`] reach the database through the bastion.
pub struct Tunnel {
    local: SocketAddr,
    accept: tokio::task::JoinHandle<()>,
    session: Arc<client::Handle<Bastion>>,
}

impl Tunnel {
    /// `127.0.0.1:PORT`, a port the OS chose for this tunnel alone.
    pub fn local(&self) -> SocketAddr {
        self.local
    }

    /// Whether the bastion's session has ended (it closed, or stopped answering keep-alives).
    pub fn is_closed(&self) -> bool {
        self.session.is_closed()
    }

    /// Closes the local port (closed when this returns) and the SSH session.
    pub async fn close(mut self) {
        self.accept.abort();
        let _ = (&mut self.accept).await;
        let _ = self
            .session
            .disconnect(russh::Disconnect::ByApplication, "", "en")
            .await;
    }
}

impl Drop for Tunnel {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// The client side of the bastion's session: judges its host key.
struct Bastion {
    keys: HostKeys,
    host: String,
    port: u16,
    judged: Arc<Mutex<Option<Judgement>>>,
}

impl client::Handler for Bastion {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        let russh::keys::PublicKeyOrCertificate::PublicKey { key, .. } = key else {
            return Ok(false); // host certificates: not trusted here yet
        };
        let mut judgement = self.keys.judge(&self.host, self.port, key);
        if let Judgement::Unknown { fingerprint } = &judgement {
            if self.keys.accepted.as_deref() == Some(fingerprint.as_str()) {
                let _ = self.keys.remember(&self.host, self.port, key);
                judgement = Judgement::Known;
            }
        }
        let known = judgement == Judgement::Known;
        *self.judged.lock().expect("not poisoned") = Some(judgement);
        Ok(known)
    }
}

/// How often an idle tunnel proves it is alive (under sshd's usual `ClientAliveInterval`).
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Opens a tunnel through `t` to `target` (the database as the bastion sees it), recording
/// the SSH steps in `rec`.
pub async fn open(
    rec: &mut Recorder,
    t: &SshTunnel,
    target: (&str, u16),
    secrets: &Secrets,
    keys: &HostKeys,
) -> Result<Tunnel, Failure> {
    let (host, port) = (t.host.clone(), t.port as u16);
    let stream = rec.step(StepName::SshTcp, dial(host.clone(), port)).await?;
    let judged = Arc::new(Mutex::new(None));
    let bastion = Bastion {
        keys: keys.clone(),
        host: host.clone(),
        port,
        judged: judged.clone(),
    };
    let config = Arc::new(client::Config {
        keepalive_interval: Some(KEEPALIVE),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    });
    let shown = format!("{host}:{port}");
    let mut session = rec
        .step(StepName::SshHandshake, async move {
            match client::connect_stream(config, stream, bastion).await {
                Ok(s) => Ok((s, None)),
                Err(e) => Err(handshake_failure(
                    &shown,
                    judged.lock().expect("not poisoned").take(),
                    e,
                )),
            }
        })
        .await?;
    rec.step(StepName::SshHostKey, async {
        Ok(((), Some("known".to_string())))
    })
    .await?;
    let user = t.user.clone();
    rec.step(StepName::SshAuth, login::log_in(&mut session, t, secrets))
        .await?;
    let session = Arc::new(session);
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
        session,
    })
}

async fn dial(host: String, port: u16) -> Result<(TcpStream, Option<String>), Failure> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| {
            Failure::new(
                StepName::SshTcp,
                format!("cannot resolve the bastion \"{host}\""),
            )
            .error(e)
            .hint("check the SSH host's spelling, and your DNS or VPN")
        })?
        .collect();
    match crate::check::net::first_that_accepts(&host, &addrs).await {
        Ok((s, addr)) => Ok((s, Some(addr.to_string()))),
        Err(mut f) => {
            f.step = StepName::SshTcp;
            f.message = format!("the bastion's SSH port: {}", f.message);
            Err(f)
        }
    }
}

/// Why the handshake ended: the host key (judged), else no SSH server, else the protocol.
fn handshake_failure(shown: &str, judged: Option<Judgement>, e: russh::Error) -> Failure {
    match judged {
        Some(Judgement::Unknown { fingerprint }) => Failure::new(
            StepName::SshHostKey,
            format!("the bastion {shown} is not known: its host key is {fingerprint}"),
        )
        .hint(format!("if {fingerprint} is the bastion's key (ask its admin, or compare ssh-keyscan's on a network you trust), accept it: Trust host key {fingerprint}")),
        Some(Judgement::Changed { fingerprint, recorded, file, line }) => Failure::new(
            StepName::SshHostKey,
            format!("the bastion {shown} shows another host key than the one recorded: {fingerprint}, recorded {recorded} ({}:{line})", file.display()),
        )
        .hint("this may be an attack, or the bastion was reinstalled: ask its admin; only then remove the old line"),
        _ => match e {
            russh::Error::Disconnect | russh::Error::IO(_) | russh::Error::Elapsed(_) => {
                Failure::new(StepName::SshHandshake, format!("no SSH server answered at {shown}"))
                    .error(e)
                    .hint("the port accepted the connection but did not speak SSH: is this the bastion's SSH port?")
            }
            other => Failure::new(StepName::SshHandshake, format!("the SSH handshake with {shown} failed"))
                .error(other)
                .hint("the bastion and Patchbay share no key exchange, cipher or host key algorithm"),
        },
    }
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
