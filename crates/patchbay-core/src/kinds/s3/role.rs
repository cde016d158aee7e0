//! An S3 connection that assumes an IAM role: the rules of its role fields, and the STS
//! AssumeRole request (SigV4-signed with the source credentials, as the `assume_role` step)
//! that mints a session, with the MFA code when the role asks one. Each refusal STS gives is
//! told apart: a role the credentials may not assume (its trust policy, a wrong external ID), a
//! wrong or used MFA code, source credentials STS does not know or that expired.

use crate::check::endpoint;
use crate::check::http::xml_tag;
use crate::check::sigv4;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::error::{Error, Result};
use crate::model::{AssumeRole, S3Spec, Session};
use crate::secret::SecretString;
use crate::validate::{non_empty, quoted};

/// The session name when none is set.
pub const SESSION_NAME: &str = "patchbay";
/// How long a session lasts when no duration is set (STS's own default).
pub const DURATION: u32 = 3600;

fn ok_chars(t: &str, extra: &str) -> bool {
    t.chars()
        .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c) || extra.contains(c))
}

fn trimmed(v: &Option<String>) -> Option<String> {
    non_empty(v).map(|t| t.trim().to_string())
}

/// The role fields, checked and normalised (`None` when no role is set).
pub fn validate(r: &Option<AssumeRole>) -> Result<Option<AssumeRole>> {
    let Some(r) = r else { return Ok(None) };
    let arn = r.role_arn.trim();
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let fits = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "iam"
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && parts[5]
            .strip_prefix("role/")
            .is_some_and(|n| !n.is_empty() && ok_chars(n, "/"));
    if !fits {
        return Err(Error::invalid(
            "role_arn",
            format!("{} is not a role ARN; copy it from the role's page, like arn:aws:iam::123456789012:role/analyst", quoted(arn)),
        ));
    }
    let external_id = trimmed(&r.external_id);
    if let Some(x) = &external_id {
        if x.len() < 2 || x.len() > 1224 || !ok_chars(x, ":/") {
            return Err(Error::invalid(
                "external_id",
                "is 2 to 1,224 letters, digits and _+=,.@:/- ; use the one the role's owner gave you",
            ));
        }
    }
    let session_name = trimmed(&r.session_name);
    if let Some(n) = &session_name {
        if n.len() < 2 || n.len() > 64 || !ok_chars(n, "") {
            return Err(Error::invalid(
                "session_name",
                "is 2 to 64 letters, digits and _+=,.@- (it shows in CloudTrail and the role's ARN)",
            ));
        }
    }
    if let Some(d) = r.duration_seconds {
        if !(900..=43_200).contains(&d) {
            return Err(Error::invalid(
                "duration_seconds",
                format!("{d} is not 900 to 43,200 seconds (15 minutes to 12 hours, up to the role's maximum)"),
            ));
        }
    }
    let mfa_serial = trimmed(&r.mfa_serial);
    if let Some(m) = &mfa_serial {
        if m.len() < 9 || m.len() > 256 || !ok_chars(m, ":/") {
            return Err(Error::invalid(
                "mfa_serial",
                "is the MFA device's ARN (arn:aws:iam::123456789012:mfa/NAME) or a hardware serial",
            ));
        }
    }
    let source = trimmed(&r.source);
    Ok(Some(AssumeRole {
        role_arn: arn.to_string(),
        external_id,
        session_name,
        duration_seconds: r.duration_seconds,
        mfa_serial,
        source,
    }))
}

/// A role assumed with another saved connection's credentials keeps no keys and no profile of
/// its own.
pub fn borrows_only(s: &S3Spec, source: &str) -> Result<()> {
    if !s.access_key_id.is_empty() || s.profile.is_some() {
        return Err(Error::invalid(
            "role_source",
            format!("the role is assumed with {source}'s credentials, so this connection keeps no keys or profile of its own: clear them, or clear the source"),
        ));
    }
    Ok(())
}

