//! The secret options of `add`/`edit`: each secret field from stdin, a prompt, a PEM file or a
//! named secret, at most one from stdin, never from an argument.

use patchbay_core::model::*;
use patchbay_core::Result;

use super::FieldArgs;
use crate::input;

impl FieldArgs {
    /// Reads the secret inputs the options ask for (stdin, prompt, file, or a saved secret).
    pub fn secrets(&self, draft: &mut ConnectionDraft) -> Result<()> {
        let mut put = |field: SecretField,
                       prompt: bool,
                       stdin: bool,
                       secret: &Option<String>|
         -> Result<()> {
            if let Some(value) = input::secret_field(field, prompt, stdin)? {
                draft.secrets.insert(field, SecretInput::Value { value });
            } else if let Some(name) = secret {
                draft
                    .secrets
                    .insert(field, SecretInput::Secret { name: name.clone() });
            }
            Ok(())
        };
        put(
            SecretField::Password,
            self.password,
            self.password_stdin,
            &self.password_secret,
        )?;
        put(
            SecretField::SecretAccessKey,
            self.secret_key,
            self.secret_key_stdin,
            &self.secret_key_secret,
        )?;
        put(
            SecretField::SessionToken,
            self.session_token,
            self.session_token_stdin,
            &None,
        )?;
        put(
            SecretField::SaslPassword,
            self.sasl_password,
            self.sasl_password_stdin,
            &self.sasl_password_secret,
        )?;
        put(
            SecretField::SchemaRegistryPassword,
            self.schema_registry_password,
            self.schema_registry_password_stdin,
            &None,
        )?;
        if self.no_session_token {
            draft
                .secrets
                .insert(SecretField::SessionToken, SecretInput::Clear);
        }
        if self.aws_credentials_stdin {
            let text = input::from_stdin("aws_credentials")?;
            let c = patchbay_core::kinds::s3::issued_credentials(text.expose())?;
            if let Spec::S3(s) = &mut draft.spec {
                s.access_key_id = c.access_key_id;
                s.session_expires = c.expiration;
            }
            draft.secrets.insert(
                SecretField::SecretAccessKey,
                SecretInput::Value {
                    value: c.secret_access_key,
                },
            );
            let token = match c.session_token {
                Some(value) => SecretInput::Value { value },
                None => SecretInput::Clear,
            };
            draft.secrets.insert(SecretField::SessionToken, token);
        }
        self.azure.secrets(draft)?;
        self.gcs.secrets(draft)?;
        self.ssh.secrets(draft)?;
        if self.no_password {
            draft
                .secrets
                .insert(SecretField::Password, SecretInput::Clear);
        }
        match self.client_key.as_deref() {
            None => {}
            Some("") => {
                draft
                    .secrets
                    .insert(SecretField::ClientKey, SecretInput::Clear);
            }
            Some(path) => {
                let pem = input::pem_file("client_key", path)?;
                draft.secrets.insert(
                    SecretField::ClientKey,
                    SecretInput::Value { value: pem.into() },
                );
            }
        }
        Ok(())
    }
}

/// The option that sets a secret field again (for errors that ask for it).
pub fn secret_option(field: &str) -> &'static str {
    match field {
        "secret_access_key" => "--secret-key-stdin",
        "session_token" => "--session-token-stdin",
        "account_key" => "--account-key-stdin",
        "sas_token" => "--sas-stdin",
        "client_secret" => "--client-secret-stdin",
        "service_account_key" => "--service-account-key FILE",
        "hmac_secret" => "--hmac-secret-stdin",
        "sasl_password" => "--sasl-password-stdin",
        "schema_registry_password" => "--schema-registry-password-stdin",
        "client_key" => "--client-key FILE",
        "ssh_password" => "--ssh-password-stdin",
        "ssh_private_key" => "--ssh-key-stdin (or --ssh-key FILE)",
        "ssh_passphrase" => "--ssh-passphrase-stdin",
        _ => "--password-stdin",
    }
}
