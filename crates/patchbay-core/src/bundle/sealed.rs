//! A document sealed in the age format (age-encryption.org/v1): to a passphrase (scrypt) or to
//! X25519 recipients (`age1…`), and opened with the passphrase or an identity file. The `age`
//! command-line tool reads and writes the same files.

use std::io::{Read, Write};
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::secret::SecretString;

/// Who can open a bundle.
pub enum Lock {
    Passphrase(SecretString),
    /// `age1…` public keys.
    Recipients(Vec<String>),
}

/// What opens a bundle.
pub enum Key {
    Passphrase(SecretString),
    /// The text of an age identity file (`AGE-SECRET-KEY-1…` lines).
    Identities(SecretString),
}

/// The most a bundle may hold once opened.
const MAX_PLAINTEXT: u64 = 64 * 1024 * 1024;

/// `plaintext` encrypted to `lock`.
pub fn seal(plaintext: &[u8], lock: &Lock) -> Result<Vec<u8>> {
    let encryptor = match lock {
        Lock::Passphrase(p) => {
            if p.len() < 8 {
                return Err(Error::invalid("passphrase", "use at least 8 characters"));
            }
            age::Encryptor::with_user_passphrase(p.expose().to_string().into())
        }
        Lock::Recipients(keys) => {
            let mut recipients = Vec::new();
            for k in keys {
                let r = age::x25519::Recipient::from_str(k.trim()).map_err(|e| {
                    Error::invalid(
                        "recipient",
                        format!("\"{k}\" is not an age public key (age1…): {e}"),
                    )
                })?;
                recipients.push(r);
            }
            age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| Error::invalid("recipient", e.to_string()))?
        }
    };
    let mut out = Vec::new();
    let io = |e: std::io::Error| Error::Io(format!("cannot encrypt the bundle: {e}"));
    let mut w = encryptor.wrap_output(&mut out).map_err(io)?;
    w.write_all(plaintext).map_err(io)?;
    w.finish().map_err(io)?;
    Ok(out)
}

/// Whether `bytes` start like an age file.
pub fn is_age(bytes: &[u8]) -> bool {
    bytes.starts_with(b"age-encryption.org/v1\n")
        || bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

/// The plaintext of an age file, opened with `key`.
pub fn open(bytes: &[u8], key: &Key) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    let bad = |m: String| Error::invalid("bundle", m);
    let d = age::Decryptor::new_buffered(bytes)
        .map_err(|e| bad(format!("is not an age file ({e})")))?;
    let reader = match key {
        Key::Passphrase(p) => {
            if !d.is_scrypt() {
                return Err(bad("is encrypted to age keys, not a passphrase: give the identity file (--identity)".into()));
            }
            let id = age::scrypt::Identity::new(p.expose().to_string().into());
            d.decrypt(std::iter::once(&id as &dyn age::Identity))
        }
        Key::Identities(text) => {
            if d.is_scrypt() {
                return Err(bad(
                    "is encrypted to a passphrase, not to age keys: give the passphrase".into(),
                ));
            }
            let file = age::IdentityFile::from_buffer(text.expose().as_bytes()).map_err(|e| {
                Error::invalid("identity", format!("is not an age identity file ({e})"))
            })?;
            let ids = file
                .into_identities()
                .map_err(|e| Error::invalid("identity", format!("cannot be used ({e})")))?;
            d.decrypt(ids.iter().map(|i| i.as_ref() as &dyn age::Identity))
        }
    };
    let mut reader = reader.map_err(|e| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
            bad("does not open with this passphrase or identity".into())
        }
        e => bad(format!("cannot be opened ({e})")),
    })?;
    let mut out = zeroize::Zeroizing::new(Vec::new());
    (&mut reader)
        .take(MAX_PLAINTEXT + 1)
        .read_to_end(&mut out)
        .map_err(|e| bad(format!("is damaged ({e})")))?;
    if out.len() as u64 > MAX_PLAINTEXT {
        return Err(bad("holds more than 64 MiB: not a Patchbay bundle".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_text_opens_with_its_passphrase_only() {
        let sealed = seal(b"hello", &Lock::Passphrase("a good passphrase".into())).unwrap();
        assert!(is_age(&sealed));
        assert_eq!(
            &open(&sealed, &Key::Passphrase("a good passphrase".into())).unwrap()[..],
            b"hello"
        );
        let e = open(&sealed, &Key::Passphrase("another one!".into())).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bundle: does not open with this passphrase or identity"
        );
        let e = seal(b"x", &Lock::Passphrase("short".into())).unwrap_err();
        assert_eq!(e.to_string(), "passphrase: use at least 8 characters");
    }
}
