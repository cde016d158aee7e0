//! What `patchbay` does to keep secrets from lingering, seen from outside as a user would:
//! `exec` under SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 (systemd stop, docker stop,
//! kill) forwards the signal, waits for its child, removes the private files it wrote (in
//! `$XDG_RUNTIME_DIR` when there is one) and exits with the child's status; a run killed
//! outright leaves a directory that the next run removes; and everything the CLI
//! creates is owner-only whatever the user's umask, while `exec`'s child gets the user's umask.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{text, Env};

/// A CA certificate made by openssl (what `--ca-cert` takes), in `dir`.
fn ca_cert(dir: &Path) -> PathBuf {
    let (cert, key) = (dir.join("ca.crt"), dir.join("ca.key"));
    let o = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=exec-signal-test", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(o.status.success(), "openssl: {}", text(&o));
    cert
}

/// A store with a PostgreSQL connection whose CA certificate `exec` writes to a private file.
fn store_with_ca() -> Env {
    let e = Env::new();
    let ca = ca_cert(e.dir.path());
    e.ok(
        &[
            "add",
            "postgres",
            "pg",
            "--host",
            "127.0.0.1",
            "--user",
            "app",
            "--ssl-mode",
            "verify-full",
            "--ca-cert",
            ca.to_str().unwrap(),
            "--password-stdin",
        ],
        "exec-signal-pw",
    );
    e
}

