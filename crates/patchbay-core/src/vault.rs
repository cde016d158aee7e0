//! The `Vault`: Fernet encryption of secret values under the store's master key, and MACs under
//! a key derived from it. Each ciphertext is bound to a context sealed inside it (what it
//! belongs to: store, kind, connection, field and row; see `catalog/binding.rs`), so a token
//! copied onto another row, field or store is detected like any other tampering. The vault never
//! stores keys; `keys.rs` finds the key and hands it here.

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SecretString;

/// The plaintext sealed in the store's key-check token: proves a key is the store's key, and
/// which sealing format the store is in (v1: values bound to their row only; v2: bound to store,
/// kind, connection, field and row, with the fields of connections that have secrets under a
/// MAC; v3: every connection under a MAC that also covers which named secret each field uses).
const KEY_CHECK_V1: &str = "patchbay-key-check-v1";
const KEY_CHECK_V2: &str = "patchbay-key-check-v2";
const KEY_CHECK_V3: &str = "patchbay-key-check-v3";
const KEY_CHECK_UID: &str = "key-check";

/// A Fernet master key in memory. Zeroized on drop, redacted when printed.
#[derive(Clone)]
pub struct MasterKey(Zeroizing<String>);

impl MasterKey {
    /// A new random key (32 bytes from the OS, url-safe base64 as Fernet expects).
    pub fn generate() -> Result<MasterKey> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut())
            .map_err(|e| Error::Io(format!("the OS random source failed: {e}")))?;
        Ok(MasterKey(Zeroizing::new(URL_SAFE.encode(bytes.as_ref()))))
    }

    /// Parses a key given as text; `origin` names where it came from for the error.
    pub fn parse(text: &str, origin: &str) -> Result<MasterKey> {
        let t = text.trim();
        let ok = URL_SAFE.decode(t).map(|b| b.len() == 32).unwrap_or(false);
        if !ok {
            return Err(Error::WrongKey(format!(
                "{origin} is not a Fernet key (url-safe base64 of 32 bytes, 44 characters); make one with `patchbay key generate`"
            )));
        }
        Ok(MasterKey(Zeroizing::new(t.to_string())))
    }

    /// The key text, for handing to the keychain or a key file.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

/// Encrypts and decrypts secret values under one master key.
pub struct Vault {
    fernet: fernet::Fernet,
    key: MasterKey,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Vault(***)")
    }
}

impl Vault {
    pub fn new(key: MasterKey) -> Vault {
        let fernet =
            fernet::Fernet::new(key.expose()).expect("MasterKey is always a valid Fernet key");
        Vault { fernet, key }
    }

    pub fn key(&self) -> &MasterKey {
        &self.key
    }

    /// Seals `value` bound to `context` (what it belongs to).
    pub fn seal(&self, context: &str, value: &str) -> String {
        let uid = context;
        let mut plain = Zeroizing::new(String::with_capacity(uid.len() + 1 + value.len()));
        plain.push_str(uid);
        plain.push('\0');
        plain.push_str(value);
        self.fernet.encrypt(plain.as_bytes())
    }

    /// Opens a token sealed for `context`. `what` names the secret in the error ("the password
    /// of database connection \"x\"").
    pub fn open(&self, context: &str, token: &str, what: &str) -> Result<SecretString> {
        let uid = context;
        let plain = Zeroizing::new(self.fernet.decrypt(token).map_err(|_| {
            Error::Decrypt(format!(
                "{what} cannot be decrypted: the stored value was altered or was encrypted under another key; set it again"
            ))
        })?);
        let text = std::str::from_utf8(&plain).map_err(|_| {
            Error::Decrypt(format!("{what} decrypts to invalid text; set it again"))
        })?;
        match text.split_once('\0') {
            Some((sealed_uid, value)) if sealed_uid == uid => Ok(SecretString::new(value)),
            _ => Err(Error::Decrypt(format!(
                "{what} holds a value that belongs to another record (the store was altered); set it again"
            ))),
        }
    }

