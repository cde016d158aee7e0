//! The object-store check: one SigV4-signed ListBuckets request with exactly the saved
//! credentials, path-style against a custom endpoint, telling apart an unknown key id, a wrong
//! secret, a key that may not list, an unreachable endpoint and a TLS failure.

use crate::check::endpoint::{self, Endpoint};
use crate::check::http::{xml_tag, Response};
use crate::check::sigv4;
use crate::check::tls::{TlsSettings, Verify};
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::S3Spec;

pub async fn check(
    rec: &mut Recorder,
    s: &S3Spec,
    secret: Option<&str>,
    session_token: Option<&str>,
) -> Result<String, Failure> {
    let url = s
        .endpoint_url
        .clone()
        .unwrap_or_else(|| format!("https://s3.{}.amazonaws.com", s.region));
    let ep = Endpoint::parse_allowing(
        &url,
        StepName::Request,
        s.allow_http,
        "the endpoint",
        endpoint::HTTP_HINT,
    )?;
    let secret = secret.ok_or_else(|| {
        Failure::new(StepName::Auth, "no secret access key is saved")
            .hint("enter the secret access key")
    })?;
    let settings = TlsSettings {
        verify: if s.verify_ssl {
            Verify::Full
        } else {
            Verify::Nothing
        },
        ca_pem: s.ca_cert.as_deref(),
        client: None,
        unverified: None,
    };
    let io = endpoint::open(rec, &ep, &settings).await.map_err(|f| match (f.step, s.verify_ssl) {
        (StepName::Tls, true) if f.message.contains("certificate") => {
            let hint = if s.ca_cert.is_some() {
                "the CA certificate you gave did not sign the endpoint's certificate: check you have the right CA"
            } else {
                "the endpoint's certificate is not signed by a CA this machine trusts: add the store's CA certificate, or for a self-signed certificate you trust, turn off \"verify SSL\""
            };
            f.hint(hint)
        }
        _ => f,
    })?;
    let path = if ep.base_path.is_empty() {
        "/".to_string()
    } else {
        format!("{}/", ep.base_path)
    };
    let now = crate::clock::now_ms();
    let credentials = sigv4::Credentials {
        access_key_id: &s.access_key_id,
        secret,
        session_token,
    };
    let headers = sigv4::sign_get(&ep.authority, &path, &s.region, &credentials, now);
    if let Some(at) = &s.session_expires {
        rec.fact("session token expires", at.clone());
    }
    let who = Who {
        access_key_id: s.access_key_id.clone(),
        region: s.region.clone(),
        has_token: session_token.is_some(),
        expired_at: s
            .session_expires
            .clone()
            .filter(|t| crate::clock::parse_rfc3339(t).is_some_and(|at| at <= now)),
    };
    let (message, facts) = endpoint::get(rec, StepName::Auth, io, &ep, &path, headers, move |r| {
        judge(r, &who)
    })
    .await?;
    for (label, value) in facts {
        rec.fact(label, value);
    }
    Ok(message)
}

/// Facts learned from the answer, as (label, value).
type Facts = Vec<(&'static str, String)>;

/// What the verdict needs to know about the credentials that signed the request.
struct Who {
    access_key_id: String,
    region: String,
    has_token: bool,
    /// The saved expiry, when it has passed.
    expired_at: Option<String>,
}

/// Reads a ListBuckets answer: the message and facts of a success, or why it failed.
fn judge(r: Response, who: &Who) -> Result<(String, Facts), Failure> {
    let (ak, region) = (who.access_key_id.as_str(), who.region.as_str());
    let code = xml_tag(&r.body, "Code").unwrap_or("");
    let server_msg = xml_tag(&r.body, "Message").unwrap_or("");
    let fail = |step: StepName, msg: String, hint: &str| {
        Failure::new(step, msg)
            .error(
                format!("HTTP {} {code} {server_msg}", r.status)
                    .trim()
                    .to_string(),
            )
            .hint(hint)
    };
    match (r.status, code) {
        (200, _) if r.body.contains("ListAllMyBucketsResult") => {
            let buckets = r.body.matches("<Bucket>").count();
            Ok((format!("credentials accepted; {buckets} bucket(s) visible"), vec![("buckets visible", buckets.to_string())]))
        }
        (200, _) => Err(fail(StepName::Request, "the endpoint answered, but not like S3".into(), "is this the S3 API endpoint (not the web console)?")),
        (_, "ExpiredToken") => Err(fail(StepName::Auth, match &who.expired_at {
            Some(at) => format!("the session token expired at {at}"),
            None => "the store says the session token has expired".to_string(),
        }, "temporary credentials expire: get new ones (aws sts assume-role / get-session-token) and save the key id, secret and token together")),
        (_, "InvalidToken" | "InvalidClientTokenId") if who.has_token => Err(fail(StepName::Auth, format!("the store refused the session token sent with access key id {ak}"), "the session token does not belong to this key id: paste the token issued with it")),
        (_, "InvalidAccessKeyId") if !who.has_token && ak.starts_with("ASIA") => Err(fail(StepName::Auth, format!("access key id {ak} is temporary (ASIA…) but no session token is saved"), "paste the session token issued with these temporary credentials")),
        (_, "InvalidAccessKeyId" | "NotSignedUp") if who.expired_at.is_some() => Err(fail(StepName::Auth, format!("the store does not know access key id {ak}; its session token expired at {}", who.expired_at.as_deref().unwrap_or("")), "temporary credentials expire: get new ones and save the key id, secret and token together")),
        (_, "InvalidAccessKeyId" | "NotSignedUp") => Err(fail(StepName::Auth, format!("the store does not know access key id {ak}"), "check the access key id: it is not known to this store (or was deleted)")),
        (_, "SignatureDoesNotMatch") => Err(fail(StepName::Auth, format!("the secret access key does not match access key id {ak}"), "wrong secret access key: enter the secret that belongs to this key id")),
        (_, "AccessDenied" | "AllAccessDisabled") => Ok((
            format!("credentials accepted, but access key {ak} may not list buckets (AccessDenied); that is fine if it only uses specific buckets"),
            vec![("list buckets", "denied".to_string())],
        )),
        (_, "RequestTimeTooSkewed") => Err(fail(StepName::Auth, "the store refused the request time".into(), "this computer's clock is off: set the time (NTP)")),
        (_, "AuthorizationHeaderMalformed" | "InvalidRegion") => Err(fail(StepName::Auth, format!("the store refused region {region}"), "set the bucket's region")),
        (status, _) => Err(fail(StepName::Request, format!("the endpoint answered HTTP {status}"), "is this an S3 endpoint? check the URL")),
    }
}
