//! The connection fields as command-line options, shared by `add` and `edit`, and how they turn
//! into a draft for the core. Validation is the core's; this only carries values across.

use clap::Args;
use patchbay_core::model::*;
use patchbay_core::{validate, Error, Result};

use crate::input;

mod azure;
mod foreign;
mod gcs;
mod names;
mod role;
mod secrets;
mod ssh;

pub use names::{blank_spec, field_of_option};
pub use secrets::secret_option;

#[derive(Args, Debug, Default)]
pub struct FieldArgs {
    /// Environment tag shown in lists and the tray (dev, staging, prod…); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long = "env", value_name = "TAG")]
    pub env_tag: Option<String>,

    // -------- database
    /// Database host name or IP address.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Database")]
    pub host: Option<String>,
    /// Port (default 5432 for PostgreSQL, 3306 for MySQL).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Database")]
    pub port: Option<String>,
    /// Database name.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Database")]
    pub database: Option<String>,
    /// User name.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, alias = "username", help_heading = "Database")]
    pub user: Option<String>,
    /// disable, prefer, require, verify-ca or verify-full.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Database")]
    pub ssl_mode: Option<String>,
    /// Ask for the password on the terminal.
    #[arg(long, help_heading = "Database")]
    pub password: bool,
    /// Read the password from stdin.
    #[arg(long, help_heading = "Database")]
    pub password_stdin: bool,
    /// Use the saved secret with this name as the password.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "SECRET", help_heading = "Database")]
    pub password_secret: Option<String>,
    /// Remove the saved password.
    #[arg(long, help_heading = "Database")]
    pub no_password: bool,

    // -------- storage
    /// Access key id.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Cloud storage")]
    pub access_key_id: Option<String>,
    /// Ask for the secret access key on the terminal.
    #[arg(long, help_heading = "Cloud storage")]
    pub secret_key: bool,
    /// Read the secret access key from stdin.
    #[arg(long, help_heading = "Cloud storage")]
    pub secret_key_stdin: bool,
    /// Use the saved secret with this name as the secret access key.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "SECRET", help_heading = "Cloud storage")]
    pub secret_key_secret: Option<String>,
    /// Region (default us-east-1).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Cloud storage")]
    pub region: Option<String>,
    /// Custom endpoint for S3-compatible stores (MinIO…); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Cloud storage")]
    pub endpoint_url: Option<String>,
    /// Do not verify the endpoint's TLS certificate.
    #[arg(long, help_heading = "Cloud storage")]
    pub no_verify_ssl: bool,
    /// Verify the endpoint's TLS certificate (the default).
    #[arg(long, conflicts_with = "no_verify_ssl", help_heading = "Cloud storage")]
    pub verify_ssl: bool,
    /// Allow an http:// endpoint (credentials travel unencrypted).
    #[arg(long, help_heading = "Cloud storage")]
    pub allow_http: bool,
    /// Refuse http:// endpoints again.
    #[arg(long, conflicts_with = "allow_http", help_heading = "Cloud storage")]
    pub no_allow_http: bool,
    /// Ask for the session token of temporary credentials on the terminal.
    #[arg(long, help_heading = "Cloud storage")]
    pub session_token: bool,
    /// Read the session token from stdin.
    #[arg(long, help_heading = "Cloud storage")]
    pub session_token_stdin: bool,
    /// Remove the saved session token and its expiry.
    #[arg(long, conflicts_with_all = ["session_token", "session_token_stdin"], help_heading = "Cloud storage")]
    pub no_session_token: bool,
    /// When the temporary credentials expire (RFC 3339, e.g. 2026-12-01T16:00:00Z); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "TIME", help_heading = "Cloud storage")]
    pub session_expires: Option<String>,
    /// Read key id, secret, session token and expiry from the JSON `aws sts assume-role` or
    /// `get-session-token` prints (piped to stdin).
    #[arg(long, conflicts_with_all = ["access_key_id", "secret_key", "secret_key_stdin", "secret_key_secret", "session_token", "session_token_stdin", "no_session_token", "session_expires"], help_heading = "Cloud storage")]
    pub aws_credentials_stdin: bool,
    /// Take the credentials from this AWS profile (~/.aws/config) each time they are used,
    /// through the AWS SDK (keys, a role, credential_process, SSO); none are saved. '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "NAME", conflicts_with_all = ["access_key_id", "secret_key", "secret_key_stdin", "secret_key_secret", "session_token", "session_token_stdin", "session_expires", "aws_credentials_stdin"], help_heading = "Cloud storage")]
    pub profile: Option<String>,

