//! The non-secret fields of each kind of connection (`DatabaseSpec`, `S3Spec`,
//! `AzureSpec`, `GcsSpec`, `KafkaSpec`) and `Spec`, the one of them a connection has. Their rules live in `kinds/`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::*;

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
    /// Reached through an SSH bastion: `host` and `port` are then the database as the bastion
    /// sees it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssh: Option<SshTunnel>,
}

/// An SSH bastion a database is reached through (`direct-tcpip` from a fresh local port).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SshTunnel {
    pub host: String,
    /// 1–65535 (22 unless given).
    #[serde(default = "ssh_port")]
    pub port: u32,
    pub user: String,
    pub auth: SshAuth,
    /// The private key's file (key auth); without one the key itself is a saved secret.
    #[serde(default)]
    pub key_file: Option<String>,
    /// Jump hosts to go through first, in order (`ssh -J`): each reaches the next.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jump: Vec<SshHop>,
}

/// A jump host on the way to the bastion: it logs in with a key file or the agent (the saved
/// secrets are the last bastion's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SshHop {
    pub host: String,
    #[serde(default = "ssh_port")]
    pub port: u32,
    pub user: String,
    pub auth: SshAuth,
    #[serde(default)]
    pub key_file: Option<String>,
}

impl SshHop {
    /// The hop as a tunnel's first bastion (no jump of its own), to log in to it alike.
    pub fn as_bastion(&self) -> SshTunnel {
        SshTunnel {
            host: self.host.clone(),
            port: self.port,
            user: self.user.clone(),
            auth: self.auth,
            key_file: self.key_file.clone(),
            jump: Vec::new(),
        }
    }
}

fn ssh_port() -> u32 {
    22
}

/// How the bastion is logged in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SshAuth {
    /// A private key (a file, or saved as a secret), with its passphrase if it is encrypted.
    Key,
    /// A password (saved as a secret).
    Password,
    /// The SSH agent at `SSH_AUTH_SOCK`: only the key named by `key_file` (its `.pub` is enough)
    /// when one is named, else each key the agent holds.
    Agent,
}

/// The non-secret fields of an S3 or S3-compatible store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct S3Spec {
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
    /// PEM text of the CA that signs the endpoint's certificate (a store behind a private CA).
    #[serde(default)]
    pub ca_cert: Option<String>,
    /// When temporary credentials (with a session token) stop working, RFC 3339 in UTC.
    #[serde(default)]
    pub session_expires: Option<String>,
    /// A named profile of the AWS CLI's files (~/.aws/config, AWS_CONFIG_FILE): the credentials
    /// come from the AWS SDK's provider chain for it each time they are used (static keys, a
    /// role from a source profile, credential_process, SSO), and none are saved here.
    #[serde(default)]
    pub profile: Option<String>,
    /// An IAM role assumed (STS AssumeRole) with the connection's keys, its profile, or another
    /// saved S3 connection's credentials; the sessions it mints are what requests are signed with.
    #[serde(default)]
    pub role: Option<AssumeRole>,
}

/// How an S3 connection assumes an IAM role: which role, with what, and for how long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AssumeRole {
    /// `arn:aws:iam::ACCOUNT:role/NAME`.
    pub role_arn: String,
    /// The external ID the role's trust policy asks for (`sts:ExternalId`), when it asks one.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The session's name, shown in CloudTrail and in the assumed role's ARN ("patchbay" when none).
    #[serde(default)]
    pub session_name: Option<String>,
    /// How long a minted session lasts, 900 to 43,200 seconds (3,600 when none).
    #[serde(default)]
    pub duration_seconds: Option<u32>,
    /// The MFA device (its ARN or serial) whose code the role asks for; the code is asked each
    /// time a session is minted, never saved.
    #[serde(default)]
    pub mfa_serial: Option<String>,
    /// A saved S3 connection whose credentials assume the role; none: this connection's own keys
    /// or profile.
    #[serde(default)]
    pub source: Option<String>,
}

