//! AWS sessions at the desk: a check or a hand-off of an S3 connection that mints its sessions
//! (by profile or role) uses the one kept for it, or mints one — with the MFA code its role asks
//! for, given once — and keeps it until it expires; `forget_session` drops it (a revoked role).
//! An SSO profile's IAM Identity Center sign-in (`login`, `login_wait`) starts here too.

use super::Desk;
use crate::check::verdict::Verdict;
use crate::error::{Error, Result};
use crate::kinds::{self, s3::session, s3::sso};
use crate::model::{Connection, Kind, Resolved, Session, Spec};

/// What minting a session gave: for how long it is good, and who it is for.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct Minted {
    pub name: String,
    /// RFC 3339, when the session says.
    pub expires: Option<String>,
}

impl Desk {
    /// Checks a saved connection (with the MFA code its role asks for, when one is given) and
    /// records the verdict; a session minted on the way is kept.
    pub async fn test_with_code(
        &self,
        kind: impl Into<Option<Kind>>,
        name: &str,
        mfa_code: Option<&str>,
    ) -> Result<Verdict> {
        let r = self.cat().resolve(kind.into(), name)?;
        let code = mfa_code.map(code_of).transpose()?;
        let (v, minted) =
            kinds::check_minting(&r, self.timeout, &self.host_keys(), code.as_deref()).await;
        if let Some(s) = minted {
            self.keep(&r.connection, &s)?;
        }
        self.cat().record_check(r.connection.id, &v)?;
        self.used(r.connection.id);
        Ok(v)
    }

    /// `r` with the credentials it signs with now in place of saved ones (a kept session, or
    /// one minted now and kept); any other connection as it is. A role that asks for an MFA
    /// code with none given is `Error::MfaNeeded`.
    pub async fn with_minted(&self, r: Resolved, mfa_code: Option<&str>) -> Result<Resolved> {
        let code = mfa_code.map(code_of).transpose()?;
        let connection = r.connection.clone();
        let (r, minted) = session::minted(r, self.timeout, code.as_deref()).await?;
        if let Some(s) = minted {
            self.keep(&connection, &s)?;
        }
        Ok(r)
    }

    /// Mints a session for the S3 connection `name` with `mfa_code` and keeps it, so that what
    /// comes next (a listing, a copy, a program) uses it without asking again.
    pub async fn mint_session(&self, name: &str, mfa_code: &str) -> Result<Minted> {
        let mut r = self.cat().resolve(Some(Kind::S3), name)?;
        r.session = None;
        let code = code_of(mfa_code)?;
        let connection = r.connection.clone();
        let (_, minted) = session::minted(r, self.timeout, Some(&code)).await?;
        let expires = match minted {
            Some(s) => {
                self.keep(&connection, &s)?;
                s.expires_ms.map(crate::clock::rfc3339)
            }
            None => None,
        };
        Ok(Minted {
            name: connection.name,
            expires,
        })
    }

    /// Drops the session kept for `name` (the next use mints one); whether one was kept.
    pub fn forget_session(&self, name: &str) -> Result<bool> {
        let c = self.cat().get(Some(Kind::S3), name)?;
        self.cat().forget_session(c.id)
    }

    /// Starts the IAM Identity Center sign-in of the S3 connection `name` (by an SSO profile):
    /// what to show the person (where to approve it, and the code); `login_wait` finishes it.
    pub async fn login(&self, name: &str) -> Result<sso::SsoPrompt> {
        let c = self.cat().get(Some(Kind::S3), name)?;
        let Spec::S3(s) = &c.spec else {
            unreachable!("an S3 connection")
        };
        let (prompt, pending) = sso::start(sso::of_connection(&c.name, s)?).await?;
        self.signing_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(c.name.clone(), pending);
        Ok(prompt)
    }

    /// Waits until the sign-in `login` started for `name` is approved, and keeps its token where
    /// the AWS CLI keeps it (a session kept from the sign-in before is dropped); when it expires.
    pub async fn login_wait(&self, name: &str) -> Result<String> {
        let pending = self
            .signing_in
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(name)
            .ok_or_else(|| {
                Error::invalid(
                    "name",
                    format!("no sign-in of {name} was started: log in first"),
                )
            })?;
        let expires = sso::finish(pending).await?;
        self.forget_session(name)?;
        Ok(expires)
    }

    fn keep(&self, c: &Connection, s: &Session) -> Result<()> {
        // A form being checked is no saved connection (id 0): nothing to keep it for.
        if c.id == 0 {
            return Ok(());
        }
        self.cat().keep_session(c, s)
    }
}

/// An MFA code as typed: six digits (spaces ignored).
fn code_of(raw: &str) -> Result<String> {
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(
            "mfa_code",
            "is the 6 digits your MFA device shows now",
        ));
    }
    Ok(code)
}
