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
//! the key-rotation durability test in crates/patchbay-core/tests/core/key_rotation.rs covers
//! that case. The writers' fixtures (drafts, key sources, the plan, the seed) are
//! `crash_fixtures.rs`.
//!
//! Half the kills come at a random moment, half as the process writes its answer (after its
//! commit, before its exit status): the test reports and asserts both kinds of outcome (killed
//! before its commit, killed after it), counting a process that exited 0 before the kill reached
//! it as acknowledged, and that nearly every kill came while the core was writing.
//!
//! Counts scale with PATCHBAY_CRASH_SCALE (default 1) for longer soak runs; the seed is printed
//! and PATCHBAY_CRASH_SEED replays one.

use std::collections::HashMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use patchbay_core::{Catalog, MasterKey};

use crate::crash_fixtures::*;

/// What the core's writer shows the CLI's side: whether it is inside a write right now, how
/// many it has finished, and when to stop (it writes until the CLI's side is done, so the two
/// overlap to the end).
#[derive(Default)]
struct CoreWriting {
    busy: AtomicBool,
    finished: AtomicU64,
    stop: AtomicBool,
}

/// The core's side: the app's catalog, opened once and kept open; at least `ops` writes, and on
/// until told to stop.
fn core_writer(
    dir: PathBuf,
    keys: Keys,
    ops: u64,
    seed: u64,
    live: Arc<CoreWriting>,
) -> (HashMap<String, u32>, u64, u64) {
    let mut cat = Catalog::open_in(&dir, keys.source()).unwrap();
    let mut rng = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut state: HashMap<String, u32> = HashMap::new();
    let (mut writes, mut rotations) = (0, 0);
    while writes + rotations < ops || !live.stop.load(Ordering::SeqCst) {
        live.busy.store(true, Ordering::SeqCst);
        let _done = Finished(&live);
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

/// Marks the end of one of the core's writes (also when it panics).
struct Finished<'a>(&'a CoreWriting);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.0.busy.store(false, Ordering::SeqCst);
        self.0.finished.fetch_add(1, Ordering::SeqCst);
    }
}

fn trial(keys: Keys, dir: &Path, plan: Plan) {
    drop(Catalog::open_in(dir, keys.source()).unwrap());
    let seed = seed();
    println!("seed {seed} (replay with PATCHBAY_CRASH_SEED={seed})");

    let live = Arc::new(CoreWriting::default());
    let core = {
        let (dir, keys, live) = (dir.to_path_buf(), keys.clone(), live.clone());
        std::thread::spawn(move || core_writer(dir, keys, plan.core_ops, seed, live))
    };

    let mut rng = Rng(seed);
    let mut state: HashMap<String, u32> = HashMap::new();
    let (mut tried, mut kills, mut acknowledged, mut rotations) = (0, 0, 0, 0);
    // Of the writes (not rotations) SIGKILL really ended: those whose effect is in the store
    // (committed, never acknowledged), and those that left no trace. A process that exited 0
    // before the kill reached it is acknowledged, and counted as that.
    let (mut landed, mut missed, mut finished_first) = (0, 0, 0);
    // Kills while the core was inside a write, or finished one during the killed process's life.
    let mut overlapping = 0;
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
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        keys.env(&mut cmd);
        let core_before = live.finished.load(Ordering::SeqCst);
        let mut child = cmd.spawn().unwrap();
        let input = stdin.unwrap_or_default();
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        tried += 1;
        let kill = rng.below(6);
        if kill < 2 {
            if kill == 0 {
                // At a random moment.
                let within = plan.kill_within.as_micros() as u64;
                std::thread::sleep(Duration::from_micros(rng.below(within)));
            } else {
                // As it answers: its write is committed, its exit status not yet given (a
                // window too short for a random moment to hit often).
                let _ = child.stdout.take().unwrap().read(&mut [0u8; 1]);
            }
            let core_busy = live.busy.load(Ordering::SeqCst);
            let _ = child.kill(); // SIGKILL
            let out = child.wait_with_output().unwrap();
            kills += 1;
            if core_busy || live.finished.load(Ordering::SeqCst) > core_before {
                overlapping += 1;
            }
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
            if out.status.success() {
                finished_first += 1;
                acknowledged += 1;
                rotations += u32::from(rotate);
            } else if !rotate && now == next && now != before {
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
    live.stop.store(true, Ordering::SeqCst);
    let (core_state, core_writes, core_rotations) =
        core.join().expect("the core writer never failed");
    let report = format!(
        "{core_writes} core writes and {core_rotations} core rotations; {tried} CLI processes: {acknowledged} acknowledged ({rotations} rotations, {finished_first} of them finished before their kill), {kills} kills ({overlapping} while the core was writing; of the writes SIGKILL ended, {landed} had committed and {missed} had not)"
    );
    println!("{report}");

    // The kills really landed while writes were under way: some writes made it, some did not.
    assert!(
        landed > 0 && missed > 0,
        "kills must land both before and after commits: {report}"
    );
    // And while the other writer was writing: nearly every kill overlapped a write of the core.
    assert!(
        overlapping * 10 >= kills * 9,
        "the two writers must overlap at the kills: {report}"
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
    println!("{total} connections at the end");
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
