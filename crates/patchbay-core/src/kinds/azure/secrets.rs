//! What Azure secrets look like: an account key is base64 of 64 bytes; a SAS token is a query
//! string with a signature (`sig`) and an expiry (`se`), scoped to the account or one container
//! (`sr=c`). Read when saving (errors name the field) and by the check.

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::model::SecretField;
use crate::validate::quoted;

/// A secret's value, by field: an account key is base64 of 64 bytes; a SAS has a signature and
/// an expiry.
pub fn secret_value(field: SecretField, value: &str) -> Result<()> {
    match field {
        SecretField::AccountKey => {
            let key = base64::engine::general_purpose::STANDARD
                .decode(value.trim())
                .ok()
                .filter(|k| k.len() == 64);
            if key.is_none() {
                return Err(Error::invalid("account_key", "is not an account key: copy key1 or key2 from the storage account's Access keys (88 characters of base64)"));
            }
            Ok(())
        }
        SecretField::SasToken => sas_expiry(value).map(|_| ()),
        _ => Ok(()),
    }
}

/// Reads a SAS token (with or without its leading `?`): its expiry (`se`), in ms; errors name
/// what is missing.
pub fn sas_expiry(value: &str) -> Result<i64> {
    let t = value.trim().trim_start_matches('?');
    if t.contains("://") {
        return Err(Error::invalid("sas_token", "is a URL; paste only the token (the part after ?), or paste the URL in the box above to fill the form"));
    }
    let get = |k: &str| {
        url::form_urlencoded::parse(t.as_bytes())
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.into_owned())
    };
    if get("sig").is_none_or(|s| s.is_empty()) {
        return Err(Error::invalid(
            "sas_token",
            "has no signature (sig=…): copy the whole SAS token as the portal or az generated it",
        ));
    }
    let se = get("se").ok_or_else(|| {
        Error::invalid(
            "sas_token",
            "has no expiry (se=…): copy the whole SAS token",
        )
    })?;
    parse_sas_time(&se).ok_or_else(|| {
        Error::invalid(
            "sas_token",
            format!("has an expiry (se) that is not a time: {}", quoted(&se)),
        )
    })
}

/// `2026-12-31T23:59:59Z`, `2026-12-31T23:59Z` or `2026-12-31` (the ISO 8601 forms SAS uses).
fn parse_sas_time(v: &str) -> Option<i64> {
    crate::clock::parse_rfc3339(v)
        .or_else(|| crate::clock::parse_rfc3339(&v.replace('Z', ":00Z")))
        .or_else(|| crate::clock::parse_rfc3339(&format!("{v}T00:00:00Z")))
}

/// Whether a SAS is scoped to one container (`sr=c`) rather than the account.
pub fn sas_is_container_scoped(value: &str) -> bool {
    url::form_urlencoded::parse(value.trim().trim_start_matches('?').as_bytes())
        .any(|(k, v)| k == "sr" && v == "c")
}
