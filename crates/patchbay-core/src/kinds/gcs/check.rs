//! The Google Cloud Storage check: list the project's buckets (`maxResults=1`), or the saved
//! bucket's objects, through the JSON API with a self-signed RS256 token of the service account
//! (as Google's libraries and object_store do: no token exchange), or with application default
//! credentials; an HMAC key is checked through the S3-interoperable XML API (the S3 check).
//! Tells apart a malformed or revoked key, a disabled account, a wrong project, a missing
//! permission and a missing bucket.

use base64::Engine as _;

use super::{endpoint as base_url, rsa_key, service_account_key};
use crate::check::endpoint::{self, Endpoint};
use crate::check::http::Response;
use crate::check::tls::TlsSettings;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::{GcsAuth, GcsSpec};

/// The audience of a self-signed token for Cloud Storage.
pub const AUDIENCE: &str = "https://storage.googleapis.com/";

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A self-signed JWT for `AUDIENCE`, valid for an hour from `now_s`, signed RS256 with the
/// service account's private key.
pub fn self_signed_jwt(key_json: &str, now_s: i64) -> Result<String, String> {
    let key = service_account_key(key_json).map_err(|e| e.message())?;
    let pair = rsa_key(&key.private_key).map_err(str::to_string)?;
    let mut header = serde_json::json!({"alg": "RS256", "typ": "JWT"});
    if let Some(kid) = &key.private_key_id {
        header["kid"] = kid.clone().into();
    }
    let claims = serde_json::json!({
        "iss": key.client_email,
        "sub": key.client_email,
        "aud": AUDIENCE,
        "iat": now_s,
        "exp": now_s + 3600,
    });
    let signing_input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let mut sig = vec![0u8; pair.public().modulus_len()];
    pair.sign(
        &ring::signature::RSA_PKCS1_SHA256,
        &ring::rand::SystemRandom::new(),
        signing_input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| "the key could not sign".to_string())?;
    Ok(format!("{signing_input}.{}", b64url(&sig)))
}

/// Where application default credentials come from, as Google's libraries look: the file
/// GOOGLE_APPLICATION_CREDENTIALS names, else gcloud's.
fn application_default() -> Result<(String, String), Failure> {
    let path = match std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS") {
        Some(p) => std::path::PathBuf::from(p),
        None => dirs::config_dir()
            .unwrap_or_default()
            .join("gcloud/application_default_credentials.json"),
    };
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::new(StepName::Auth, format!("no application default credentials at {shown}"))
            .error(e)
            .hint("run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS to a key file; or choose another auth mode")
    })?;
    Ok((text, shown))
}

/// The bearer token of a JSON API request of `s`: a self-signed token of the saved key, or of the
/// application default credentials (then also where they were found).
pub(super) fn bearer(s: &GcsSpec, key: Option<&str>) -> Result<(String, Option<String>), Failure> {
    let now_s = crate::clock::now_ms() / 1000;
    match s.auth {
        GcsAuth::ServiceAccount => {
            let key = key.ok_or_else(|| {
                Failure::new(StepName::Auth, "no service account key is saved")
                    .hint("paste the service account's JSON key")
            })?;
            let token = self_signed_jwt(key, now_s).map_err(|why| {
                Failure::new(StepName::Auth, "the saved service account key cannot sign")
                    .error(why)
                    .hint("paste the JSON key again (Keys → Add key → JSON)")
            })?;
            Ok((token, None))
        }
        GcsAuth::ApplicationDefault => {
            let (text, path) = application_default()?;
            let kind = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["type"].as_str().map(str::to_string))
                .unwrap_or_default();
            if kind != "service_account" {
                return Err(Failure::new(
                    StepName::Auth,
                    format!("the application default credentials at {path} are a \"{kind}\" login, which Patchbay cannot check without Google's token service"),
                )
                .hint("programs given this connection will use it; to have it checked, use a service account key"));
            }
            let token = self_signed_jwt(&text, now_s).map_err(|why| {
                Failure::new(StepName::Auth, "the application default key cannot sign").error(why)
            })?;
            Ok((token, Some(path)))
        }
        GcsAuth::Hmac => Err(Failure::new(
            StepName::Auth,
            "an HMAC key signs S3-style requests, not bearer tokens",
        )),
    }
}

pub async fn check(
    rec: &mut Recorder,
    s: &GcsSpec,
    key: Option<&str>,
    hmac_secret: Option<&str>,
) -> Result<String, Failure> {
    if s.auth == GcsAuth::Hmac {
        // The XML API speaks S3's SigV4: the S3 check, with Google's endpoint and region.
        return crate::kinds::s3::check::check(rec, &super::as_s3(s), hmac_secret, None).await;
    }
    let ep = Endpoint::parse_allowing(
        &base_url(s),
        StepName::Request,
        s.allow_http,
        "the endpoint",
        endpoint::HTTP_HINT,
    )?;
    let (token, found) = bearer(s, key)?;
    if let Some(path) = found {
        rec.fact("credentials", path);
    }
    let settings = TlsSettings::verified(s.ca_cert.as_deref());
    let io = endpoint::open(rec, &ep, &settings).await?;
    let path = match (&s.bucket, &s.project_id) {
        (Some(b), _) => format!(
            "{}/storage/v1/b/{b}/o?maxResults=1&fields=items(name)",
            ep.base_path
        ),
        (None, Some(p)) => format!(
            "{}/storage/v1/b?project={p}&maxResults=1&fields=items(name)",
            ep.base_path
        ),
        (None, None) => {
            return Err(
                Failure::new(StepName::Request, "neither a project nor a bucket is set")
                    .hint("set the project id (or a bucket) to check"),
            )
        }
    };
    let headers = vec![("Authorization".to_string(), format!("Bearer {token}"))];
    let what = (
        s.bucket.clone(),
        s.project_id.clone(),
        s.client_email.clone(),
    );
    endpoint::get(rec, StepName::Auth, io, &ep, &path, headers, move |r| {
        judge(r, &what)
    })
    .await
}

