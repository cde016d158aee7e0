//! Crash safety and two writers: the CLI (a separate process, killed with SIGKILL at random
//! moments) and the core (this process, as the app would use it) write to the same store at the
//! same time. Afterwards SQLite's integrity check passes, every acknowledged write is there, every
//! secret decrypts, a killed write either happened whole or not at all, and no writer ever saw
//! "database is locked".

use std::collections::HashMap;
use std::io::Write as _;
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

fn pg(name: &str, pw: &str) -> ConnectionDraft {
    ConnectionDraft::new(
        name,
        Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: "127.0.0.1".into(),
            port: 5432,
            database: "app".into(),
            username: "app".into(),
            ssl_mode: SslMode::Prefer,
            ca_cert: None,
        }),
    )
    .with_secret(SecretField::Password, pw)
}

/// The password a name holds at a version.
fn pw(name: &str, v: u32) -> String {
    format!("{name}-v{v}")
}

/// What is actually stored for `name`: its password version, or None.
fn stored(cat: &Catalog, name: &str) -> Option<u32> {
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
            Some(v.parse().unwrap())
        }
        Err(e) if e.code() == "not_found" => None,
        Err(e) => panic!("{name} cannot be read: {e}"),
    }
}

#[test]
fn two_writers_and_random_kills_lose_nothing_acknowledged_and_corrupt_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().unwrap();
    let source = || KeySource::Given {
        key: key.clone(),
        origin: "test".into(),
    };
    drop(Catalog::open_in(dir.path(), source()).unwrap());
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    println!("seed {seed}");

    // The core writer: the app's side, in this process, on its own thread.
    let core_dir = dir.path().to_path_buf();
    let core_key = key.clone();
    let core = std::thread::spawn(move || {
        let mut cat = Catalog::open_in(
            &core_dir,
            KeySource::Given {
                key: core_key,
                origin: "test".into(),
            },
        )
        .unwrap();
        let mut rng = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
        let mut state: HashMap<String, u32> = HashMap::new();
        let mut writes = 0;
        for _ in 0..1500 {
            let name = format!("core-{}", rng.below(40));
            let r = match state.get(&name).copied() {
                None => cat.create(pg(&name, &pw(&name, 0))).map(|_| Some(0)),
                Some(_) if rng.below(4) == 0 => {
                    cat.remove(Some(Kind::Database), &name).map(|_| None)
                }
                Some(v) => cat
                    .update(Some(Kind::Database), &name, pg(&name, &pw(&name, v + 1)))
                    .map(|_| Some(v + 1)),
            };
            match r.unwrap_or_else(|e| panic!("the core's write failed: {e}")) {
                Some(v) => state.insert(name, v),
                None => state.remove(&name),
            };
            writes += 1;
        }
        (state, writes)
    });

    // The CLI writer: separate processes, a third of them killed at a random moment.
    let mut rng = Rng(seed);
    let mut state: HashMap<String, u32> = HashMap::new();
    let (mut kills, mut acknowledged, mut settled_applied) = (0, 0, 0);
    for _ in 0..450 {
        let name = format!("cli-{}", rng.below(30));
        let (args, next, stdin): (Vec<String>, Option<u32>, Option<String>) =
            match state.get(&name).copied() {
                None => (
                    [
                        "add",
                        "postgres",
                        &name,
                        "--host",
                        "127.0.0.1",
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
                    ["edit", &name, "--password-stdin"]
                        .map(String::from)
                        .to_vec(),
                    Some(v + 1),
                    Some(pw(&name, v + 1)),
                ),
            };
        let mut child = Command::new(env!("CARGO_BIN_EXE_patchbay"))
            .args(&args)
            .env("PATCHBAY_DATA_DIR", dir.path())
            .env("PATCHBAY_MASTER_KEY", key.expose())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(input) = stdin {
            let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        }
        if rng.below(3) == 0 {
            std::thread::sleep(Duration::from_micros(rng.below(40_000)));
            let _ = child.kill(); // SIGKILL
            let out = child.wait_with_output().unwrap();
            kills += 1;
            // The write happened whole or not at all: settle what is really there.
            let cat = Catalog::open_in(dir.path(), source()).unwrap();
            let now = stored(&cat, &name);
            let before = state.get(&name).copied();
            assert!(
                now == before || now == next,
                "{name}: after a kill it holds {now:?}, expected {before:?} or {next:?}"
            );
            if out.status.success() || now == next {
                settled_applied += 1;
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
            match next {
                Some(v) => state.insert(name, v),
                None => state.remove(&name),
            };
        }
    }
    let (core_state, core_writes) = core.join().expect("the core writer never failed");

    let cat = Catalog::open_in(dir.path(), source()).unwrap();
    assert_eq!(cat.integrity_check().unwrap(), "ok");
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
    println!(
        "{} core writes, {acknowledged} acknowledged CLI writes, {kills} CLI processes killed ({settled_applied} of whose writes had landed), {total} connections at the end",
        core_writes
    );
}
