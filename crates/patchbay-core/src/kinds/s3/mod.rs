//! A cloud storage connection (AWS S3 and S3-compatible stores): its form, the rules its
//! fields follow, which changes move its saved secret key elsewhere, how safely it travels, and
//! how it is named, and what other programs get (URL, environment). Its check is `check.rs`, its
//! listing (buckets, prefixes, objects) `listing.rs`; the credentials it signs with (saved keys,
//! an AWS profile, an assumed role) `session.rs`.

pub(crate) mod check;
mod fields;
pub mod foreign;
mod identity;
pub mod listing;
pub mod profile;
pub mod role;
pub mod session;
pub mod sso;

pub use fields::{keeps_keys, keeps_no_keys, required, validate};

use super::form::{changed, Info};
use crate::check::endpoint::{self, Endpoint};
use crate::check::tls::{TlsSettings, Verify};
use crate::check::verdict::{Failure, StepName};
use crate::error::{Error, Result};
use crate::handoff::EnvBuilder;
use crate::model::{S3Spec, SecretField};
use crate::paste::{decode, first_label, Pasted};
use crate::validate::*;
use serde::Serialize;

pub fn info() -> Info {
    Info {
        tab: "Cloud Storage",
        menu_title: "Cloud Storage (S3)",
        empty_help: "Save AWS S3, S3-compatible (MinIO…), Azure Blob or Google Cloud Storage credentials; other programs get them with patchbay env NAME.",
        blank: crate::model::Spec::S3(S3Spec {
            access_key_id: String::new(),
            region: "us-east-1".into(),
            endpoint_url: None,
            verify_ssl: true,
            allow_http: false,
            ca_cert: None,
            session_expires: None,
            profile: None,
            role: None,
        }),
    }
}

/// How long before a session token expires the lists start to warn.
const EXPIRY_WARNING_MS: i64 = 15 * 60 * 1000;

/// A session token that expired or expires within 15 minutes.
pub fn credential_warning(s: &S3Spec, now: i64) -> Option<String> {
    let at = crate::clock::parse_rfc3339(s.session_expires.as_deref()?)?;
    if at <= now {
        Some(format!(
            "session token expired {}",
            crate::clock::relative(at, now)
        ))
    } else if at - now <= EXPIRY_WARNING_MS {
        Some(format!(
            "session token expires {}",
            crate::clock::relative(at, now)
        ))
    } else {
        None
    }
}

/// What changed that would send requests signed with the saved key elsewhere, or less safely.
pub fn moved(_field: SecretField, o: &S3Spec, n: &S3Spec) -> Option<String> {
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
pub fn transport_warning(s: &S3Spec) -> Option<&'static str> {
    match &s.endpoint_url {
        Some(u) if u.to_ascii_lowercase().starts_with("http://") => {
            Some("plain HTTP: requests travel unencrypted")
        }
        _ if !s.verify_ssl => Some("TLS not verified: the endpoint's certificate is not checked"),
        _ => None,
    }
}

/// The endpoint, or AWS's for the region.
pub fn target(s: &S3Spec) -> String {
    match &s.endpoint_url {
        Some(url) => url.clone(),
        None => format!("s3.{}.amazonaws.com", s.region),
    }
}

/// The endpoint of AWS `service` ("s3", "sts") a check or a listing opens: the connection's
/// own (an S3-compatible store serves both), or AWS's for the region; `http://` only when
/// allowed.
pub(crate) fn endpoint_of(s: &S3Spec, service: &str, step: StepName) -> Result<Endpoint, Failure> {
    let url = s
        .endpoint_url
        .clone()
        .unwrap_or_else(|| format!("https://{service}.{}.amazonaws.com", s.region));
    Endpoint::parse_allowing(
        &url,
        step,
        s.allow_http,
        "the endpoint",
        endpoint::HTTP_HINT,
    )
}

/// How the endpoint's certificate is checked: fully, against the saved CA or the system's,
/// unless verification is turned off.
pub(crate) fn tls(s: &S3Spec) -> TlsSettings<'_> {
    TlsSettings {
        verify: if s.verify_ssl {
            Verify::Full
        } else {
            Verify::Nothing
        },
        ca_pem: s.ca_cert.as_deref(),
        client: None,
        unverified: None,
    }
}