/// The non-secret fields of an Azure Blob Storage / ADLS Gen2 connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AzureSpec {
    /// The storage account's name (3–24 lowercase letters and digits).
    pub account: String,
    #[serde(default)]
    pub auth: AzureAuth,
    /// A container to check and hand over (required for a container-scoped SAS).
    #[serde(default)]
    pub container: Option<String>,
    /// The Blob service URL when it is not `https://ACCOUNT.blob.core.windows.net` (sovereign
    /// clouds, private endpoints, Azurite's `http://127.0.0.1:10000/ACCOUNT`).
    #[serde(default)]
    pub endpoint_url: Option<String>,
    /// An `http://` endpoint is refused unless this is on.
    #[serde(default)]
    pub allow_http: bool,
    /// PEM text of the CA that signs the endpoint's certificate.
    #[serde(default)]
    pub ca_cert: Option<String>,
    /// Service principal: the directory (tenant) id.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Service principal: the application (client) id.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Where tokens come from when it is not `https://login.microsoftonline.com` (sovereign
    /// clouds).
    #[serde(default)]
    pub authority_host: Option<String>,
    /// When the saved SAS stops working (its `se`), read from it when saved; RFC 3339.
    #[serde(default)]
    pub sas_expires: Option<String>,
}

/// The non-secret fields of a Google Cloud Storage connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GcsSpec {
    #[serde(default)]
    pub auth: GcsAuth,
    /// The project whose buckets are listed (read from the service account key when empty).
    #[serde(default)]
    pub project_id: Option<String>,
    /// The service account the saved key belongs to (read from the key when it is saved).
    #[serde(default)]
    pub client_email: Option<String>,
    /// A bucket to check and hand over.
    #[serde(default)]
    pub bucket: Option<String>,
    /// HMAC mode: the key's access id (GOOG…).
    #[serde(default)]
    pub hmac_access_id: Option<String>,
    /// Another endpoint than `https://storage.googleapis.com` (an emulator, a private endpoint).
    #[serde(default)]
    pub endpoint_url: Option<String>,
    /// An `http://` endpoint is refused unless this is on.
    #[serde(default)]
    pub allow_http: bool,
    /// PEM text of the CA that signs the endpoint's certificate.
    #[serde(default)]
    pub ca_cert: Option<String>,
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
    #[serde(rename = "storage")]
    S3(S3Spec),
    Azure(AzureSpec),
    Gcs(GcsSpec),
    Kafka(KafkaSpec),
}

impl Spec {
    pub fn kind(&self) -> Kind {
        match self {
            Spec::Database(_) => Kind::Database,
            Spec::S3(_) => Kind::S3,
            Spec::Azure(_) => Kind::Azure,
            Spec::Gcs(_) => Kind::Gcs,
            Spec::Kafka(_) => Kind::Kafka,
        }
    }

    /// The fields as the store keeps them: untagged JSON (the kind column says which kind).
    /// With [`Spec::from_stored`], the one place a spec becomes columns and back.
    pub fn to_stored(&self) -> String {
        match self {
            Spec::Database(d) => serde_json::to_string(d),
            Spec::S3(s) => serde_json::to_string(s),
            Spec::Azure(a) => serde_json::to_string(a),
            Spec::Gcs(g) => serde_json::to_string(g),
            Spec::Kafka(k) => serde_json::to_string(k),
        }
        .expect("a spec serialises")
    }

    /// A spec read back from the store's kind column and fields (parsing each kind's fields
    /// directly is several times faster than through the tagged enum).
    pub fn from_stored(kind: Kind, json: &str) -> serde_json::Result<Spec> {
        Ok(match kind {
            Kind::Database => Spec::Database(serde_json::from_str(json)?),
            Kind::S3 => Spec::S3(serde_json::from_str(json)?),
            Kind::Azure => Spec::Azure(serde_json::from_str(json)?),
            Kind::Gcs => Spec::Gcs(serde_json::from_str(json)?),
            Kind::Kafka => Spec::Kafka(serde_json::from_str(json)?),
        })
    }
}
