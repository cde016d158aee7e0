//! Network addresses a user types: host names and IP literals (RFC 1123 labels, RFC 3696's
//! no-numeric-last-label rule), TCP ports, and Kafka's comma-separated `host:port` lists.

use super::{quoted, shortened, HOST_MAX};
use crate::error::{Error, Result};

/// A host name or an IP address literal (IPv6 with or without brackets).
pub fn host(field: &str, raw: &str) -> Result<String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err(Error::invalid(
            field,
            "is required; enter a host name or IP address such as db.example.com or 127.0.0.1",
        ));
    }
    if v.contains("://") {
        return Err(Error::invalid(
            field,
            "looks like a URL; enter only the host name (paste whole URLs into the URL box)",
        ));
    }
    let bare = v
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(v);
    if bare.parse::<std::net::IpAddr>().is_ok() {
        return Ok(bare.to_string());
    }
    if v.len() > HOST_MAX {
        return Err(Error::invalid(
            field,
            format!("is longer than {HOST_MAX} characters, the limit for a host name"),
        ));
    }
    if v.contains(':') {
        return Err(Error::invalid(
            field,
            "contains ':'; put the port in the port field",
        ));
    }
    for label in v.trim_end_matches('.').split('.') {
        if label.is_empty() {
            return Err(Error::invalid(
                field,
                format!("{} has an empty label (two dots in a row?)", quoted(v)),
            ));
        }
        if label.len() > 63 {
            return Err(Error::invalid(
                field,
                format!("{} has a label longer than 63 characters", quoted(v)),
            ));
        }
        if !label
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::invalid(
                field,
                format!(
                    "{} is not a valid host name: use letters, digits, '-' and '.'",
                    quoted(v)
                ),
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(Error::invalid(
                field,
                format!(
                    "{} is not a valid host name: a label cannot start or end with '-'",
                    quoted(v)
                ),
            ));
        }
    }
    // RFC 3696 §2: the last label of a name is never all digits; the URL standard reads such a
    // name (or one whose last label is 0x and hex digits) as an IPv4 address.
    let last = v
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .unwrap_or_default();
    let hex = last
        .strip_prefix("0x")
        .or_else(|| last.strip_prefix("0X"))
        .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    if hex || last.bytes().all(|b| b.is_ascii_digit()) {
        let dotted = v
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        return Err(Error::invalid(
            field,
            if dotted {
                format!(
                    "{} is not a valid IPv4 address: write four numbers from 0 to 255",
                    quoted(v)
                )
            } else {
                format!(
                    "{} is not a valid host name: its last label cannot be a number",
                    quoted(v)
                )
            },
        ));
    }
    Ok(v.to_ascii_lowercase())
}

/// A TCP port, 1–65535.
pub fn port(field: &str, value: u32) -> Result<u32> {
    if (1..=65535).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid(
            field,
            format!("{value} is not a TCP port; use a number from 1 to 65535"),
        ))
    }
}

/// Parses a port typed as text (CLI, pasted URL), naming the field when it is not a number.
pub fn port_text(field: &str, raw: &str) -> Result<u32> {
    let v = raw.trim();
    let n: u64 = v.parse().map_err(|_| {
        Error::invalid(
            field,
            format!("{} is not a number; use a port from 1 to 65535", quoted(v)),
        )
    })?;
    port(field, u32::try_from(n).unwrap_or(u32::MAX))
}

/// A comma-separated list of `host:port` entries, normalised to `a:1,b:2`.
pub fn bootstrap_servers(field: &str, raw: &str) -> Result<String> {
    let mut out: Vec<String> = Vec::new();
    for entry in raw.split(',').map(str::trim) {
        if entry.is_empty() {
            continue;
        }
        let (h, p) = split_host_port(entry).ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "{} has no port; write host:port, for example {}:9092",
                    quoted(entry),
                    shortened(entry)
                ),
            )
        })?;
        let h = host(field, h)
            .map_err(|e| Error::invalid(field, format!("in {}: {}", quoted(entry), e.message())))?;
        let p = port_text(field, p)
            .map_err(|e| Error::invalid(field, format!("in {}: {}", quoted(entry), e.message())))?;
        let norm = if h.contains(':') {
            format!("[{h}]:{p}")
        } else {
            format!("{h}:{p}")
        };
        if !out.contains(&norm) {
            out.push(norm);
        }
    }
    if out.is_empty() {
        return Err(Error::invalid(
            field,
            "is required; list one or more brokers as host:port, separated by commas",
        ));
    }
    Ok(out.join(","))
}

/// Splits `host:port` or `[v6]:port`.
pub fn split_host_port(entry: &str) -> Option<(&str, &str)> {
    if let Some(rest) = entry.strip_prefix('[') {
        let (h, after) = rest.split_once(']')?;
        let p = after.strip_prefix(':')?;
        return Some((h, p));
    }
    let (h, p) = entry.rsplit_once(':')?;
    if h.contains(':') {
        return None;
    }
    Some((h, p))
}
