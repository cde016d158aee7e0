//! Moving keys during a rotation: the new key is prepared (sealed for a key file) before any
//! lock, staged beside the old one, promoted once the store's re-encryption is durably on disk
//! (the old key kept as "previous"), or discarded when the rotation failed.

use zeroize::Zeroizing;

use super::key_file::{passphrase_of, pending_path, previous_path, seal_key_file};
use super::keychain::{
    keychain_account, keychain_delete, keychain_get, keychain_pending_account,
    keychain_previous_account, keychain_set,
};
use super::KeySource;
use crate::error::Result;
use crate::vault::MasterKey;

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
