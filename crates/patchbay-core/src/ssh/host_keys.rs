//! Whose bastion this is: the host key it shows, judged against the user's
//! `~/.ssh/known_hosts` (plain and hashed entries, `[host]:port` for other ports) and
//! Patchbay's own list beside the store. Unknown keys are refused until accepted by their
//! SHA256 fingerprint; a changed key is a hard failure naming both fingerprints.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use russh::keys::{HashAlg, PublicKey};

/// Where host keys are looked up, and the fingerprint the user accepted for this use.
#[derive(Debug, Clone, Default)]
pub struct HostKeys {
    /// Read in order: the user's known_hosts, then Patchbay's own.
    pub files: Vec<PathBuf>,
    /// Where an accepted key is recorded (Patchbay's own list).
    pub own: Option<PathBuf>,
    /// `SHA256:…` accepted for an unknown host (`--accept-host-key`, the window's dialog).
    pub accepted: Option<String>,
}

/// What the files say about a host's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Known,
    /// Never seen: its fingerprint, to show and accept.
    Unknown {
        fingerprint: String,
    },
    /// A key of the same type was recorded and this is another one.
    Changed {
        fingerprint: String,
        recorded: String,
        file: PathBuf,
        line: usize,
    },
}

/// `SHA256:…` of a key, as `ssh-keygen -lf` prints it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

impl HostKeys {
    /// The user's known_hosts (from `home`) and Patchbay's list in `store_dir`.
    pub fn standard(home: Option<&Path>, store_dir: &Path) -> HostKeys {
        let own = store_dir.join("known_hosts");
        let mut files: Vec<PathBuf> = home
            .map(|h| h.join(".ssh/known_hosts"))
            .into_iter()
            .collect();
        files.push(own.clone());
        HostKeys {
            files,
            own: Some(own),
            accepted: None,
        }
    }

    pub fn judge(&self, host: &str, port: u16, key: &PublicKey) -> Judgement {
        let name = entry_name(host, port);
        for file in &self.files {
            let Ok(text) = std::fs::read_to_string(file) else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                let Some((recorded, matches)) = parse_line(line, &name) else {
                    continue;
                };
                if !matches || recorded.algorithm() != key.algorithm() {
                    continue;
                }
                if recorded.key_data() == key.key_data() {
                    return Judgement::Known;
                }
                return Judgement::Changed {
                    fingerprint: fingerprint(key),
                    recorded: fingerprint(&recorded),
                    file: file.clone(),
                    line: i + 1,
                };
            }
        }
        Judgement::Unknown {
            fingerprint: fingerprint(key),
        }
    }

    /// Records `key` for `host:port` in Patchbay's own list (created owner-only).
    pub fn remember(&self, host: &str, port: u16, key: &PublicKey) -> std::io::Result<()> {
        let Some(own) = &self.own else { return Ok(()) };
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(own)?;
        let line = key.to_openssh().map_err(std::io::Error::other)?;
        writeln!(f, "{} {}", entry_name(host, port), line.trim())
    }
}

/// `host`, or `[host]:port` for another port than 22 (as OpenSSH writes them).
fn entry_name(host: &str, port: u16) -> String {
    if port == 22 {
        host.to_string()
    } else {
        format!("[{host}]:{port}")
    }
}

/// A known_hosts line's key and whether its host patterns name `name`; markers (`@revoked`,
/// `@cert-authority`), comments and lines that do not parse are passed over.
fn parse_line(line: &str, name: &str) -> Option<(PublicKey, bool)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (hosts, _algo, data) = (parts.next()?, parts.next()?, parts.next()?);
    let key = russh::keys::parse_public_key_base64(data).ok()?;
    Some((key, hosts.split(',').any(|p| pattern_names(p, name))))
}

/// Whether one host pattern (plain, or hashed `|1|salt|hash`) is `name`. Negations and
/// wildcards (`!`, `*`, `?`) are not matched: they never vouch for a key here.
fn pattern_names(pattern: &str, name: &str) -> bool {
    if let Some(hashed) = pattern.strip_prefix("|1|") {
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut it = hashed.split('|');
        let (Some(Ok(salt)), Some(Ok(hash))) = (
            it.next().map(|s| b64.decode(s)),
            it.next().map(|s| b64.decode(s)),
        ) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(&salt) else {
            return false;
        };
        mac.update(name.as_bytes());
        return mac.verify_slice(&hash).is_ok();
    }
    pattern.eq_ignore_ascii_case(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIMduaxAT+eKzTud5s78PjUNY6h0GTSvgVS8zsbK0HFB7";
    const OTHER: &str = "AAAAC3NzaC1lZDI1NTE5AAAAIJtL8j47hDGUy6f5V5BmGO4sx9XbQDk7uuGLWmSurlF7";

    fn key(b64: &str) -> PublicKey {
        russh::keys::parse_public_key_base64(b64).unwrap()
    }

    #[test]
    fn a_plain_or_hashed_entry_vouches_for_its_key_and_only_for_its_host_and_port() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("known_hosts");
        // `ssh-keygen -H` hashes "[bastion]:2222" with this salt into this hash.
        std::fs::write(&file, format!("# comment\n@revoked * ssh-ed25519 {OTHER}\nnot a line\nbastion ssh-ed25519 {KEY}\n[bastion]:2222 ssh-ed25519 {OTHER}\n")).unwrap();
        let keys = HostKeys {
            files: vec![file.clone()],
            own: None,
            accepted: None,
        };
        assert_eq!(keys.judge("bastion", 22, &key(KEY)), Judgement::Known);
        assert_eq!(keys.judge("BASTION", 22, &key(KEY)), Judgement::Known);
        assert_eq!(keys.judge("bastion", 2222, &key(OTHER)), Judgement::Known);
        assert!(matches!(
            keys.judge("other", 22, &key(KEY)),
            Judgement::Unknown { .. }
        ));
        match keys.judge("bastion", 22, &key(OTHER)) {
            Judgement::Changed {
                fingerprint,
                recorded,
                line,
                ..
            } => {
                assert_eq!(
                    (fingerprint, recorded, line),
                    (
                        super::fingerprint(&key(OTHER)),
                        super::fingerprint(&key(KEY)),
                        4
                    )
                );
            }
            j => panic!("{j:?}"),
        }
    }

    #[test]
    fn a_hashed_entry_matches_by_hmac_of_the_host() {
        let salt = [7u8; 20];
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&salt).unwrap();
        mac.update(b"[10.0.0.5]:2222");
        let b64 = base64::engine::general_purpose::STANDARD;
        let pattern = format!(
            "|1|{}|{}",
            b64.encode(salt),
            b64.encode(mac.finalize().into_bytes())
        );
        assert!(pattern_names(&pattern, "[10.0.0.5]:2222"));
        assert!(!pattern_names(&pattern, "10.0.0.5"));
        assert!(!pattern_names("*", "bastion"));
    }

    #[test]
    fn an_accepted_key_is_remembered_in_patchbays_own_list() {
        let dir = tempfile::tempdir().unwrap();
        let keys = HostKeys::standard(None, dir.path());
        assert!(matches!(
            keys.judge("b", 2222, &key(KEY)),
            Judgement::Unknown { .. }
        ));
        keys.remember("b", 2222, &key(KEY)).unwrap();
        assert_eq!(keys.judge("b", 2222, &key(KEY)), Judgement::Known);
        let text = std::fs::read_to_string(dir.path().join("known_hosts")).unwrap();
        assert!(text.starts_with("[b]:2222 ssh-ed25519 AAAA"), "{text}");
    }
}
