//! An S3 connection by AWS profile: it names a profile of the AWS CLI's files and saves no keys.
//! Each use asks the AWS SDK's own provider chain for that profile (`aws-config`: static keys,
//! a role assumed from a source profile, `credential_process`, SSO from `aws sso login`'s cache)
//! and gets short-lived credentials, which the check signs with and `exec` hands over — never
//! the profile name, so a child without the files still works (`session.rs`). The check's
//! `credentials` step is here; it tells a profile that is not in the files from one whose
//! credentials failed.

use std::time::{Duration, SystemTime};

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::ProvideCredentials as _;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};

use crate::check::verdict::{Failure, Recorder, StepName};
use crate::error::{Error, Result};
use crate::foreign::{aws, Env};
use crate::model::{S3Spec, Session};
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

/// Asks the AWS SDK's provider chain for `profile`'s credentials (the `credentials` step) for
/// connection `name`.
pub async fn mint(
    rec: &mut Recorder,
    s: &S3Spec,
    profile: &str,
    name: &str,
) -> Result<Session, Failure> {
    let profile = profile.to_string();
    let region = s.region.clone();
    let login = format!("sign in: patchbay login {name} (or aws sso login --profile {profile})");
    rec.step(StepName::Credentials, async move {
        let (all, files) = aws::installed(&Env::current());
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
            .hint(format!("let Patchbay assume the role and ask the code: patchbay edit NAME --profile {} --role-arn {} --mfa-serial {} (patchbay import does this for such profiles)", p.source_profile.as_deref().unwrap_or("SOURCE"), p.role_arn.as_deref().unwrap_or(""), p.mfa_serial.as_deref().unwrap_or(""))));
        }
        let sso = all.iter().find(|p| p.name == profile).and_then(|p| super::sso::of(p).ok());
        if let Some(why) = sso.as_ref().and_then(|x| super::sso::current(x, crate::clock::now_ms()).err()) {
            return Err(Failure::new(
                StepName::SsoLogin,
                format!("profile {profile} signs in with IAM Identity Center, and {why}"),
            )
            .hint(login));
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
            Failure::new(StepName::Credentials, message).error(why).hint(match (role, sso.is_some()) {
                (true, _) => "the source credentials may not assume the role (its trust policy, or sts:AssumeRole): check role_arn and source_profile".to_string(),
                (false, true) => format!("IAM Identity Center did not give the role's credentials; {login}"),
                (false, false) => "run the same profile with the aws CLI (aws sts get-caller-identity --profile NAME) to see what it needs".to_string(),
            })
        })?;
        let expires_ms = c.expiry().map(|t| {
            let ms = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or(Duration::ZERO).as_millis();
            i64::try_from(ms).unwrap_or(i64::MAX)
        });
        let detail = format!("profile {profile}{}", match expires_ms {
            Some(at) => format!(", a session until {}", crate::clock::rfc3339(at)),
            None => String::new(),
        });
        let minted = Session {
            access_key_id: c.access_key_id().to_string(),
            secret: SecretString::new(c.secret_access_key().to_string()),
            token: c.session_token().map(|t| SecretString::new(t.to_string())),
            expires_ms,
        };
        Ok((minted, Some(detail)))
    })
    .await
}
