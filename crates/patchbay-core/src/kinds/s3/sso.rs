//! IAM Identity Center (SSO) sign-in for an S3 connection by an SSO profile: the OAuth device
//! authorization through the AWS SDK's own OIDC client (RegisterClient, StartDeviceAuthorization,
//! CreateToken polled until the person approves in a browser), its token written where the AWS
//! CLI and SDKs read it (`~/.aws/sso/cache/<sha1>.json`, their format), so `aws` and Patchbay
//! share one login. Whether a profile's login is there and current is told here too, for the
//! check to name an expired session with the command that renews it.

use std::path::PathBuf;
use std::time::Duration;

use aws_sdk_ssooidc::config::{BehaviorVersion, Region};
use aws_sdk_ssooidc::operation::create_token::CreateTokenError;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use sha1::Digest as _;

use crate::error::{Error, Result};
use crate::foreign::aws::AwsProfile;
use crate::secret::SecretString;

/// What a profile signs in with.
#[derive(Debug, Clone)]
pub struct SsoProfile {
    pub profile: String,
    /// The `sso_session` it names (the cache file is keyed by it), or none (keyed by the URL).
    pub session: Option<String>,
    pub start_url: String,
    pub region: String,
}

/// What the person is shown: where to approve the sign-in, and the code that page shows.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct SsoPrompt {
    pub url: String,
    pub user_code: String,
    /// Seconds the code is good for.
    pub expires_in: u32,
}

/// A sign-in waiting for the person's approval.
pub struct Pending {
    sso: SsoProfile,
    client_id: String,
    client_secret: SecretString,
    client_expires: i64,
    device_code: SecretString,
    interval: Duration,
    deadline: std::time::Instant,
}

/// The profile's IAM Identity Center settings, or why it has none.
pub fn of(p: &AwsProfile) -> Result<SsoProfile> {
    match (&p.sso_start_url, &p.sso_region) {
        (Some(url), Some(region)) => Ok(SsoProfile {
            profile: p.name.clone(),
            session: p.sso_session.clone(),
            start_url: url.clone(),
            region: region.clone(),
        }),
        _ => Err(Error::invalid(
            "profile",
            format!("profile {} does not sign in with IAM Identity Center (it has no sso_session with sso_start_url and sso_region): set it up with aws configure sso --profile {}", p.name, p.name),
        )),
    }
}

/// The IAM Identity Center settings of the profile an S3 connection `name` is saved by.
pub fn of_connection(name: &str, s: &crate::model::S3Spec) -> Result<SsoProfile> {
    let Some(profile) = s.profile.as_deref() else {
        return Err(Error::invalid(
            "profile",
            format!("{name} is not saved by an AWS profile, so there is nothing to sign in to: only a connection by an IAM Identity Center profile logs in"),
        ));
    };
    let (all, files) = crate::foreign::aws::installed(&crate::foreign::Env::current());
    let p = all.iter().find(|p| p.name == profile).ok_or_else(|| {
        Error::invalid(
            "profile",
            format!("profile {profile} is not in the AWS CLI's files ({files})"),
        )
    })?;
    of(p)
}

/// Where the AWS CLI and SDKs keep this sign-in's token.
pub fn cache_file(sso: &SsoProfile) -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let key = sso.session.as_deref().unwrap_or(&sso.start_url);
    let hash: String = sha1::Sha1::digest(key.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Some(PathBuf::from(home).join(format!(".aws/sso/cache/{hash}.json")))
}

/// Whether the profile's sign-in is usable now: `Err` says why not (none yet, or expired with
/// nothing to renew it).
pub fn current(sso: &SsoProfile, now_ms: i64) -> std::result::Result<(), String> {
    let Some(path) = cache_file(sso) else {
        return Err("there is no home directory to keep its sign-in in".into());
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Err("nobody has signed in with it on this machine yet".into());
    };
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let at = |k: &str| v[k].as_str().and_then(crate::clock::parse_rfc3339);
    match at("expiresAt") {
        Some(t) if t > now_ms => Ok(()),
        // The SDKs renew an expired token with its refresh token while the client is registered.
        Some(_)
            if v["refreshToken"].is_string()
                && at("registrationExpiresAt").is_some_and(|r| r > now_ms) =>
        {
            Ok(())
        }
        Some(t) => Err(format!(
            "its sign-in expired {}",
            crate::clock::relative(t, now_ms)
        )),
        None => Err(format!("its sign-in in {} cannot be read", path.display())),
    }
}

fn client(region: &str) -> aws_sdk_ssooidc::Client {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut config = aws_sdk_ssooidc::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .http_client(http);
    // The variable every AWS SDK reads for this service's endpoint.
    if let Ok(url) = std::env::var("AWS_ENDPOINT_URL_SSO_OIDC") {
        config = config.endpoint_url(url);
    }
    aws_sdk_ssooidc::Client::from_conf(config.build())
}