    /// A token that proves which key encrypted the store (in the current format, v3).
    pub fn key_check(&self) -> String {
        self.seal(KEY_CHECK_UID, KEY_CHECK_V3)
    }

    /// A v2 key check (the format before every connection was sealed), for migration tests.
    pub fn key_check_v2(&self) -> String {
        self.seal(KEY_CHECK_UID, KEY_CHECK_V2)
    }

    /// Whether this vault's key made `token` (from [`Vault::key_check`], or a v1 store's).
    pub fn verifies(&self, token: &str) -> bool {
        self.format_of(token).is_some()
    }

    /// The sealing format a key-check token proves (1, 2 or 3), if this vault's key made it.
    pub fn format_of(&self, token: &str) -> Option<u8> {
        match self.open(KEY_CHECK_UID, token, "key check").ok()?.expose() {
            KEY_CHECK_V1 => Some(1),
            KEY_CHECK_V2 => Some(2),
            KEY_CHECK_V3 => Some(3),
            _ => None,
        }
    }

    /// A v1 key check (the format of stores before schema 3), for migration tests.
    pub fn key_check_v1(&self) -> String {
        self.seal(KEY_CHECK_UID, KEY_CHECK_V1)
    }

    /// The HMAC-SHA256 of `data` under a key derived from the master key.
    fn hmac(&self, data: &str) -> hmac::Hmac<sha2::Sha256> {
        use hmac::Mac as _;
        type H = hmac::Hmac<sha2::Sha256>;
        let mut derive = H::new_from_slice(self.key.expose().as_bytes()).expect("any key length");
        derive.update(b"patchbay-connection-mac-v1");
        let mac_key = Zeroizing::new(derive.finalize().into_bytes().to_vec());
        let mut m = H::new_from_slice(&mac_key).expect("any key length");
        m.update(data.as_bytes());
        m
    }

    /// A MAC of `data` (hex).
    pub fn mac(&self, data: &str) -> String {
        use hmac::Mac as _;
        self.hmac(data)
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether `mac_hex` is the MAC of `data` (compared in constant time).
    pub fn mac_matches(&self, data: &str, mac_hex: &str) -> bool {
        use hmac::Mac as _;
        let bytes: Option<Vec<u8>> = (0..mac_hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(mac_hex.get(i..i + 2)?, 16).ok())
            .collect();
        bytes.is_some_and(|b| self.hmac(data).verify_slice(&b).is_ok())
    }
}

/// A random identifier for a row or a store (128 bits, hex).
pub fn random_uid() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Io(format!("the OS random source failed: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_the_same_key_and_uid() {
        let v = Vault::new(MasterKey::generate().unwrap());
        let t = v.seal("u1", "s3cr3t");
        assert!(!t.contains("s3cr3t"));
        assert_eq!(v.open("u1", &t, "x").unwrap().expose(), "s3cr3t");
    }

    #[test]
    fn a_token_moved_to_another_row_is_refused() {
        let v = Vault::new(MasterKey::generate().unwrap());
        let t = v.seal("u1", "s3cr3t");
        let e = v
            .open("u2", &t, "the password of database connection \"a\"")
            .unwrap_err();
        assert_eq!(e.code(), "decrypt");
        assert!(e.to_string().contains("database connection \"a\""));
    }

    #[test]
    fn another_key_does_not_open_a_token_or_pass_the_key_check() {
        let a = Vault::new(MasterKey::generate().unwrap());
        let b = Vault::new(MasterKey::generate().unwrap());
        assert!(b.open("u", &a.seal("u", "x"), "x").is_err());
        assert!(a.verifies(&a.key_check()));
        assert!(!b.verifies(&a.key_check()));
    }

    #[test]
    fn a_key_that_is_not_fernet_is_refused_with_how_to_make_one() {
        let e = MasterKey::parse("not-a-key", "PATCHBAY_MASTER_KEY").unwrap_err();
        assert!(e.to_string().contains("patchbay key generate"));
        assert_eq!(
            format!("{:?}", MasterKey::generate().unwrap()),
            "MasterKey(***)"
        );
    }
}
