//! A database check through its SSH tunnel: the SSH steps first (bastion TCP, handshake, host
//! key, login, forward), then the database's own steps dialled at the tunnel's local port with
//! the database's name still the one TLS verifies. Without a tunnel, the check as it is.

use crate::check::net;
use crate::check::verdict::{Failure, Recorder};
use crate::model::{DatabaseSpec, Resolved, SecretField};
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
