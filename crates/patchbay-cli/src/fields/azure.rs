//! The options of an Azure Blob Storage connection (`add azure` / `edit`): the account, the auth
//! mode and its secret (from stdin or a prompt, never an argument), the service principal's ids,
//! the container, and a connection string read from stdin. The endpoint, "allow unsafe HTTP" and
//! the CA certificate are the object stores' shared options.

use clap::Args;
use patchbay_core::model::*;
use patchbay_core::{Error, Result};

use super::opt;
use crate::input;

#[derive(Args, Debug, Default)]
pub struct AzureArgs {
    /// Storage account name.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Azure Blob Storage")]
    pub account: Option<String>,
    /// Container to check and hand over; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Azure Blob Storage")]
    pub container: Option<String>,
    /// Ask for the account key on the terminal.
    #[arg(long, help_heading = "Azure Blob Storage")]
    pub account_key: bool,
    /// Read the account key from stdin.
    #[arg(long, help_heading = "Azure Blob Storage")]
    pub account_key_stdin: bool,
    /// Ask for the SAS token on the terminal.
    #[arg(long, help_heading = "Azure Blob Storage")]
    pub sas: bool,
    /// Read the SAS token from stdin.
    #[arg(long, help_heading = "Azure Blob Storage")]
    pub sas_stdin: bool,
    /// Service principal: directory (tenant) id.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Azure Blob Storage")]
    pub tenant_id: Option<String>,
    /// Service principal: application (client) id.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Azure Blob Storage")]
    pub client_id: Option<String>,
    /// Ask for the service principal's client secret on the terminal.
    #[arg(long, help_heading = "Azure Blob Storage")]
    pub client_secret: bool,
    /// Read the client secret from stdin.
    #[arg(long, help_heading = "Azure Blob Storage")]
    pub client_secret_stdin: bool,
    /// Token endpoint of a sovereign cloud (default https://login.microsoftonline.com); '' clears.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Azure Blob Storage")]
    pub authority_host: Option<String>,
    /// Read a connection string (AccountName=…;AccountKey=… or SharedAccessSignature=…) from
    /// stdin: it sets the account, auth mode, endpoint and secret.
    #[arg(long, conflicts_with_all = ["account", "account_key", "account_key_stdin", "sas", "sas_stdin"], help_heading = "Azure Blob Storage")]
    pub connection_string_stdin: bool,
}

impl AzureArgs {
    /// Which options were given, for refusing them on another kind.
    pub fn used(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("--account", self.account.is_some()),
            ("--container", self.container.is_some()),
            ("--account-key", self.account_key || self.account_key_stdin),
            ("--sas", self.sas || self.sas_stdin),
            ("--tenant-id", self.tenant_id.is_some()),
            ("--client-id", self.client_id.is_some()),
            (
                "--client-secret",
                self.client_secret || self.client_secret_stdin,
            ),
            ("--authority-host", self.authority_host.is_some()),
            ("--connection-string-stdin", self.connection_string_stdin),
        ]
    }

    /// The options that read stdin.
    pub fn stdin_users(&self) -> [bool; 4] {
        [
            self.account_key_stdin,
            self.sas_stdin,
            self.client_secret_stdin,
            self.connection_string_stdin,
        ]
    }

    /// Applies the options; `auth` is the object stores' shared `--auth`.
    pub fn apply(&self, a: &mut AzureSpec, auth: &Option<String>) -> Result<()> {
        if let Some(v) = &self.account {
            a.account = v.clone();
        }
        if let Some(m) = auth {
            a.auth = AzureAuth::parse(m).ok_or_else(|| {
                Error::invalid("auth", format!("\"{m}\" is not an auth mode; use account-key, sas, service-principal or ambient"))
            })?;
        }
        opt(&mut a.container, &self.container);
        opt(&mut a.tenant_id, &self.tenant_id);
        opt(&mut a.client_id, &self.client_id);
        opt(&mut a.authority_host, &self.authority_host);
        Ok(())
    }

    /// The secret inputs: stdin or prompt, or a connection string that carries one.
    pub fn secrets(&self, draft: &mut ConnectionDraft) -> Result<()> {
        for (field, prompt, stdin) in [
            (
                SecretField::AccountKey,
                self.account_key,
                self.account_key_stdin,
            ),
            (SecretField::SasToken, self.sas, self.sas_stdin),
            (
                SecretField::ClientSecret,
                self.client_secret,
                self.client_secret_stdin,
            ),
        ] {
            let Some(value) = input::secret_field(field, prompt, stdin)? else {
                continue;
            };
            draft.secrets.insert(field, SecretInput::Value { value });
        }
        if self.connection_string_stdin {
            let text = input::from_stdin("connection_string")?;
            let t = text.expose().trim();
            if !patchbay_core::kinds::azure::paste::is_connection_string(t) {
                return Err(Error::invalid(
                    "connection_string",
                    "is not an Azure storage connection string (AccountName=…;AccountKey=…)",
                ));
            }
            let p = patchbay_core::kinds::azure::paste::connection_string(t)
                .map_err(|e| Error::invalid("connection_string", e.message()))?;
            if let (Spec::Azure(a), Spec::Azure(from)) = (&mut draft.spec, p.spec) {
                a.account = from.account;
                a.auth = from.auth;
                a.endpoint_url = from.endpoint_url;
                a.allow_http |= from.allow_http;
            }
            let Some(s) = p.secret else {
                return Err(Error::invalid("connection_string", "has neither AccountKey nor SharedAccessSignature; for a service principal use --auth service-principal"));
            };
            let units: Vec<u16> = t.encode_utf16().collect();
            let value = String::from_utf16_lossy(&units[s.start as usize..s.end as usize]);
            draft.secrets.insert(
                s.field,
                SecretInput::Value {
                    value: value.into(),
                },
            );
        }
        Ok(())
    }
}
