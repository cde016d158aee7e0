//! The options of an S3 connection that assumes an IAM role (`add s3` / `edit`): the role's
//! ARN, the external ID and MFA device its trust policy asks for, the session's name and length,
//! and which saved connection's credentials assume it (none: this connection's keys or profile).

use clap::Args;
use patchbay_core::model::*;
use patchbay_core::{Error, Result};

use super::opt;

#[derive(Args, Debug, Default)]
pub struct RoleArgs {
    /// Assume this IAM role (arn:aws:iam::ACCOUNT:role/NAME) with the connection's keys, its
    /// profile, or --role-source's credentials; '' stops assuming one.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "ARN", help_heading = "Cloud storage: assume a role")]
    pub role_arn: Option<String>,
    /// The external ID the role's trust policy asks for; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "ID", help_heading = "Cloud storage: assume a role")]
    pub external_id: Option<String>,
    /// The MFA device (its ARN or serial) whose code the role asks for; the code is asked each
    /// time a session is minted (--mfa-code, or a prompt); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "ARN", help_heading = "Cloud storage: assume a role")]
    pub mfa_serial: Option<String>,
    /// The session's name, in CloudTrail and the assumed role's ARN (default patchbay); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "NAME", help_heading = "Cloud storage: assume a role")]
    pub role_session_name: Option<String>,
    /// How long a session lasts, in seconds (900 to 43200; default 3600).
    #[arg(
        long,
        value_name = "SECONDS",
        help_heading = "Cloud storage: assume a role"
    )]
    pub role_duration: Option<u32>,
    /// Assume the role with this saved S3 connection's credentials (it keeps the keys; this one
    /// none); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "NAME", help_heading = "Cloud storage: assume a role")]
    pub role_source: Option<String>,
}

impl RoleArgs {
    /// Which options were given, for refusing them on another kind.
    pub fn used(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("--role-arn", self.role_arn.is_some()),
            ("--external-id", self.external_id.is_some()),
            ("--mfa-serial", self.mfa_serial.is_some()),
            ("--role-session-name", self.role_session_name.is_some()),
            ("--role-duration", self.role_duration.is_some()),
            ("--role-source", self.role_source.is_some()),
        ]
    }

    /// Applies the options to an S3 connection's role.
    pub fn apply(&self, s: &mut S3Spec) -> Result<()> {
        match self.role_arn.as_deref().map(str::trim) {
            Some("") => s.role = None,
            Some(arn) => match &mut s.role {
                Some(r) => r.role_arn = arn.to_string(),
                None => {
                    s.role = Some(AssumeRole {
                        role_arn: arn.to_string(),
                        external_id: None,
                        session_name: None,
                        duration_seconds: None,
                        mfa_serial: None,
                        source: None,
                    })
                }
            },
            None => {}
        }
        let rest = self.used().iter().skip(1).any(|(_, u)| *u);
        let Some(r) = s.role.as_mut() else {
            return match rest {
                true => Err(Error::invalid(
                    "role_arn",
                    "this connection assumes no role: give it with --role-arn ARN",
                )),
                false => Ok(()),
            };
        };
        opt(&mut r.external_id, &self.external_id);
        opt(&mut r.mfa_serial, &self.mfa_serial);
        opt(&mut r.session_name, &self.role_session_name);
        if let Some(d) = self.role_duration {
            r.duration_seconds = Some(d);
        }
        opt(&mut r.source, &self.role_source);
        if self
            .role_source
            .as_deref()
            .is_some_and(|x| !x.trim().is_empty())
        {
            // The source's credentials assume the role: this one keeps none.
            s.access_key_id.clear();
            s.session_expires = None;
            s.profile = None;
        }
        Ok(())
    }
}
