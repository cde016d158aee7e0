//! An Azure Blob Storage / ADLS Gen2 connection: its form, the rules its fields and secrets follow
//! (account names, base64 account keys, SAS tokens with an expiry, GUIDs), which secrets each
//! auth mode uses, which changes move a saved secret elsewhere, how safely it travels, and what
//! other programs get (URL, environment, connection string). Pasted connection strings and URLs
//! are read in `paste.rs`, SAS tokens and keys in `secrets.rs`; the check is `check.rs` (the
//! shared-key signature and the service principal's token in `auth.rs`).

mod auth;
pub(crate) mod check;
pub mod foreign;
pub mod listing;
pub mod paste;
pub mod proof;
mod secrets;

use std::collections::BTreeSet;

use super::form::{changed, Info};
use crate::error::{Error, Result};
use crate::handoff::EnvBuilder;
use crate::model::{AzureAuth, AzureSpec, SecretField, Spec};
use crate::validate::*;

pub use secrets::{sas_expiry, sas_is_container_scoped, secret_value};

/// Where service-principal tokens come from unless a sovereign cloud says otherwise.
pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com";
/// The warning period before a SAS expires.
const SAS_WARNING_MS: i64 = 7 * 86_400_000;

pub fn info() -> Info {
    Info {
        tab: "Cloud Storage",
        menu_title: "Cloud Storage (Azure)",
        empty_help: "Save AWS S3, S3-compatible (MinIO…), Azure Blob or Google Cloud Storage credentials; other programs get them with patchbay env NAME.",
        blank: Spec::Azure(AzureSpec {
            account: String::new(),
            auth: AzureAuth::AccountKey,
            container: None,
            endpoint_url: None,
            allow_http: false,
            ca_cert: None,
            tenant_id: None,
            client_id: None,
            authority_host: None,
            sas_expires: None,
        }),
    }
}

/// The fields, checked and normalised.
pub fn validate(s: &AzureSpec) -> Result<AzureSpec> {
    let account = text("account", &s.account, true)?;
    if account.contains('.') || account.contains('/') {
        return Err(Error::invalid("account", "is the storage account's name, not its URL: mystore for https://mystore.blob.core.windows.net (paste a URL above to fill the form)"));
    }
    if !(3..=24).contains(&account.len())
        || !account
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    {
        return Err(Error::invalid(
            "account",
            format!(
                "{} is not a storage account name: 3–24 lowercase letters and digits",
                quoted(&account)
            ),
        ));
    }
    let container = match non_empty(&s.container) {
        Some(c) => Some(container_name(c)?),
        None => None,
    };
    let endpoint_url = optional_endpoint("endpoint_url", &s.endpoint_url, s.allow_http)?;
    let ca_cert = optional_certificates("ca_cert", &s.ca_cert)?;
    let sp = s.auth == AzureAuth::ServicePrincipal;
    let (tenant_id, client_id, authority_host) = if sp {
        let tenant = non_empty(&s.tenant_id).ok_or_else(|| {
            Error::invalid("tenant_id", "is required for a service principal: the directory (tenant) id, a GUID from the app registration's Overview")
        })?;
        if !is_guid(tenant) && !is_domain(tenant) {
            return Err(Error::invalid("tenant_id", format!("{} is not a tenant id: a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47 (or the tenant's domain)", quoted(tenant))));
        }
        let client = non_empty(&s.client_id).ok_or_else(|| {
            Error::invalid(
                "client_id",
                "is required for a service principal: the application (client) id, a GUID",
            )
        })?;
        if !is_guid(client) {
            return Err(Error::invalid("client_id", format!("{} is not a client id: the application (client) id is a GUID like 00000000-0000-0000-0000-000000000000", quoted(client))));
        }
        let authority = match non_empty(&s.authority_host) {
            Some(u) => Some(http_url(
                "authority_host",
                u,
                s.allow_http,
                "turn on \"allow unsafe HTTP\"",
            )?),
            None => None,
        };
        (
            Some(tenant.to_ascii_lowercase()),
            Some(client.to_ascii_lowercase()),
            authority,
        )
    } else {
        (None, None, None)
    };
    let sas_expires = match (s.auth, non_empty(&s.sas_expires)) {
        (AzureAuth::Sas, Some(t)) => Some(crate::clock::rfc3339(
            crate::clock::parse_rfc3339(t)
                .ok_or_else(|| Error::invalid("sas_expires", "is not a time"))?,
        )),
        _ => None,
    };
    Ok(AzureSpec {
        account,
        auth: s.auth,
        container,
        endpoint_url,
        allow_http: s.allow_http,
        ca_cert,
        tenant_id,
        client_id,
        authority_host,
        sas_expires,
    })
}

