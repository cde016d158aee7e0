//! PEM material a user pastes or names as a file: certificates (one or more blocks) and an
//! unencrypted private key, each block's base64 and DER checked, with errors that say what was
//! found instead and how to fix it.

use super::{shortened, PEM_MAX};
use crate::error::{Error, Result};

/// One or more PEM certificates.
pub fn pem_certificates(field: &str, raw: &str) -> Result<String> {
    let blocks = pem_blocks(field, raw)?;
    if let Some(b) = blocks.iter().find(|b| b.tag() != "CERTIFICATE") {
        return Err(Error::invalid(
            field,
            format!(
                "holds a \"{}\" block; paste the -----BEGIN CERTIFICATE----- block(s)",
                shortened(b.tag())
            ),
        ));
    }
    Ok(raw.trim().to_string() + "\n")
}

/// A PEM private key (PKCS#8, RSA or EC), possibly followed by other blocks.
pub fn pem_private_key(field: &str, raw: &str) -> Result<()> {
    let blocks = pem_blocks(field, raw)?;
    if !blocks
        .iter()
        .any(|b| b.tag().ends_with("PRIVATE KEY") && !b.tag().starts_with("ENCRYPTED"))
    {
        if blocks.iter().any(|b| b.tag().starts_with("ENCRYPTED")) {
            return Err(Error::invalid(field, "is an encrypted private key; decrypt it first (openssl pkey -in key.pem -out plain.pem)"));
        }
        return Err(Error::invalid(
            field,
            "holds no private key; paste the PEM block of the key (its first line starts with -----BEGIN and ends with PRIVATE KEY-----)",
        ));
    }
    Ok(())
}

fn pem_blocks(field: &str, raw: &str) -> Result<Vec<pem::Pem>> {
    if raw.len() > PEM_MAX {
        return Err(Error::invalid(
            field,
            format!(
                "is larger than {} KiB; is this the right file?",
                PEM_MAX / 1024
            ),
        ));
    }
    if !raw.contains("-----BEGIN ") {
        return Err(Error::invalid(
            field,
            "is not PEM text; paste the block that starts with -----BEGIN",
        ));
    }
    let blocks = pem::parse_many(raw.trim()).map_err(|e| {
        Error::invalid(
            field,
            format!("is not valid PEM ({e}); paste the whole block, BEGIN and END lines included"),
        )
    })?;
    if blocks.is_empty() {
        return Err(Error::invalid(
            field,
            "is not PEM text; paste the block that starts with -----BEGIN",
        ));
    }
    if let Some(b) = blocks.iter().find(|b| b.contents().first() != Some(&0x30)) {
        return Err(Error::invalid(
            field,
            format!(
                "the \"{}\" block does not hold DER data; the file may be damaged",
                shortened(b.tag())
            ),
        ));
    }
    Ok(blocks)
}
