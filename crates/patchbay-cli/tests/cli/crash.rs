//! Crash safety and two writers: the CLI (separate processes, a third of them killed with SIGKILL
//! at a random moment) and the core (this process, as the app would use it, with its catalog
//! left open throughout) write to the same store at the same time: creates, edits, deletes and,
//! with a key file, key rotations from both sides. Afterwards SQLite's integrity check passes,
//! every acknowledged write is there, every secret decrypts with the key where the user keeps
//! it, a killed write happened whole or not at all (edits change the host and port together with
//! the password, and the three must agree; the core also writes Azure connections whose account
//! key and container change together), a process that exited 0 left its write in place, no
//! process failed for any reason but our SIGKILL, no writer ever saw "database is locked", no
//! foreign key dangles, and the store holds exactly the encrypted values its connections own.
//!
//! This covers process crashes (SIGKILL at any moment): what the OS had been handed survives.
//! It does not cover a lost commit (power loss after `synchronous=NORMAL` acknowledged a write);
//! the key-rotation durability test in crates/patchbay-core/tests/core/vault.rs covers that case.
//!
//! Counts scale with PATCHBAY_CRASH_SCALE (default 1) for longer soak runs; the seed is printed
//! and PATCHBAY_CRASH_SEED replays one.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource, MasterKey};

/// A small deterministic generator (xorshift64*), seeded and printed for reproduction.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The host a version of a connection points at: edits move it between two hosts.
fn host(v: u32) -> &'static str {
    if v.is_multiple_of(2) {
        "127.0.0.1"
    } else {
        "db.internal"
    }
}

/// The port a version of a connection points at: every edit changes it.
fn port(v: u32) -> u32 {
    10_000 + v % 50_000
}

/// Version `v` of connection `name`: its password, host and port all say `v`.
fn pg(name: &str, v: u32) -> ConnectionDraft {
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
        }),
    )
    .with_secret(SecretField::Password, pw)
}

/// Azure connections among the core's names (`core-30`…`core-39`): version `v` has an account
/// key and a container that both say `v`, so a torn write shows as for the database ones.
fn is_azure(name: &str) -> bool {
    name.strip_prefix("core-")
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n >= 30)
}

fn azure_key(name: &str, v: u32) -> String {
    use base64::Engine as _;
    let mut raw = format!("{name}-v{v}").into_bytes();
    raw.resize(64, b'.');
    base64::engine::general_purpose::STANDARD.encode(raw)
}

