//! A team engine's refusals in words: why it could not be asked at all (nothing answers, its
//! certificate is not trusted, no answer in time), and each refusal by its cause (sealed, a
//! lost check-and-set race, an expired or revoked token, no such mount or namespace, a policy
//! that does not allow it). No token or secret is ever part of a message.

use serde_json::Value;

use super::Place;
use crate::error::Error;

/// Why the engine could not be asked at all, in words.
pub(super) fn unreachable(address: &str, e: &reqwest::Error) -> Error {
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let why = if cause.contains("certificate") || cause.contains("UnknownIssuer") {
        format!("its TLS certificate is not trusted ({cause}): give the engine's CA certificate (--ca-cert)")
    } else if e.is_timeout() {
        "it did not answer in time".to_string()
    } else if e.is_connect() {
        format!("nothing answers there ({cause}): is the address right, and is the engine running?")
    } else {
        cause
    };
    Error::Engine(format!(
        "the team's engine at {address} could not be reached: {why}"
    ))
}

/// The engine's own words for a refusal (its `errors` list), joined.
pub(super) fn said(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or_default();
    let all: Vec<String> = v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str())
                .map(|e| e.trim().replace("\n\t* ", "; ").replace('\n', " "))
                .collect()
        })
        .unwrap_or_default();
    all.join("; ")
}

/// A refusal of `what` (status and body), by its cause (a lost check-and-set race is a conflict).
pub(super) fn refused(place: &Place, what: &str, status: u16, body: &str) -> Error {
    let words = said(body);
    let lower = words.to_ascii_lowercase();
    let message = if status == 503 && lower.contains("sealed") {
        format!("the team's engine at {} is sealed: an operator must unseal it (bao operator unseal) before anyone can use it", place.address)
    } else if lower.contains("check-and-set") {
        return Error::Conflict(format!("{} was changed by someone else since it was read (check-and-set): nothing was written; look at it again and redo the change", what.trim_start_matches("to write ")));
    } else if lower.contains("invalid token")
        || lower.contains("token expired")
        || (status == 403 && lower.contains("permission denied") && what == "the token")
    {
        "the team's token expired or was revoked: log in again (patchbay team login TEAM; the window: Teams, Log in)"
            .to_string()
    } else if lower.contains("no handler for route") || lower.contains("route entry not found") {
        format!("the engine has no KV mount {} (or this token may not see it): check --mount, and the namespace", place.mount)
    } else if lower.contains("namespace") {
        format!(
            "the engine does not know namespace {}: check --namespace",
            place.namespace.as_deref().unwrap_or("(none)")
        )
    } else if status == 403 {
        format!("the engine's policies do not allow this token {what} (permission denied)")
    } else {
        format!(
            "the engine refused {what} (HTTP {status}{})",
            if words.is_empty() {
                String::new()
            } else {
                format!(": {words}")
            }
        )
    };
    Error::Engine(message)
}