fn failed(what: &str, e: impl std::error::Error) -> Error {
    let mut why = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        why = s.to_string();
        source = s.source();
    }
    Error::Check(format!("IAM Identity Center refused {what}: {why}"))
}

/// Registers Patchbay as a client and starts a device sign-in; the prompt is what to show.
pub async fn start(sso: SsoProfile) -> Result<(SsoPrompt, Pending)> {
    let c = client(&sso.region);
    let reg = c
        .register_client()
        .client_name("patchbay")
        .client_type("public")
        .scopes("sso:account:access")
        .send()
        .await
        .map_err(|e| failed("to register Patchbay as a client", e))?;
    let (id, secret) = (
        reg.client_id().unwrap_or(""),
        reg.client_secret().unwrap_or(""),
    );
    let dev = c
        .start_device_authorization()
        .client_id(id)
        .client_secret(secret)
        .start_url(&sso.start_url)
        .send()
        .await
        .map_err(|e| failed(&format!("a sign-in at {}", sso.start_url), e))?;
    let expires_in = u32::try_from(dev.expires_in()).unwrap_or(0);
    let prompt = SsoPrompt {
        url: dev
            .verification_uri_complete()
            .or(dev.verification_uri())
            .unwrap_or("")
            .to_string(),
        user_code: dev.user_code().unwrap_or("").to_string(),
        expires_in,
    };
    let pending = Pending {
        client_id: id.to_string(),
        client_secret: SecretString::new(secret),
        client_expires: reg.client_secret_expires_at(),
        device_code: SecretString::new(dev.device_code().unwrap_or("")),
        interval: Duration::from_secs(u64::try_from(dev.interval()).unwrap_or(5).clamp(1, 30)),
        deadline: std::time::Instant::now() + Duration::from_secs(u64::from(expires_in)),
        sso,
    };
    Ok((prompt, pending))
}

/// Waits for the person's approval, then keeps the token where the AWS CLI keeps it; the
/// answer is when the sign-in expires (RFC 3339).
pub async fn finish(p: Pending) -> Result<String> {
    let c = client(&p.sso.region);
    let mut interval = p.interval;
    let token = loop {
        if std::time::Instant::now() > p.deadline {
            return Err(Error::Check(
                "the sign-in was not approved in time: log in again".into(),
            ));
        }
        tokio::time::sleep(interval).await;
        let r = c
            .create_token()
            .client_id(&p.client_id)
            .client_secret(p.client_secret.expose())
            .grant_type("urn:ietf:params:oauth:grant-type:device_code")
            .device_code(p.device_code.expose())
            .send()
            .await;
        match r {
            Ok(t) => break t,
            Err(e) => match e.as_service_error() {
                Some(CreateTokenError::AuthorizationPendingException(_)) => continue,
                Some(CreateTokenError::SlowDownException(_)) => interval += Duration::from_secs(5),
                Some(CreateTokenError::AccessDeniedException(_)) => {
                    return Err(Error::Check("the sign-in was denied in the browser".into()))
                }
                Some(CreateTokenError::ExpiredTokenException(_)) => {
                    return Err(Error::Check(
                        "the sign-in code expired before it was approved: log in again".into(),
                    ))
                }
                _ => return Err(failed("the sign-in's token", e)),
            },
        }
    };
    let now = crate::clock::now_ms();
    let seconds = |ms: i64| crate::clock::rfc3339(ms - ms.rem_euclid(1000)).replace(".000Z", "Z");
    let expires_at = seconds(now + i64::from(token.expires_in()) * 1000);
    let mut cached = serde_json::json!({
        "startUrl": p.sso.start_url,
        "region": p.sso.region,
        "accessToken": token.access_token().unwrap_or(""),
        "expiresAt": expires_at,
        "clientId": p.client_id,
        "clientSecret": p.client_secret.expose(),
        "registrationExpiresAt": seconds(p.client_expires * 1000),
    });
    if let Some(r) = token.refresh_token() {
        cached["refreshToken"] = r.into();
    }
    let path = cache_file(&p.sso)
        .ok_or_else(|| Error::Io("there is no home directory to keep the sign-in in".into()))?;
    write_private(&path, &zeroize::Zeroizing::new(cached.to_string()))?;
    Ok(expires_at)
}

/// Writes `text` to `path` readable by its owner only (its folder created likewise).
fn write_private(path: &std::path::Path, text: &str) -> Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    let io = |e: std::io::Error| {
        Error::Io(format!(
            "cannot keep the sign-in in {}: {e}",
            path.display()
        ))
    };
    if let Some(dir) = path.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io)?;
    }
    let tmp = path.with_extension("json.tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}
