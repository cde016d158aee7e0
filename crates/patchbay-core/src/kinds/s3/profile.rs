//! An S3 connection by AWS profile: it names a profile of the AWS CLI's files and saves no keys.
//! Each use asks the AWS SDK's own provider chain for that profile (`aws-config`: static keys,
//! a role assumed from a source profile, `credential_process`, SSO from `aws sso login`'s cache)
//! and gets short-lived credentials, which the check signs with and `exec` hands over — never
//! the profile name, so a child without the files still works. The check's `credentials` step is
//! here; it tells a profile that is not in the files from one whose credentials failed.

use std::time::{Duration, SystemTime};

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::ProvideCredentials as _;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

use crate::check::verdict::{Failure, Recorder, StepName};
use crate::error::{Error, Result};
use crate::foreign::{aws, Env};
use crate::model::{Resolved, S3Spec, SecretField, Spec};
use crate::secret::SecretString;

/// The profile a connection names, checked: `None` for a connection with keys.
pub fn name(s: &S3Spec) -> Result<Option<String>> {
    let Some(p) = s
        .profile
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        return Ok(None);
    };
    let fits = p.len() <= 128
        && p.chars()
            .all(|c| c.is_ascii_graphic() && !"[]#;".contains(c));
    if !fits {
        return Err(Error::invalid(
            "profile",
            "is not a profile name: use the name in [profile NAME] of ~/.aws/config (letters, digits, - _ . @ +)",
        ));
    }
    Ok(Some(p.to_string()))
}

/// A profile connection keeps no keys: the profile gives them.
pub fn keeps_no_keys(access_key_id: &str, session_expires: &Option<String>) -> Result<()> {
    if !access_key_id.is_empty() {
        return Err(Error::invalid(
            "access_key_id",
            "a connection by AWS profile keeps no keys (the profile gives them): clear the key id, or clear the profile to use these keys",
        ));
    }
    if session_expires.is_some() {
        return Err(Error::invalid(
            "session_expires",
            "a connection by AWS profile gets its sessions from the profile: clear the expiry",
        ));
    }
    Ok(())
}

/// Credentials a profile gave for one use.
pub struct Minted {
    pub access_key_id: String,
    pub secret: SecretString,
    pub session_token: Option<SecretString>,
    /// When they stop working, RFC 3339, when they do.
    pub expires: Option<String>,
}

/// Where the AWS CLI's config file is, and the profiles of both files.
fn profiles() -> (Vec<aws::AwsProfile>, String) {
    let env = Env::current();
    let (credentials, config) = aws::paths(&env);
    let read = |p: &Option<std::path::PathBuf>| {
        p.as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok().map(|t| (p.clone(), t)))
    };
    let (cr, co) = (read(&credentials), read(&config));
    let (profiles, _) = aws::profiles(
        cr.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
        co.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
    );
    let shown = config
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "~/.aws/config".into());
    (profiles, shown)
}

/// The first profile on `profile`'s chain (through `source_profile`) that assumes its role with
/// an MFA code: the AWS SDK for Rust has no way to be given one.
fn needs_mfa<'a>(all: &'a [aws::AwsProfile], profile: &str) -> Option<&'a aws::AwsProfile> {
    let mut name = profile;
    for _ in 0..8 {
        let p = all.iter().find(|p| p.name == name)?;
        if p.role_arn.is_some() && p.mfa_serial.is_some() {
            return Some(p);
        }
        name = p.source_profile.as_deref()?;
    }
    None
}

/// The deepest cause of an error, as the AWS SDK words it.
fn cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut last = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    last
}

