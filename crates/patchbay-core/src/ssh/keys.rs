//! SSH private keys, from a file or a saved secret: OpenSSH (ed25519, ECDSA, RSA; encrypted
//! with a passphrase) and PEM/PKCS#8, checked before they are saved and opened for a login,
//! with errors that say which of key, passphrase or file is wrong.

use russh::keys::{decode_secret_key, Error as KeyError, PrivateKey};

/// Whether `text` is a private key Patchbay can use (an encrypted one counts: its passphrase is
/// asked for when it is used).
pub fn check(text: &str) -> Result<(), String> {
    match decode_secret_key(text.trim(), None) {
        Ok(_) | Err(KeyError::KeyIsEncrypted) => Ok(()),
        Err(e) => Err(not_a_key(&e)),
    }
}

fn not_a_key(e: &KeyError) -> String {
    format!("is not an SSH private key Patchbay can read ({e})")
}

/// Why a key did not open: what happened, and what to do.
pub struct Unopened {
    pub message: String,
    pub hint: String,
    pub error: Option<String>,
}

/// The key in `text` (from `origin`, said in errors: "the saved SSH key", a file's path),
/// opened with `passphrase` when it is encrypted.
pub fn open(text: &str, passphrase: Option<&str>, origin: &str) -> Result<PrivateKey, Unopened> {
    let said = |message: String, hint: &str, error: Option<String>| Unopened {
        message,
        hint: hint.to_string(),
        error,
    };
    match decode_secret_key(text.trim(), passphrase) {
        Ok(k) => Ok(k),
        Err(KeyError::KeyIsEncrypted) => Err(said(
            format!("{origin} is encrypted and no passphrase is saved"),
            "save its passphrase with the connection (or give it when asked)",
            None,
        )),
        Err(e) if passphrase.is_some() && is_encrypted(text) => Err(said(
            format!("{origin} did not open with the saved passphrase"),
            "type the key's passphrase again",
            Some(e.to_string()),
        )),
        Err(e) => Err(said(
            format!("{origin} is not an SSH private key Patchbay can read"),
            "name the private key (not its .pub), in OpenSSH or PEM form",
            Some(e.to_string()),
        )),
    }
}

/// Whether the key text says it is encrypted (OpenSSH's cipher name, PEM's headers).
fn is_encrypted(text: &str) -> bool {
    decode_secret_key(text.trim(), None).is_err_and(|e| matches!(e, KeyError::KeyIsEncrypted))
        || text.contains("ENCRYPTED")
}

/// The private key in the file at `path` (at most 64 KiB: a key is a few).
pub fn read_file(path: &str) -> Result<String, String> {
    let meta =
        std::fs::metadata(path).map_err(|e| format!("the key file {path} cannot be read ({e})"))?;
    if meta.len() > 64 * 1024 {
        return Err(format!(
            "the key file {path} is {} KiB: that is not a private key",
            meta.len() / 1024
        ));
    }
    std::fs::read_to_string(path).map_err(|e| format!("the key file {path} cannot be read ({e})"))
}

/// The public half of the key file `path` (its `.pub` beside it, or the private key's own),
/// to pick that one key from an agent.
pub fn public_of(path: &str) -> Result<russh::keys::PublicKey, String> {
    let public = format!("{path}.pub");
    if let Ok(k) = russh::keys::load_public_key(&public) {
        return Ok(k);
    }
    if let Ok(k) = russh::keys::load_public_key(path) {
        return Ok(k); // the file named is itself a public key
    }
    let text = read_file(path)?;
    match decode_secret_key(text.trim(), None) {
        Ok(k) => Ok(k.public_key().clone()),
        Err(_) => Err(format!(
            "cannot tell which agent key is {path}: put its public key beside it as {public}"
        )),
    }
}