/// The endpoint URL (AWS's for the region when none is set).
pub fn url(s: &S3Spec) -> String {
    match &s.endpoint_url {
        Some(e) => e.clone(),
        None => format!("https://s3.{}.amazonaws.com", s.region),
    }
}

/// The variables AWS SDKs and tools read.
pub fn env(b: &mut EnvBuilder, s: &S3Spec) {
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
    for k in ["AWS_PROFILE", "AWS_SECURITY_TOKEN"] {
        b.unset(k);
    }
    b.secret("AWS_SECRET_ACCESS_KEY", SecretField::SecretAccessKey);
    if b.has_secret(SecretField::SessionToken) {
        b.secret("AWS_SESSION_TOKEN", SecretField::SessionToken);
        if let Some(at) = &s.session_expires {
            // botocore and the AWS SDKs read it as the credentials' expiry.
            b.plain("AWS_CREDENTIAL_EXPIRATION", at.clone());
        }
    } else {
        b.unset("AWS_SESSION_TOKEN");
    }
    // The AWS CLI and SDKs read a CA bundle file; "verify off" has no variable (the aws CLI's
    // --no-verify-ssl is a flag), so only the CA travels.
    if let (true, Some(ca)) = (s.verify_ssl, &s.ca_cert) {
        b.pem_file("AWS_CA_BUNDLE", ca);
    }
}

/// What an AWS `credential_process` prints: version 1 (the only one the SDKs accept), the
/// saved key, and for temporary credentials their token and expiry.
#[derive(Serialize, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
#[serde(rename_all = "PascalCase")]
pub struct CredentialProcess {
    pub version: u8,
    pub access_key_id: String,
    pub secret_access_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
}

/// The connection's credentials for `credential_process`; refused once its session expired
/// (an SDK would otherwise fail later, with a less clear error). `credential_process` cannot
/// say where the keys will go (the AWS profile names the endpoint), so keys saved for an
/// endpoint of their own (MinIO, moto, a private S3) are handed over only when the caller
/// states that endpoint (`stated_endpoint`, `--endpoint` in the profile's command line) and it
/// is the saved one; keys saved for AWS itself, only when no other endpoint is stated.
pub fn credential_process(
    name: &str,
    s: &S3Spec,
    secret: Option<&str>,
    token: Option<&str>,
    stated_endpoint: Option<&str>,
    now: i64,
) -> Result<CredentialProcess> {
    let same = |a: &str, b: &str| a.trim_end_matches('/') == b.trim_end_matches('/');
    match (&s.endpoint_url, stated_endpoint) {
        (None, None) => {}
        (Some(saved), Some(stated)) if same(saved, stated) => {}
        (Some(saved), None) => {
            return Err(Error::invalid(
                "endpoint",
                format!("\"{name}\" was saved for {saved}, and credential_process cannot tell where the AWS profile sends its keys (to AWS itself, unless the profile names that endpoint). If the profile uses {saved}, say so: credential_process = patchbay aws-credentials {name} --endpoint {saved}; or run the program with patchbay exec {name} -- …, which sets the endpoint"),
            ))
        }
        (saved, Some(stated)) => {
            let saved = saved.as_deref().unwrap_or("AWS itself");
            return Err(Error::invalid(
                "endpoint",
                format!("\"{name}\" was saved for {saved}, not {stated}: its keys go only to the endpoint they were saved for"),
            ));
        }
    }
    let secret = secret.ok_or_else(|| {
        Error::invalid(
            "secret_access_key",
            format!("\"{name}\" has no secret access key saved; add it with patchbay edit {name} --secret-key-stdin"),
        )
    })?;
    if let Some(at) = &s.session_expires {
        if crate::clock::parse_rfc3339(at).is_some_and(|t| t <= now) {
            return Err(Error::invalid(
                "session_expires",
                format!("the session token of \"{name}\" expired at {at}; save new temporary credentials: aws sts assume-role … --query Credentials | patchbay edit {name} --aws-credentials-stdin"),
            ));
        }
    }
    Ok(CredentialProcess {
        version: 1,
        access_key_id: s.access_key_id.clone(),
        secret_access_key: secret.to_string(),
        session_token: token.map(str::to_string),
        expiration: token.and(s.session_expires.clone()),
    })
}

