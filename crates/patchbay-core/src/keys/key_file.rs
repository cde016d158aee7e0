//! The key file fallback (`PATCHBAY_KEY_FILE`): the master key sealed with a passphrase
//! (scrypt, bounded parameters), written atomically, with the `.pending`/`.previous` files of a
//! rotation; a new file only when the store holds no secrets.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{
    accept, lost_rotation_notice, missing_key, notice, StoreFacts, Unlocked, ENV_PASSPHRASE,
};
use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::vault::{MasterKey, Vault};

/// scrypt cost for new key files: N = 2^17, r = 8 (128 MiB, ~0.3 s). Files written with an
/// older, cheaper setting still open and are rewritten with this one on the next rotation.
const KDF_LOG_N: u8 = 17;
/// The most memory a key file may make unlock spend (128 · r · N · p bytes): a hostile file
/// cannot make Patchbay allocate gigabytes.
const KDF_MAX_MEMORY: u64 = 256 << 20;
/// A key file larger than this is not a Patchbay key file (it is read no further).
const KEY_FILE_MAX_BYTES: u64 = 16 << 10;
/// The shortest passphrase accepted for a new key file.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
const KDF_R: u32 = 8;
const KDF_P: u32 = 1;

#[derive(Serialize, Deserialize)]
pub(super) struct KeyFileBody {
    format: String,
    kdf: String,
    log_n: u8,
    r: u32,
    p: u32,
    salt: String,
    sealed_key: String,
}

pub(super) fn passphrase_of<'a>(
    path: &Path,
    passphrase: Option<&'a SecretString>,
) -> Result<&'a SecretString> {
    passphrase.filter(|p| !p.is_empty()).ok_or_else(|| {
        Error::WrongKey(format!(
            "the key file {} needs its passphrase: set {ENV_PASSPHRASE} or run in a terminal to be asked",
            path.display()
        ))
    })
}

pub(super) fn derive(
    passphrase: &SecretString,
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<fernet::Fernet> {
    let memory = 128u64
        .saturating_mul(u64::from(r))
        .saturating_mul(1u64.checked_shl(u32::from(log_n)).unwrap_or(u64::MAX))
        .saturating_mul(u64::from(p));
    if !(10..=20).contains(&log_n)
        || r == 0
        || r > 32
        || p == 0
        || p > 16
        || memory > KDF_MAX_MEMORY
    {
        return Err(Error::WrongKey(format!(
            "the key file asks for scrypt parameters Patchbay does not accept (log_n {log_n}, r {r}, p {p}: over {} MiB); it was not written by Patchbay",
            KDF_MAX_MEMORY >> 20
        )));
    }
    let params = scrypt::Params::new(log_n, r, p, 32)
        .map_err(|e| Error::WrongKey(format!("the key file has bad scrypt parameters: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(passphrase.expose().as_bytes(), salt, &params, out.as_mut())
        .map_err(|e| Error::WrongKey(format!("scrypt failed: {e}")))?;
    let key = Zeroizing::new(URL_SAFE.encode(out.as_ref()));
    Ok(fernet::Fernet::new(&key).expect("32 bytes make a Fernet key"))
}

/// Opens a key file with its passphrase (what unlocking does; also for tools and tests that
/// check where a key went).
pub fn open_key_file(path: &Path, passphrase: &SecretString) -> Result<MasterKey> {
    use std::io::Read as _;
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(KEY_FILE_MAX_BYTES + 1).read_to_string(&mut text))
        .map_err(|e| Error::Io(format!("cannot read key file {}: {e}", path.display())))?;
    if text.len() as u64 > KEY_FILE_MAX_BYTES {
        return Err(Error::WrongKey(format!(
            "{} is not a Patchbay key file (over {} KiB)",
            path.display(),
            KEY_FILE_MAX_BYTES >> 10
        )));
    }
    let body: KeyFileBody = serde_json::from_str(&text).map_err(|e| {
        Error::WrongKey(format!(
            "{} is not a Patchbay key file: {e}",
            path.display()
        ))
    })?;
    if body.format != "patchbay-key-file-v1" || body.kdf != "scrypt" {
        return Err(Error::WrongKey(format!(
            "{} is not a Patchbay key file (format {})",
            path.display(),
            body.format
        )));
    }
    let salt = STANDARD
        .decode(&body.salt)
        .map_err(|_| Error::WrongKey(format!("{} has a damaged salt", path.display())))?;
    let sealer = derive(passphrase, &salt, body.log_n, body.r, body.p)?;
    let key = Zeroizing::new(sealer.decrypt(&body.sealed_key).map_err(|_| {
        Error::WrongKey(format!(
            "the passphrase does not open key file {} (or the file was altered)",
            path.display()
        ))
    })?);
    MasterKey::parse(
        std::str::from_utf8(&key).unwrap_or(""),
        "the key file's content",
    )
}

/// Writes a key file atomically (temporary file, fsync, rename), readable by the owner only.
pub(crate) fn write_key_file(
    path: &Path,
    passphrase: &SecretString,
    key: &MasterKey,
) -> Result<()> {
    let text = seal_key_file(passphrase, key)?;
    crate::paths::write_private_atomically(path, text.as_bytes())
}

/// A key file's content: `key` sealed with `passphrase` (scrypt: the slow part, which callers
/// do before taking any lock).
pub(super) fn seal_key_file(passphrase: &SecretString, key: &MasterKey) -> Result<String> {
    if passphrase.expose().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!(
                "a key file's passphrase needs at least {MIN_PASSPHRASE_CHARS} characters; choose a longer {ENV_PASSPHRASE}"
            ),
        ));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| Error::Io(format!("the OS random source failed: {e}")))?;
    let sealer = derive(passphrase, &salt, KDF_LOG_N, KDF_R, KDF_P)?;
    let body = KeyFileBody {
        format: "patchbay-key-file-v1".into(),
        kdf: "scrypt".into(),
        log_n: KDF_LOG_N,
        r: KDF_R,
        p: KDF_P,
        salt: STANDARD.encode(salt),
        sealed_key: sealer.encrypt(key.expose().as_bytes()),
    };
    Ok(serde_json::to_string_pretty(&body).expect("serialisable"))
}

