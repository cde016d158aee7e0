//! Where a user's store lives (their data directory, or `PATCHBAY_DATA_DIR`) and how private
//! files are written: owner-only permissions, written whole or not at all.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Environment variable that overrides the data directory.
pub const ENV_DATA_DIR: &str = "PATCHBAY_DATA_DIR";
/// The catalog's file name inside the data directory.
pub const CATALOG_FILE: &str = "patchbay.sqlite3";

/// The data directory: `PATCHBAY_DATA_DIR`, else the OS's per-user data directory + `patchbay`.
pub fn data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(ENV_DATA_DIR).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir().map(|d| d.join("patchbay")).ok_or_else(|| {
        Error::Io(format!(
            "cannot find your data directory; set {ENV_DATA_DIR}"
        ))
    })
}

/// Creates `dir` (and any missing parents) owner-only from the start (mode 0700 at creation,
/// never a looser directory tightened afterwards); an existing `dir` that others can enter is
/// restricted.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .map_err(|e| Error::Io(format!("cannot create {}: {e}", dir.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir)?.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| {
                not_ours(dir)
                    .unwrap_or_else(|| Error::Io(format!("cannot restrict {}: {e}", dir.display())))
            })?;
        }
    }
    Ok(())
}

/// The refusal of a directory that belongs to another user: whose it is and what to do.
#[cfg(unix)]
fn not_ours(dir: &Path) -> Option<Error> {
    use std::os::unix::fs::MetadataExt as _;
    let owner = std::fs::metadata(dir).ok()?.uid();
    // SAFETY: geteuid(2) cannot fail.
    let me = unsafe { libc::geteuid() };
    (owner != me).then(|| {
        Error::Io(format!(
            "{} belongs to {} (uid {owner}), not to you ({}): Patchbay keeps your secrets only in a directory of your own. Use another with --data-dir or {ENV_DATA_DIR}, or make it yours: sudo chown -R {} {}",
            dir.display(),
            user_name(owner).unwrap_or_else(|| "another user".into()),
            user_name(me).unwrap_or_else(|| format!("uid {me}")),
            user_name(me).unwrap_or_else(|| me.to_string()),
            dir.display()
        ))
    })
}

/// The login name of `uid`, from the system's user database.
#[cfg(unix)]
fn user_name(uid: u32) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, both ours and large enough (ERANGE
    // otherwise, treated as unknown); `pw_name` points into `buf` while it lives.
    let rc = unsafe {
        libc::getpwuid_r(
            uid,
            &mut pwd,
            buf.as_mut_ptr().cast(),
            buf.len(),
            &mut found,
        )
    };
    if rc != 0 || found.is_null() {
        return None;
    }
    // SAFETY: on success pw_name is a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned())
}

/// Refuses a data directory that belongs to another user or cannot be written, saying how to
/// fix it (rather than failing later with a bare "permission denied" or "readonly database").
pub fn check_own_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        let meta = std::fs::metadata(dir)
            .map_err(|e| Error::Io(format!("cannot use {}: {e}", dir.display())))?;
        // SAFETY: geteuid(2) cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(not_ours(dir).expect("another user's"));
        }
        let probe = dir.join(format!(".patchbay-write-test-{}", std::process::id()));
        match std::fs::write(&probe, b"") {
            Ok(()) => {
                let _ = std::fs::remove_file(&probe);
            }
            Err(e) => {
                return Err(Error::Io(format!(
                    "cannot write in {} ({e}); make it writable (chmod u+w) or choose another with --data-dir or {ENV_DATA_DIR}",
                    dir.display()
                )))
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same directory, then renames it.
pub fn write_private_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    tmp.1.write_all(bytes)?;
    tmp.1.sync_all()?;
    std::fs::rename(&tmp.0, path)
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
    sync_dir_of(path)
}

/// Flushes the directory holding `path`, so that a rename into it survives a power loss.
pub fn sync_dir_of(path: &Path) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::Io(format!("cannot flush {}: {e}", dir.display())))?;
    Ok(())
}

fn tempfile_in(dir: &Path) -> Result<(PathBuf, std::fs::File)> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let name = dir.join(format!(".patchbay-{}.tmp", crate::vault::random_uid()?));
    let file = opts
        .open(&name)
        .map_err(|e| Error::Io(format!("cannot write in {}: {e}", dir.display())))?;
    Ok((name, file))
}