/// Reads the JSON API's answer.
fn judge(
    r: Response,
    (bucket, project, email): &(Option<String>, Option<String>, Option<String>),
) -> Result<String, Failure> {
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    let msg = v["error"]["message"].as_str().unwrap_or("").to_string();
    let who = email.as_deref().unwrap_or("the service account");
    let fail = |step: StepName, m: String, hint: &str| {
        Failure::new(step, m)
            .error(format!("HTTP {} {msg}", r.status).trim().to_string())
            .hint(hint)
    };
    let lower = msg.to_ascii_lowercase();
    match r.status {
        200 => {
            let n = v["items"].as_array().map_or(0, Vec::len);
            Ok(match bucket {
                Some(b) => format!("credentials accepted; bucket {b} listed ({n} object(s) on the first page of 1)"),
                None => format!("credentials accepted; {n} bucket(s) listed (at most 1 asked for)"),
            })
        }
        401 => Err(fail(StepName::Auth, format!("Google refused the token of {who}"), "the key is malformed, deleted or revoked: create a new key for the service account and paste it")),
        // Billing first: Google's words for it ("the billing account … is disabled") say disabled too.
        403 if lower.contains("billing") => Err(fail(StepName::Request, "the project's billing is disabled".into(), "enable billing for the project")),
        403 if lower.contains("disabled") => Err(fail(StepName::Auth, format!("{who} is disabled"), "enable the service account (IAM → Service accounts), or use another")),
        403 => Err(fail(StepName::Auth, format!("{who} is not allowed to list here"), "grant it a role with storage.buckets.list / storage.objects.list (Storage Object Viewer) on the project or bucket")),
        404 if bucket.is_some() => Err(fail(StepName::Request, format!("bucket {} does not exist", bucket.as_deref().unwrap_or("")), "check the bucket name")),
        400 | 404 if lower.contains("project") => Err(fail(StepName::Request, format!("project {} does not exist or is not visible", project.as_deref().unwrap_or("")), "check the project id (not its name or number)")),
        status => Err(fail(StepName::Request, format!("the endpoint answered HTTP {status}"), "is this the Cloud Storage endpoint (https://storage.googleapis.com)?")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Google's JSON API error bodies, as its documentation shows them (no real Google answers
    /// here, and fake-gcs-server accepts any token): each names its own cause.
    fn verdict(status: u16, message: &str, bucket: Option<&str>) -> Failure {
        let body = serde_json::json!({"error": {"code": status, "message": message}}).to_string();
        let what = (
            bucket.map(str::to_string),
            Some("my-project".to_string()),
            Some("etl@my-project.iam.gserviceaccount.com".to_string()),
        );
        judge(Response { status, body }, &what).unwrap_err()
    }

    #[test]
    fn google_refusals_are_told_apart_by_status_and_message() {
        let cases: [(u16, &str, Option<&str>, StepName, &str); 9] = [
            (401, "Invalid Credentials", None, StepName::Auth, "Google refused the token of etl@my-project.iam.gserviceaccount.com"),
            (403, "etl@my-project.iam.gserviceaccount.com does not have storage.buckets.list access to the Google Cloud project.", None, StepName::Auth, "etl@my-project.iam.gserviceaccount.com is not allowed to list here"),
            (403, "The user account has been disabled.", None, StepName::Auth, "etl@my-project.iam.gserviceaccount.com is disabled"),
            (403, "The billing account for the owning project is disabled in state absent", None, StepName::Request, "the project's billing is disabled"),
            (403, "The project to be billed is associated with a closed billing account.", None, StepName::Request, "the project's billing is disabled"),
            (400, "Unknown project id: my-project", None, StepName::Request, "project my-project does not exist or is not visible"),
            (404, "The specified bucket does not exist.", Some("raw"), StepName::Request, "bucket raw does not exist"),
            (404, "Not Found", None, StepName::Request, "the endpoint answered HTTP 404"),
            (400, "Invalid argument.", None, StepName::Request, "the endpoint answered HTTP 400"),
        ];
        for (status, message, bucket, step, said) in cases {
            let f = verdict(status, message, bucket);
            assert_eq!(
                (f.step, f.message.as_str()),
                (step, said),
                "{status} {message}"
            );
            assert_eq!(f.error, Some(format!("HTTP {status} {message}")));
        }
        // A bucket named: a 404 is the bucket's, even when Google's words mention the project.
        let f = verdict(404, "project-scoped bucket not found", Some("raw"));
        assert_eq!(f.message, "bucket raw does not exist");
    }

    #[test]
    fn a_listing_says_what_it_counted() {
        let body = serde_json::json!({"items": [{"name": "a"}]}).to_string();
        let none = (None, Some("p".to_string()), None);
        let ok = judge(
            Response {
                status: 200,
                body: body.clone(),
            },
            &none,
        )
        .unwrap();
        assert_eq!(
            ok,
            "credentials accepted; 1 bucket(s) listed (at most 1 asked for)"
        );
        let raw = (Some("raw".to_string()), None, None);
        let ok = judge(Response { status: 200, body }, &raw).unwrap();
        assert_eq!(
            ok,
            "credentials accepted; bucket raw listed (1 object(s) on the first page of 1)"
        );
        let f = judge(
            Response {
                status: 401,
                body: String::new(),
            },
            &raw,
        )
        .unwrap_err();
        assert_eq!(
            (f.message.as_str(), f.error.as_deref()),
            (
                "Google refused the token of the service account",
                Some("HTTP 401")
            )
        );
    }
}
