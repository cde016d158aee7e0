//! How other tools' records of an S3 store become a Patchbay connection and back: a profile of
//! the AWS CLI's files, an rclone `s3` remote, and Airflow's `aws` connection.

use crate::foreign::airflow::AirflowConn;
use crate::foreign::aws::AwsProfile;
use crate::foreign::ini::Section;
use crate::foreign::{name_of, Found};
use crate::model::*;
use crate::secret::SecretString;

/// A profile with static keys (and a session token, if it has one) becomes a connection with
/// those keys; one whose credentials come from elsewhere (a role, SSO, a process), a connection
/// by that profile (the AWS SDK resolves it at each use).
pub fn from_aws_profile(p: &AwsProfile) -> Found {
    let name = if p.name == "default" {
        "aws-default"
    } else {
        p.name.as_str()
    };
    let how = match (&p.role_arn, p.sso, p.credential_process) {
        (Some(role), _, _) => Some(format!("assumes role {role}")),
        (None, true, _) => Some("signs in with IAM Identity Center (SSO)".to_string()),
        (None, false, true) => Some("gets its keys from credential_process".to_string()),
        (None, false, false) => None,
    };
    if let Some(how) = how {
        let (region, allow_http, mut notes) = place(p.region.clone(), &p.endpoint_url);
        notes.insert(0, format!("by AWS profile {}: it {how}, and each use asks the AWS SDK for its credentials (none are saved)", p.name));
        // A role assumed with an MFA code: Patchbay assumes it (the AWS SDK cannot be given
        // the code), with the source profile's credentials, and asks the code when it mints.
        let (profile, role) = match (&p.role_arn, &p.mfa_serial, &p.source_profile) {
            (Some(arn), Some(mfa), Some(source)) => {
                notes[0] = format!("assumes role {arn} with a code from MFA device {mfa}: Patchbay assumes it with profile {source}'s credentials and asks the code when it mints a session (kept until it expires)");
                let role = AssumeRole {
                    role_arn: arn.clone(),
                    external_id: None,
                    session_name: None,
                    duration_seconds: None,
                    mfa_serial: Some(mfa.clone()),
                    source: None,
                };
                (source.clone(), Some(role))
            }
            _ => (p.name.clone(), None),
        };
        let spec = Spec::S3(S3Spec {
            access_key_id: String::new(),
            region,
            endpoint_url: p.endpoint_url.clone(),
            verify_ssl: true,
            allow_http,
            ca_cert: None,
            session_expires: None,
            profile: Some(profile),
            role,
        });
        let mut found = Found::of(&p.origin, ConnectionDraft::new(name_of(&[name]), spec));
        found.notes = notes;
        return found;
    }
    let (Some(key), Some(secret)) = (&p.access_key_id, &p.secret_access_key) else {
        return Found::skipped(
            &p.origin,
            name,
            "has no access key id and secret access key",
        );
    };
    connection(
        &p.origin,
        name,
        key,
        secret.clone(),
        p.session_token.clone(),
        p.region.clone(),
        p.endpoint_url.clone(),
    )
}

/// Airflow's `aws` connection (keys in login and password; region, endpoint and session token
/// in its extras).
pub fn from_airflow(c: &AirflowConn) -> Found {
    if let Some(role) = c.extra_str("role_arn") {
        return Found::skipped(&c.origin, &c.conn_id, format!("assumes role {role}; Patchbay saves access keys and sessions (roles come with cloud identities)"));
    }
    let (Some(key), Some(secret)) = (&c.login, &c.password) else {
        return Found::skipped(&c.origin, &c.conn_id, "has no access key id (login) and secret (password): it would use the worker's own AWS identity");
    };
    let endpoint = c.extra_str("endpoint_url").or_else(|| c.host.clone());
    let token = c.extra_str("aws_session_token").map(SecretString::new);
    connection(
        &c.origin,
        &c.conn_id,
        key,
        secret.clone(),
        token,
        c.extra_str("region_name"),
        endpoint,
    )
}

/// An rclone `s3` remote with its keys (`env_auth` remotes use the environment's identity).
pub fn from_rclone(origin: &str, r: &Section) -> Found {
    let get = |k: &str| r.get(k).filter(|v| !v.is_empty()).map(str::to_string);
    if get("env_auth").is_some_and(|v| v == "true") {
        return Found::skipped(
            origin,
            &r.name,
            "takes its keys from the environment (env_auth): Patchbay saves keys",
        );
    }
    let (Some(key), Some(secret)) = (get("access_key_id"), get("secret_access_key")) else {
        return Found::skipped(
            origin,
            &r.name,
            "has no access_key_id and secret_access_key",
        );
    };
    let f = connection(
        origin,
        &r.name,
        &key,
        SecretString::new(secret),
        get("session_token").map(SecretString::new),
        get("region"),
        get("endpoint"),
    );
    match get("provider") {
        Some(p) if p != "AWS" => f.note(format!("an {p} store (rclone's provider)")),
        _ => f,
    }
}

/// Airflow's connection for `s` (keys only when given).
pub fn to_airflow(
    id: &str,
    s: &S3Spec,
    secret: Option<SecretString>,
    token: Option<SecretString>,
) -> AirflowConn {
    let mut c = AirflowConn {
        conn_id: id.to_string(),
        conn_type: "aws".into(),
        login: Some(s.access_key_id.clone()),
        password: secret,
        ..AirflowConn::default()
    };
    if !s.region.is_empty() {
        c.extra
            .insert("region_name".into(), s.region.clone().into());
    }
    if let Some(e) = &s.endpoint_url {
        c.extra.insert("endpoint_url".into(), e.clone().into());
    }
    if !s.verify_ssl {
        c.extra.insert("verify".into(), false.into());
    }
    if let Some(t) = token {
        c.extra
            .insert("aws_session_token".into(), t.expose().into());
    }
    c
}

/// The region (us-east-1 when none is given) and whether the endpoint is plain http (allowed as
/// the file says), with notes saying so.
fn place(region: Option<String>, endpoint: &Option<String>) -> (String, bool, Vec<String>) {
    let mut notes = Vec::new();
    let region = region.filter(|r| !r.is_empty()).unwrap_or_else(|| {
        notes.push("no region: us-east-1".to_string());
        "us-east-1".to_string()
    });
    let allow_http = endpoint
        .as_deref()
        .is_some_and(|e| e.to_ascii_lowercase().starts_with("http://"));
    if allow_http {
        notes.push("the endpoint is plain http://: allowed, as the file says".to_string());
    }
    (region, allow_http, notes)
}

fn connection(
    origin: &str,
    name: &str,
    key: &str,
    secret: SecretString,
    token: Option<SecretString>,
    region: Option<String>,
    endpoint: Option<String>,
) -> Found {
    let (region, allow_http, mut notes) = place(region, &endpoint);
    let spec = Spec::S3(S3Spec {
        access_key_id: key.to_string(),
        region,
        endpoint_url: endpoint,
        verify_ssl: true,
        allow_http,
        ca_cert: None,
        session_expires: None,
        profile: None,
        role: None,
    });
    let mut draft = ConnectionDraft::new(name_of(&[name]), spec)
        .with_secret(SecretField::SecretAccessKey, secret);
    if let Some(t) = token {
        draft = draft.with_secret(SecretField::SessionToken, t);
        notes.push(
            "a session token: its expiry is not in the file (the check will say if it has passed)"
                .to_string(),
        );
    }
    let mut f = Found::of(origin, draft);
    f.notes = notes;
    f
}
