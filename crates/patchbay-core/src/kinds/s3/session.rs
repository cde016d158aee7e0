//! Which credentials an S3 connection signs with at run time: its saved keys; a session its AWS
//! profile gives (`profile.rs`); or a session minted by assuming its role (`role.rs`) with its
//! keys, its profile, or another saved connection's credentials — that one found the same way,
//! so roles chain. A session minted earlier and still good (the store's cache, handed in as
//! `Resolved::session`) is used instead of minting again; a fresh one is handed back for the
//! caller to keep. The MFA code a role asks for is given for one minting and never kept.

use std::time::Duration;

use super::{identity, profile, role};
use crate::check::sigv4::Credentials;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::error::{Error, Result};
use crate::model::{Resolved, S3Spec, SecretField, Session, Spec};

/// How long before it expires a kept session is minted again (a long copy started on it
/// should not outlive it).
pub const REFRESH_MS: i64 = 5 * 60 * 1000;

/// Whether the connection signs with sessions minted at use (a profile, a role) rather than
/// saved keys alone.
pub fn mints(s: &S3Spec) -> bool {
    s.profile.is_some() || s.role.is_some()
}

fn spec(r: &Resolved) -> Option<&S3Spec> {
    match &r.connection.spec {
        Spec::S3(s) => Some(s),
        _ => None,
    }
}

fn kept(r: &Resolved) -> Option<&Session> {
    let now = crate::clock::now_ms();
    r.session.as_ref().filter(|k| k.good_at(now, REFRESH_MS))
}

/// The MFA device whose code minting `r`'s session needs now (no good session is kept for
/// it, or for the source it starts from), if one does.
pub fn needs_code(r: &Resolved) -> Option<String> {
    let s = spec(r)?;
    let role = s.role.as_ref()?;
    if kept(r).is_some() {
        return None;
    }
    role.mfa_serial
        .clone()
        .or_else(|| r.source.as_deref().and_then(needs_code))
}

/// The credentials `r` signs with now, and whether they were minted just now (to be kept).
/// `mfa_code` goes to the first role on the chain that asks one.
pub async fn credentials(
    rec: &mut Recorder,
    r: &Resolved,
    mfa_code: Option<&str>,
) -> Result<(Session, bool), Failure> {
    let Some(s) = spec(r) else {
        return Err(Failure::new(StepName::Credentials, "not an S3 connection"));
    };
    let step = match s.role {
        Some(_) => StepName::AssumeRole,
        None => StepName::Credentials,
    };
    if let Some(k) = kept(r) {
        let until = k.expires_ms.map(crate::clock::rfc3339).unwrap_or_default();
        let detail = format!("a session minted earlier, good until {until}");
        let session = k.clone();
        rec.step(step, async move { Ok(((), Some(detail))) })
            .await?;
        return Ok((session, false));
    }
    let own_code = s
        .role
        .as_ref()
        .and_then(|x| x.mfa_serial.as_ref())
        .is_some();
    let source = s.role.as_ref().and_then(|x| x.source.clone());
    let (base, at) = match (&source, &s.profile) {
        (Some(name), _) => {
            let Some(src) = r.source.as_deref() else {
                return Err(
                    Failure::new(step, format!("the role's source {name} was not found")).hint(
                        format!("save an S3 connection named {name}, or choose another source"),
                    ),
                );
            };
            let code = if own_code { None } else { mfa_code };
            let (base, _) = Box::pin(credentials(rec, src, code)).await.map_err(|f| {
                let m = format!("source {name}: {}", f.message);
                Failure { message: m, ..f }
            })?;
            (base, spec(src).unwrap_or(s).clone())
        }
        (None, Some(p)) => (
            profile::mint(rec, s, p, &r.connection.name).await?,
            s.clone(),
        ),
        (None, None) => (saved_keys(r, s, step)?, s.clone()),
    };
    let Some(role) = &s.role else {
        // A profile's session is kept when it is one (static keys from the files are not).
        let fresh = base.expires_ms.is_some();
        return Ok((base, fresh));
    };
    if let (Some(serial), None) = (&role.mfa_serial, mfa_code) {
        return Err(Failure::new(
            StepName::MfaCode,
            format!("role {} asks for a code from MFA device {serial}", role.role_arn),
        )
        .hint("give the code your device shows (Test in the list asks for it; patchbay test NAME --mfa-code CODE): the session it mints is kept until it expires"));
    }
    let c = Credentials {
        access_key_id: &base.access_key_id,
        secret: base.secret.expose(),
        session_token: base.token.as_ref().map(|t| t.expose()),
    };
    let minted = role::assume(rec, &at, &c, role, mfa_code).await?;
    Ok((minted, true))
}

