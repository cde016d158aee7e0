//! The nouns of the catalog: the kinds of connection and the enumerations their fields use
//! (here; the object stores' auth modes in `auth.rs`), each kind's fields (`spec.rs`), and the
//! draft a form or command submits and the saved record handed back, which says only whether a
//! secret is set, never its value (`record.rs`).

mod auth;
mod record;
mod spec;

pub use auth::*;
pub use record::*;
pub use spec::*;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kinds of connection. User secrets are listed separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Database,
    /// AWS S3 and S3-compatible stores (stored and serialised as "storage", a name that
    /// predates the other object stores).
    #[serde(rename = "storage")]
    S3,
    /// Azure Blob Storage and ADLS Gen2.
    Azure,
    /// Google Cloud Storage.
    Gcs,
    Kafka,
}

impl Kind {
    /// In tab order: the object stores share the Cloud Storage tab.
    pub const ALL: [Kind; 5] = [
        Kind::Database,
        Kind::S3,
        Kind::Azure,
        Kind::Gcs,
        Kind::Kafka,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Database => "database",
            Kind::S3 => "storage",
            Kind::Azure => "azure",
            Kind::Gcs => "gcs",
            Kind::Kafka => "kafka",
        }
    }

    /// How a person calls this kind in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Database => "database connection",
            Kind::S3 => "S3 connection",
            Kind::Azure => "Azure Blob Storage connection",
            Kind::Gcs => "Google Cloud Storage connection",
            Kind::Kafka => "Kafka connection",
        }
    }

    /// The label with its article: "a database connection", "an S3 connection".
    pub fn a_label(self) -> String {
        let label = self.label();
        let article = match self {
            Kind::S3 | Kind::Azure => "an",
            Kind::Database | Kind::Gcs | Kind::Kafka => "a",
        };
        format!("{article} {label}")
    }

    /// A badge's word for this kind ("DB", "S3", "Azure", "GCS", "Kafka").
    pub fn short_label(self) -> &'static str {
        match self {
            Kind::Database => "DB",
            Kind::S3 => "S3",
            Kind::Azure => "Azure",
            Kind::Gcs => "GCS",
            Kind::Kafka => "Kafka",
        }
    }

    /// The kind stored in a `kind` column (exactly `as_str`).
    pub fn from_column(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The secret fields a connection of this kind can hold.
    pub fn secret_fields(self) -> &'static [SecretField] {
        match self {
            Kind::Database => &[
                SecretField::Password,
                SecretField::SshPassword,
                SecretField::SshPrivateKey,
                SecretField::SshPassphrase,
            ],
            Kind::S3 => &[SecretField::SecretAccessKey, SecretField::SessionToken],
            Kind::Azure => &[
                SecretField::AccountKey,
                SecretField::SasToken,
                SecretField::ClientSecret,
            ],
            Kind::Gcs => &[SecretField::ServiceAccountKey, SecretField::HmacSecret],
            Kind::Kafka => &[
                SecretField::SaslPassword,
                SecretField::ClientKey,
                SecretField::SchemaRegistryPassword,
            ],
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A field that holds a secret. Its value is encrypted at rest and never listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretField {
    Password,
    SecretAccessKey,
    /// The token of AWS temporary credentials (STS), sent with the key it was issued with.
    SessionToken,
    /// An Azure storage account's shared key (base64).
    AccountKey,
    /// An Azure shared access signature (the query string).
    SasToken,
    /// A service principal's client secret (Microsoft Entra ID).
    ClientSecret,
    /// A Google service account's JSON key.
    ServiceAccountKey,
    /// The secret of a Google Cloud Storage HMAC key.
    HmacSecret,
    SaslPassword,
    ClientKey,
    SchemaRegistryPassword,
    /// The SSH bastion's password.
    SshPassword,
    /// The SSH private key itself (OpenSSH or PEM), when no key file is named.
    SshPrivateKey,
    /// The passphrase of an encrypted SSH private key.
    SshPassphrase,
}

impl SecretField {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretField::Password => "password",
            SecretField::SecretAccessKey => "secret_access_key",
            SecretField::SessionToken => "session_token",
            SecretField::AccountKey => "account_key",
            SecretField::SasToken => "sas_token",
            SecretField::ClientSecret => "client_secret",
            SecretField::ServiceAccountKey => "service_account_key",
            SecretField::HmacSecret => "hmac_secret",
            SecretField::SaslPassword => "sasl_password",
            SecretField::ClientKey => "client_key",
            SecretField::SchemaRegistryPassword => "schema_registry_password",
            SecretField::SshPassword => "ssh_password",
            SecretField::SshPrivateKey => "ssh_private_key",
            SecretField::SshPassphrase => "ssh_passphrase",
        }
    }

    pub fn parse(s: &str) -> Option<SecretField> {
        [
            SecretField::Password,
            SecretField::SecretAccessKey,
            SecretField::SessionToken,
            SecretField::AccountKey,
            SecretField::SasToken,
            SecretField::ClientSecret,
            SecretField::ServiceAccountKey,
            SecretField::HmacSecret,
            SecretField::SaslPassword,
            SecretField::ClientKey,
            SecretField::SchemaRegistryPassword,
            SecretField::SshPassword,
            SecretField::SshPrivateKey,
            SecretField::SshPassphrase,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }

    /// How a person calls this field in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            SecretField::Password => "password",
            SecretField::SecretAccessKey => "secret access key",
            SecretField::SessionToken => "session token",
            SecretField::AccountKey => "account key",
            SecretField::SasToken => "SAS token",
            SecretField::ClientSecret => "client secret",
            SecretField::ServiceAccountKey => "service account key",
            SecretField::HmacSecret => "HMAC secret",
            SecretField::SaslPassword => "SASL password",
            SecretField::ClientKey => "client private key",
            SecretField::SchemaRegistryPassword => "Schema Registry password",
            SecretField::SshPassword => "SSH password",
            SecretField::SshPrivateKey => "SSH private key",
            SecretField::SshPassphrase => "SSH key passphrase",
        }
    }
}

