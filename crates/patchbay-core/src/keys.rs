//! Where the store's master key lives and how it is found: the OS keychain (default), a key given
//! in `PATCHBAY_MASTER_KEY`, or a key file sealed with a passphrase (scrypt). This module never
//! creates a key while the store holds encrypted values, never falls back to another source on
//! its own, and makes key rotation crash-safe with a "pending" copy of the new key.

use std::path::{Path, PathBuf};

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::vault::{MasterKey, Vault};

/// The keychain service name under which Patchbay keeps its keys.
pub const KEYCHAIN_SERVICE: &str = "patchbay";
/// Environment variable holding a master key (explicit fallback for machines without a keychain).
pub const ENV_MASTER_KEY: &str = "PATCHBAY_MASTER_KEY";
/// Environment variable naming a passphrase-protected key file.
pub const ENV_KEY_FILE: &str = "PATCHBAY_KEY_FILE";
/// Environment variable holding the key file's passphrase (otherwise the CLI prompts).
pub const ENV_PASSPHRASE: &str = "PATCHBAY_PASSPHRASE";

/// Where to find the master key. Chosen explicitly; never switched silently.
#[derive(Clone)]
pub enum KeySource {
    /// The OS keychain: Secret Service, macOS Keychain or Windows Credential Manager.
    Keychain,
    /// A key handed over directly, e.g. from `PATCHBAY_MASTER_KEY`; `origin` names it in errors.
    Given { key: MasterKey, origin: String },
    /// A key file sealed with a passphrase.
    KeyFile {
        path: PathBuf,
        passphrase: Option<SecretString>,
    },
}

impl std::fmt::Debug for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Keychain => f.write_str("Keychain"),
            KeySource::Given { origin, .. } => write!(f, "Given({origin})"),
            KeySource::KeyFile { path, .. } => write!(f, "KeyFile({})", path.display()),
        }
    }
}

/// The key variables as the process started with them, kept after [`take_env`] removed the
/// secret-bearing ones from the environment.
struct StartEnv {
    master_key: Option<Zeroizing<String>>,
    key_file: Option<std::ffi::OsString>,
    passphrase: Option<SecretString>,
}

static START_ENV: std::sync::OnceLock<StartEnv> = std::sync::OnceLock::new();

fn read_start_env() -> StartEnv {
    StartEnv {
        master_key: std::env::var(ENV_MASTER_KEY).ok().map(Zeroizing::new),
        key_file: std::env::var_os(ENV_KEY_FILE),
        passphrase: std::env::var(ENV_PASSPHRASE).ok().map(SecretString::new),
    }
}

/// Reads the key variables once and removes the secret-bearing ones (`PATCHBAY_MASTER_KEY`,
/// `PATCHBAY_PASSPHRASE`) from this process's environment, so that no child process (the
/// command `exec` runs, the web view's processes) inherits the key to every secret. Paths
/// (`PATCHBAY_KEY_FILE`, `PATCHBAY_DATA_DIR`) stay. [`KeySource::from_env`] reads what was taken.
///
/// Call it first thing in `main`, before any thread or child process exists: changing the
/// environment while another thread reads it is undefined behaviour in C libraries.
pub fn take_env() {
    START_ENV.get_or_init(|| {
        let taken = read_start_env();
        std::env::remove_var(ENV_MASTER_KEY);
        std::env::remove_var(ENV_PASSPHRASE);
        taken
    });
}

impl KeySource {
    /// The source the environment asks for: `PATCHBAY_MASTER_KEY`, else `PATCHBAY_KEY_FILE`
    /// (with `PATCHBAY_PASSPHRASE` when set), else the keychain. After [`take_env`], the values
    /// it took; before (in tests and libraries), the live environment.
    pub fn from_env() -> Result<KeySource> {
        let live;
        let env = match START_ENV.get() {
            Some(taken) => taken,
            None => {
                live = read_start_env();
                &live
            }
        };
        if let Some(text) = &env.master_key {
            let key = MasterKey::parse(text, ENV_MASTER_KEY)?;
            return Ok(KeySource::Given {
                key,
                origin: ENV_MASTER_KEY.into(),
            });
        }
        if let Some(path) = &env.key_file {
            return Ok(KeySource::KeyFile {
                path: path.into(),
                passphrase: env.passphrase.clone(),
            });
        }
        Ok(KeySource::Keychain)
    }

