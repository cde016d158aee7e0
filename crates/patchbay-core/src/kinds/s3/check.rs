//! The object-store check: one SigV4-signed ListBuckets request with exactly the saved
//! credentials, path-style against a custom endpoint, telling apart an unknown key id, a wrong
//! secret, a key that may not list, an unreachable endpoint and a TLS failure.

use crate::check::endpoint;
use crate::check::http::{xml_tag, Response};
use crate::check::sigv4;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::S3Spec;

pub async fn check(
    rec: &mut Recorder,
    s: &S3Spec,
    secret: Option<&str>,
    session_token: Option<&str>,
) -> Result<String, Failure> {
    let ep = super::endpoint_of(s, "s3", StepName::Request)?;
    let secret = secret.ok_or_else(|| {
        Failure::new(StepName::Auth, "no secret access key is saved")
            .hint("enter the secret access key")
    })?;
    let settings = super::tls(s);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn who(ak: &str, has_token: bool, expired_at: Option<&str>) -> Who {
        Who {
            access_key_id: ak.into(),
            region: "eu-west-1".into(),
            has_token,
            expired_at: expired_at.map(str::to_string),
        }
    }

    fn error(status: u16, code: &str) -> Response {
        let body =
            format!("<Error><Code>{code}</Code><Message>said by the store</Message></Error>");
        Response { status, body }
    }

    /// The step and message of a refusal, and the error line with the store's own words.
    fn refused(status: u16, code: &str, w: &Who) -> (StepName, String) {
        let f = judge(error(status, code), w).unwrap_err();
        assert_eq!(
            f.error.as_deref(),
            Some(format!("HTTP {status} {code} said by the store").as_str())
        );
        (f.step, f.message)
    }

    #[test]
    fn a_bucket_list_is_counted_and_anything_else_on_200_is_not_s3() {
        let body = "<ListAllMyBucketsResult><Buckets><Bucket><Name>a</Name></Bucket><Bucket><Name>b</Name></Bucket></Buckets></ListAllMyBucketsResult>";
        let (msg, facts) = judge(
            Response {
                status: 200,
                body: body.into(),
            },
            &who("AKIA1", false, None),
        )
        .unwrap();
        assert_eq!(msg, "credentials accepted; 2 bucket(s) visible");
        assert_eq!(facts, vec![("buckets visible", "2".to_string())]);
        let f = judge(
            Response {
                status: 200,
                body: "<html>console</html>".into(),
            },
            &who("AKIA1", false, None),
        )
        .unwrap_err();
        assert_eq!(
            (f.step, f.message.as_str()),
            (StepName::Request, "the endpoint answered, but not like S3")
        );
    }

    #[test]
    fn each_refusal_of_the_key_names_its_own_cause() {
        let plain = who("AKIA1", false, None);
        let session = who("ASIA2", true, None);
        let expired = who("ASIA3", true, Some("2026-01-01T00:00:00Z"));
        let cases: [(u16, &str, &Who, StepName, &str); 12] = [
            (400, "ExpiredToken", &session, StepName::Auth, "the store says the session token has expired"),
            (400, "ExpiredToken", &expired, StepName::Auth, "the session token expired at 2026-01-01T00:00:00Z"),
            (403, "InvalidToken", &session, StepName::Auth, "the store refused the session token sent with access key id ASIA2"),
            (403, "InvalidClientTokenId", &session, StepName::Auth, "the store refused the session token sent with access key id ASIA2"),
            (403, "InvalidToken", &plain, StepName::Request, "the endpoint answered HTTP 403"),
            (403, "InvalidAccessKeyId", &who("ASIA4", false, None), StepName::Auth, "access key id ASIA4 is temporary (ASIA…) but no session token is saved"),
            (403, "InvalidAccessKeyId", &expired, StepName::Auth, "the store does not know access key id ASIA3; its session token expired at 2026-01-01T00:00:00Z"),
            (403, "NotSignedUp", &plain, StepName::Auth, "the store does not know access key id AKIA1"),
            (403, "InvalidAccessKeyId", &session, StepName::Auth, "the store does not know access key id ASIA2"),
            (403, "SignatureDoesNotMatch", &plain, StepName::Auth, "the secret access key does not match access key id AKIA1"),
            (403, "RequestTimeTooSkewed", &plain, StepName::Auth, "the store refused the request time"),
            (400, "AuthorizationHeaderMalformed", &plain, StepName::Auth, "the store refused region eu-west-1"),
        ];
        for (status, code, w, step, message) in cases {
            assert_eq!(
                refused(status, code, w),
                (step, message.to_string()),
                "{code}"
            );
        }
        assert_eq!(
            refused(400, "InvalidRegion", &plain),
            (
                StepName::Auth,
                "the store refused region eu-west-1".to_string()
            )
        );
        assert_eq!(
            refused(502, "", &plain),
            (
                StepName::Request,
                "the endpoint answered HTTP 502".to_string()
            )
        );
    }

    #[test]
    fn a_key_that_may_not_list_buckets_passes_and_says_so() {
        for code in ["AccessDenied", "AllAccessDisabled"] {
            let (msg, facts) = judge(error(403, code), &who("AKIA1", false, None)).unwrap();
            assert_eq!(msg, "credentials accepted, but access key AKIA1 may not list buckets (AccessDenied); that is fine if it only uses specific buckets");
            assert_eq!(facts, vec![("list buckets", "denied".to_string())]);
        }
    }
}
