//! The master key as the front ends show it: one `KeyStatus` shape for the window's status line
//! and banner and for `patchbay key status` (text or JSON), and key rotation.

use serde::Serialize;
use ts_rs::TS;

use super::{payload, Desk};
use crate::error::ErrorPayload;
use crate::keys::{self, KeySource};
use crate::vault::MasterKey;
use crate::{Result, Rotation};

/// Where the master key is and whether it works.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KeyStatus {
    /// Where the key is looked for ("the OS keychain", "PATCHBAY_MASTER_KEY", "key file …").
    pub source: String,
    /// Whether the key was found and opens this store.
    pub unlocked: bool,
    /// Why not (or why the keychain self-test failed).
    pub error: Option<ErrorPayload>,
    /// With the keychain: whether a write, read back and delete of a test entry worked.
    pub keychain_self_test: Option<bool>,
    #[ts(type = "number")]
    pub encrypted_values: u64,
    /// The store file.
    pub store: String,
    /// What to do when the keychain cannot be used.
    pub fallbacks: Vec<String>,
}

impl Desk {
    pub fn key_status(&self) -> KeyStatus {
        let cat = self.cat();
        let mut error = None;
        let keychain_self_test =
            matches!(cat.key_source(), KeySource::Keychain).then(
                || match keys::keychain_self_test() {
                    Ok(()) => true,
                    Err(e) => {
                        error = Some(payload(&e));
                        false
                    }
                },
            );
        let unlocked = match cat.vault() {
            Ok(_) => true,
            Err(e) => {
                error.get_or_insert(payload(&e));
                false
            }
        };
        KeyStatus {
            source: cat.key_source().describe(),
            unlocked,
            error,
            keychain_self_test,
            encrypted_values: cat.encrypted_values().unwrap_or(0),
            store: cat.path().display().to_string(),
            fallbacks: vec![
                format!(
                    "Set {} to a key from `patchbay key generate` and restart Patchbay.",
                    keys::ENV_MASTER_KEY
                ),
                format!(
                    "Or set {} to a key file (sealed with the passphrase in {}).",
                    keys::ENV_KEY_FILE,
                    keys::ENV_PASSPHRASE
                ),
            ],
        }
    }

    /// Re-encrypts every secret under a new key (given, or made and stored where the key lives).
    pub fn rotate_key(&self, new_key: Option<MasterKey>) -> Result<Rotation> {
        self.cat().rotate_key(new_key)
    }

    /// Unlocks the key now (or says exactly why it cannot).
    pub fn unlock(&self) -> Result<()> {
        self.cat().vault().map(|_| ())
    }

    /// Where the key is looked for.
    pub fn key_source(&self) -> KeySource {
        self.cat().key_source().clone()
    }
}
