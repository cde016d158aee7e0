//! The crash test's fixtures: a seeded generator, the connections both writers save (each
//! version's fields and secrets derived from one number, so a read-back can tell whether a
//! write landed whole), where each side finds the master key, and the plan of a trial.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource, MasterKey};

/// A small deterministic generator (xorshift64*), seeded and printed for reproduction.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The host a version of a connection points at: edits move it between two hosts.
pub(crate) fn host(v: u32) -> &'static str {
    if v.is_multiple_of(2) {
        "127.0.0.1"
    } else {
        "db.internal"
    }
}

/// The port a version of a connection points at: every edit changes it.
pub(crate) fn port(v: u32) -> u32 {
    10_000 + v % 50_000
}

/// Version `v` of connection `name`: its password, host and port all say `v`.
pub(crate) fn pg(name: &str, v: u32) -> ConnectionDraft {
    let pw = pw(name, v);
    ConnectionDraft::new(
        name,
        Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: host(v).into(),
            port: port(v),
            database: "app".into(),
            username: "app".into(),
            ssl_mode: SslMode::Prefer,
            ca_cert: None,
            ssh: None,
        }),
    )
    .with_secret(SecretField::Password, pw)
}

/// Azure connections among the core's names (`core-30`…`core-39`): version `v` has an account
/// key and a container that both say `v`, so a torn write shows as for the database ones.
pub(crate) fn is_azure(name: &str) -> bool {
    name.strip_prefix("core-")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n >= 30)
}

pub(crate) fn azure_key(name: &str, v: u32) -> String {
    use base64::Engine as _;
    let mut raw = format!("{name}-v{v}").into_bytes();
    raw.resize(64, b'.');
    base64::engine::general_purpose::STANDARD.encode(raw)
}

/// Version `v` of connection `name`, of the kind its name says.
pub(crate) fn draft(name: &str, v: u32) -> ConnectionDraft {
    if !is_azure(name) {
        return pg(name, v);
    }
    ConnectionDraft::new(
        name,
        Spec::Azure(AzureSpec {
            account: "crashstore".into(),
            auth: AzureAuth::AccountKey,
            container: Some(format!("ver{v}")),
            endpoint_url: None,
            allow_http: false,
            ca_cert: None,
            tenant_id: None,
            client_id: None,
            authority_host: None,
            sas_expires: None,
        }),
    )
    .with_secret(SecretField::AccountKey, azure_key(name, v))
}

pub(crate) fn kind_of(name: &str) -> Kind {
    if is_azure(name) {
        Kind::Azure
    } else {
        Kind::Database
    }
}

/// The password a name holds at a version.
pub(crate) fn pw(name: &str, v: u32) -> String {
    format!("{name}-v{v}")
}

/// What is actually stored for `name`: its version, or None. Panics when the password, host and
/// port are of different versions (a torn write).
pub(crate) fn stored(cat: &Catalog, name: &str) -> Option<u32> {
    if is_azure(name) {
        return match cat.resolve(Some(Kind::Azure), name) {
            Ok(r) => {
                let key = r
                    .secret(SecretField::AccountKey)
                    .expect("its key")
                    .expose()
                    .to_string();
                let Spec::Azure(a) = &r.connection.spec else {
                    panic!("{name} changed kind")
                };
                let v: u32 = a
                    .container
                    .as_deref()
                    .unwrap()
                    .strip_prefix("ver")
                    .unwrap()
                    .parse()
                    .unwrap();
                assert_eq!(
                    key,
                    azure_key(name, v),
                    "{name}: its key is not of its container's version (v{v}): a torn write"
                );
                Some(v)
            }
            Err(e) if e.code() == "not_found" => None,
            Err(e) => panic!("{name} cannot be read: {e}"),
        };
    }
    match cat.resolve(Some(Kind::Database), name) {
        Ok(r) => {
            let p = r
                .secret(SecretField::Password)
                .expect("no connection without its password")
                .expose()
                .to_string();
            let v = p
                .strip_prefix(&format!("{name}-v"))
                .unwrap_or_else(|| panic!("{name} holds a foreign password"));
            let v: u32 = v.parse().unwrap();
            let Spec::Database(d) = &r.connection.spec else {
                panic!("{name} changed kind")
            };
            assert_eq!(
                (d.host.as_str(), d.port),
                (host(v), port(v)),
                "{name}: its endpoint is not of the version its password is (v{v}): a torn write"
            );
            Some(v)
        }
        Err(e) if e.code() == "not_found" => None,
        Err(e) => panic!("{name} cannot be read: {e}"),
    }
}

/// Where both sides find the master key.
#[derive(Clone)]
pub(crate) enum Keys {
    /// PATCHBAY_MASTER_KEY: fast to open, so many writes; no rotation (the variable cannot change).
    Given(MasterKey),
    /// PATCHBAY_KEY_FILE: scrypt on every open (slower), and rotations from both sides.
    File(PathBuf),
}

impl Keys {
    pub(crate) fn source(&self) -> KeySource {
        match self {
            Keys::Given(key) => KeySource::Given {
                key: key.clone(),
                origin: "test".into(),
            },
            Keys::File(path) => KeySource::KeyFile {
                path: path.clone(),
                passphrase: Some("crash test passphrase".into()),
            },
        }
    }
    pub(crate) fn env(&self, cmd: &mut Command) {
        match self {
            Keys::Given(key) => cmd.env("PATCHBAY_MASTER_KEY", key.expose()),
            Keys::File(path) => cmd
                .env("PATCHBAY_KEY_FILE", path)
                .env("PATCHBAY_PASSPHRASE", "crash test passphrase"),
        };
    }
    pub(crate) fn rotates(&self) -> bool {
        matches!(self, Keys::File(_))
    }
}

pub(crate) struct Plan {
    pub(crate) core_ops: u64,
    pub(crate) cli_ops: u64,
    /// The longest a killed CLI process runs before SIGKILL.
    pub(crate) kill_within: Duration,
}

pub(crate) fn scale() -> u64 {
    std::env::var("PATCHBAY_CRASH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

pub(crate) fn seed() -> u64 {
    std::env::var("PATCHBAY_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        })
}
