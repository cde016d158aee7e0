//! The AWS CLI's shared files: `credentials` (`AWS_SHARED_CREDENTIALS_FILE`, sections named by
//! the profile) and `config` (`AWS_CONFIG_FILE`, `[default]` and `[profile NAME]`; `sso-session`
//! and `services` sections are not profiles), merged per profile with the credentials file's
//! keys first, as the CLI does.

use std::path::{Path, PathBuf};

use super::ini::{self, Dialect, Section};
use super::{Bad, Env};
use crate::secret::SecretString;

/// One named profile, from either file or both.
#[derive(Clone, Default)]
pub struct AwsProfile {
    pub name: String,
    /// Where it was found: `file:line` of its first section.
    pub origin: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<SecretString>,
    pub session_token: Option<SecretString>,
    pub region: Option<String>,
    /// `endpoint_url`, or the S3 service's own (`s3 =` / `endpoint_url =` nested).
    pub endpoint_url: Option<String>,
    /// What makes the profile's credentials come from elsewhere (a role, SSO, a process).
    pub role_arn: Option<String>,
    /// The profile whose credentials assume the role.
    pub source_profile: Option<String>,
    /// The MFA device a role is assumed with (a code is asked each time).
    pub mfa_serial: Option<String>,
    pub sso: bool,
    /// IAM Identity Center: the `sso_session` it names (its `[sso-session NAME]` section gives
    /// the start URL and region), or the legacy `sso_start_url`/`sso_region` of its own.
    pub sso_session: Option<String>,
    pub sso_start_url: Option<String>,
    pub sso_region: Option<String>,
    pub credential_process: bool,
}

impl std::fmt::Debug for AwsProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AwsProfile({} from {})", self.name, self.origin)
    }
}

/// Where the CLI reads its two files.
pub fn paths(env: &Env) -> (Option<PathBuf>, Option<PathBuf>) {
    let at = |var: &str, default: &str| {
        env.var(var)
            .map(|p| expand_home(&p, env))
            .or_else(|| env.home().map(|h| h.join(".aws").join(default)))
    };
    (
        at("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        at("AWS_CONFIG_FILE", "config"),
    )
}

/// The profiles of the two files the CLI reads now, and where its config file is (in words).
pub fn installed(env: &Env) -> (Vec<AwsProfile>, String) {
    let (credentials, config) = paths(env);
    let read = |p: &Option<PathBuf>| {
        p.as_ref()
            .and_then(|p| std::fs::read_to_string(p).ok().map(|t| (p.clone(), t)))
    };
    let (cr, co) = (read(&credentials), read(&config));
    let (all, _) = profiles(
        cr.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
        co.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
    );
    let shown = config
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "~/.aws/config".into());
    (all, shown)
}

fn expand_home(p: &str, env: &Env) -> PathBuf {
    match (p.strip_prefix("~/"), env.home()) {
        (Some(rest), Some(h)) => h.join(rest),
        _ => PathBuf::from(p),
    }
}

/// The profiles of a credentials file's and a config file's text (either may be absent), in
/// the order first seen.
pub fn profiles(
    credentials: Option<(&Path, &str)>,
    config: Option<(&Path, &str)>,
) -> (Vec<AwsProfile>, Vec<(String, Bad)>) {
    let mut out: Vec<AwsProfile> = Vec::new();
    let mut bad = Vec::new();
    let mut sessions: Vec<(String, Option<String>, Option<String>)> = Vec::new();
    let mut merge = |path: &Path, text: &str, is_config: bool| {
        let (sections, _, b) = ini::parse(text, Dialect::Aws);
        bad.extend(b.into_iter().map(|b| (path.display().to_string(), b)));
        for s in sections {
            let name = if is_config {
                match s.name.as_str() {
                    "default" => "default".to_string(),
                    n => match (n.strip_prefix("profile "), n.strip_prefix("sso-session ")) {
                        (Some(p), _) => p.trim().to_string(),
                        (None, Some(session)) => {
                            let get =
                                |k: &str| s.get(k).filter(|v| !v.is_empty()).map(str::to_string);
                            sessions.push((
                                session.trim().to_string(),
                                get("sso_start_url"),
                                get("sso_region"),
                            ));
                            continue;
                        }
                        (None, None) => continue, // services, …
                    },
                }
            } else {
                s.name.clone()
            };
            let i = match out.iter().position(|p| p.name == name) {
                Some(i) => i,
                None => {
                    out.push(AwsProfile {
                        name,
                        origin: format!("{}:{}", path.display(), s.line),
                        ..AwsProfile::default()
                    });
                    out.len() - 1
                }
            };
            fill(&mut out[i], &s, !is_config);
        }
    };
    if let Some((p, t)) = credentials {
        merge(p, t, false);
    }
    if let Some((p, t)) = config {
        merge(p, t, true);
    }
    for p in out.iter_mut() {
        let Some((_, url, region)) = p
            .sso_session
            .as_ref()
            .and_then(|n| sessions.iter().find(|s| &s.0 == n))
        else {
            continue;
        };
        p.sso_start_url = p.sso_start_url.take().or(url.clone());
        p.sso_region = p.sso_region.take().or(region.clone());
    }
    (out, bad)
}