/// Database engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DbEngine {
    Postgresql,
    Mysql,
}

impl DbEngine {
    pub fn default_port(self) -> u32 {
        match self {
            DbEngine::Postgresql => 5432,
            DbEngine::Mysql => 3306,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DbEngine::Postgresql => "postgresql",
            DbEngine::Mysql => "mysql",
        }
    }

    pub fn parse(s: &str) -> Option<DbEngine> {
        match s.to_ascii_lowercase().as_str() {
            "postgresql" | "postgres" | "pg" => Some(DbEngine::Postgresql),
            "mysql" | "mariadb" => Some(DbEngine::Mysql),
            _ => None,
        }
    }
}

/// How a database connection uses TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum SslMode {
    /// Never use TLS.
    Disable,
    /// Use TLS when the server offers it, without verifying the certificate.
    Prefer,
    /// The default for new connections (a password never travels in the clear).
    #[default]
    /// Always use TLS, without verifying the certificate.
    Require,
    /// Always use TLS and verify the certificate chain against the CA.
    VerifyCa,
    /// Verify the chain and that the certificate names the host.
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    pub fn parse(s: &str) -> Option<SslMode> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "disable" | "off" | "false" | "disabled" => Some(SslMode::Disable),
            "prefer" | "preferred" => Some(SslMode::Prefer),
            "require" | "required" | "on" | "true" => Some(SslMode::Require),
            "verify-ca" => Some(SslMode::VerifyCa),
            "verify-full" | "verify-identity" => Some(SslMode::VerifyFull),
            _ => None,
        }
    }

    pub fn verifies(self) -> bool {
        matches!(self, SslMode::VerifyCa | SslMode::VerifyFull)
    }
}

/// Kafka security protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SecurityProtocol {
    #[default]
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

impl SecurityProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityProtocol::Plaintext => "PLAINTEXT",
            SecurityProtocol::Ssl => "SSL",
            SecurityProtocol::SaslPlaintext => "SASL_PLAINTEXT",
            SecurityProtocol::SaslSsl => "SASL_SSL",
        }
    }

    pub fn parse(s: &str) -> Option<SecurityProtocol> {
        match s.to_ascii_uppercase().replace('-', "_").as_str() {
            "PLAINTEXT" => Some(SecurityProtocol::Plaintext),
            "SSL" => Some(SecurityProtocol::Ssl),
            "SASL_PLAINTEXT" => Some(SecurityProtocol::SaslPlaintext),
            "SASL_SSL" => Some(SecurityProtocol::SaslSsl),
            _ => None,
        }
    }

    pub fn uses_sasl(self) -> bool {
        matches!(
            self,
            SecurityProtocol::SaslPlaintext | SecurityProtocol::SaslSsl
        )
    }

    pub fn uses_tls(self) -> bool {
        matches!(self, SecurityProtocol::Ssl | SecurityProtocol::SaslSsl)
    }
}

/// Kafka SASL mechanisms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum SaslMechanism {
    #[serde(rename = "PLAIN")]
    Plain,
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
    #[serde(rename = "SCRAM-SHA-512")]
    ScramSha512,
}

impl SaslMechanism {
    pub fn as_str(self) -> &'static str {
        match self {
            SaslMechanism::Plain => "PLAIN",
            SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
            SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }

    pub fn parse(s: &str) -> Option<SaslMechanism> {
        match s.to_ascii_uppercase().replace('_', "-").as_str() {
            "PLAIN" => Some(SaslMechanism::Plain),
            "SCRAM-SHA-256" | "SCRAM256" => Some(SaslMechanism::ScramSha256),
            "SCRAM-SHA-512" | "SCRAM512" => Some(SaslMechanism::ScramSha512),
            _ => None,
        }
    }
}
