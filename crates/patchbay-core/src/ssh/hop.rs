//! One SSH session on the way to the database: the handshake over a stream (TCP to the first
//! bastion, or a channel of the one before), its host key judged by [`super::host_keys`] for
//! that host and port, and the login ([`super::login`]). Each stage is a step of the check.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::client;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::host_keys::{HostKeys, Judgement};
use super::login::{self, Secrets};
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::SshTunnel;

/// The client side of the bastion's session: judges its host key.
pub struct Bastion {
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

/// The session with `t` over `stream`: handshake, host key, login (with `secrets`).
pub(super) async fn session<S>(
    rec: &mut Recorder,
    stream: S,
    t: &SshTunnel,
    secrets: &Secrets,
    keys: &HostKeys,
) -> Result<client::Handle<Bastion>, Failure>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (host, port) = (t.host.clone(), t.port as u16);
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
    let detail = shown.clone();
    let mut session = rec
        .step(StepName::SshHandshake, async move {
            match client::connect_stream(config, stream, bastion).await {
                Ok(s) => Ok((s, Some(detail))),
                Err(e) => Err(handshake_failure(
                    &shown,
                    judged.lock().expect("not poisoned").take(),
                    e,
                )),
            }
        })
        .await?;
    rec.step(StepName::SshHostKey, async {
        Ok(((), Some(format!("{host}: known"))))
    })
    .await?;
    rec.step(StepName::SshAuth, login::log_in(&mut session, t, secrets))
        .await?;
    Ok(session)
}

pub(super) async fn dial(host: String, port: u16) -> Result<(TcpStream, Option<String>), Failure> {
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