/// The connection's own saved keys, as a session that does not expire unless saved with one.
fn saved_keys(r: &Resolved, s: &S3Spec, step: StepName) -> Result<Session, Failure> {
    let secret = r.secret(SecretField::SecretAccessKey).ok_or_else(|| {
        Failure::new(step, "no secret access key is saved")
            .hint("add the keys the role is assumed with, or choose a profile or a saved connection as its source")
    })?;
    Ok(Session {
        access_key_id: s.access_key_id.clone(),
        secret: secret.clone(),
        token: r.secret(SecretField::SessionToken).cloned(),
        expires_ms: s
            .session_expires
            .as_deref()
            .and_then(crate::clock::parse_rfc3339),
    })
}

/// The check of a connection that mints its sessions: its credentials, who they are, then the
/// S3 request signed with them; the session minted on the way, when one was.
pub async fn check(
    rec: &mut Recorder,
    r: &Resolved,
    s: &S3Spec,
    mfa_code: Option<&str>,
) -> (Result<String, Failure>, Option<Session>) {
    let (session, fresh) = match credentials(rec, r, mfa_code).await {
        Ok(x) => x,
        Err(f) => return (Err(f), None),
    };
    let c = Credentials {
        access_key_id: &session.access_key_id,
        secret: session.secret.expose(),
        session_token: session.token.as_ref().map(|t| t.expose()),
    };
    let outcome = async {
        identity::caller(rec, s, &c).await?;
        let keyed = as_keys(s, &session);
        let token = session.token.as_ref().map(|t| t.expose());
        super::check::check(rec, &keyed, Some(session.secret.expose()), token).await
    }
    .await;
    (outcome, fresh.then_some(session))
}

/// The connection as if `m` were its saved keys.
pub fn as_keys(s: &S3Spec, m: &Session) -> S3Spec {
    S3Spec {
        access_key_id: m.access_key_id.clone(),
        session_expires: m.expires_ms.map(crate::clock::rfc3339),
        profile: None,
        role: None,
        ..s.clone()
    }
}

/// `r` with the credentials it signs with now in place of saved ones, for one hand-off
/// (`exec`, `env --with-password`, a listing), and the session minted for it, when one was (to
/// keep). A connection with keys alone is left as it is.
pub async fn minted(
    mut r: Resolved,
    timeout: Duration,
    mfa_code: Option<&str>,
) -> Result<(Resolved, Option<Session>)> {
    let Some(s) = spec(&r).filter(|s| mints(s)).cloned() else {
        return Ok((r, None));
    };
    if let (Some(serial), None) = (needs_code(&r), mfa_code) {
        return Err(Error::MfaNeeded(format!(
            "{} assumes a role that asks for a code from MFA device {serial}: give it (--mfa-code CODE, or Test in the window's list asks for it), and the session it mints is kept until it expires",
            r.connection.name
        )));
    }
    let mut rec = Recorder::new(timeout, Vec::new());
    let (session, fresh) = credentials(&mut rec, &r, mfa_code)
        .await
        .map_err(|f| Error::Check(f.in_words()))?;
    r.connection.spec = Spec::S3(as_keys(&s, &session));
    r.secrets
        .insert(SecretField::SecretAccessKey, session.secret.clone());
    match &session.token {
        Some(t) => r.secrets.insert(SecretField::SessionToken, t.clone()),
        None => r.secrets.remove(&SecretField::SessionToken),
    };
    r.source = None;
    r.session = None;
    Ok((r, fresh.then_some(session)))
}
