//! How an Azure Blob request proves who sends it: a SharedKey signature over the request (the
//! account key never travels), or a service principal's OAuth token from Microsoft Entra ID
//! (client credentials, scope `https://storage.azure.com/.default`), or the Azure CLI's login.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::check::endpoint::{self, Endpoint};
use crate::check::tls::TlsSettings;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::AzureSpec;

/// The REST API version the check speaks (Azurite 3.35 accepts it).
pub const VERSION: &str = "2024-11-04";

/// `Tue, 01 Dec 2026 15:19:52 GMT` for a time in milliseconds since the epoch.
pub fn rfc1123(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let iso = crate::clock::rfc3339(ms); // 2026-12-01T15:19:52.123Z
    let day = DAYS[ms.div_euclid(86_400_000).rem_euclid(7) as usize];
    let month = MONTHS[iso[5..7].parse::<usize>().unwrap_or(1) - 1];
    format!(
        "{day}, {} {month} {} {} GMT",
        &iso[8..10],
        &iso[0..4],
        &iso[11..19]
    )
}

/// The `Authorization: SharedKey ACCOUNT:SIGNATURE` header of a GET with no body, where
/// `resource_path` is the URL path (the account's own for path-style endpoints) and `query` the
/// decoded query parameters.
pub fn shared_key(
    account: &str,
    key_b64: &str,
    resource_path: &str,
    query: &[(&str, &str)],
    ms_headers: &[(&str, &str)],
) -> Option<String> {
    let key = base64::engine::general_purpose::STANDARD
        .decode(key_b64.trim())
        .ok()?;
    // VERB, then 11 standard headers (all empty for a bodiless GET), then x-ms-* and resource.
    let mut s = String::from("GET\n");
    s.push_str(&"\n".repeat(11));
    let mut headers: Vec<_> = ms_headers.to_vec();
    headers.sort();
    for (k, v) in headers {
        s.push_str(&format!("{k}:{v}\n"));
    }
    s.push_str(&format!("/{account}{resource_path}"));
    let mut params: Vec<(String, &str)> = query
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), *v))
        .collect();
    params.sort();
    for (k, v) in params {
        s.push_str(&format!("\n{k}:{v}"));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(s.as_bytes());
    let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    Some(format!("SharedKey {account}:{sig}"))
}

