//! MySQL's login path file (`MYSQL_TEST_LOGIN_FILE`, `~/.mylogin.cnf`, written by
//! `mysql_config_editor`): 4 unused bytes, a 20-byte key folded into an AES-128 key
//! (`key[i % 16] ^= raw[i]`), then records of a 4-byte little-endian length and that many bytes
//! of AES-128-ECB ciphertext (PKCS#7) — obfuscation, not encryption. Inside: option-file groups,
//! one per login path (`[client]` is the default one).

use std::path::PathBuf;

use aes::cipher::{generic_array::GenericArray, BlockDecrypt, KeyInit};

use super::option_files::ClientOptions;
use super::Env;

/// Where the MySQL client reads the login path file.
pub fn path(env: &Env) -> Option<PathBuf> {
    env.var("MYSQL_TEST_LOGIN_FILE")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".mylogin.cnf")))
}

/// The plaintext of a login path file, or why it cannot be read.
pub fn decrypt(bytes: &[u8]) -> Result<zeroize::Zeroizing<String>, String> {
    if bytes.len() < 24 {
        return Err("is too short to be a login path file".into());
    }
    let mut key = [0u8; 16];
    for (i, b) in bytes[4..24].iter().enumerate() {
        key[i % 16] ^= b;
    }
    let cipher = aes::Aes128::new(&key.into());
    let mut out = zeroize::Zeroizing::new(Vec::new());
    let mut at = 24;
    while at < bytes.len() {
        let Some(len) = bytes
            .get(at..at + 4)
            .map(|l| u32::from_le_bytes([l[0], l[1], l[2], l[3]]) as usize)
        else {
            return Err("is damaged (a record's length is cut)".into());
        };
        at += 4;
        let Some(record) = bytes
            .get(at..at + len)
            .filter(|r| !r.is_empty() && r.len().is_multiple_of(16))
        else {
            return Err("is damaged (a record is cut or not whole blocks)".into());
        };
        at += len;
        let mut plain = record.to_vec();
        for block in plain.chunks_mut(16) {
            cipher.decrypt_block(GenericArray::from_mut_slice(block));
        }
        let pad = *plain.last().unwrap_or(&0) as usize;
        if pad == 0
            || pad > 16
            || plain[plain.len() - pad..]
                .iter()
                .any(|b| *b as usize != pad)
        {
            return Err("does not decrypt (not a login path file?)".into());
        }
        plain.truncate(plain.len() - pad);
        out.extend_from_slice(&plain);
    }
    String::from_utf8(out.to_vec())
        .map(zeroize::Zeroizing::new)
        .map_err(|_| "does not decrypt to text".into())
}

/// Each login path's options: `[client]`'s, then the path's own over them (what
/// `mysql --login-path=NAME` reads), by name.
pub fn login_paths(plain: &str) -> Vec<(String, ClientOptions)> {
    let (sections, _, _) = super::ini::parse(plain, super::ini::Dialect::MySql);
    let client = sections.iter().find(|s| s.name == "client");
    sections
        .iter()
        .map(|s| {
            let mut o = ClientOptions::default();
            let mut add = |sec: &super::ini::Section| {
                for (k, v, l) in &sec.entries {
                    o.options
                        .push((k.clone(), v.clone(), format!("[{}] line {l}", sec.name)));
                }
            };
            if let Some(c) = client.filter(|_| s.name != "client") {
                add(c);
            }
            add(s);
            (s.name.clone(), o)
        })
        .collect()
}
