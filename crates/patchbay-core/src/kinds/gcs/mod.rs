//! A Google Cloud Storage connection: its form, the rules its fields and secrets follow (project
//! ids, bucket names, service-account JSON keys whose private key must parse), which secret each
//! auth mode uses, which changes move a saved secret elsewhere, how safely it travels, and what
//! other programs get (URL, environment: the key as a private file for
//! GOOGLE_APPLICATION_CREDENTIALS). The check is `check.rs`, the listing `listing.rs`.

pub mod check;
pub mod foreign;
pub mod listing;

use std::collections::BTreeSet;

use serde::Deserialize;

use super::form::{changed, Info};
use crate::error::{Error, Result};
use crate::handoff::EnvBuilder;
use crate::model::{GcsAuth, GcsSpec, SecretField, Spec};
use crate::validate::*;

/// Google's endpoint for the JSON and XML APIs.
pub const DEFAULT_ENDPOINT: &str = "https://storage.googleapis.com";

pub fn info() -> Info {
    Info {
        tab: "Cloud Storage",
        menu_title: "Cloud Storage (Google)",
        empty_help: "Save AWS S3, S3-compatible (MinIO…), Azure Blob or Google Cloud Storage credentials; other programs get them with patchbay env NAME.",
        blank: Spec::Gcs(GcsSpec {
            auth: GcsAuth::ServiceAccount,
            project_id: None,
            client_email: None,
            bucket: None,
            hmac_access_id: None,
            endpoint_url: None,
            allow_http: false,
            ca_cert: None,
        }),
    }
}

/// The fields of a service account's JSON key that Patchbay uses.
#[derive(Deserialize)]
pub struct ServiceAccountKey {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub project_id: Option<String>,
    #[serde(default)]
    pub private_key_id: Option<String>,
    pub private_key: String,
    pub client_email: String,
    #[serde(default)]
    pub token_uri: Option<String>,
}

/// Reads a service account JSON key; errors say what is wrong with it.
pub fn service_account_key(text: &str) -> Result<ServiceAccountKey> {
    let field = "service_account_key";
    let v: serde_json::Value = serde_json::from_str(text.trim()).map_err(|_| {
        Error::invalid(
            field,
            "is not JSON: paste the whole key file you downloaded (Keys → Add key → JSON)",
        )
    })?;
    if v.get("type").and_then(|t| t.as_str()) != Some("service_account") {
        return Err(Error::invalid(field, "is not a service account key (its \"type\" is not \"service_account\"); a gcloud user login belongs to the application default credentials mode"));
    }
    let key: ServiceAccountKey = serde_json::from_value(v).map_err(|e| {
        Error::invalid(
            field,
            format!("lacks a field of a service account key ({e})"),
        )
    })?;
    if !key.client_email.contains('@') {
        return Err(Error::invalid(field, "has no client_email"));
    }
    if key.token_uri.as_deref().is_none_or(str::is_empty) {
        return Err(Error::invalid(
            field,
            "has no token_uri; paste the whole key file",
        ));
    }
    rsa_key(&key.private_key)
        .map_err(|why| Error::invalid(field, format!("has a private_key that {why}")))?;
    Ok(key)
}

/// The RSA key pair of a `private_key` PEM (PKCS #8, as Google issues them).
pub fn rsa_key(pem_text: &str) -> std::result::Result<ring::rsa::KeyPair, &'static str> {
    let block = pem::parse(pem_text).map_err(|_| "is not PEM")?;
    if block.tag() != "PRIVATE KEY" {
        return Err("is not a PKCS #8 private key");
    }
    ring::rsa::KeyPair::from_pkcs8(block.contents()).map_err(|_| "is not an RSA key ring can use")
}