/// Version `v` of connection `name`, of the kind its name says.
fn draft(name: &str, v: u32) -> ConnectionDraft {
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

fn kind_of(name: &str) -> Kind {
    if is_azure(name) {
        Kind::Azure
    } else {
        Kind::Database
    }
}

/// The password a name holds at a version.
fn pw(name: &str, v: u32) -> String {
    format!("{name}-v{v}")
}

/// What is actually stored for `name`: its version, or None. Panics when the password, host and
/// port are of different versions (a torn write).
fn stored(cat: &Catalog, name: &str) -> Option<u32> {
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
enum Keys {
    /// PATCHBAY_MASTER_KEY: fast to open, so many writes; no rotation (the variable cannot change).
    Given(MasterKey),
    /// PATCHBAY_KEY_FILE: scrypt on every open (slower), and rotations from both sides.
    File(PathBuf),
}

impl Keys {
    fn source(&self) -> KeySource {
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
    fn env(&self, cmd: &mut Command) {
        match self {
            Keys::Given(key) => cmd.env("PATCHBAY_MASTER_KEY", key.expose()),
            Keys::File(path) => cmd
                .env("PATCHBAY_KEY_FILE", path)
                .env("PATCHBAY_PASSPHRASE", "crash test passphrase"),
        };
    }
    fn rotates(&self) -> bool {
        matches!(self, Keys::File(_))
    }
}

struct Plan {
    core_ops: u64,
    cli_ops: u64,
    /// The longest a killed CLI process runs before SIGKILL.
    kill_within: Duration,
}

fn scale() -> u64 {
    std::env::var("PATCHBAY_CRASH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

fn seed() -> u64 {
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

/// The core's side: the app's catalog, opened once and kept open.
fn core_writer(dir: PathBuf, keys: Keys, ops: u64, seed: u64) -> (HashMap<String, u32>, u64, u64) {
    let mut cat = Catalog::open_in(&dir, keys.source()).unwrap();
    let mut rng = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut state: HashMap<String, u32> = HashMap::new();
    let (mut writes, mut rotations) = (0, 0);
    for _ in 0..ops {
        if keys.rotates() && rng.below(20) == 0 {
            cat.rotate_key(None)
                .unwrap_or_else(|e| panic!("the core's rotation failed: {e}"));
            rotations += 1;
            continue;
        }
        let name = format!("core-{}", rng.below(40));
        let r = match state.get(&name).copied() {
            None => cat.create(draft(&name, 0)).map(|_| Some(0)),
            Some(_) if rng.below(4) == 0 => cat.remove(Some(kind_of(&name)), &name).map(|_| None),
            Some(v) => cat
                .update(Some(kind_of(&name)), &name, draft(&name, v + 1))
                .map(|_| Some(v + 1)),
        };
        match r.unwrap_or_else(|e| panic!("the core's write failed: {e}")) {
            Some(v) => state.insert(name, v),
            None => state.remove(&name),
        };
        writes += 1;
    }
    (state, writes, rotations)
}

fn trial(keys: Keys, dir: &Path, plan: Plan) {
    drop(Catalog::open_in(dir, keys.source()).unwrap());
    let seed = seed();
    println!("seed {seed} (replay with PATCHBAY_CRASH_SEED={seed})");

    let core = {
        let (dir, keys) = (dir.to_path_buf(), keys.clone());
        std::thread::spawn(move || core_writer(dir, keys, plan.core_ops, seed))
    };

    let mut rng = Rng(seed);
    let mut state: HashMap<String, u32> = HashMap::new();
    let (mut tried, mut kills, mut acknowledged, mut rotations) = (0, 0, 0, 0);
    // Killed writes (not rotations) whose effect is in the store, and those that left no trace.
    let (mut landed, mut missed) = (0, 0);
    for _ in 0..plan.cli_ops {
        let name = format!("cli-{}", rng.below(30));
        let rotate = keys.rotates() && rng.below(6) == 0;
        let (args, next, stdin): (Vec<String>, Option<u32>, Option<String>) = if rotate {
            (vec!["rotate-key".into()], state.get(&name).copied(), None)
        } else {
            match state.get(&name).copied() {
                None => (
                    [
                        "add",
                        "postgres",
                        &name,
                        "--host",
                        host(0),
                        "--port",
                        &port(0).to_string(),
                        "--database",
                        "app",
                        "--user",
                        "app",
                        "--password-stdin",
                    ]
                    .map(String::from)
                    .to_vec(),
                    Some(0),
                    Some(pw(&name, 0)),
                ),
                Some(_) if rng.below(4) == 0 => (vec!["remove".into(), name.clone()], None, None),
                Some(v) => (
                    [
                        "edit",
                        &name,
                        "--host",
                        host(v + 1),
                        "--port",
                        &port(v + 1).to_string(),
                        "--password-stdin",
                    ]
                    .map(String::from)
                    .to_vec(),
                    Some(v + 1),
                    Some(pw(&name, v + 1)),
                ),
            }
        };
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_patchbay"));
        cmd.args(&args)
            .env("PATCHBAY_DATA_DIR", dir)
            .env_remove("PATCHBAY_MASTER_KEY")
            .env_remove("PATCHBAY_KEY_FILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        keys.env(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let input = stdin.unwrap_or_default();
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        tried += 1;
        if rng.below(3) == 0 {
            let within = plan.kill_within.as_micros() as u64;
            std::thread::sleep(Duration::from_micros(rng.below(within)));
            let _ = child.kill(); // SIGKILL
            let out = child.wait_with_output().unwrap();
            kills += 1;
            let err = String::from_utf8_lossy(&out.stderr);
            // Either our SIGKILL ended it, or it finished first and must have succeeded.
            let killed = std::os::unix::process::ExitStatusExt::signal(&out.status) == Some(9);
            assert!(
                killed || out.status.success(),
                "{args:?} failed on its own before the kill: {:?} {err}",
                out.status
            );
            assert!(!err.contains("locked"), "a writer saw a lock: {err}");
            // The write happened whole or not at all: settle what is really there.
            let cat = Catalog::open_in(dir, keys.source()).unwrap();
            let now = stored(&cat, &name);
            let before = state.get(&name).copied();
            assert!(
                now == before || now == next,
                "{name}: after a kill it holds {now:?}, expected {before:?} or {next:?}"
            );
            if out.status.success() {
                assert_eq!(
                    now, next,
                    "{args:?} exited 0 but its write to {name} is not in the store"
                );
            }
            if !rotate && now == next && now != before {
                landed += 1;
            } else if !rotate {
                missed += 1;
            }
            match now {
                Some(v) => state.insert(name, v),
                None => state.remove(&name),
            };
        } else {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{args:?} failed: {err}");
            assert!(!err.contains("locked"), "a writer saw a lock: {err}");
            acknowledged += 1;
            if rotate {
                rotations += 1;
            }
            match next {
                Some(v) => state.insert(name, v),
                None => state.remove(&name),
            };
        }
    }
    let (core_state, core_writes, core_rotations) =
        core.join().expect("the core writer never failed");

    // The kills really landed while writes were under way: some writes made it, some did not.
    assert!(
        landed > 0 && missed > 0,
        "kills must land both before and after commits: {landed} killed writes landed, {missed} did not"
    );

    let cat = Catalog::open_in(dir, keys.source()).unwrap();
    assert_eq!(cat.integrity_check().unwrap(), "ok");
    let raw = rusqlite::Connection::open(cat.path()).unwrap();
    let dangling: Vec<String> = raw
        .prepare("PRAGMA foreign_key_check")
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(dangling.is_empty(), "foreign keys dangle in {dangling:?}");
    for c in cat.list(None).unwrap() {
        let expected = if c.name.starts_with("core-") {
            core_state.get(&c.name)
        } else {
            state.get(&c.name)
        };
        assert_eq!(
            stored(&cat, &c.name).as_ref(),
            expected,
            "{} does not hold its last acknowledged write",
            c.name
        );
    }
    let total = cat.list(None).unwrap().len();
    assert_eq!(
        total,
        core_state.len() + state.len(),
        "every acknowledged connection exists and nothing else does"
    );
    // Each connection owns exactly one secret (a password or an account key): no orphaned or
    // missing values.
    assert_eq!(
        cat.encrypted_values().unwrap(),
        total as u64,
        "the store holds exactly the encrypted values its connections own"
    );
    println!(
        "{core_writes} core writes and {core_rotations} core rotations; {tried} CLI processes: {acknowledged} acknowledged ({rotations} rotations), {kills} killed with SIGKILL ({landed} killed writes had landed, {missed} had not); {total} connections at the end"
    );
}

#[test]
fn two_writers_and_random_kills_lose_nothing_acknowledged_and_corrupt_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let n = scale();
    trial(
        Keys::Given(MasterKey::generate().unwrap()),
        dir.path(),
        Plan {
            core_ops: 2400 * n,
            cli_ops: 900 * n,
            kill_within: Duration::from_millis(15),
        },
    );
}

#[test]
fn key_rotations_from_both_sides_under_random_kills_leave_every_secret_readable() {
    let dir = tempfile::tempdir().unwrap();
    let n = scale();
    trial(
        Keys::File(dir.path().join("master.key")),
        &dir.path().join("store"),
        Plan {
            core_ops: 300 * n,
            cli_ops: 150 * n,
            // Opening a key file runs scrypt (~0.1 s): kills land before, during and after it.
            kill_within: Duration::from_millis(250),
        },
    );
}
