//! The nouns of the catalog: the kinds of connection, their fields, the secret fields each kind
//! owns, the draft a form or command submits, and the saved record handed back (which says only
//! whether a secret is set, never its value).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::secret::SecretString;

/// The three kinds of connection. User secrets are listed separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Database,
    Storage,
    Kafka,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Database, Kind::Storage, Kind::Kafka];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Database => "database",
            Kind::Storage => "storage",
            Kind::Kafka => "kafka",
        }
    }

    /// How a person calls this kind in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Database => "database connection",
            Kind::Storage => "cloud storage connection",
            Kind::Kafka => "Kafka connection",
        }
    }

    /// The kind stored in a `kind` column (exactly `as_str`).
    pub fn from_column(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A kind as people type it (database, db, postgres, s3, kafka…).
    pub fn parse(s: &str) -> Option<Kind> {
        match s.to_ascii_lowercase().as_str() {
            "database" | "db" | "postgres" | "postgresql" | "mysql" => Some(Kind::Database),
            "storage" | "s3" | "cloud" | "cloud-storage" => Some(Kind::Storage),
            "kafka" => Some(Kind::Kafka),
            _ => None,
        }
    }

    /// The secret fields a connection of this kind can hold.
    pub fn secret_fields(self) -> &'static [SecretField] {
        match self {
            Kind::Database => &[SecretField::Password],
            Kind::Storage => &[SecretField::SecretAccessKey],
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
    SaslPassword,
    ClientKey,
    SchemaRegistryPassword,
}

impl SecretField {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretField::Password => "password",
            SecretField::SecretAccessKey => "secret_access_key",
            SecretField::SaslPassword => "sasl_password",
            SecretField::ClientKey => "client_key",
            SecretField::SchemaRegistryPassword => "schema_registry_password",
        }
    }

    pub fn parse(s: &str) -> Option<SecretField> {
        [
            SecretField::Password,
            SecretField::SecretAccessKey,
            SecretField::SaslPassword,
            SecretField::ClientKey,
            SecretField::SchemaRegistryPassword,
        ]
        .into_iter()
        .find(|f| f.as_str() == s)
    }

    /// How a person calls this field in a sentence.
    pub fn label(self) -> &'static str {
        match self {
            SecretField::Password => "password",
            SecretField::SecretAccessKey => "secret access key",
            SecretField::SaslPassword => "SASL password",
            SecretField::ClientKey => "client private key",
            SecretField::SchemaRegistryPassword => "Schema Registry password",
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

/// The non-secret fields of a database connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatabaseSpec {
    pub engine: DbEngine,
    pub host: String,
    /// 1–65535; forms fill in the engine's default (5432 / 3306).
    pub port: u32,
    #[serde(default)]
    pub database: String,
    pub username: String,
    #[serde(default)]
    pub ssl_mode: SslMode,
    /// PEM text of the CA that signs the server's certificate (for verify-ca / verify-full).
    #[serde(default)]
    pub ca_cert: Option<String>,
}

/// The non-secret fields of an S3 or S3-compatible store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StorageSpec {
    pub access_key_id: String,
    #[serde(default)]
    pub region: String,
    /// A custom endpoint for S3-compatible stores (MinIO…); requests then use path-style.
    #[serde(default)]
    pub endpoint_url: Option<String>,
    #[serde(default = "yes")]
    pub verify_ssl: bool,
    /// An `http://` endpoint is refused unless this is on.
    #[serde(default)]
    pub allow_http: bool,
}

fn yes() -> bool {
    true
}

/// The non-secret fields of a Kafka connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KafkaSpec {
    /// Comma-separated `host:port` list.
    pub bootstrap_servers: String,
    #[serde(default)]
    pub security_protocol: SecurityProtocol,
    #[serde(default)]
    pub sasl_mechanism: Option<SaslMechanism>,
    #[serde(default)]
    pub sasl_username: Option<String>,
    /// PEM text of the CA that signs the brokers' certificates.
    #[serde(default)]
    pub ca_cert: Option<String>,
    /// PEM text of the client certificate (its key is a secret field).
    #[serde(default)]
    pub client_cert: Option<String>,
    #[serde(default)]
    pub schema_registry_url: Option<String>,
    #[serde(default)]
    pub schema_registry_username: Option<String>,
    /// Whether a registry URL with basic-auth credentials may use plain `http://` (the password
    /// then travels unencrypted): chosen explicitly, like S3's `allow_http`.
    #[serde(default)]
    pub schema_registry_allow_http: bool,
}