/// Takes what `s` says into `p`; the credentials file's keys win over the config's.
fn fill(p: &mut AwsProfile, s: &Section, from_credentials: bool) {
    let get = |k: &str| s.get(k).filter(|v| !v.is_empty()).map(str::to_string);
    let keys = (get("aws_access_key_id"), get("aws_secret_access_key"));
    if keys.0.is_some() && (from_credentials || p.access_key_id.is_none()) {
        p.access_key_id = keys.0;
        p.secret_access_key = keys.1.map(SecretString::new);
        p.session_token = get("aws_session_token").map(SecretString::new);
    }
    p.region = p.region.take().or(get("region"));
    p.endpoint_url = p
        .endpoint_url
        .take()
        .or(get("s3.endpoint_url"))
        .or(get("endpoint_url"));
    p.role_arn = p.role_arn.take().or(get("role_arn"));
    p.source_profile = p.source_profile.take().or(get("source_profile"));
    p.mfa_serial = p.mfa_serial.take().or(get("mfa_serial"));
    p.sso |= get("sso_session").is_some() || get("sso_start_url").is_some();
    p.sso_session = p.sso_session.take().or(get("sso_session"));
    p.sso_start_url = p.sso_start_url.take().or(get("sso_start_url"));
    p.sso_region = p.sso_region.take().or(get("sso_region"));
    p.credential_process |= get("credential_process").is_some();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_merge_across_both_files_with_the_credentials_keys_first() {
        let creds = "[default]\naws_access_key_id = AKIA1\naws_secret_access_key = s1\n[lake]\naws_access_key_id=AKIA2\naws_secret_access_key=s2\naws_session_token=t2\n";
        let config = "[default]\nregion = eu-west-1\n[profile lake]\nregion=us-east-1\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n[profile admin]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = default\n[sso-session corp]\nsso_start_url = https://x\n";
        let (p, bad) = profiles(
            Some((Path::new("credentials"), creds)),
            Some((Path::new("config"), config)),
        );
        assert!(bad.is_empty());
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["default", "lake", "admin"]);
        assert_eq!(p[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(p[1].session_token.as_ref().map(|t| t.expose()), Some("t2"));
        assert_eq!(p[1].endpoint_url.as_deref(), Some("http://127.0.0.1:9000"));
        assert_eq!(p[2].role_arn.as_deref(), Some("arn:aws:iam::1:role/a"));
        assert_eq!(p[1].origin, "credentials:4");
        assert_eq!(format!("{:?}", p[1]), "AwsProfile(lake from credentials:4)");
    }

    #[test]
    fn an_sso_profile_takes_its_start_url_and_region_from_the_sso_session_it_names() {
        let config = "[profile dev]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\nsso_start_url = https://corp.example/start\nsso_region = eu-west-1\n[profile old]\nsso_start_url = https://old.example/start\nsso_region = us-east-1\n";
        let (p, _) = profiles(None, Some((Path::new("config"), config)));
        let sso: Vec<_> = p
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.sso_session.as_deref(),
                    p.sso_start_url.as_deref(),
                    p.sso_region.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            sso,
            [
                (
                    "dev",
                    Some("corp"),
                    Some("https://corp.example/start"),
                    Some("eu-west-1")
                ),
                (
                    "old",
                    None,
                    Some("https://old.example/start"),
                    Some("us-east-1")
                ),
            ]
        );
    }
}