pub(super) fn pending_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".pending");
    PathBuf::from(p)
}

/// The key file a rotation replaced, kept until a later start opened the store with the new one.
pub(super) fn previous_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".previous");
    PathBuf::from(p)
}

pub(super) fn key_file_unlock(
    path: &Path,
    passphrase: Option<&SecretString>,
    facts: &StoreFacts,
) -> Result<Unlocked> {
    let passphrase = passphrase_of(path, passphrase)?;
    let pending = pending_path(path);
    if path.exists() {
        let vault = Vault::new(open_key_file(path, passphrase)?);
        let previous = previous_path(path);
        if facts.key_check.is_none_or(|c| vault.verifies(c)) {
            // Opened with the current key: a key that a rotation replaced is no longer needed.
            if facts.key_check.is_some() && previous.exists() {
                std::fs::remove_file(&previous)?;
            }
            return accept(vault, facts, || unreachable!());
        }
        if pending.exists() {
            let vault = Vault::new(open_key_file(&pending, passphrase)?);
            if facts.key_check.is_some_and(|c| vault.verifies(c)) {
                std::fs::rename(&pending, path)?;
                crate::paths::sync_dir_of(path)?;
                return Ok(Unlocked {
                    vault,
                    new_key_check: None,
                });
            }
        }
        // The rotation's commit was lost (power cut) after its key was promoted: the store is
        // still under the key the rotation replaced.
        if previous.exists() {
            let vault = Vault::new(open_key_file(&previous, passphrase)?);
            if facts.key_check.is_some_and(|c| vault.verifies(c)) {
                std::fs::rename(&previous, path)?;
                crate::paths::sync_dir_of(path)?;
                notice(lost_rotation_notice(&format!(
                    "key file {}",
                    path.display()
                )));
                return Ok(Unlocked {
                    vault,
                    new_key_check: None,
                });
            }
        }
        return Err(Error::WrongKey(format!(
            "key file {} does not open this store ({}): it holds another store's key",
            path.display(),
            facts.store_path.display()
        )));
    }
    if facts.encrypted_values > 0 {
        return Err(missing_key(facts, &format!("Key file {}", path.display())));
    }
    let key = MasterKey::generate()?;
    write_key_file(path, passphrase, &key)?;
    let vault = Vault::new(key);
    let check = vault.key_check();
    Ok(Unlocked {
        vault,
        new_key_check: Some(check),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(log_n: u8, r: u32, p: u32) -> String {
        serde_json::to_string(&KeyFileBody {
            format: "patchbay-key-file-v1".into(),
            kdf: "scrypt".into(),
            log_n,
            r,
            p,
            salt: STANDARD.encode([0u8; 16]),
            sealed_key: "x".into(),
        })
        .unwrap()
    }

    #[test]
    fn a_new_key_file_uses_scrypt_n_2_17_and_a_short_passphrase_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let key = MasterKey::generate().unwrap();
        let e = write_key_file(&path, &"short".into(), &key).unwrap_err();
        assert_eq!(e.field(), Some("passphrase"), "{e}");
        assert!(!path.exists());
        write_key_file(&path, &"long enough".into(), &key).unwrap();
        let b: KeyFileBody =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(b.log_n >= 17);
        assert_eq!(
            open_key_file(&path, &"long enough".into())
                .unwrap()
                .expose(),
            key.expose()
        );
    }

    #[test]
    fn a_hostile_key_file_cannot_make_unlock_allocate_gigabytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        for (log_n, r, p) in [
            (30, 8, 1),
            (20, 8, 1),
            (17, 1024, 1),
            (17, 8, 64),
            (63, 1, 1),
        ] {
            std::fs::write(&path, body(log_n, r, p)).unwrap();
            let e = open_key_file(&path, &"whatever1".into()).unwrap_err();
            assert!(
                e.to_string().contains("scrypt parameters"),
                "{log_n} {r} {p}: {e}"
            );
        }
        std::fs::write(&path, "x".repeat(1 << 20)).unwrap();
        let e = open_key_file(&path, &"whatever1".into()).unwrap_err();
        assert!(e.to_string().contains("not a Patchbay key file"), "{e}");
    }

    #[test]
    fn an_older_cheaper_key_file_still_opens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let key = MasterKey::generate().unwrap();
        let salt = [7u8; 16];
        let pass: SecretString = "old file pass".into();
        let sealer = derive(&pass, &salt, 15, 8, 1).unwrap();
        let old = KeyFileBody {
            format: "patchbay-key-file-v1".into(),
            kdf: "scrypt".into(),
            log_n: 15,
            r: 8,
            p: 1,
            salt: STANDARD.encode(salt),
            sealed_key: sealer.encrypt(key.expose().as_bytes()),
        };
        std::fs::write(&path, serde_json::to_string(&old).unwrap()).unwrap();
        assert_eq!(open_key_file(&path, &pass).unwrap().expose(), key.expose());
    }
}