    /// A short name for status lines.
    pub fn describe(&self) -> String {
        match self {
            KeySource::Keychain => "the OS keychain".into(),
            KeySource::Given { origin, .. } => origin.clone(),
            KeySource::KeyFile { path, .. } => format!("key file {}", path.display()),
        }
    }
}

/// Things the user should know about their key that are not errors (a lost rotation that was
/// recovered). Front ends show them once: the CLI on stderr, the window in its key status.
static NOTICES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn notice(text: String) {
    NOTICES.lock().unwrap_or_else(|p| p.into_inner()).push(text);
}

/// The notices gathered since the last call.
pub fn take_notices() -> Vec<String> {
    std::mem::take(&mut *NOTICES.lock().unwrap_or_else(|p| p.into_inner()))
}

fn lost_rotation_notice(place: &str) -> String {
    format!(
        "the last key rotation did not reach the disk (a power loss or crash right after it): the store is still encrypted under the previous key, which {place} holds again; every secret is readable. Rotate again with `patchbay key rotate`"
    )
}

/// What the store knows about its key, for deciding whether a key may be created.
pub(crate) struct StoreFacts<'a> {
    pub store_id: &'a str,
    pub key_check: Option<&'a str>,
    pub encrypted_values: u64,
    pub store_path: &'a Path,
}

/// A key found (or created) for a store.
pub(crate) struct Unlocked {
    pub vault: Vault,
    /// The key check to record, when the store had none or the key is new.
    pub new_key_check: Option<String>,
}

/// Finds the store's key in `source` and proves it against the store's key check.
pub(crate) fn unlock(source: &KeySource, facts: &StoreFacts) -> Result<Unlocked> {
    match source {
        KeySource::Keychain => keychain_unlock(facts),
        KeySource::Given { key, origin } => {
            let vault = Vault::new(key.clone());
            accept(vault, facts, || {
                Error::WrongKey(format!(
                    "{origin} does not open this store ({}): it was encrypted under another key. Set {origin} to the key this store was created with, or unset it to use the keychain",
                    facts.store_path.display()
                ))
            })
        }
        KeySource::KeyFile { path, passphrase } => {
            key_file_unlock(path, passphrase.as_ref(), facts)
        }
    }
}

/// Proves `vault` against the store, or says why not.
fn accept(vault: Vault, facts: &StoreFacts, wrong: impl FnOnce() -> Error) -> Result<Unlocked> {
    match facts.key_check {
        Some(check) if vault.verifies(check) => Ok(Unlocked {
            vault,
            new_key_check: None,
        }),
        Some(_) => Err(wrong()),
        None => {
            let check = vault.key_check();
            Ok(Unlocked {
                vault,
                new_key_check: Some(check),
            })
        }
    }
}

fn missing_key(facts: &StoreFacts, place: &str) -> Error {
    Error::KeyMissing(format!(
        "{place} has no Patchbay master key for this store ({}), yet the store holds {} encrypted secret(s). \
         Patchbay will not create a new key, because that would make them unreadable. \
         Restore the key (keychain entry service \"{KEYCHAIN_SERVICE}\", account \"{}\"), \
         or if the key was kept elsewhere, set {ENV_MASTER_KEY} or {ENV_KEY_FILE}",
        facts.store_path.display(),
        facts.encrypted_values,
        keychain_account(facts.store_id),
    ))
}

// ---------------------------------------------------------------- keychain

fn keychain_account(store_id: &str) -> String {
    format!("master-key/{store_id}")
}

fn keychain_pending_account(store_id: &str) -> String {
    format!("master-key-pending/{store_id}")
}

/// The key a rotation replaced, kept until a later start opened the store with the new one.
fn keychain_previous_account(store_id: &str) -> String {
    format!("master-key-previous/{store_id}")
}

/// Turns a keychain error into one that says what to do.
fn keychain_error(action: &str, e: keyring::Error) -> Error {
    let cause = match &e {
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(inner) => inner.to_string(),
            Ok(()) => e.to_string(),
        },
        other => other.to_string(),
    };
    let fix = if matches!(e, keyring::Error::NoStorageAccess(_))
        || cause.contains("locked")
        || cause.contains("NoResult")
    {
        "The keychain is locked: unlock it (on Linux, log in to the desktop session or run `gnome-keyring-daemon --unlock`) and try again"
    } else if cause.contains("ServiceUnknown") || cause.contains("org.freedesktop.secrets") {
        "No Secret Service is running: start GNOME Keyring or KeePassXC (with Secret Service integration) in this session"
    } else if cause.contains("Failed to connect") || cause.contains("DBUS") || cause.contains("bus")
    {
        "No D-Bus session is reachable, so the keychain cannot be used: run inside a desktop session (or `dbus-run-session`)"
    } else {
        "The OS keychain failed"
    };
    Error::Keychain(format!(
        "could not {action} the master key in the OS keychain ({cause}). {fix}; \
         or choose a fallback explicitly: set {ENV_MASTER_KEY} to a key from `patchbay key generate`, \
         or {ENV_KEY_FILE} to a passphrase-protected key file"
    ))
}

