//! A cloud storage connection (AWS S3 and S3-compatible stores): its form, the rules its
//! fields follow, which changes move its saved secret key elsewhere, how safely it travels, and
//! how it is named, and what other programs get (URL, environment). Its check is
//! `probe/storage.rs`.

use super::{changed, Info};
use crate::error::{Error, Result};
use crate::handoff::EnvBuilder;
use crate::model::{SecretField, StorageSpec};
use crate::paste::{decode, first_label, Pasted};
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
            ca_cert: None,
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
    let ca_cert = match s
        .ca_cert
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(pem) => Some(pem_certificates("ca_cert", pem)?),
        None => None,
    };
    Ok(StorageSpec {
        access_key_id,
        region,
        endpoint_url,
        verify_ssl: s.verify_ssl,
        allow_http: s.allow_http,
        ca_cert,
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
        .or_else(|| {
            o.verify_ssl
                .then(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
                .flatten()
        })
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

/// The endpoint URL (AWS's for the region when none is set).
pub fn url(s: &StorageSpec) -> String {
    match &s.endpoint_url {
        Some(e) => e.clone(),
        None => format!("https://s3.{}.amazonaws.com", s.region),
    }
}

/// The variables AWS SDKs and tools read.
pub fn env(b: &mut EnvBuilder, s: &StorageSpec) {
    // Profiles, config and credentials files, CA bundles, session tokens, role settings: none of
    // the caller's AWS_* variables mix in.
    b.ecosystem("AWS_");
    b.plain("AWS_ACCESS_KEY_ID", s.access_key_id.clone());
    b.plain("AWS_REGION", s.region.clone());
    b.plain("AWS_DEFAULT_REGION", s.region.clone());
    if let Some(e) = &s.endpoint_url {
        b.plain("AWS_ENDPOINT_URL", e.clone());
        b.plain("AWS_ENDPOINT_URL_S3", e.clone());
    }
    // Keep consumers from mixing in other credentials (a profile in ~/.aws, a session token
    // belonging to other keys).
    for k in ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"] {
        b.unset(k);
    }
    b.secret("AWS_SECRET_ACCESS_KEY", SecretField::SecretAccessKey);
    // The AWS CLI and SDKs read a CA bundle file; "verify off" has no variable (the aws CLI's
    // --no-verify-ssl is a flag), so only the CA travels.
    if let (true, Some(ca)) = (s.verify_ssl, &s.ca_cert) {
        b.pem_file("AWS_CA_BUNDLE", ca);
    }
}

/// A pasted URL of this kind, as a form to fill.
pub fn paste(t: &str) -> Result<Pasted> {
    let u = url::Url::parse(t)
        .map_err(|e| crate::error::Error::invalid("url", format!("is not a valid URL ({e})")))?;
    let host = u.host_str().unwrap_or("").to_string();
    let endpoint = format!(
        "{}://{}{}",
        u.scheme(),
        host,
        u.port().map(|p| format!(":{p}")).unwrap_or_default()
    );
    let region = host
        .strip_prefix("s3.")
        .and_then(|r| r.strip_suffix(".amazonaws.com"))
        .filter(|r| !r.is_empty())
        .unwrap_or("us-east-1")
        .to_string();
    let aws = host.ends_with(".amazonaws.com");
    Ok(Pasted {
        spec: crate::model::Spec::Storage(StorageSpec {
            access_key_id: decode(u.username()),
            region,
            endpoint_url: (!aws).then_some(endpoint),
            verify_ssl: true,
            allow_http: u.scheme() == "http",
            ca_cert: None,
        }),
        suggested_name: first_label(&host),
        has_password: u.password().is_some(),
    })
}
