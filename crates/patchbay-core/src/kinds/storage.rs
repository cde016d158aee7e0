//! A cloud storage connection (AWS S3 and S3-compatible stores): its form, the rules its
//! fields follow, which changes move its saved secret key elsewhere, how safely it travels, and
//! how it is named. Its check is `probe/storage.rs`; its hand-off is in `handoff.rs`.

use super::{changed, Info};
use crate::error::{Error, Result};
use crate::model::{SecretField, StorageSpec};
use crate::validate::*;

pub fn info() -> Info {
    Info {
        tab: "Cloud Storage",
        empty_help: "Save AWS S3 or S3-compatible (MinIO…) credentials; other programs get them with patchbay env NAME.",
        blank: crate::model::Spec::Storage(StorageSpec {
            access_key_id: String::new(),
            region: "us-east-1".into(),
            endpoint_url: None,
            verify_ssl: true,
            allow_http: false,
        }),
    }
}

/// The fields, checked and normalised.
pub fn validate(s: &StorageSpec) -> Result<StorageSpec> {
    let access_key_id = text("access_key_id", &s.access_key_id, true)?;
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
    let endpoint_url = match s
        .endpoint_url
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(url) => Some(http_url(
            "endpoint_url",
            url,
            s.allow_http,
            "turn on \"allow unsafe HTTP\"",
        )?),
        None => None,
    };
    Ok(StorageSpec {
        access_key_id,
        region,
        endpoint_url,
        verify_ssl: s.verify_ssl,
        allow_http: s.allow_http,
    })
}

/// The secret access key is required.
pub fn required(set: &std::collections::BTreeSet<SecretField>) -> Result<()> {
    if !set.contains(&SecretField::SecretAccessKey) {
        return Err(Error::invalid(
            "secret_access_key",
            "is required; paste the secret access key issued with the access key id",
        ));
    }
    Ok(())
}

/// What changed that would send requests signed with the saved key elsewhere, or less safely.
pub fn moved(_field: SecretField, o: &StorageSpec, n: &StorageSpec) -> Option<String> {
    changed("endpoint URL", &o.endpoint_url, &n.endpoint_url)
        .or_else(|| changed("region", &o.region, &n.region))
        .or_else(|| {
            (o.verify_ssl && !n.verify_ssl)
                .then(|| "certificate verification was turned off".to_string())
        })
        .or_else(|| (!o.allow_http && n.allow_http).then(|| "unsafe HTTP was allowed".to_string()))
}

/// Why the transport is not verified TLS, if it is not.
pub fn transport_warning(s: &StorageSpec) -> Option<&'static str> {
    match &s.endpoint_url {
        Some(u) if u.to_ascii_lowercase().starts_with("http://") => {
            Some("plain HTTP: requests travel unencrypted")
        }
        _ if !s.verify_ssl => Some("TLS not verified: the endpoint's certificate is not checked"),
        _ => None,
    }
}

/// The endpoint, or AWS's for the region.
pub fn target(s: &StorageSpec) -> String {
    match &s.endpoint_url {
        Some(url) => url.clone(),
        None => format!("s3.{}.amazonaws.com", s.region),
    }
}