fn keychain_entry(account: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, account).map_err(|e| keychain_error("open", e))
}

/// Reads an entry: `Ok(None)` only when the keychain says it does not exist.
fn keychain_get(account: &str) -> Result<Option<Zeroizing<String>>> {
    match keychain_entry(account)?.get_password() {
        Ok(v) => Ok(Some(Zeroizing::new(v))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keychain_error("read", e)),
    }
}

fn keychain_set(account: &str, value: &str) -> Result<()> {
    keychain_entry(account)?
        .set_password(value)
        .map_err(|e| keychain_error("save", e))
}

fn keychain_delete(account: &str) -> Result<()> {
    match keychain_entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keychain_error("delete", e)),
    }
}

fn keychain_unlock(facts: &StoreFacts) -> Result<Unlocked> {
    let main_account = keychain_account(facts.store_id);
    let main = keychain_get(&main_account)?;
    if let Some(text) = &main {
        let key = MasterKey::parse(text, "the keychain entry")?;
        let vault = Vault::new(key);
        if facts.key_check.is_none_or(|c| vault.verifies(c)) {
            // Opened with the current key: a key that a rotation replaced is no longer needed.
            if facts.key_check.is_some() {
                keychain_delete(&keychain_previous_account(facts.store_id))?;
            }
            return accept(vault, facts, || unreachable!());
        }
    }
    // The main key is missing or does not fit: a rotation may have been cut short after the
    // store was re-encrypted. Its new key waits in the pending entry.
    let pending_account = keychain_pending_account(facts.store_id);
    if let (Some(check), Some(pending)) = (facts.key_check, keychain_get(&pending_account)?) {
        let key = MasterKey::parse(&pending, "the pending keychain entry")?;
        let vault = Vault::new(key);
        if vault.verifies(check) {
            keychain_set(&main_account, vault.key().expose())?;
            keychain_delete(&pending_account)?;
            return Ok(Unlocked {
                vault,
                new_key_check: None,
            });
        }
    }
    // Or the rotation's commit was lost (power cut) after its key was promoted: the store is
    // still under the key the rotation replaced.
    let previous_account = keychain_previous_account(facts.store_id);
    if let (Some(check), Some(previous)) = (facts.key_check, keychain_get(&previous_account)?) {
        let vault = Vault::new(MasterKey::parse(&previous, "the previous keychain entry")?);
        if vault.verifies(check) {
            keychain_set(&main_account, vault.key().expose())?;
            keychain_delete(&previous_account)?;
            notice(lost_rotation_notice("the OS keychain"));
            return Ok(Unlocked {
                vault,
                new_key_check: None,
            });
        }
    }
    if main.is_some() {
        return Err(Error::WrongKey(format!(
            "the master key in the OS keychain does not open this store ({}): it was encrypted under another key. \
             If this store came from another machine, set {ENV_MASTER_KEY} to its key",
            facts.store_path.display()
        )));
    }
    if facts.encrypted_values > 0 {
        return Err(missing_key(facts, "The OS keychain"));
    }
    // A new store (or one without secrets): create its key and prove the keychain keeps it.
    let key = MasterKey::generate()?;
    keychain_set(&main_account, key.expose())?;
    match keychain_get(&main_account)? {
        Some(back) if back.as_str() == key.expose() => {}
        _ => {
            return Err(Error::Keychain(format!(
                "the OS keychain accepted the new master key but did not give it back; it may be a temporary store that forgets. \
                 Fix the keychain, or set {ENV_MASTER_KEY} or {ENV_KEY_FILE}"
            )))
        }
    }
    let vault = Vault::new(key);
    let check = vault.key_check();
    Ok(Unlocked {
        vault,
        new_key_check: Some(check),
    })
}

