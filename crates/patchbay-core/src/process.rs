//! Hardening of a process that holds secrets, applied first thing by the CLI and the app:
//! everything it creates is owner-only (`umask 077`), and it writes no core dump and cannot be
//! attached to by other processes of the same user (`PR_SET_DUMPABLE 0`, `RLIMIT_CORE 0`).
//! A program that Patchbay starts on the user's behalf (`exec`'s command) gets the user's own
//! umask and core-dump limit back ([`restore_for_child`]).

use std::sync::OnceLock;

/// The umask and core-file limit the process started with.
#[derive(Clone, Copy)]
struct Original {
    umask: libc::mode_t,
    core: libc::rlimit,
}

static ORIGINAL: OnceLock<Original> = OnceLock::new();

/// Applies the hardening (once). Call at the start of `main`.
pub fn harden() {
    ORIGINAL.get_or_init(|| {
        // SAFETY: plain system calls on this process with valid arguments.
        unsafe {
            let umask = libc::umask(0o077);
            let mut core = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::getrlimit(libc::RLIMIT_CORE, &mut core);
            let none = libc::rlimit {
                rlim_cur: 0,
                rlim_max: core.rlim_max,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &none);
            #[cfg(target_os = "linux")]
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
            Original { umask, core }
        }
    });
}

/// Gives a child the umask and core-dump limit the user had. Meant for
/// `CommandExt::pre_exec`: it only makes async-signal-safe system calls.
pub fn restore_for_child() -> std::io::Result<()> {
    if let Some(o) = ORIGINAL.get() {
        // SAFETY: umask(2) and setrlimit(2) are async-signal-safe; the values are the process's
        // own from start-up.
        unsafe {
            libc::umask(o.umask);
            libc::setrlimit(libc::RLIMIT_CORE, &o.core);
        }
    }
    Ok(())
}

/// One of Patchbay's own programs (`patchbay`, `patchbay-desktop`, `patchbay-tray`): beside this
/// one, as the .deb installs them, else found on PATH.
pub fn sibling(program: &str) -> Option<std::path::PathBuf> {
    std::env::current_exe()
        .ok()
        .map(|p| p.with_file_name(program))
        .filter(|p| p.is_file())
        .or_else(|| crate::terminal::which(program))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_hardened_process_is_not_dumpable_writes_no_core_and_creates_owner_only_files() {
        super::harden();
        // SAFETY: read-only queries of this process's own settings.
        unsafe {
            assert_eq!(libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
            let mut core = libc::rlimit {
                rlim_cur: 1,
                rlim_max: 1,
            };
            libc::getrlimit(libc::RLIMIT_CORE, &mut core);
            assert_eq!(core.rlim_cur, 0);
        }
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, "x").unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}
