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
    // What a TLS client will do with it: read each one as an X.509 certificate.
    for (i, b) in blocks.iter().enumerate() {
        let der = rustls_pki_types::CertificateDer::from(b.contents().to_vec());
        if let Err(e) = rustls::RootCertStore::empty().add(der) {
            return Err(Error::invalid(
                field,
                format!("certificate {} of {} cannot be read as an X.509 certificate ({e}); the file may be damaged", i + 1, blocks.len()),
            ));
        }
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
    if let Some(b) = blocks.iter().find(|b| !der_whole(b.contents())) {
        return Err(Error::invalid(
            field,
            format!(
                "the \"{}\" block is cut short or has bytes after its end; the file may be damaged (copy the whole block again)",
                shortened(b.tag())
            ),
        ));
    }
    Ok(blocks)
}

/// Whether `der` is exactly one DER value: its outer header's length covers all of it.
fn der_whole(der: &[u8]) -> bool {
    let (length, header) = match der.get(1) {
        Some(&n) if n < 0x80 => (n as usize, 2),
        Some(&n @ 0x81..=0x84) => {
            let k = usize::from(n & 0x7f);
            let Some(bytes) = der.get(2..2 + k) else {
                return false;
            };
            (
                bytes.iter().fold(0usize, |a, &b| a << 8 | usize::from(b)),
                2 + k,
            )
        }
        _ => return false,
    };
    header.checked_add(length) == Some(der.len())
}