fn form_encode(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A service principal's access token for Azure Storage, from the tenant's token endpoint
/// (its own name lookup, TCP and TLS steps, then `auth`).
pub async fn service_principal_token(
    rec: &mut Recorder,
    s: &AzureSpec,
    client_secret: &str,
) -> Result<zeroize::Zeroizing<String>, Failure> {
    let authority = s
        .authority_host
        .clone()
        .unwrap_or_else(|| crate::kinds::azure::DEFAULT_AUTHORITY.to_string());
    let tenant = s.tenant_id.clone().unwrap_or_default();
    let client = s.client_id.clone().unwrap_or_default();
    let ep = Endpoint::parse_allowing(
        &authority,
        StepName::Auth,
        s.allow_http,
        "the token endpoint",
        "use https://, or turn on \"allow unsafe HTTP\" (the client secret would travel unencrypted)",
    )?;
    let first = rec.step_count();
    let settings = TlsSettings::verified(s.ca_cert.as_deref());
    let io = endpoint::open(rec, &ep, &settings).await;
    rec.prefix_since(first, "token endpoint: ");
    let io = io?;
    let path = format!("{}/{tenant}/oauth2/v2.0/token", ep.base_path);
    let body = zeroize::Zeroizing::new(form_encode(&[
        ("grant_type", "client_credentials"),
        ("client_id", &client),
        ("client_secret", client_secret),
        ("scope", "https://storage.azure.com/.default"),
    ]));
    let headers = vec![(
        "Content-Type".to_string(),
        "application/x-www-form-urlencoded".to_string(),
    )];
    let host = ep.host.clone();
    endpoint::send(
        rec,
        StepName::Auth,
        io,
        &ep,
        ("POST", &path, body.as_bytes().to_vec()),
        headers,
        move |r| judge_token(r.status, &r.body, &host, &tenant, &client),
    )
    .await
}

/// Reads a token endpoint's answer: the token, or which of tenant, client id and secret is
/// wrong (Entra's AADSTS codes).
fn judge_token(
    status: u16,
    body: &str,
    host: &str,
    tenant: &str,
    client: &str,
) -> Result<zeroize::Zeroizing<String>, Failure> {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    if status == 200 {
        if let Some(t) = v["access_token"].as_str() {
            return Ok(zeroize::Zeroizing::new(t.to_string()));
        }
        return Err(
            Failure::new(StepName::Auth, format!("{host} answered without a token"))
                .hint("is the authority host a Microsoft Entra ID endpoint?"),
        );
    }
    let desc = v["error_description"].as_str().unwrap_or("");
    let code = desc.split(':').next().unwrap_or("").trim();
    let error = format!("HTTP {status} {}", v["error"].as_str().unwrap_or(""));
    let f = |msg: String, hint: &str| {
        Failure::new(StepName::Auth, msg)
            .error(error.trim())
            .hint(hint)
    };
    Err(match code {
        "AADSTS7000215" | "AADSTS7000222" => f(
            format!("the client secret of application {client} was refused (wrong or expired)"),
            "create a new client secret under the app registration's Certificates & secrets and paste its value (not its id)",
        ),
        "AADSTS700016" => f(
            format!("application {client} is not known in tenant {tenant}"),
            "check the client id, and that the app is registered in this tenant",
        ),
        "AADSTS90002" | "AADSTS900023" => f(
            format!("tenant {tenant} does not exist"),
            "check the tenant id (Directory (tenant) ID on the app registration's Overview)",
        ),
        "AADSTS7000112" | "AADSTS700024" => f(
            format!("application {client} is disabled"),
            "ask an administrator to enable the service principal",
        ),
        _ => f(
            format!("{host} refused the token request"),
            "check the tenant id, client id and client secret",
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_http_wants_them() {
        assert_eq!(rfc1123(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(rfc1123(1_795_612_647_123), "Wed, 25 Nov 2026 13:17:27 GMT");
    }

    #[test]
    fn the_shared_key_string_to_sign_follows_the_documented_layout() {
        // HMAC-SHA256 over the documented string, recomputed here by hand.
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
        let got = shared_key(
            "acct",
            &key,
            "/",
            &[("maxresults", "1"), ("comp", "list")],
            &[("x-ms-version", VERSION), ("x-ms-date", "D")],
        )
        .unwrap();
        let expected_string = format!(
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:D\nx-ms-version:{VERSION}\n/acct/\ncomp:list\nmaxresults:1"
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(&[7u8; 64]).unwrap();
        mac.update(expected_string.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(got, format!("SharedKey acct:{sig}"));
        assert!(shared_key("acct", "not base64!", "/", &[], &[]).is_none());
    }

    #[test]
    fn token_errors_name_the_wrong_part() {
        let body = |code: &str| {
            format!(r#"{{"error":"invalid_client","error_description":"{code}: something"}}"#)
        };
        let msg = |code: &str| {
            judge_token(401, &body(code), "login", "t", "c")
                .unwrap_err()
                .message
        };
        for (code, said) in [
            (
                "AADSTS7000215",
                "the client secret of application c was refused (wrong or expired)",
            ),
            (
                "AADSTS7000222",
                "the client secret of application c was refused (wrong or expired)",
            ),
            ("AADSTS700016", "application c is not known in tenant t"),
            ("AADSTS90002", "tenant t does not exist"),
            ("AADSTS900023", "tenant t does not exist"),
            ("AADSTS7000112", "application c is disabled"),
            ("AADSTS700024", "application c is disabled"),
            ("AADSTS50000", "login refused the token request"),
        ] {
            assert_eq!(msg(code), said, "{code}");
        }
        let f = judge_token(401, &body("AADSTS700016"), "login", "t", "c").unwrap_err();
        assert_eq!(f.error.as_deref(), Some("HTTP 401 invalid_client"));
        let ok = judge_token(200, r#"{"access_token":"tok"}"#, "login", "t", "c").unwrap();
        assert_eq!(ok.as_str(), "tok");
        let none = judge_token(200, "{}", "login", "t", "c").unwrap_err();
        assert_eq!(none.message, "login answered without a token");
    }
}