/// A container name: 3–63 lowercase letters, digits and single hyphens, starting and ending with
/// a letter or digit (or one of Azure's own: `$root`, `$logs`, `$web`).
fn container_name(c: &str) -> Result<String> {
    if ["$root", "$logs", "$web"].contains(&c) {
        return Ok(c.to_string());
    }
    let ok = (3..=63).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !c.starts_with('-')
        && !c.ends_with('-')
        && !c.contains("--");
    if !ok {
        return Err(Error::invalid(
            "container",
            format!(
                "{} is not a container name: 3–63 lowercase letters, digits and single hyphens",
                quoted(c)
            ),
        ));
    }
    Ok(c.to_string())
}

fn is_guid(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_domain(v: &str) -> bool {
    v.contains('.')
        && v.len() <= 253
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

/// Fields derived from new secret values: a new SAS's expiry.
pub fn derive(s: &mut AzureSpec, new_values: &[(SecretField, &str)], cleared: &[SecretField]) {
    for (field, value) in new_values {
        if *field == SecretField::SasToken {
            s.sas_expires = sas_expiry(value).ok().map(crate::clock::rfc3339);
        }
    }
    if cleared.contains(&SecretField::SasToken) {
        s.sas_expires = None;
    }
}

/// The secret field each auth mode uses (none for the ambient mode).
pub fn secret_field(auth: AzureAuth) -> Option<SecretField> {
    match auth {
        AzureAuth::AccountKey => Some(SecretField::AccountKey),
        AzureAuth::Sas => Some(SecretField::SasToken),
        AzureAuth::ServicePrincipal => Some(SecretField::ClientSecret),
        AzureAuth::Ambient => None,
    }
}

pub fn applies(s: &AzureSpec, field: SecretField) -> bool {
    secret_field(s.auth) == Some(field)
}

pub fn not_applicable(s: &AzureSpec, field: SecretField) -> Error {
    let wants = match field {
        SecretField::AccountKey => "account key",
        SecretField::SasToken => "SAS",
        _ => "service principal",
    };
    Error::invalid(
        field.as_str(),
        format!(
            "is used only with the {wants} auth mode, and this connection uses {}; choose that mode or leave it empty",
            s.auth.as_str()
        ),
    )
}

/// The auth mode's secret is required.
pub fn required(s: &AzureSpec, set: &BTreeSet<SecretField>) -> Result<()> {
    let need = |f: SecretField, how: &str| {
        if set.contains(&f) {
            Ok(())
        } else {
            Err(Error::invalid(f.as_str(), format!("is required; {how}")))
        }
    };
    match s.auth {
        AzureAuth::AccountKey => need(
            SecretField::AccountKey,
            "copy key1 or key2 from the storage account's Access keys",
        ),
        AzureAuth::Sas => need(SecretField::SasToken, "paste the SAS token (sv=…&sig=…)"),
        AzureAuth::ServicePrincipal => need(
            SecretField::ClientSecret,
            "paste the client secret's value from the app registration",
        ),
        AzureAuth::Ambient => Ok(()),
    }
}

/// What changed that would send the saved secret (or requests signed with it) elsewhere.
pub fn moved(field: SecretField, o: &AzureSpec, n: &AzureSpec) -> Option<String> {
    changed("storage account", &o.account, &n.account)
        .or_else(|| changed("endpoint URL", &o.endpoint_url, &n.endpoint_url))
        .or_else(|| (!o.allow_http && n.allow_http).then(|| "unsafe HTTP was allowed".to_string()))
        .or_else(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
        .or_else(|| {
            (field == SecretField::ClientSecret)
                .then(|| {
                    changed("tenant id", &o.tenant_id, &n.tenant_id)
                        .or_else(|| changed("client id", &o.client_id, &n.client_id))
                        .or_else(|| changed("authority host", &o.authority_host, &n.authority_host))
                })
                .flatten()
        })
}

pub fn transport_warning(s: &AzureSpec) -> Option<&'static str> {
    let http = |u: &Option<String>| {
        u.as_deref()
            .is_some_and(|u| u.to_ascii_lowercase().starts_with("http://"))
    };
    if http(&s.endpoint_url) {
        Some("plain HTTP: requests travel unencrypted")
    } else if s.auth == AzureAuth::ServicePrincipal && http(&s.authority_host) {
        Some("plain HTTP to the token endpoint: the client secret travels unencrypted")
    } else {
        None
    }
}

/// A SAS that expired or expires within 7 days.
pub fn credential_warning(s: &AzureSpec, now: i64) -> Option<String> {
    let at = crate::clock::parse_rfc3339(s.sas_expires.as_deref()?)?;
    let when = crate::clock::relative(at, now);
    if at <= now {
        Some(format!("SAS expired {when}"))
    } else if at - now <= SAS_WARNING_MS {
        Some(format!("SAS expires {when}"))
    } else {
        None
    }
}

/// The Blob service URL (without a trailing slash).
pub fn blob_endpoint(s: &AzureSpec) -> String {
    match &s.endpoint_url {
        Some(e) => e.trim_end_matches('/').to_string(),
        None => format!("https://{}.blob.core.windows.net", s.account),
    }
}

pub fn target(s: &AzureSpec) -> String {
    let base = match &s.endpoint_url {
        Some(e) => e.trim_end_matches('/').to_string(),
        None => format!("{}.blob.core.windows.net", s.account),
    };
    match &s.container {
        Some(c) => format!("{base}/{c}"),
        None => base,
    }
}

/// The Blob URL of the account or container; with a SAS when asked for.
pub fn url(s: &AzureSpec, sas: Option<&str>) -> String {
    let mut u = blob_endpoint(s);
    if let Some(c) = &s.container {
        u = format!("{u}/{c}");
    }
    match sas {
        Some(t) if s.auth == AzureAuth::Sas => format!("{u}?{}", t.trim().trim_start_matches('?')),
        _ => u,
    }
}

/// A connection string for the SDKs and tools that take one.
pub fn connection_string(s: &AzureSpec, key: Option<&str>, sas: Option<&str>) -> Option<String> {
    let auth = match (s.auth, key, sas) {
        (AzureAuth::AccountKey, Some(k), _) => format!("AccountKey={k}"),
        (AzureAuth::Sas, _, Some(t)) => {
            format!("SharedAccessSignature={}", t.trim().trim_start_matches('?'))
        }
        _ => return None,
    };
    let endpoint = match &s.endpoint_url {
        Some(e) => format!("BlobEndpoint={}", e.trim_end_matches('/')),
        None => "EndpointSuffix=core.windows.net".to_string(),
    };
    let protocol = if blob_endpoint(s).starts_with("http://") {
        "http"
    } else {
        "https"
    };
    Some(format!(
        "DefaultEndpointsProtocol={protocol};AccountName={};{auth};{endpoint}",
        s.account
    ))
}

/// The variables Azure SDKs, azcopy and the az CLI read.
pub fn env(b: &mut EnvBuilder, s: &AzureSpec) {
    b.ecosystem("AZURE_");
    b.plain("AZURE_STORAGE_ACCOUNT", s.account.clone());
    if let Some(c) = &s.container {
        b.plain("AZURE_STORAGE_CONTAINER", c.clone());
    }
    if s.endpoint_url.is_some() {
        b.plain("AZURE_STORAGE_BLOB_ENDPOINT", blob_endpoint(s));
    }
    match s.auth {
        AzureAuth::AccountKey => {
            b.secret("AZURE_STORAGE_KEY", SecretField::AccountKey);
            b.plain("AZURE_STORAGE_AUTH_MODE", "key");
        }
        AzureAuth::Sas => b.secret("AZURE_STORAGE_SAS_TOKEN", SecretField::SasToken),
        AzureAuth::ServicePrincipal => {
            b.plain("AZURE_TENANT_ID", s.tenant_id.clone().unwrap_or_default());
            b.plain("AZURE_CLIENT_ID", s.client_id.clone().unwrap_or_default());
            b.secret("AZURE_CLIENT_SECRET", SecretField::ClientSecret);
            if let Some(a) = &s.authority_host {
                b.plain("AZURE_AUTHORITY_HOST", a.clone());
            }
            b.plain("AZURE_STORAGE_AUTH_MODE", "login");
        }
        AzureAuth::Ambient => b.plain("AZURE_STORAGE_AUTH_MODE", "login"),
    }
    if let Some(field) = secret_field(s.auth).filter(|f| *f != SecretField::ClientSecret) {
        let key = b
            .secret_value(SecretField::AccountKey)
            .map(|v| v.expose().to_string());
        let sas = b
            .secret_value(SecretField::SasToken)
            .map(|v| v.expose().to_string());
        match connection_string(s, key.as_deref(), sas.as_deref()) {
            Some(cs) => b.derived_secret("AZURE_STORAGE_CONNECTION_STRING", cs),
            None => b.withheld_if_set("AZURE_STORAGE_CONNECTION_STRING", field),
        }
    }
    if let Some(ca) = &s.ca_cert {
        // The Python SDKs (requests) read it; Go and .NET use the system store.
        b.pem_file("REQUESTS_CA_BUNDLE", ca);
    }
}

/// The lines of `show`.
pub fn details(a: &AzureSpec) -> super::shown::Lines {
    use super::shown::{text, Shown};
    let mut out = vec![("type", text("azure")), ("account", text(&a.account))];
    out.push(("auth", text(a.auth.as_str())));
    if let Some(field) = secret_field(a.auth) {
        out.push((field.label(), Shown::Secret(field)));
    }
    if a.auth == AzureAuth::ServicePrincipal {
        out.push(("tenant id", text(a.tenant_id.as_deref().unwrap_or(""))));
        out.push(("client id", text(a.client_id.as_deref().unwrap_or(""))));
    }
    out.push((
        "container",
        text(a.container.as_deref().unwrap_or("(none)")),
    ));
    let endpoint = a.endpoint_url.as_deref().unwrap_or("(Azure public cloud)");
    out.push(("endpoint url", text(endpoint)));
    if let Some(at) = &a.sas_expires {
        out.push(("SAS expires", text(at)));
    }
    out
}
