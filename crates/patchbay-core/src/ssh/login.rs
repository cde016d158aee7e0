//! Logging in to the bastion: a private key (a file or the saved key, RSA signed with
//! rsa-sha2-256/512 as the server prefers), a password, or the agent — offering only the key
//! the connection names, so a server's MaxAuthTries is not spent on every key the agent holds.

use std::sync::Arc;

use russh::client::{AuthResult, Handle};
use russh::keys::agent::client::AgentClient;
use russh::keys::PrivateKeyWithHashAlg;

use super::keys;
use crate::check::verdict::{Failure, StepName};
use crate::model::{SshAuth, SshTunnel};
use crate::secret::SecretString;

/// The SSH secrets a connection holds.
#[derive(Default)]
pub struct Secrets {
    pub password: Option<SecretString>,
    pub private_key: Option<SecretString>,
    pub passphrase: Option<SecretString>,
}

/// The agent offers at most this many keys when the connection names none.
const AGENT_KEYS: usize = 3;

pub(super) async fn log_in<H: russh::client::Handler>(
    session: &mut Handle<H>,
    t: &SshTunnel,
    s: &Secrets,
) -> Result<((), Option<String>), Failure> {
    let user = t.user.as_str();
    let refused = |how: &str, hint: String| {
        Failure::new(
            StepName::SshAuth,
            format!("the bastion refused {user}'s {how}"),
        )
        .hint(hint)
    };
    let fail = |e: russh::Error| {
        Failure::new(StepName::SshAuth, format!("logging in as {user} failed")).error(e)
    };
    match t.auth {
        SshAuth::Password => {
            let Some(pw) = &s.password else {
                return Err(Failure::new(StepName::SshAuth, "no SSH password is saved")
                    .hint("save the bastion's password with the connection"));
            };
            let r = session
                .authenticate_password(user, pw.expose())
                .await
                .map_err(fail)?;
            accepted(r, || {
                refused("password", format!("type the right SSH password for {user} (or the server allows no passwords: PasswordAuthentication)"))
            })?;
            Ok(((), Some(format!("{user} with a password"))))
        }
        SshAuth::Key => {
            let (text, origin) = match (&t.key_file, &s.private_key) {
                (Some(path), _) => (
                    keys::read_file(path).map_err(|w| {
                        Failure::new(StepName::SshAuth, w)
                            .hint("name a private key file this user can read")
                    })?,
                    format!("the key file {path}"),
                ),
                (None, Some(k)) => (k.expose().to_string(), "the saved SSH key".to_string()),
                (None, None) => {
                    return Err(Failure::new(StepName::SshAuth, "no SSH key is saved")
                        .hint("name the key file or save the key with the connection"))
                }
            };
            let key = keys::open(&text, s.passphrase.as_ref().map(|p| p.expose()), &origin)
                .map_err(|u| {
                    let f = Failure::new(StepName::SshAuth, u.message).hint(u.hint);
                    match u.error {
                        Some(e) => f.error(e),
                        None => f,
                    }
                })?;
            let algorithm = key.algorithm().to_string();
            let hash = session
                .best_supported_rsa_hash()
                .await
                .map_err(fail)?
                .flatten();
            let r = session
                .authenticate_publickey(user, PrivateKeyWithHashAlg::new(Arc::new(key), hash))
                .await
                .map_err(fail)?;
            accepted(r, || {
                refused(&format!("{algorithm} key"), format!("the bastion does not accept this key for {user}: add its public key to ~{user}/.ssh/authorized_keys there"))
            })?;
            Ok(((), Some(format!("{user} with {origin} ({algorithm})"))))
        }
        SshAuth::Agent => {
            let mut agent = AgentClient::connect_env().await.map_err(|e| {
                Failure::new(StepName::SshAuth, "no SSH agent answers at SSH_AUTH_SOCK")
                    .error(e)
                    .hint("start ssh-agent and add the key (ssh-add), or choose key auth with the key file")
            })?;
            let held = agent.request_identities().await.map_err(|e| {
                Failure::new(StepName::SshAuth, "the SSH agent did not list its keys").error(e)
            })?;
            let wanted = match &t.key_file {
                Some(path) => Some(keys::public_of(path).map_err(|w| {
                    Failure::new(StepName::SshAuth, w).hint("name the key's file (or its .pub)")
                })?),
                None => None,
            };
            let offered: Vec<_> = held
                .iter()
                .map(|i| i.public_key().into_owned())
                .filter(|k| wanted.as_ref().is_none_or(|w| w.key_data() == k.key_data()))
                .take(if wanted.is_some() { 1 } else { AGENT_KEYS })
                .collect();
            if offered.is_empty() {
                return Err(Failure::new(
                    StepName::SshAuth,
                    match &t.key_file {
                        Some(path) => format!("the SSH agent does not hold the key {path}"),
                        None => "the SSH agent holds no key".to_string(),
                    },
                )
                .hint("add it to the agent: ssh-add KEYFILE"));
            }
            let hash = session
                .best_supported_rsa_hash()
                .await
                .map_err(fail)?
                .flatten();
            for key in &offered {
                let r = session
                    .authenticate_publickey_with(user, key.clone(), hash, &mut agent)
                    .await
                    .map_err(|e| {
                        Failure::new(StepName::SshAuth, "the SSH agent did not sign the login")
                            .error(e)
                    })?;
                if r.success() {
                    return Ok((
                        (),
                        Some(format!(
                            "{user} with the agent's key {}",
                            super::host_keys::fingerprint(key)
                        )),
                    ));
                }
            }
            Err(refused(
                &format!("agent key{}", if offered.len() > 1 { "s" } else { "" }),
                format!("the bastion accepts none of the {} key(s) offered: name the key file the bastion knows (only that key is then offered)", offered.len()),
            ))
        }
    }
}

fn accepted(r: AuthResult, refused: impl FnOnce() -> Failure) -> Result<(), Failure> {
    if r.success() {
        Ok(())
    } else {
        Err(refused())
    }
}