/// Writes, reads back and deletes a throw-away entry: proves the keychain works right now.
pub fn keychain_self_test() -> Result<()> {
    let account = format!("self-test/{}", crate::vault::random_uid()?);
    let probe = crate::vault::random_uid()?;
    keychain_set(&account, &probe)?;
    let back = keychain_get(&account);
    let deleted = keychain_delete(&account);
    match back? {
        Some(v) if v.as_str() == probe => deleted,
        _ => Err(Error::Keychain(
            "the OS keychain accepted a test entry but did not give it back; it may be a temporary store that forgets".into(),
        )),
    }
}

// ---------------------------------------------------------------- key file

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
struct KeyFileBody {
    format: String,
    kdf: String,
    log_n: u8,
    r: u32,
    p: u32,
    salt: String,
    sealed_key: String,
}

fn passphrase_of<'a>(
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

fn derive(
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
fn seal_key_file(passphrase: &SecretString, key: &MasterKey) -> Result<String> {
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

fn pending_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".pending");
    PathBuf::from(p)
}

/// The key file a rotation replaced, kept until a later start opened the store with the new one.
fn previous_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".previous");
    PathBuf::from(p)
}

fn key_file_unlock(
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

// ---------------------------------------------------------------- rotation

/// Step 1 of a rotation: keep the new key next to the old one, so that a crash after the store
/// is re-encrypted can still find it.
pub(crate) fn stage(source: &KeySource, store_id: &str, key: &Staged) -> Result<()> {
    match (source, key) {
        (KeySource::Keychain, Staged::Key(key)) => {
            keychain_set(&keychain_pending_account(store_id), key.expose())
        }
        (KeySource::KeyFile { path, .. }, Staged::KeyFile(text)) => {
            crate::paths::write_private_atomically(&pending_path(path), text.as_bytes())
        }
        _ => Ok(()),
    }
}

/// A new key made ready to be staged: for a key file, already sealed with the passphrase, so
/// that the rotation does not run scrypt while it holds the store's write lock.
pub(crate) enum Staged {
    Key(MasterKey),
    KeyFile(Zeroizing<String>),
}

/// Step 0 of a rotation, before any lock: prepares the new key for where it will be kept.
pub(crate) fn prepare(source: &KeySource, key: &MasterKey) -> Result<Staged> {
    Ok(match source {
        KeySource::KeyFile { path, passphrase } => Staged::KeyFile(Zeroizing::new(seal_key_file(
            passphrase_of(path, passphrase.as_ref())?,
            key,
        )?)),
        _ => Staged::Key(key.clone()),
    })
}

/// Step 3 of a rotation (after the store's re-encryption is durably on disk): the new key
/// replaces the old one, which is kept as the "previous" key until a later start has opened the
/// store with the new one (should the commit still be lost, unlock falls back to it).
pub(crate) fn promote(source: &KeySource, store_id: &str, key: &MasterKey) -> Result<()> {
    match source {
        KeySource::Keychain => {
            let main = keychain_account(store_id);
            if let Some(old) = keychain_get(&main)? {
                keychain_set(&keychain_previous_account(store_id), &old)?;
            }
            keychain_set(&main, key.expose())?;
            keychain_delete(&keychain_pending_account(store_id))
        }
        KeySource::Given { .. } => Ok(()),
        KeySource::KeyFile { path, .. } => {
            let previous = previous_path(path);
            if path.exists() {
                let _ = std::fs::remove_file(&previous);
                std::fs::hard_link(path, &previous)?;
            }
            std::fs::rename(pending_path(path), path)?;
            crate::paths::sync_dir_of(path)
        }
    }
}

/// Undoes step 1 when the store could not be re-encrypted.
pub(crate) fn discard(source: &KeySource, store_id: &str) {
    match source {
        KeySource::Keychain => {
            let _ = keychain_delete(&keychain_pending_account(store_id));
        }
        KeySource::Given { .. } => {}
        KeySource::KeyFile { path, .. } => {
            let _ = std::fs::remove_file(pending_path(path));
        }
    }
}

/// Removes the store's keys from the keychain (used when a store is deleted for good).
pub fn forget_keychain_key(store_id: &str) -> Result<()> {
    keychain_delete(&keychain_account(store_id))?;
    keychain_delete(&keychain_previous_account(store_id))?;
    keychain_delete(&keychain_pending_account(store_id))
}

#[cfg(test)]
mod key_file_tests {
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