/// The non-secret part of a connection, by kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Spec {
    Database(DatabaseSpec),
    Storage(StorageSpec),
    Kafka(KafkaSpec),
}

impl Spec {
    pub fn kind(&self) -> Kind {
        match self {
            Spec::Database(_) => Kind::Database,
            Spec::Storage(_) => Kind::Storage,
            Spec::Kafka(_) => Kind::Kafka,
        }
    }

    /// A short description of where the connection points, for lists and menus.
    /// Why this connection's transport is not verified TLS, in words; None when it is.
    pub fn transport_warning(&self) -> Option<String> {
        crate::kinds::transport_warning(self)
    }

    /// Where it points, for lists (`host:port/db`, the endpoint, the bootstrap list).
    pub fn target(&self) -> String {
        crate::kinds::target(self)
    }
}

/// What to do with one secret field when saving a draft.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum SecretInput {
    /// Leave the saved value as it is (the default when editing; nothing on create).
    #[default]
    Keep,
    /// Remove the saved value.
    Clear,
    /// Store this value, encrypted, owned by the connection.
    Value {
        #[ts(type = "string")]
        value: SecretString,
    },
    /// Use the user secret with this name.
    Secret { name: String },
}

/// What a form or command submits to create or edit a connection.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ConnectionDraft {
    pub name: String,
    #[serde(default)]
    pub env_tag: Option<String>,
    pub spec: Spec,
    #[serde(default)]
    #[ts(type = "Partial<Record<SecretField, SecretInput>>")]
    pub secrets: std::collections::BTreeMap<SecretField, SecretInput>,
    /// When editing: the user confirmed that saved secrets left as "keep" go to the changed
    /// endpoint (see `catalog::kept`). Never needed for a check, which refuses instead.
    #[serde(default)]
    pub confirm_kept_secrets: bool,
}

impl ConnectionDraft {
    pub fn new(name: impl Into<String>, spec: Spec) -> Self {
        ConnectionDraft {
            name: name.into(),
            env_tag: None,
            spec,
            secrets: Default::default(),
            confirm_kept_secrets: false,
        }
    }

    /// Sets a secret field to a value owned by the connection.
    pub fn with_secret(mut self, field: SecretField, value: impl Into<SecretString>) -> Self {
        self.secrets.insert(
            field,
            SecretInput::Value {
                value: value.into(),
            },
        );
        self
    }

    /// Points a secret field at a named user secret.
    pub fn with_secret_ref(mut self, field: SecretField, secret: impl Into<String>) -> Self {
        self.secrets.insert(
            field,
            SecretInput::Secret {
                name: secret.into(),
            },
        );
        self
    }
}

/// Where a set secret field gets its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum SecretSource {
    /// The connection owns the value.
    Owned,
    /// The value is the user secret with this name.
    Shared { name: String },
}

/// A secret field that has a value: which field and where the value lives (never the value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SecretSlot {
    pub field: SecretField,
    #[serde(flatten)]
    pub source: SecretSource,
}

/// A saved connection as listed and shown: metadata only.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Connection {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: Kind,
    pub env_tag: Option<String>,
    pub spec: Spec,
    /// The secret fields that have a value.
    pub secrets: Vec<SecretSlot>,
    /// Why the way this connection travels is not fully protected (no TLS, TLS that may fall
    /// back, a certificate not verified), for marking it; None when TLS is verified.
    pub transport_warning: Option<String>,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}

impl Connection {
    pub fn has_secret(&self, field: SecretField) -> bool {
        self.secrets.iter().any(|s| s.field == field)
    }

    pub fn target(&self) -> String {
        self.spec.target()
    }
}

/// A user secret as listed: its name, description and users, never its value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SecretInfo {
    pub name: String,
    pub description: Option<String>,
    /// The connections whose fields point at this secret, as "kind/name".
    pub used_by: Vec<String>,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number")]
    pub updated_at: i64,
}
