//! The options of a Google Cloud Storage connection (`add gcs` / `edit`): the project, the bucket,
//! and the auth mode's secret: a service account's JSON key (from its file or stdin) or an HMAC
//! key's secret (stdin or a prompt). The endpoint, "allow unsafe HTTP", the CA certificate and
//! `--auth` are the object stores' shared options.

use clap::Args;
use patchbay_core::model::*;
use patchbay_core::{Error, Result};

use super::opt;
use crate::input;

#[derive(Args, Debug, Default)]
pub struct GcsArgs {
    /// Project id whose buckets are listed (read from the key when not given); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long = "project", help_heading = "Google Cloud Storage")]
    pub project_id: Option<String>,
    /// Bucket to check and hand over; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Google Cloud Storage")]
    pub bucket: Option<String>,
    /// The service account's JSON key file (stored encrypted; the file itself is not kept).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "FILE", help_heading = "Google Cloud Storage")]
    pub service_account_key: Option<String>,
    /// Read the service account's JSON key from stdin.
    #[arg(
        long,
        conflicts_with = "service_account_key",
        help_heading = "Google Cloud Storage"
    )]
    pub service_account_key_stdin: bool,
    /// HMAC key: its access id (GOOG…).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Google Cloud Storage")]
    pub hmac_access_id: Option<String>,
    /// Ask for the HMAC secret on the terminal.
    #[arg(long, help_heading = "Google Cloud Storage")]
    pub hmac_secret: bool,
    /// Read the HMAC secret from stdin.
    #[arg(long, help_heading = "Google Cloud Storage")]
    pub hmac_secret_stdin: bool,
}

impl GcsArgs {
    /// Which options were given, for refusing them on another kind.
    pub fn used(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("--project", self.project_id.is_some()),
            ("--bucket", self.bucket.is_some()),
            (
                "--service-account-key",
                self.service_account_key.is_some() || self.service_account_key_stdin,
            ),
            ("--hmac-access-id", self.hmac_access_id.is_some()),
            ("--hmac-secret", self.hmac_secret || self.hmac_secret_stdin),
        ]
    }

    /// The options that read stdin.
    pub fn stdin_users(&self) -> [bool; 2] {
        [self.service_account_key_stdin, self.hmac_secret_stdin]
    }

    /// Applies the options; `auth` is the object stores' shared `--auth`.
    pub fn apply(&self, g: &mut GcsSpec, auth: &Option<String>) -> Result<()> {
        if let Some(m) = auth {
            g.auth = GcsAuth::parse(m).ok_or_else(|| {
                Error::invalid("auth", format!("\"{m}\" is not an auth mode; use service-account, hmac or application-default"))
            })?;
        }
        opt(&mut g.project_id, &self.project_id);
        opt(&mut g.bucket, &self.bucket);
        opt(&mut g.hmac_access_id, &self.hmac_access_id);
        Ok(())
    }

    pub fn secrets(&self, draft: &mut ConnectionDraft) -> Result<()> {
        let field = SecretField::ServiceAccountKey;
        if let Some(path) = &self.service_account_key {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::invalid(field.as_str(), format!("cannot read {path}: {e}")))?;
            draft
                .secrets
                .insert(field, SecretInput::Value { value: text.into() });
        } else if self.service_account_key_stdin {
            let value = input::from_stdin(field.as_str())?;
            draft.secrets.insert(field, SecretInput::Value { value });
        }
        let field = SecretField::HmacSecret;
        if let Some(value) = input::secret_field(field, self.hmac_secret, self.hmac_secret_stdin)? {
            draft.secrets.insert(field, SecretInput::Value { value });
        }
        Ok(())
    }
}