    // -------- kafka
    /// Bootstrap servers, comma-separated host:port.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, alias = "bootstrap-servers", help_heading = "Kafka")]
    pub bootstrap: Option<String>,
    /// PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Kafka")]
    pub security_protocol: Option<String>,
    /// PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Kafka")]
    pub sasl_mechanism: Option<String>,
    /// SASL user name; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Kafka")]
    pub sasl_user: Option<String>,
    /// Ask for the SASL password on the terminal.
    #[arg(long, help_heading = "Kafka")]
    pub sasl_password: bool,
    /// Read the SASL password from stdin.
    #[arg(long, help_heading = "Kafka")]
    pub sasl_password_stdin: bool,
    /// Use the saved secret with this name as the SASL password.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "SECRET", help_heading = "Kafka")]
    pub sasl_password_secret: Option<String>,
    /// Client certificate (PEM file); '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "FILE", help_heading = "Kafka")]
    pub client_cert: Option<String>,
    /// Client private key (PEM file; stored encrypted).
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "FILE", help_heading = "Kafka")]
    pub client_key: Option<String>,
    /// Schema Registry URL; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Kafka")]
    pub schema_registry_url: Option<String>,
    /// Schema Registry basic-auth user; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Kafka")]
    pub schema_registry_user: Option<String>,
    /// Ask for the Schema Registry password on the terminal.
    #[arg(long, help_heading = "Kafka")]
    pub schema_registry_password: bool,
    /// Read the Schema Registry password from stdin.
    #[arg(long, help_heading = "Kafka")]
    pub schema_registry_password_stdin: bool,
    /// Allow an http:// registry URL although the registry password then travels unencrypted.
    #[arg(
        long,
        conflicts_with = "no_schema_registry_allow_http",
        help_heading = "Kafka"
    )]
    pub schema_registry_allow_http: bool,
    /// Require https:// for the registry again.
    #[arg(long, help_heading = "Kafka")]
    pub no_schema_registry_allow_http: bool,

    /// Azure: account-key, sas, service-principal or ambient (az login / managed identity).
    /// Google Cloud Storage: service-account, hmac or application-default.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, help_heading = "Cloud storage")]
    pub auth: Option<String>,

    #[command(flatten)]
    pub azure: azure::AzureArgs,

    #[command(flatten)]
    pub gcs: gcs::GcsArgs,

    #[command(flatten)]
    pub role: role::RoleArgs,

    #[command(flatten)]
    pub ssh: ssh::SshArgs,

    // -------- shared
    /// CA certificate (PEM file) for verifying the server; '' clears it.
    #[arg(value_parser = crate::input::Utf8, allow_hyphen_values = true, long, value_name = "FILE")]
    pub ca_cert: Option<String>,
}

/// An optional text option: `None` leaves the field alone, `Some("")` clears it.
pub(super) fn opt(current: &mut Option<String>, new: &Option<String>) {
    if let Some(v) = new {
        *current = (!v.trim().is_empty()).then(|| v.clone());
    }
}

fn set(current: &mut String, new: &Option<String>) {
    if let Some(v) = new {
        *current = v.clone();
    }
}

fn pem_opt(field: &str, current: &mut Option<String>, path: &Option<String>) -> Result<()> {
    match path.as_deref() {
        None => Ok(()),
        Some("") => {
            *current = None;
            Ok(())
        }
        Some(p) => {
            *current = Some(input::pem_file(field, p)?);
            Ok(())
        }
    }
}