/// AWS credentials as the AWS tools print them: `aws sts assume-role` / `get-session-token`
/// (`{"Credentials": {…}}`, or its `--query Credentials`), `aws configure export-credentials`
/// and `credential_process` output.
pub struct IssuedCredentials {
    pub access_key_id: String,
    pub secret_access_key: crate::secret::SecretString,
    pub session_token: Option<crate::secret::SecretString>,
    /// RFC 3339, normalised.
    pub expiration: Option<String>,
}

/// Reads AWS credentials JSON (see `IssuedCredentials`); errors name the JSON key that is wrong.
pub fn issued_credentials(text: &str) -> Result<IssuedCredentials> {
    let field = "aws_credentials";
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::invalid(
            field,
            format!(
                "is not JSON ({e}); pipe in what aws sts assume-role or get-session-token prints"
            ),
        )
    })?;
    let c = v.get("Credentials").unwrap_or(&v);
    let get = |k: &str| {
        c.get(k)
            .and_then(|x| x.as_str())
            .map(str::trim)
            .filter(|x| !x.is_empty())
    };
    let access_key_id = get("AccessKeyId").ok_or_else(|| {
        Error::invalid(
            field,
            "has no AccessKeyId; pipe in what aws sts assume-role or get-session-token prints",
        )
    })?;
    let secret =
        get("SecretAccessKey").ok_or_else(|| Error::invalid(field, "has no SecretAccessKey"))?;
    let expiration = match get("Expiration") {
        Some(t) => Some(crate::clock::rfc3339(
            crate::clock::parse_rfc3339(t).ok_or_else(|| {
                Error::invalid(
                    field,
                    format!("has an Expiration that is not a time: {}", quoted(t)),
                )
            })?,
        )),
        None => None,
    };
    Ok(IssuedCredentials {
        access_key_id: access_key_id.to_string(),
        secret_access_key: secret.into(),
        session_token: get("SessionToken").map(Into::into),
        expiration,
    })
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
        spec: crate::model::Spec::S3(S3Spec {
            access_key_id: decode(u.username()),
            region,
            endpoint_url: (!aws).then_some(endpoint),
            verify_ssl: true,
            allow_http: u.scheme() == "http",
            ca_cert: None,
            session_expires: None,
            profile: None,
            role: None,
        }),
        suggested_name: first_label(&host),
        has_password: u.password().is_some(),
        secret: None,
    })
}

/// The lines of `show` (the session token's only when `c` has one).
pub fn details(s: &S3Spec, c: &crate::model::Connection) -> super::shown::Lines {
    use super::shown::{text, Shown};
    let mut out = vec![("type", text("s3"))];
    if let Some(r) = &s.role {
        out.push(("assumes role", text(&r.role_arn)));
        let with = r
            .source
            .as_deref()
            .unwrap_or("this connection's credentials");
        out.push(("role assumed with", text(with)));
        for (label, v) in [
            ("external id", &r.external_id),
            ("mfa device", &r.mfa_serial),
        ] {
            if let Some(v) = v {
                out.push((label, text(v)));
            }
        }
    }
    match &s.profile {
        Some(p) => out.push(("aws profile", text(p))),
        None if !keeps_keys(s) => {}
        None => out.extend([
            ("access key id", text(&s.access_key_id)),
            (
                "secret access key",
                Shown::Secret(SecretField::SecretAccessKey),
            ),
        ]),
    }
    out.extend([
        ("region", text(&s.region)),
        (
            "endpoint url",
            text(s.endpoint_url.as_deref().unwrap_or("(AWS)")),
        ),
        ("verify ssl", text(s.verify_ssl)),
        ("allow unsafe http", text(s.allow_http)),
    ]);
    if c.has_secret(SecretField::SessionToken) {
        out.push(("session token", Shown::Secret(SecretField::SessionToken)));
        let expires = s.session_expires.as_deref().unwrap_or("(not given)");
        out.push(("session expires", text(expires)));
    }
    out
}