/// The fields, checked and normalised.
pub fn validate(s: &GcsSpec) -> Result<GcsSpec> {
    let project_id = match non_empty(&s.project_id) {
        Some(p) => {
            let ok = (6..=30).contains(&p.len())
                && p.starts_with(|c: char| c.is_ascii_lowercase())
                && !p.ends_with('-')
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !ok {
                return Err(Error::invalid("project_id", format!("{} is not a project id: 6–30 lowercase letters, digits and hyphens, starting with a letter (the id, not the project's name or number)", quoted(p))));
            }
            Some(p.to_string())
        }
        None => None,
    };
    let bucket = match non_empty(&s.bucket) {
        Some(b) => {
            let b = b.trim_start_matches("gs://").trim_end_matches('/');
            let ok = (3..=222).contains(&b.len())
                && b.split('.').all(|part| (1..=63).contains(&part.len()))
                && b.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && b.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
                && b.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"-_.".contains(&c));
            if !ok {
                return Err(Error::invalid("bucket", format!("{} is not a bucket name: 3–63 lowercase letters, digits, '-', '_' (and dots)", quoted(b))));
            }
            Some(b.to_string())
        }
        None => None,
    };
    let hmac_access_id = match (s.auth, non_empty(&s.hmac_access_id)) {
        (GcsAuth::Hmac, None) => {
            return Err(Error::invalid(
                "hmac_access_id",
                "is required for an HMAC key: its access id (GOOG…), from Cloud Storage → Settings → Interoperability",
            ))
        }
        (GcsAuth::Hmac, Some(id)) => {
            let id = text("hmac_access_id", id, true)?;
            let id = id.as_str();
            if !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::invalid(
                    "hmac_access_id",
                    format!("{} is not an HMAC access id (letters and digits, GOOG…)", quoted(id)),
                ));
            }
            Some(id.to_string())
        }
        _ => None,
    };
    let endpoint_url = optional_endpoint("endpoint_url", &s.endpoint_url, s.allow_http)?;
    let ca_cert = optional_certificates("ca_cert", &s.ca_cert)?;
    Ok(GcsSpec {
        auth: s.auth,
        project_id,
        client_email: (s.auth == GcsAuth::ServiceAccount)
            .then(|| non_empty(&s.client_email).map(str::to_string))
            .flatten(),
        bucket,
        hmac_access_id,
        endpoint_url,
        allow_http: s.allow_http,
        ca_cert,
    })
}

/// A service account key is checked when saved.
pub fn secret_value(field: SecretField, value: &str) -> Result<()> {
    match field {
        SecretField::ServiceAccountKey => service_account_key(value).map(|_| ()),
        _ => Ok(()),
    }
}

/// A new key names its service account and, unless one was given, the project.
pub fn derive(s: &mut GcsSpec, new_values: &[(SecretField, &str)], cleared: &[SecretField]) {
    for (field, value) in new_values {
        if *field == SecretField::ServiceAccountKey {
            if let Ok(k) = service_account_key(value) {
                s.client_email = Some(k.client_email);
                if s.project_id.is_none() {
                    s.project_id = k.project_id;
                }
            }
        }
    }
    if cleared.contains(&SecretField::ServiceAccountKey) {
        s.client_email = None;
    }
}

pub fn secret_field(auth: GcsAuth) -> Option<SecretField> {
    match auth {
        GcsAuth::ServiceAccount => Some(SecretField::ServiceAccountKey),
        GcsAuth::Hmac => Some(SecretField::HmacSecret),
        GcsAuth::ApplicationDefault => None,
    }
}

pub fn applies(s: &GcsSpec, field: SecretField) -> bool {
    secret_field(s.auth) == Some(field)
}

pub fn not_applicable(s: &GcsSpec, field: SecretField) -> Error {
    Error::invalid(
        field.as_str(),
        format!(
            "is not used with the {} auth mode; choose the mode it belongs to or leave it empty",
            s.auth.as_str()
        ),
    )
}

pub fn required(s: &GcsSpec, set: &BTreeSet<SecretField>) -> Result<()> {
    match secret_field(s.auth) {
        Some(SecretField::ServiceAccountKey) if !set.contains(&SecretField::ServiceAccountKey) => {
            Err(Error::invalid(
                "service_account_key",
                "is required; paste the service account's JSON key",
            ))
        }
        Some(SecretField::HmacSecret) if !set.contains(&SecretField::HmacSecret) => Err(
            Error::invalid("hmac_secret", "is required; paste the HMAC key's secret"),
        ),
        _ if s.project_id.is_none() && s.bucket.is_none() => Err(Error::invalid(
            "project_id",
            "is required to list buckets (or give a bucket): the project id, e.g. my-project-123",
        )),
        _ => Ok(()),
    }
}

pub fn moved(_field: SecretField, o: &GcsSpec, n: &GcsSpec) -> Option<String> {
    changed("endpoint URL", &o.endpoint_url, &n.endpoint_url)
        .or_else(|| (!o.allow_http && n.allow_http).then(|| "unsafe HTTP was allowed".to_string()))
        .or_else(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
}

pub fn transport_warning(s: &GcsSpec) -> Option<&'static str> {
    s.endpoint_url
        .as_deref()
        .filter(|u| u.to_ascii_lowercase().starts_with("http://"))
        .map(|_| "plain HTTP: requests travel unencrypted")
}

pub fn endpoint(s: &GcsSpec) -> String {
    s.endpoint_url
        .as_deref()
        .unwrap_or(DEFAULT_ENDPOINT)
        .trim_end_matches('/')
        .to_string()
}

