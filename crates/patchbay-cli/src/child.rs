//! Running `exec`'s child the way a supervisor should: SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1
//! and SIGUSR2 sent to `patchbay` (by systemd, docker, `kill`) are forwarded to the child, which
//! decides what to do; `patchbay` waits for it, removes the private files it was given, and exits
//! with its status. A signal the terminal sent to the whole foreground process group (Ctrl-C,
//! Ctrl-\\) already reached the child and is not sent twice. The private files live in
//! `$XDG_RUNTIME_DIR` when there is one (a per-user tmpfs, gone at logout), else in the
//! temporary directory; those of a run that was killed outright (SIGKILL cannot be caught) are
//! removed by the next run.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use patchbay_core::{Error, Result};

/// The signals forwarded to the child.
const FORWARDED: [libc::c_int; 6] = [
    libc::SIGINT,
    libc::SIGTERM,
    libc::SIGHUP,
    libc::SIGQUIT,
    libc::SIGUSR1,
    libc::SIGUSR2,
];

/// The child's pid once it exists (0 before).
static CHILD: AtomicI32 = AtomicI32::new(0);
/// A signal that arrived before the child existed, to forward once it does.
static EARLY: AtomicI32 = AtomicI32::new(0);
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Installs the forwarding handlers (once per process).
fn install() -> Result<()> {
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    for sig in FORWARDED {
        // SAFETY: the action only loads atomics and calls kill(2), both async-signal-safe.
        unsafe {
            signal_hook_registry::register_sigaction(sig, move |info: &libc::siginfo_t| {
                // Sent by the terminal to the whole process group: the child has it already.
                if info.si_code == libc::SI_KERNEL {
                    return;
                }
                let pid = CHILD.load(Ordering::SeqCst);
                if pid > 0 {
                    libc::kill(pid, sig);
                } else {
                    EARLY.store(sig, Ordering::SeqCst);
                }
            })
        }
        .map_err(|e| Error::Io(format!("cannot handle signal {sig}: {e}")))?;
    }
    Ok(())
}

/// Spawns `cmd` and waits for it, forwarding signals meanwhile.
pub fn run(cmd: &mut Command, program: &str) -> Result<ExitStatus> {
    install()?;
    let mut child: Child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Err(spawn_error(program, e)),
    };
    CHILD.store(child.id() as i32, Ordering::SeqCst);
    let early = EARLY.swap(0, Ordering::SeqCst);
    if early != 0 {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(child.id() as i32, early) };
    }
    let status = child
        .wait()
        .map_err(|e| Error::Io(format!("could not wait for {program}: {e}")));
    CHILD.store(0, Ordering::SeqCst);
    status
}

fn spawn_error(program: &str, e: std::io::Error) -> Error {
    Error::Io(format!("could not run {program}: {e}"))
}

/// The exit code a shell gives when `program` could not be started: 127 when it was not
/// found, 126 when it is not executable (as `env`, `sudo` and shells do); None otherwise.
pub fn not_started_code(e: &Error) -> Option<u8> {
    let Error::Io(message) = e else { return None };
    if !message.starts_with("could not run ") {
        return None;
    }
    if message.contains("No such file or directory") {
        Some(127)
    } else if message.contains("Permission denied") {
        Some(126)
    } else {
        None
    }
}

/// The exit code that reports `status` as a shell would (128 + signal when it was killed).
pub fn exit_code(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    match status.signal() {
        Some(sig) => 128 + sig,
        None => status.code().unwrap_or(1),
    }
}

/// The prefix of `exec`'s private directories in the temporary directory.
const PREFIX: &str = "patchbay-exec-";

/// How old a leftover directory must be before another run removes it.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// A new owner-only directory for the child's PEM files, named after this process, so that a
/// later run can tell whether its owner is still alive.
pub fn private_temp_dir() -> Result<PathBuf> {
    let dir = private_base().join(format!(
        "{PREFIX}{}-{}",
        std::process::id(),
        patchbay_core::vault::random_uid()?
    ));
    patchbay_core::paths::ensure_private_dir(&dir)?;
    Ok(dir)
}

/// Removes the directories of earlier runs that were killed outright: ours (same owner),
/// older than a minute, and whose process is gone. A run still going keeps its files.
pub fn remove_stale_temp_dirs() {
    let tmp = std::env::temp_dir();
    let base = private_base();
    remove_stale_in(&base);
    if base != tmp {
        remove_stale_in(&tmp);
    }
}

/// `$XDG_RUNTIME_DIR` when it is set and is what it should be (absolute, a directory of ours
/// that only we can enter), else the temporary directory.
fn private_base() -> PathBuf {
    use std::os::unix::fs::MetadataExt as _;
    let runtime = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from);
    // SAFETY: getuid(2) cannot fail.
    let me = unsafe { libc::getuid() };
    match runtime {
        Some(dir)
            if dir.is_absolute()
                && std::fs::metadata(&dir)
                    .is_ok_and(|m| m.is_dir() && m.uid() == me && m.mode() & 0o077 == 0) =>
        {
            dir
        }
        _ => std::env::temp_dir(),
    }
}

fn remove_stale_in(tmp: &Path) {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    // SAFETY: getuid(2) cannot fail.
    let me = unsafe { libc::getuid() };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(PREFIX)) else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if !meta.is_dir() || meta.uid() != me || meta.mode() & 0o077 != 0 || !old {
            continue;
        }
        let owner_alive = rest
            .split('-')
            .next()
            .and_then(|p| p.parse::<i32>().ok())
            // SAFETY: signal 0 only asks whether the process exists.
            .is_some_and(|pid| pid > 0 && unsafe { libc::kill(pid, 0) } == 0);
        if !owner_alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Opens `url` in the person's browser (`$BROWSER`, else xdg-open), quietly doing nothing when
/// there is none: the URL was printed.
pub fn open_browser(url: &str) {
    let browser = std::env::var("BROWSER").unwrap_or_else(|_| "xdg-open".into());
    let _ = std::process::Command::new(browser)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
