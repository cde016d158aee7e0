//! The rules an S3 connection's fields follow: a key id as issued (or none, for a profile
//! connection, `profile.rs`, or a role assumed with another's, `role.rs`), a region name, an
//! endpoint, a CA, a session's expiry, and which secrets it needs.

use super::{profile, role};
use crate::error::{Error, Result};
use crate::model::{S3Spec, SecretField};
use crate::validate::*;

/// The fields, checked and normalised.
pub fn validate(s: &S3Spec) -> Result<S3Spec> {
    let profile = profile::name(s)?;
    let borrows = s
        .role
        .as_ref()
        .is_some_and(|r| non_empty(&r.source).is_some());
    let access_key_id = text(
        "access_key_id",
        &s.access_key_id,
        profile.is_none() && !borrows,
    )?;
    if access_key_id
        .chars()
        .any(|c| c.is_whitespace() || !c.is_ascii_graphic())
    {
        return Err(Error::invalid(
            "access_key_id",
            "contains spaces or non-ASCII characters; paste the key id exactly as issued",
        ));
    }
    let region = text("region", &s.region, false)?;
    let region = if region.is_empty() {
        "us-east-1".to_string()
    } else {
        region
    };
    if !region
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(Error::invalid(
            "region",
            format!(
                "{} is not a region name; use one like us-east-1",
                quoted(&region)
            ),
        ));
    }
    let endpoint_url = optional_endpoint("endpoint_url", &s.endpoint_url, s.allow_http)?;
    let ca_cert = optional_certificates("ca_cert", &s.ca_cert)?;
    let session_expires = match non_empty(&s.session_expires) {
        Some(t) => Some(crate::clock::rfc3339(
            crate::clock::parse_rfc3339(t).ok_or_else(|| {
                Error::invalid(
                    "session_expires",
                    format!(
                        "{} is not a time; give it as AWS prints it, like 2026-12-01T16:00:00Z",
                        quoted(t)
                    ),
                )
            })?,
        )),
        None => None,
    };
    if profile.is_some() {
        profile::keeps_no_keys(&access_key_id, &session_expires)?;
    }
    let role = role::validate(&s.role)?;
    let out = S3Spec {
        access_key_id,
        region,
        endpoint_url,
        verify_ssl: s.verify_ssl,
        allow_http: s.allow_http,
        ca_cert,
        session_expires,
        profile,
        role,
    };
    if let Some(source) = out.role.as_ref().and_then(|r| r.source.as_deref()) {
        role::borrows_only(&out, source)?;
    }
    Ok(out)
}

/// The secret access key is required (a connection by profile, or assuming a role with another
/// connection's credentials, saves none); an expiry belongs to a session token.
pub fn required(s: &S3Spec, set: &std::collections::BTreeSet<SecretField>) -> Result<()> {
    if !keeps_keys(s) {
        return Ok(());
    }
    if !set.contains(&SecretField::SecretAccessKey) {
        return Err(Error::invalid(
            "secret_access_key",
            "is required; paste the secret access key issued with the access key id",
        ));
    }
    if s.session_expires.is_some() && !set.contains(&SecretField::SessionToken) {
        return Err(Error::invalid(
            "session_expires",
            "is for temporary credentials, which have a session token; paste the session token, or clear the expiry",
        ));
    }
    Ok(())
}

/// Whether the connection keeps keys of its own (not by profile, nor a role assumed with
/// another connection's).
pub fn keeps_keys(s: &S3Spec) -> bool {
    s.profile.is_none() && s.role.as_ref().is_none_or(|r| r.source.is_none())
}

/// Why a connection that keeps no keys takes no secret `field`.
pub fn keeps_no_keys(s: &S3Spec, field: SecretField) -> Error {
    let why = match (
        &s.profile,
        s.role.as_ref().and_then(|r| r.source.as_deref()),
    ) {
        (Some(_), _) => {
            "a connection by AWS profile keeps no keys: the profile gives them".to_string()
        }
        (None, Some(src)) => format!(
            "the role is assumed with {src}'s credentials, so this connection keeps no keys"
        ),
        (None, None) => "does not apply here".to_string(),
    };
    Error::invalid(field.as_str(), why)
}
