//! A database check through its SSH tunnel: the SSH steps first (bastion TCP, handshake, host
//! key, login, forward), then the database's own steps dialled at the tunnel's local port with
//! the database's name still the one TLS verifies. Without a tunnel, the check as it is. And
//! what hand-offs give a child through an open tunnel.

use crate::check::net;
use crate::check::verdict::{Failure, Recorder};
use crate::handoff::{Handoff, Value};
use crate::model::{DatabaseSpec, DbEngine, Resolved, SecretField};
use crate::ssh::host_keys::HostKeys;
use crate::ssh::{self, Secrets};

/// The SSH secrets of a resolved connection.
pub fn secrets(r: &Resolved) -> Secrets {
    Secrets {
        password: r.secret(SecretField::SshPassword).cloned(),
        private_key: r.secret(SecretField::SshPrivateKey).cloned(),
        passphrase: r.secret(SecretField::SshPassphrase).cloned(),
    }
}

pub async fn check(
    rec: &mut Recorder,
    d: &DatabaseSpec,
    r: &Resolved,
    keys: &HostKeys,
    quick: bool,
) -> Result<String, Failure> {
    let password = r.secret(SecretField::Password).map(|s| s.expose());
    let Some(t) = &d.ssh else {
        return super::check::check(rec, d, password, quick).await;
    };
    let tunnel = ssh::open(rec, t, (&d.host, d.port as u16), &secrets(r), keys).await?;
    rec.fact("through", format!("SSH {}@{}:{}", t.user, t.host, t.port));
    // The full check: its own TLS session verifies the database's name, not the tunnel's.
    let out = net::through(tunnel.local(), super::check::check(rec, d, password, false)).await;
    tunnel.close().await;
    out
}

/// The connection as its hand-offs see it through a tunnel open at `local`: the database at
/// the tunnel's port on 127.0.0.1, no tunnel of its own.
pub fn through(r: &Resolved, local: std::net::SocketAddr) -> Resolved {
    let mut r = r.clone();
    if let crate::model::Spec::Database(d) = &mut r.connection.spec {
        d.ssh = None;
        d.host = local.ip().to_string();
        d.port = local.port() as u32;
    }
    r
}

/// The variables a child gets through a tunnel open at `local`. PostgreSQL keeps the
/// database's own name in PGHOST (what verify-full checks the certificate against) and dials
/// the tunnel through PGHOSTADDR.
pub fn env_through(r: &Resolved, local: std::net::SocketAddr, with_secrets: bool) -> Handoff {
    let mut h = super::super::env(&through(r, local), with_secrets);
    if let crate::model::Spec::Database(d) = &r.connection.spec {
        if d.engine == DbEngine::Postgresql {
            h.vars.insert("PGHOST".into(), Value::Plain(d.host.clone()));
            h.vars
                .insert("PGHOSTADDR".into(), Value::Plain(local.ip().to_string()));
        }
    }
    h
}

/// What a hand-off without a running tunnel (`url`, `env`, the window's copies) says of a
/// tunnelled database: its address is the bastion's view, not reachable from here.
pub fn handoff_note(name: &str, spec: &crate::model::Spec) -> Option<String> {
    let crate::model::Spec::Database(d) = spec else {
        return None;
    };
    let t = d.ssh.as_ref()?;
    Some(format!(
        "{name} is reached through the SSH bastion {}@{}:{}: this is the database as the bastion sees it; `patchbay tunnel {name}` opens the tunnel and prints the address through it (`patchbay exec` opens one itself)",
        t.user, t.host, t.port
    ))
}