/// Asks the AWS SDK's provider chain for `profile`'s credentials (the `credentials` step).
pub async fn mint(rec: &mut Recorder, s: &S3Spec, profile: &str) -> Result<Minted, Failure> {
    let profile = profile.to_string();
    let region = s.region.clone();
    rec.step(StepName::Credentials, async move {
        let (all, files) = profiles();
        if !all.iter().any(|p| p.name == profile) {
            return Err(Failure::new(
                StepName::Credentials,
                format!("profile {profile} is not in the AWS CLI's files ({files} and the credentials file beside it)"),
            )
            .hint(format!("add it (aws configure --profile {profile}), or set AWS_CONFIG_FILE to the file that has it")));
        }
        if let Some(p) = needs_mfa(&all, &profile) {
            return Err(Failure::new(
                StepName::Credentials,
                format!(
                    "profile {} assumes role {} with an MFA code (mfa_serial {}), which Patchbay cannot give the AWS SDK yet",
                    p.name,
                    p.role_arn.as_deref().unwrap_or(""),
                    p.mfa_serial.as_deref().unwrap_or("")
                ),
            )
            .hint("save a session instead (aws sts assume-role … --serial-number … --token-code … | patchbay add s3 NAME --aws-credentials-stdin), or use a profile without mfa_serial"));
        }
        let http = aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
            .build_https();
        let config = ProviderConfig::without_region()
            .with_region(Some(aws_config::Region::new(region)))
            .with_http_client(http);
        let provider = ProfileFileCredentialsProvider::builder()
            .configure(&config)
            .profile_name(&profile)
            .build();
        let c = provider.provide_credentials().await.map_err(|e| {
            let why = cause(&e);
            let role = why.contains("AccessDenied") || why.contains("not authorized");
            let message = match role {
                true => format!("profile {profile}'s role could not be assumed (AccessDenied)"),
                false => format!("the AWS SDK got no credentials from profile {profile}"),
            };
            Failure::new(StepName::Credentials, message).error(why).hint(match role {
                true => "the source credentials may not assume the role (its trust policy, or sts:AssumeRole): check role_arn and source_profile",
                false => "run the same profile with the aws CLI (aws sts get-caller-identity --profile NAME) to see what it needs; an SSO profile needs aws sso login",
            })
        })?;
        let expires = c.expiry().map(|t| {
            let ms = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or(Duration::ZERO).as_millis();
            crate::clock::rfc3339(i64::try_from(ms).unwrap_or(i64::MAX))
        });
        let detail = format!("profile {profile}{}", match &expires {
            Some(at) => format!(", a session until {at}"),
            None => String::new(),
        });
        let minted = Minted {
            access_key_id: c.access_key_id().to_string(),
            secret: SecretString::new(c.secret_access_key().to_string()),
            session_token: c.session_token().map(|t| SecretString::new(t.to_string())),
            expires,
        };
        Ok((minted, Some(detail)))
    })
    .await
}

/// The check of a profile connection: its credentials, who they are, then the S3 request
/// signed with them.
pub async fn check(rec: &mut Recorder, s: &S3Spec, profile: &str) -> Result<String, Failure> {
    let m = mint(rec, s, profile).await?;
    let creds = crate::check::sigv4::Credentials {
        access_key_id: &m.access_key_id,
        secret: m.secret.expose(),
        session_token: m.session_token.as_ref().map(|t| t.expose()),
    };
    super::identity::caller(rec, s, &creds).await?;
    let keyed = as_keys(s, &m);
    let token = m.session_token.as_ref().map(|t| t.expose());
    super::check::check(rec, &keyed, Some(m.secret.expose()), token).await
}

/// The connection as if `m` were its saved keys.
fn as_keys(s: &S3Spec, m: &Minted) -> S3Spec {
    S3Spec {
        access_key_id: m.access_key_id.clone(),
        session_expires: m.expires.clone(),
        profile: None,
        ..s.clone()
    }
}

/// `r` with the credentials its profile gives now in place of saved ones, for one hand-off
/// (`exec`, `env --with-password`); a connection with keys is left as it is.
pub async fn minted(mut r: Resolved, timeout: Duration) -> Result<Resolved> {
    let Spec::S3(s) = &r.connection.spec else {
        return Ok(r);
    };
    let Some(profile) = s.profile.clone() else {
        return Ok(r);
    };
    let mut rec = Recorder::new(timeout, Vec::new());
    let m = mint(&mut rec, s, &profile).await.map_err(|f| {
        Error::Check(match f.hint {
            Some(h) => format!("{}: {h}", f.message),
            None => f.message,
        })
    })?;
    r.connection.spec = Spec::S3(as_keys(s, &m));
    r.secrets.insert(SecretField::SecretAccessKey, m.secret);
    if let Some(t) = m.session_token {
        r.secrets.insert(SecretField::SessionToken, t);
    }
    Ok(r)
}
