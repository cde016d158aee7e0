//! The SSH tunnel options of a database connection (`add postgres|mysql` / `edit`): the bastion
//! as `[user@]host[:port]` or a `~/.ssh/config` alias (read by `ssh -G`, as ssh itself reads
//! it, its ProxyJump included), jump hosts, the auth, the key file or the key itself, and the
//! secrets from stdin or a prompt.

use clap::Args;
use patchbay_core::model::*;
use patchbay_core::{validate, Error, Result};

use crate::input;

#[derive(Args, Debug, Default)]
pub struct SshArgs {
    /// Reach the database through this SSH bastion: [user@]host[:port], or a Host alias from
    /// ~/.ssh/config (its HostName, User, Port and IdentityFile are read); '' removes the tunnel.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "BASTION", help_heading = "SSH tunnel")]
    pub ssh: Option<String>,
    /// The bastion's SSH user.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "SSH tunnel")]
    pub ssh_user: Option<String>,
    /// The bastion's SSH port (22).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "SSH tunnel")]
    pub ssh_port: Option<String>,
    /// key, password or agent (key when a key is given, else agent).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "SSH tunnel")]
    pub ssh_auth: Option<String>,
    /// The private key file (kept as a path: the key stays in its file); with agent auth, the
    /// one key the agent may offer (its .pub is enough).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "FILE", help_heading = "SSH tunnel")]
    pub ssh_key: Option<String>,
    /// Read the private key itself from stdin (saved encrypted, like a password).
    #[arg(long, conflicts_with = "ssh_key", help_heading = "SSH tunnel")]
    pub ssh_key_stdin: bool,
    /// Ask for the key's passphrase on the terminal.
    #[arg(long, help_heading = "SSH tunnel")]
    pub ssh_passphrase: bool,
    /// Read the key's passphrase from stdin.
    #[arg(long, help_heading = "SSH tunnel")]
    pub ssh_passphrase_stdin: bool,
    /// Ask for the bastion's password on the terminal.
    #[arg(long, help_heading = "SSH tunnel")]
    pub ssh_password: bool,
    /// Read the bastion's password from stdin.
    #[arg(long, help_heading = "SSH tunnel")]
    pub ssh_password_stdin: bool,
    /// Jump hosts to go through first, as ssh -J takes them: [user@]host[:port] or
    /// ~/.ssh/config aliases, comma-separated (each logs in with its IdentityFile, else the
    /// agent); '' removes them.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "HOPS", help_heading = "SSH tunnel")]
    pub ssh_jump: Option<String>,
}

/// What `ssh -G ALIAS` says the alias is (None without an ssh client).
struct SshConfig {
    host: String,
    user: Option<String>,
    port: Option<u32>,
    identity: Option<String>,
    proxy_jump: Option<String>,
}

fn ssh_config(alias: &str) -> Option<SshConfig> {
    let mut ssh = std::process::Command::new("ssh");
    ssh.arg("-G");
    // ssh finds ~ in the password database; Patchbay's ~ is $HOME, as for known_hosts.
    let own = std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".ssh/config"));
    if let Some(file) = own.filter(|f| f.is_file()) {
        ssh.arg("-F").arg(file);
    }
    let o = ssh.arg("--").arg(alias).output().ok()?;
    if !o.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&o.stdout);
    let get = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{k} ")).map(str::to_string))
    };
    let home = std::env::var("HOME").unwrap_or_default();
    // The first identity file that exists (ssh -G lists ssh's defaults too).
    let identity = text
        .lines()
        .filter_map(|l| l.strip_prefix("identityfile "))
        .map(|f| f.replacen('~', &home, 1))
        .find(|f| std::path::Path::new(f).is_file());
    Some(SshConfig {
        host: get("hostname")?,
        user: get("user"),
        port: get("port").and_then(|p| p.parse().ok()),
        identity,
        proxy_jump: get("proxyjump").filter(|p| p != "none"),
    })
}