fn wait_for(path: &Path) -> String {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        if let Ok(s) = std::fs::read_to_string(path) {
            if s.ends_with('\n') {
                return s;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{} never appeared", path.display());
}

/// `exec pg` running a shell that reports the signals it gets into `out`, and writes its pid and
/// the CA file it was given into `ready` once it runs.
fn start_child(e: &Env, tmp: &Path) -> (Child, PathBuf, PathBuf) {
    let (ready, out) = (tmp.join("ready"), tmp.join("out"));
    let script = format!(
        "for s in INT TERM HUP QUIT USR1 USR2; do trap \"echo $s > {out}; exit 7\" $s; done; \
         echo \"$$ $PGSSLROOTCERT\" > {ready}; while :; do sleep 0.05; done",
        out = out.display(),
        ready = ready.display()
    );
    let child = e
        .cmd(["exec", "pg", "--", "sh", "-c", &script])
        .env("TMPDIR", tmp)
        .env_remove("XDG_RUNTIME_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (child, ready, out)
}

fn send(pid: u32, signal: &str) {
    let s = Command::new("kill")
        .args(["-s", signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(s.success());
}

/// Waits (at most 10 s) for `patchbay` to exit; on a timeout, ends both it and the shell and
/// fails.
fn exit_within(mut child: Child, sh_pid: &str) -> std::process::ExitStatus {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(10) {
        if let Some(status) = child.try_wait().unwrap() {
            if alive(sh_pid) {
                send(sh_pid.parse().unwrap(), "KILL");
                panic!("patchbay exited ({status:?}) and left its child running");
            }
            return status;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    send(sh_pid.parse().unwrap(), "KILL");
    panic!("patchbay did not exit within 10 s of the signal");
}

fn alive(pid: &str) -> bool {
    // A zombie is not alive: its /proc entry says so.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|s| !s.split(") ").nth(1).unwrap_or("").starts_with('Z'))
}

#[test]
fn exec_forwards_int_term_hup_quit_and_usr_signals_to_its_child_cleans_up_and_exits_with_its_status(
) {
    let e = store_with_ca();
    for signal in ["INT", "TERM", "HUP", "QUIT", "USR1", "USR2"] {
        let tmp = tempfile::tempdir().unwrap();
        let (child, ready, out) = start_child(&e, tmp.path());
        let said = wait_for(&ready);
        let (sh_pid, ca_file) = said.trim().split_once(' ').unwrap();
        assert!(
            Path::new(ca_file).exists(),
            "the child was given its CA file"
        );
        send(child.id(), signal);
        let status = exit_within(child, sh_pid);
        assert_eq!(
            status.code(),
            Some(7),
            "SIG{signal}: patchbay exits with the child's status ({status:?})"
        );
        assert_eq!(
            std::fs::read_to_string(&out).unwrap().trim(),
            signal,
            "the child got SIG{signal}"
        );
        assert!(!alive(sh_pid), "SIG{signal}: the child is not left running");
        assert!(
            !Path::new(ca_file).parent().unwrap().exists(),
            "SIG{signal}: the private directory with the CA file was removed"
        );
    }
}

#[test]
fn a_private_directory_left_by_a_killed_run_is_removed_by_the_next_run() {
    let e = store_with_ca();
    let tmp = tempfile::tempdir().unwrap();
    let (mut child, ready, _) = start_child(&e, tmp.path());
    let said = wait_for(&ready);
    let (sh_pid, ca_file) = said.trim().split_once(' ').unwrap();
    let left = Path::new(ca_file).parent().unwrap().to_path_buf();
    child.kill().unwrap(); // SIGKILL: nothing can be cleaned up
    child.wait().unwrap();
    send(sh_pid.parse().unwrap(), "KILL");
    assert!(left.exists(), "a SIGKILLed run leaves its directory");

    // A second run while the leftover is young keeps it (its owner might be starting up);
    // once it is over a minute old and its process is gone, the next run removes it.
    let run = || {
        let o = e
            .cmd(["exec", "pg", "--", "true"])
            .env("TMPDIR", tmp.path())
            .env_remove("XDG_RUNTIME_DIR")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
    };
    run();
    assert!(left.exists(), "a young leftover is kept");
    let aged = Command::new("touch")
        .args(["-d", "2 minutes ago"])
        .arg(&left)
        .status()
        .unwrap();
    assert!(aged.success());
    run();
    assert!(
        !left.exists(),
        "the next run removed the leftover directory"
    );
}

#[test]
fn execs_private_files_go_to_the_users_runtime_directory_when_there_is_one() {
    let e = store_with_ca();
    use std::os::unix::fs::PermissionsExt as _;
    let (tmp, runtime) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    // As logind makes it: owner-only.
    std::fs::set_permissions(runtime.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let o = e
        .cmd(["exec", "pg", "--", "sh", "-c", "echo \"$PGSSLROOTCERT\""])
        .env("TMPDIR", tmp.path())
        .env("XDG_RUNTIME_DIR", runtime.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let ca_file = PathBuf::from(String::from_utf8(o.stdout).unwrap().trim());
    assert_eq!(
        ca_file.parent().unwrap().parent().unwrap(),
        runtime.path(),
        "{}",
        ca_file.display()
    );
    assert!(!ca_file.exists(), "removed when the child exited");
    // A runtime directory others can enter is not used.
    std::fs::set_permissions(runtime.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = e
        .cmd(["exec", "pg", "--", "sh", "-c", "echo \"$PGSSLROOTCERT\""])
        .env("TMPDIR", tmp.path())
        .env("XDG_RUNTIME_DIR", runtime.path())
        .output()
        .unwrap();
    let ca_file = PathBuf::from(String::from_utf8(o.stdout).unwrap().trim());
    assert_eq!(ca_file.parent().unwrap().parent().unwrap(), tmp.path());
}

#[test]
fn everything_the_cli_creates_is_owner_only_whatever_the_umask_and_exec_gives_the_child_the_users_umask(
) {
    use std::os::unix::fs::PermissionsExt as _;
    let e = Env::new();
    let top = e.dir.path().join("a");
    let store = top.join("b").join("c");
    // The user's umask lets everyone read and write.
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg("umask 000; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_patchbay"))
        .args(["--data-dir", store.to_str().unwrap()])
        .args(crate::common::ADD_PG)
        .env("PATCHBAY_MASTER_KEY", &e.key)
        .env_remove("PATCHBAY_KEY_FILE");
    let out = crate::common::feed(&mut sh, b"umask-pw");
    assert!(out.status.success(), "{}", text(&out));
    for dir in [&top, &top.join("b"), &store] {
        let mode = std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{} is {mode:o}", dir.display());
    }
    for f in std::fs::read_dir(&store).unwrap() {
        let f = f.unwrap().path();
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "{} is {mode:o}", f.display());
    }

    // exec's child: the user's umask and core limit, while patchbay itself writes no core.
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg("umask 002; ulimit -c unlimited; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_patchbay"))
        .args(["--data-dir", store.to_str().unwrap()])
        .args(["exec", "pg", "--", "sh", "-c"])
        .arg("umask; ulimit -c; grep 'Max core' /proc/$PPID/limits")
        .env("PATCHBAY_MASTER_KEY", &e.key);
    let out = sh.output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines[0], "0002", "the child has the user's umask: {said}");
    assert_eq!(
        lines[1], "unlimited",
        "the child has the user's core limit: {said}"
    );
    assert!(
        lines[2].split_whitespace().nth(4) == Some("0"),
        "patchbay itself writes no core dump: {said}"
    );
}
