//! The OS keychain as the home of the master key: entries `master-key/<store id>` (and the
//! `-pending`/`-previous` ones of a rotation) under service `patchbay`; errors that say what to
//! do; a new key only when the keychain says there is none and the store holds no secrets.
//! Every call is bounded (`ANSWER_WITHIN`): a Secret Service that D-Bus is starting but that never
//! comes up fails in seconds, saying so, instead of holding the caller for minutes.

use zeroize::Zeroizing;

use super::{
    accept, lost_rotation_notice, missing_key, notice, StoreFacts, Unlocked, ENV_KEY_FILE,
    ENV_MASTER_KEY, KEYCHAIN_SERVICE,
};
use crate::error::{Error, Result};
use crate::vault::{MasterKey, Vault};

pub(super) fn keychain_account(store_id: &str) -> String {
    format!("master-key/{store_id}")
}

pub(super) fn keychain_pending_account(store_id: &str) -> String {
    format!("master-key-pending/{store_id}")
}

/// The key a rotation replaced, kept until a later start opened the store with the new one.
pub(super) fn keychain_previous_account(store_id: &str) -> String {
    format!("master-key-previous/{store_id}")
}

/// How long a keychain call may take before it counts as failed.
pub const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs `call` (one keychain operation on `account`) on a thread of its own and waits at most
/// `ANSWER_WITHIN`; a call that does not answer in time is left to finish on its own.
fn bounded<T: Send + 'static>(
    action: &str,
    account: &str,
    call: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("keychain".into())
        .spawn(move || {
            let _ = tx.send(call());
        })
        .map_err(|e| Error::Keychain(format!("could not start a keychain call: {e}")))?;
    rx.recv_timeout(ANSWER_WITHIN).unwrap_or_else(|_| {
        Err(Error::Keychain(format!(
            "could not {action} {} in the OS keychain: it did not answer within {} s (a Secret Service that this session is starting but that never comes up, or a keychain waiting on a prompt). \
             Start GNOME Keyring or KeePassXC in this session and press Retry; \
             or choose a fallback explicitly: set {ENV_MASTER_KEY} to a key from `patchbay key generate`, \
             or {ENV_KEY_FILE} to a passphrase-protected key file",
            what_of(account),
            ANSWER_WITHIN.as_secs()
        )))
    })
}

/// What an entry holds, in words.
fn what_of(account: &str) -> &'static str {
    if account.starts_with("self-test/") {
        "a test entry"
    } else {
        "the master key"
    }
}

/// Turns a keychain error into one that says what to do (and what was being done to which
/// entry: the self-test's throw-away entry is not "the master key").
fn keychain_error(action: &str, account: &str, e: keyring::Error) -> Error {
    let what = what_of(account);
    let cause = match &e {
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(inner) => inner.to_string(),
            Ok(()) => e.to_string(),
        },
        other => other.to_string(),
    };
    // A cause recognised here is said once, in words; only an unknown one keeps the library's
    // own text (a zbus error would otherwise be repeated after the sentence that explains it).
    let (fix, said) = if matches!(e, keyring::Error::NoStorageAccess(_))
        || cause.contains("locked")
        || cause.contains("NoResult")
    {
        ("The keychain is locked: unlock it (on Linux, log in to the desktop session or run `gnome-keyring-daemon --unlock`) and try again", String::new())
    } else if cause.contains("ServiceUnknown") || cause.contains("org.freedesktop.secrets") {
        ("No Secret Service is running: start GNOME Keyring or KeePassXC (with Secret Service integration) in this session", String::new())
    } else if cause.contains("Failed to connect") || cause.contains("DBUS") || cause.contains("bus")
    {
        ("No D-Bus session is reachable, so the keychain cannot be used: run inside a desktop session (or `dbus-run-session`)", String::new())
    } else {
        ("The OS keychain failed", format!(" ({cause})"))
    };
    Error::Keychain(format!(
        "could not {action} {what} in the OS keychain{said}. {fix}; \
         or choose a fallback explicitly: set {ENV_MASTER_KEY} to a key from `patchbay key generate`, \
         or {ENV_KEY_FILE} to a passphrase-protected key file"
    ))
}

/// The entry for `account`, to `action` it ("read", "save", "delete": what a failure says).
fn keychain_entry(account: &str, action: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(KEYCHAIN_SERVICE, account).map_err(|e| keychain_error(action, account, e))
}

/// Reads an entry: `Ok(None)` only when the keychain says it does not exist.
pub(super) fn keychain_get(account: &str) -> Result<Option<Zeroizing<String>>> {
    let owned = account.to_string();
    bounded("read", account, move || {
        match keychain_entry(&owned, "read")?.get_password() {
            Ok(v) => Ok(Some(Zeroizing::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error("read", &owned, e)),
        }
    })
}

pub(super) fn keychain_set(account: &str, value: &str) -> Result<()> {
    let (owned, value) = (account.to_string(), Zeroizing::new(value.to_string()));
    bounded("save", account, move || {
        keychain_entry(&owned, "save")?
            .set_password(&value)
            .map_err(|e| keychain_error("save", &owned, e))
    })
}

pub(super) fn keychain_delete(account: &str) -> Result<()> {
    let owned = account.to_string();
    bounded("delete", account, move || {
        match keychain_entry(&owned, "delete")?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error("delete", &owned, e)),
        }
    })
}

pub(super) fn keychain_unlock(facts: &StoreFacts) -> Result<Unlocked> {
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

/// Asks the Secret Service to unlock its default keychain; it shows its own password prompt
/// (Patchbay never sees that password). Says plainly when it cannot.
#[cfg(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
))]
pub fn unlock_keychain() -> Result<()> {
    use secret_service::{blocking::SecretService, EncryptionType, Error as Ss};
    let fail = |e: Ss| {
        Error::Keychain(match e {
            Ss::Prompt | Ss::PromptDisconnected => {
                "the keychain stayed locked: its unlock prompt was dismissed or could not be shown \
                 (no desktop session for it). Unlock it from your desktop (or `gnome-keyring-daemon --unlock`) and press Retry"
                    .into()
            }
            Ss::Unavailable | Ss::Zbus(_) => {
                "No D-Bus session is reachable, so there is no keychain to unlock: run Patchbay inside a desktop session, or use a key file".into()
            }
            other => format!("the keychain could not be unlocked ({other})"),
        })
    };
    let service = SecretService::connect(EncryptionType::Dh).map_err(fail)?;
    let collection = service.get_default_collection().map_err(fail)?;
    if collection.is_locked().map_err(fail)? {
        collection.unlock().map_err(fail)?;
    }
    Ok(())
}

/// Elsewhere the OS unlocks its keychain itself (it asks when an entry is read).
#[cfg(not(all(
    unix,
    not(any(target_os = "macos", target_os = "ios", target_os = "android"))
)))]
pub fn unlock_keychain() -> Result<()> {
    Err(Error::Keychain(
        "unlock the keychain in the system's own keychain app, then press Retry".into(),
    ))
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