/// Mints a session for `role` with `c` (the `assume_role` step) at the STS endpoint of `at`
/// (the connection whose credentials `c` are: they go only where they were saved for).
pub async fn assume(
    rec: &mut Recorder,
    at: &S3Spec,
    c: &sigv4::Credentials<'_>,
    role: &AssumeRole,
    mfa_code: Option<&str>,
) -> Result<Session, Failure> {
    let ep = super::endpoint_of(at, "sts", StepName::AssumeRole)?;
    let first = rec.step_count();
    let io = endpoint::open(rec, &ep, &super::tls(at)).await;
    rec.prefix_since(first, "sts: ");
    let io = io?;
    let duration = role.duration_seconds.unwrap_or(DURATION).to_string();
    let mut params = vec![
        ("Action", "AssumeRole"),
        ("Version", "2011-06-15"),
        ("RoleArn", role.role_arn.as_str()),
        (
            "RoleSessionName",
            role.session_name.as_deref().unwrap_or(SESSION_NAME),
        ),
        ("DurationSeconds", duration.as_str()),
    ];
    if let Some(x) = &role.external_id {
        params.push(("ExternalId", x));
    }
    if let (Some(serial), Some(code)) = (&role.mfa_serial, mfa_code) {
        params.push(("SerialNumber", serial));
        params.push(("TokenCode", code));
    }
    let query = sigv4::canonical_query(&params);
    let path = format!("{}/", ep.base_path);
    let now = crate::clock::now_ms();
    let headers = sigv4::sign_for("sts", &ep.authority, (&path, &query), &at.region, c, now);
    let target = format!("{path}?{query}");
    let arn = role.role_arn.clone();
    let with_mfa = mfa_code.is_some();
    endpoint::get(
        rec,
        StepName::AssumeRole,
        io,
        &ep,
        &target,
        headers,
        move |r| {
            let (status, body) = (r.status, zeroize::Zeroizing::new(r.body));
            match (status, minted(&body)) {
                (200, Some(session)) => Ok(session),
                _ => Err(refusal(&body, &arn, with_mfa)),
            }
        },
    )
    .await
}

/// The session in an AssumeRole answer.
fn minted(body: &str) -> Option<Session> {
    let id = xml_tag(body, "AccessKeyId")?;
    let secret = xml_tag(body, "SecretAccessKey")?;
    let token = xml_tag(body, "SessionToken")?;
    let expires = xml_tag(body, "Expiration").and_then(crate::clock::parse_rfc3339);
    Some(Session {
        access_key_id: id.to_string(),
        secret: SecretString::new(secret),
        token: Some(SecretString::new(token)),
        expires_ms: expires,
    })
}

/// Why STS refused to mint the session, in words that name the cause.
fn refusal(body: &str, arn: &str, with_mfa: bool) -> Failure {
    let code = xml_tag(body, "Code").unwrap_or("");
    let said = xml_tag(body, "Message").unwrap_or("").trim();
    let fail = |m: String| {
        Failure::new(StepName::AssumeRole, m).error(match said {
            "" => code.to_string(),
            s => format!("{code}: {s}"),
        })
    };
    let mfa = said
        .to_ascii_lowercase()
        .contains("multifactorauthentication")
        || said.to_ascii_lowercase().contains("mfa");
    match code {
        "AccessDenied" if with_mfa && mfa => fail("the MFA code was refused: wrong, already used, or expired".into())
            .hint("type the code your device shows now (each code works once, for about 30 seconds)"),
        "AccessDenied" => fail(format!("role {arn} may not be assumed with these credentials (AccessDenied)"))
            .hint("the role's trust policy must name this principal (and the external ID and MFA it asks for), and the source must be allowed sts:AssumeRole on it"),
        "ExpiredToken" => fail("the source credentials' session expired".into())
            .hint("save a new session for the source, or mint it again"),
        "InvalidClientTokenId" | "SignatureDoesNotMatch" => fail(format!("STS does not accept the source credentials ({code})"))
            .hint("the access key id or secret of the source is wrong or was deleted"),
        "ValidationError" => fail("STS refused the request's fields".into())
            .hint("check the role ARN, session name and duration (at most the role's maximum session duration)"),
        "" => fail("STS's answer to AssumeRole has no credentials".into())
            .hint("is the endpoint an S3-compatible store without STS? A role needs STS"),
        other => fail(format!("STS refused AssumeRole ({other})")),
    }
}
