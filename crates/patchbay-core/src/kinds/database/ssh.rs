//! A database's SSH tunnel as fields of the connection: their rules, which secrets each auth
//! needs, and which changes send the SSH secrets to another bastion. Opening the tunnel is
//! the `ssh` mechanism's.

use std::collections::BTreeSet;

use super::super::form::changed;
use crate::error::{Error, Result};
use crate::model::{DatabaseSpec, SecretField, SshAuth, SshHop, SshTunnel};
use crate::validate::{host, port, text};

/// The tunnel's fields, checked and normalised (a key file must exist and be a key).
pub fn validate(t: Option<&SshTunnel>) -> Result<Option<SshTunnel>> {
    let Some(t) = t else { return Ok(None) };
    let key_file = match given(&t.key_file) {
        None => None,
        Some(_) if t.auth == SshAuth::Password => {
            return Err(Error::invalid(
                "ssh_key_file",
                "is only used with key or agent auth (the auth is password)",
            ))
        }
        Some(f) => Some(checked_key_file("ssh_key_file", t.auth, f)?),
    };
    let jump = t.jump.iter().map(hop).collect::<Result<Vec<_>>>()?;
    Ok(Some(SshTunnel {
        host: host("ssh_host", &t.host)?,
        port: port("ssh_port", t.port)?,
        user: text("ssh_user", &t.user, true)?,
        auth: t.auth,
        key_file,
        jump,
    }))
}

fn given(f: &Option<String>) -> Option<&str> {
    f.as_deref().map(str::trim).filter(|f| !f.is_empty())
}

/// A jump host: it logs in with a key file or the agent (the saved secrets are the bastion's).
fn hop(h: &SshHop) -> Result<SshHop> {
    let key_file = match (h.auth, given(&h.key_file)) {
        (SshAuth::Password, _) => return Err(Error::invalid("ssh_jump", format!("jump host {} would log in with a password: a jump host logs in with a key file or the agent (the saved password is the last bastion's)", h.host))),
        (SshAuth::Key, None) => return Err(Error::invalid("ssh_jump", format!("jump host {} logs in with a key: name its key file", h.host))),
        (auth, Some(f)) => Some(checked_key_file("ssh_jump", auth, f)?),
        (_, None) => None,
    };
    Ok(SshHop {
        host: host("ssh_jump", &h.host)?,
        port: port("ssh_jump", h.port)?,
        user: text("ssh_jump", &h.user, true)?,
        auth: h.auth,
        key_file,
    })
}

/// A key file that is what the login will read: a private key (key auth), or a key the agent
/// can be asked for (agent auth: its .pub is enough). Errors name `field`.
fn checked_key_file(field: &str, auth: SshAuth, raw: &str) -> Result<String> {
    let path = key_file(field, raw)?;
    let readable = match auth {
        SshAuth::Agent => crate::ssh::keys::public_of(&path).map(|_| ()),
        _ => crate::ssh::keys::read_file(&path).and_then(|text| {
            crate::ssh::keys::check(&text)
                .map_err(|why| format!("{path} {why}: name the private key's file (not its .pub)"))
        }),
    };
    readable.map_err(|why| Error::invalid(field, why))?;
    Ok(path)
}

/// A key file named in full (`~/` is the home directory), that exists.
fn key_file(field: &str, raw: &str) -> Result<String> {
    let path = match raw.strip_prefix("~/") {
        Some(rest) => match std::env::var_os("HOME") {
            Some(home) => std::path::Path::new(&home).join(rest),
            None => {
                return Err(Error::invalid(
                    field,
                    "names ~ but HOME is not set: give the full path",
                ))
            }
        },
        None => std::path::PathBuf::from(raw),
    };
    if !path.is_absolute() {
        return Err(Error::invalid(
            field,
            format!("{raw} is not a full path: give it from / (or ~/)"),
        ));
    }
    if !path.is_file() {
        return Err(Error::invalid(
            field,
            format!(
                "{} is not a file: name the private key (e.g. ~/.ssh/id_ed25519)",
                path.display()
            ),
        ));
    }
    Ok(path.display().to_string())
}

/// Whether an SSH secret field means anything with these settings.
pub fn applies(d: &DatabaseSpec, field: SecretField) -> bool {
    let auth = d.ssh.as_ref().map(|t| (t.auth, t.key_file.is_some()));
    match field {
        SecretField::SshPassword => matches!(auth, Some((SshAuth::Password, _))),
        SecretField::SshPrivateKey => matches!(auth, Some((SshAuth::Key, false))),
        SecretField::SshPassphrase => matches!(auth, Some((SshAuth::Key, _))),
        _ => true,
    }
}

/// Why an SSH secret field does not apply.
pub fn not_applicable(d: &DatabaseSpec, field: SecretField) -> Error {
    let why = match (&d.ssh, field) {
        (None, _) => "is only used with an SSH tunnel (this connection has none)".to_string(),
        (Some(t), SecretField::SshPrivateKey) if t.key_file.is_some() => {
            "is not needed: the key is read from the key file".to_string()
        }
        (Some(t), _) => format!("does not apply with SSH {} auth", auth_word(t.auth)),
    };
    Error::invalid(field.as_str(), why)
}

/// The SSH secrets these settings need.
pub fn required(d: &DatabaseSpec, set: &BTreeSet<SecretField>) -> Result<()> {
    let need = match &d.ssh {
        Some(t) if t.auth == SshAuth::Password => Some(SecretField::SshPassword),
        Some(t) if t.auth == SshAuth::Key && t.key_file.is_none() => {
            Some(SecretField::SshPrivateKey)
        }
        _ => None,
    };
    match need {
        Some(f) if !set.contains(&f) => Err(Error::invalid(
            f.as_str(),
            match f {
                SecretField::SshPassword => "is required for SSH password auth",
                _ => "is required for SSH key auth without a key file (or name the key file)",
            },
        )),
        _ => Ok(()),
    }
}

/// What changed that would send a saved SSH secret to another bastion or user.
pub fn moved(o: &DatabaseSpec, n: &DatabaseSpec) -> Option<String> {
    match (&o.ssh, &n.ssh) {
        (Some(o), Some(n)) => changed("SSH host", &o.host.to_lowercase(), &n.host.to_lowercase())
            .or_else(|| changed("SSH port", &o.port, &n.port))
            .or_else(|| changed("SSH user", &o.user, &n.user)),
        (Some(_), None) => Some("the SSH tunnel was removed".into()),
        (None, _) => None,
    }
}

pub fn auth_word(a: SshAuth) -> &'static str {
    match a {
        SshAuth::Key => "key",
        SshAuth::Password => "password",
        SshAuth::Agent => "agent",
    }
}