impl FieldArgs {
    /// Applies the options to `spec` (a fresh default or the saved one).
    pub fn apply(&self, spec: &mut Spec) -> Result<()> {
        self.refuse_foreign(spec.kind())?;
        match spec {
            Spec::Database(d) => {
                set(&mut d.host, &self.host);
                if let Some(p) = &self.port {
                    d.port = validate::port_text("port", p)?;
                }
                set(&mut d.database, &self.database);
                set(&mut d.username, &self.user);
                if let Some(m) = &self.ssl_mode {
                    d.ssl_mode = SslMode::parse(m).ok_or_else(|| {
                        Error::invalid("ssl_mode", format!("\"{m}\" is not an SSL mode; use disable, prefer, require, verify-ca or verify-full"))
                    })?;
                }
                pem_opt("ca_cert", &mut d.ca_cert, &self.ca_cert)?;
                self.ssh.apply(d)?;
            }
            Spec::S3(s) => {
                set(&mut s.access_key_id, &self.access_key_id);
                set(&mut s.region, &self.region);
                opt(&mut s.endpoint_url, &self.endpoint_url);
                if self.no_verify_ssl {
                    s.verify_ssl = false;
                }
                if self.verify_ssl {
                    s.verify_ssl = true;
                }
                if self.allow_http {
                    s.allow_http = true;
                }
                if self.no_allow_http {
                    s.allow_http = false;
                }
                opt(&mut s.session_expires, &self.session_expires);
                if self.no_session_token {
                    s.session_expires = None;
                }
                opt(&mut s.profile, &self.profile);
                if self.profile.as_deref().is_some_and(|p| !p.is_empty()) {
                    // Switched to a profile: it gives the keys.
                    s.access_key_id.clear();
                    s.session_expires = None;
                }
                self.role.apply(s)?;
                pem_opt("ca_cert", &mut s.ca_cert, &self.ca_cert)?;
            }
            Spec::Azure(a) => {
                self.azure.apply(a, &self.auth)?;
                opt(&mut a.endpoint_url, &self.endpoint_url);
                if self.allow_http {
                    a.allow_http = true;
                }
                if self.no_allow_http {
                    a.allow_http = false;
                }
                pem_opt("ca_cert", &mut a.ca_cert, &self.ca_cert)?;
            }
            Spec::Gcs(g) => {
                self.gcs.apply(g, &self.auth)?;
                opt(&mut g.endpoint_url, &self.endpoint_url);
                if self.allow_http {
                    g.allow_http = true;
                }
                if self.no_allow_http {
                    g.allow_http = false;
                }
                pem_opt("ca_cert", &mut g.ca_cert, &self.ca_cert)?;
            }
            Spec::Kafka(k) => {
                set(&mut k.bootstrap_servers, &self.bootstrap);
                if let Some(p) = &self.security_protocol {
                    k.security_protocol = SecurityProtocol::parse(p).ok_or_else(|| {
                        Error::invalid("security_protocol", format!("\"{p}\" is not a security protocol; use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"))
                    })?;
                }
                if let Some(m) = &self.sasl_mechanism {
                    k.sasl_mechanism = if m.trim().is_empty() {
                        None
                    } else {
                        Some(SaslMechanism::parse(m).ok_or_else(|| {
                            Error::invalid("sasl_mechanism", format!("\"{m}\" is not a SASL mechanism; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"))
                        })?)
                    };
                }
                opt(&mut k.sasl_username, &self.sasl_user);
                pem_opt("ca_cert", &mut k.ca_cert, &self.ca_cert)?;
                pem_opt("client_cert", &mut k.client_cert, &self.client_cert)?;
                opt(&mut k.schema_registry_url, &self.schema_registry_url);
                opt(&mut k.schema_registry_username, &self.schema_registry_user);
                if self.schema_registry_allow_http {
                    k.schema_registry_allow_http = true;
                }
                if self.no_schema_registry_allow_http {
                    k.schema_registry_allow_http = false;
                }
            }
        }
        Ok(())
    }
}