/// The S3 view of an HMAC connection: Google's XML API speaks SigV4 (region "auto").
pub fn as_s3(s: &GcsSpec) -> crate::model::S3Spec {
    crate::model::S3Spec {
        access_key_id: s.hmac_access_id.clone().unwrap_or_default(),
        region: "auto".into(),
        endpoint_url: Some(endpoint(s)),
        verify_ssl: true,
        allow_http: s.allow_http,
        ca_cert: s.ca_cert.clone(),
        session_expires: None,
        profile: None,
        role: None,
    }
}

pub fn target(s: &GcsSpec) -> String {
    match (&s.bucket, &s.project_id) {
        (Some(b), _) => format!("gs://{b}"),
        (None, Some(p)) => format!("project {p}"),
        (None, None) => endpoint(s),
    }
}

pub fn url(s: &GcsSpec) -> String {
    match &s.bucket {
        Some(b) => format!("gs://{b}"),
        None => endpoint(s),
    }
}

/// The variables Google's libraries and gcloud read (HMAC keys: the S3 tools' ones).
pub fn env(b: &mut EnvBuilder, s: &GcsSpec) {
    b.ecosystem("GOOGLE_");
    b.ecosystem("CLOUDSDK_");
    if let Some(p) = &s.project_id {
        b.plain("GOOGLE_CLOUD_PROJECT", p.clone());
        b.plain("CLOUDSDK_CORE_PROJECT", p.clone());
    }
    if let Some(bucket) = &s.bucket {
        b.plain("GCS_BUCKET", bucket.clone());
    }
    if let Some(e) = &s.endpoint_url {
        // Not STORAGE_EMULATOR_HOST: with it Google's SDKs send no credentials at all. The Python
        // library's endpoint override keeps them (scheme and host only); gcloud's names the API.
        let e = e.trim_end_matches('/');
        b.plain("API_ENDPOINT_OVERRIDE", e.to_string());
        b.plain(
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE",
            format!("{e}/storage/v1/"),
        );
    }
    match s.auth {
        GcsAuth::ServiceAccount => b.secret_file(
            "GOOGLE_APPLICATION_CREDENTIALS",
            SecretField::ServiceAccountKey,
            "key.json",
        ),
        GcsAuth::Hmac => {
            b.ecosystem("AWS_");
            b.plain(
                "AWS_ACCESS_KEY_ID",
                s.hmac_access_id.clone().unwrap_or_default(),
            );
            b.secret("AWS_SECRET_ACCESS_KEY", SecretField::HmacSecret);
            b.plain("AWS_ENDPOINT_URL", endpoint(s));
            b.plain("AWS_REGION", "auto");
        }
        GcsAuth::ApplicationDefault => {}
    }
    if let Some(ca) = &s.ca_cert {
        b.pem_file("REQUESTS_CA_BUNDLE", ca);
    }
}

/// `gs://bucket/path`, as a form to fill.
pub fn paste(t: &str) -> Result<crate::paste::Pasted> {
    let rest = t.split_once("://").map_or(t, |(_, r)| r);
    let bucket = rest.split('/').next().unwrap_or("").to_string();
    if bucket.is_empty() {
        return Err(Error::invalid("url", "names no bucket: gs://BUCKET/path"));
    }
    let mut spec = match info().blank {
        Spec::Gcs(g) => g,
        _ => unreachable!("the GCS form is a GCS spec"),
    };
    spec.bucket = Some(bucket.clone());
    Ok(crate::paste::Pasted {
        spec: Spec::Gcs(spec),
        suggested_name: bucket,
        has_password: false,
        secret: None,
    })
}

/// The lines of `show`.
pub fn details(g: &GcsSpec) -> super::shown::Lines {
    use super::shown::{text, Shown};
    let mut out = vec![
        ("type", text("gcs")),
        ("auth", text(g.auth.as_str())),
        ("project", text(g.project_id.as_deref().unwrap_or("(none)"))),
        ("bucket", text(g.bucket.as_deref().unwrap_or("(none)"))),
    ];
    match g.auth {
        GcsAuth::ServiceAccount => {
            let email = g.client_email.as_deref().unwrap_or("");
            out.push(("service account", text(email)));
            out.push(("key", Shown::Secret(SecretField::ServiceAccountKey)));
        }
        GcsAuth::Hmac => {
            let id = g.hmac_access_id.as_deref().unwrap_or("");
            out.push(("hmac access id", text(id)));
            out.push(("hmac secret", Shown::Secret(SecretField::HmacSecret)));
        }
        GcsAuth::ApplicationDefault => {}
    }
    out.push((
        "endpoint url",
        text(g.endpoint_url.as_deref().unwrap_or("(Google)")),
    ));
    out
}
