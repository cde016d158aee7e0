//! Field validation: every value a user types is checked here before anything is written, and a
//! rejected value gets an error that names the field and says how to fix it. Validators return
//! the normalised value (trimmed, canonical) that the catalog stores. PEM material is checked in
//! `pem.rs`, hosts, ports and broker lists in `address.rs`; each kind's own rules are in `kinds/`.

mod address;
mod pem;

pub use address::{bootstrap_servers, host, port, port_text, split_host_port};
pub use pem::{pem_certificates, pem_private_key};

use crate::error::{Error, Result};

pub const NAME_MAX: usize = 64;
const HOST_MAX: usize = 253;
const TEXT_MAX: usize = 256;
const URL_MAX: usize = 2048;
pub(crate) const PEM_MAX: usize = 64 * 1024;
/// The largest secret value accepted (a private key with its chain fits easily).
pub const SECRET_MAX: usize = 64 * 1024;

/// The longest part of a rejected value that an error message repeats.
const SHOWN_MAX: usize = 48;

/// A rejected value as an error message repeats it: cut to a readable length, with control
/// characters escaped so that they cannot rewrite a terminal line.
pub(crate) fn shortened(v: &str) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        if i == SHOWN_MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn quoted(v: &str) -> String {
    format!("\"{}\"", shortened(v))
}

/// A connection or secret name: non-empty, bounded, printable, not starting with '-'.
pub fn name(field: &str, raw: &str) -> Result<String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(Error::invalid(
            field,
            "is required; give it a short name such as \"orders-prod\"",
        ));
    }
    if v.chars().count() > NAME_MAX {
        return Err(Error::invalid(
            field,
            format!("is longer than {NAME_MAX} characters; use a shorter name"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(field, "contains control characters (tab, newline…); use letters, digits, spaces and punctuation"));
    }
    if v.starts_with('-') {
        return Err(Error::invalid(
            field,
            "must not start with '-' (it would read as a command-line option)",
        ));
    }
    Ok(v.to_string())
}

/// A free text field (database name, user name, region…): bounded and without control characters.
pub fn text(field: &str, raw: &str, required: bool) -> Result<String> {
    let v = raw.trim();
    if required && v.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    if v.chars().count() > TEXT_MAX {
        return Err(Error::invalid(
            field,
            format!("is longer than {TEXT_MAX} characters"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "contains control characters (tab, newline…); remove them",
        ));
    }
    Ok(v.to_string())
}

pub(crate) fn optional_text(field: &str, raw: &Option<String>) -> Result<Option<String>> {
    match raw {
        None => Ok(None),
        Some(s) => {
            let v = text(field, s, false)?;
            Ok((!v.is_empty()).then_some(v))
        }
    }
}

/// An optional text field's value: None when it is absent or only spaces.
pub fn non_empty(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// An object store's optional endpoint: empty is none; `http://` only with "allow unsafe HTTP".
pub fn optional_endpoint(
    field: &str,
    raw: &Option<String>,
    allow_http: bool,
) -> Result<Option<String>> {
    match non_empty(raw) {
        Some(u) => Ok(Some(http_url(
            field,
            u,
            allow_http,
            "turn on \"allow unsafe HTTP\"",
        )?)),
        None => Ok(None),
    }
}

/// Optional PEM certificates (a CA, a client certificate): empty is none.
pub fn optional_certificates(field: &str, raw: &Option<String>) -> Result<Option<String>> {
    match non_empty(raw) {
        Some(pem) => Ok(Some(pem_certificates(field, pem)?)),
        None => Ok(None),
    }
}

/// An http(s) URL. `allow_http` says whether plain http is acceptable; `http_fix` tells how to
/// allow it when it is not.
pub fn http_url(field: &str, raw: &str, allow_http: bool, http_fix: &str) -> Result<String> {
    let v = raw.trim();
    if v.len() > URL_MAX {
        return Err(Error::invalid(
            field,
            format!("is longer than {URL_MAX} characters; is this the right URL?"),
        ));
    }
    let url = url::Url::parse(v).map_err(|e| {
        Error::invalid(
            field,
            format!(
                "{} is not a URL ({e}); write it like https://host:port",
                quoted(v)
            ),
        )
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        "http" => {
            return Err(Error::invalid(
                field,
                format!(
                    "uses http://, which sends credentials unencrypted; use https:// or {http_fix}"
                ),
            ))
        }
        other => {
            return Err(Error::invalid(
                field,
                format!(
                    "uses the scheme {}; use https:// (or http://)",
                    quoted(other)
                ),
            ))
        }
    }
    // The URL parser repairs "https:host" and "https:///host"; a saved URL is written out.
    let after_scheme = v.get(url.scheme().len()..).unwrap_or_default();
    if url.host_str().is_none_or(str::is_empty)
        || !after_scheme.starts_with("://")
        || after_scheme[3..].starts_with('/')
    {
        return Err(Error::invalid(
            field,
            "has no host; write it like https://host:port",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid(
            field,
            "contains credentials; put them in their own fields so they are stored encrypted",
        ));
    }
    Ok(v.trim_end_matches('/').to_string())
}

/// An environment tag such as dev, staging or prod.
pub fn env_tag(raw: &Option<String>) -> Result<Option<String>> {
    let Some(v) = non_empty(raw) else {
        return Ok(None);
    };
    if v.len() > 24
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            "env_tag",
            "use up to 24 letters, digits, '-' or '_', such as dev, staging or prod",
        ));
    }
    Ok(Some(v.to_ascii_lowercase()))
}

/// A secret value typed or piped in.
pub fn secret_value(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(
            field,
            "is empty; enter a value, or clear the field to remove it",
        ));
    }
    if value.len() > SECRET_MAX {
        return Err(Error::invalid(
            field,
            format!("is larger than {} KiB", SECRET_MAX / 1024),
        ));
    }
    if value.contains('\0') {
        return Err(Error::invalid(field, "contains a NUL byte"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