impl SshArgs {
    /// Which options were given, for refusing them on another kind.
    pub fn used(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("--ssh", self.ssh.is_some()),
            ("--ssh-user", self.ssh_user.is_some()),
            ("--ssh-port", self.ssh_port.is_some()),
            ("--ssh-auth", self.ssh_auth.is_some()),
            ("--ssh-key", self.ssh_key.is_some() || self.ssh_key_stdin),
            (
                "--ssh-passphrase",
                self.ssh_passphrase || self.ssh_passphrase_stdin,
            ),
            (
                "--ssh-password",
                self.ssh_password || self.ssh_password_stdin,
            ),
            ("--ssh-jump", self.ssh_jump.is_some()),
        ]
    }

    pub fn stdin_users(&self) -> [bool; 3] {
        [
            self.ssh_key_stdin,
            self.ssh_passphrase_stdin,
            self.ssh_password_stdin,
        ]
    }

    /// Applies the options to the database's tunnel (made by `--ssh`, removed by `--ssh ''`).
    pub fn apply(&self, d: &mut DatabaseSpec) -> Result<()> {
        if let Some(target) = &self.ssh {
            if target.trim().is_empty() {
                d.ssh = None;
                return Ok(());
            }
            d.ssh = Some(self.bastion(target.trim())?);
        }
        let any = self.used().iter().skip(1).any(|(_, u)| *u);
        let Some(t) = d.ssh.as_mut() else {
            return match any {
                true => Err(Error::invalid("ssh", "this connection has no SSH tunnel: give the bastion with --ssh [user@]host[:port]")),
                false => Ok(()),
            };
        };
        if let Some(u) = &self.ssh_user {
            t.user = u.clone();
        }
        if let Some(p) = &self.ssh_port {
            t.port = validate::port_text("ssh_port", p)?;
        }
        if let Some(f) = &self.ssh_key {
            t.key_file = (!f.trim().is_empty()).then(|| f.clone());
            t.auth = SshAuth::Key;
        }
        if self.ssh_key_stdin {
            t.key_file = None;
            t.auth = SshAuth::Key;
        }
        if self.ssh_password || self.ssh_password_stdin {
            t.auth = SshAuth::Password;
            t.key_file = None;
        }
        if let Some(hops) = &self.ssh_jump {
            t.jump = self.hops(hops)?;
        }
        if let Some(a) = &self.ssh_auth {
            t.auth = match a.trim().to_ascii_lowercase().as_str() {
                "key" => SshAuth::Key,
                "password" => SshAuth::Password,
                "agent" => SshAuth::Agent,
                _ => {
                    return Err(Error::invalid(
                        "ssh_auth",
                        format!("\"{a}\" is not an SSH auth; use key, password or agent"),
                    ))
                }
            };
        }
        Ok(())
    }

    /// The bastion `[user@]host[:port]`, or what ~/.ssh/config makes of an alias.
    fn bastion(&self, target: &str) -> Result<SshTunnel> {
        let (user, rest) = match target.rsplit_once('@') {
            Some((u, r)) => (Some(u.to_string()), r),
            None => (None, target),
        };
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => {
                (h.to_string(), Some(validate::port_text("ssh_port", p)?))
            }
            _ => (rest.to_string(), None),
        };
        let config = ssh_config(&host);
        let jump = match config.as_ref().and_then(|c| c.proxy_jump.clone()) {
            Some(hops) => self.hops(&hops)?,
            None => Vec::new(),
        };
        let identity = config.as_ref().and_then(|c| c.identity.clone());
        Ok(SshTunnel {
            host: config.as_ref().map_or(host.clone(), |c| c.host.clone()),
            port: port.or(config.as_ref().and_then(|c| c.port)).unwrap_or(22),
            user: user
                .or(config.as_ref().and_then(|c| c.user.clone()))
                .or(std::env::var("USER").ok())
                .unwrap_or_default(),
            auth: if identity.is_some() {
                SshAuth::Key
            } else {
                SshAuth::Agent
            },
            key_file: identity,
            jump,
        })
    }

    /// Jump hosts as ssh -J (and ProxyJump) list them, each read like the bastion.
    fn hops(&self, list: &str) -> Result<Vec<SshHop>> {
        list.split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(|h| {
                let t = self.bastion(h)?;
                if !t.jump.is_empty() {
                    return Err(Error::invalid("ssh_jump", format!("{h} has a ProxyJump of its own in ~/.ssh/config: list every jump host in order instead")));
                }
                Ok(SshHop { host: t.host, port: t.port, user: t.user, auth: t.auth, key_file: t.key_file })
            })
            .collect()
    }

    pub fn secrets(&self, draft: &mut ConnectionDraft) -> Result<()> {
        if self.ssh_key_stdin {
            let value = input::from_stdin("ssh_private_key")?;
            draft
                .secrets
                .insert(SecretField::SshPrivateKey, SecretInput::Value { value });
        }
        for (field, prompt, stdin) in [
            (
                SecretField::SshPassphrase,
                self.ssh_passphrase,
                self.ssh_passphrase_stdin,
            ),
            (
                SecretField::SshPassword,
                self.ssh_password,
                self.ssh_password_stdin,
            ),
        ] {
            if let Some(value) = input::secret_field(field, prompt, stdin)? {
                draft.secrets.insert(field, SecretInput::Value { value });
            }
        }
        Ok(())
    }
}
