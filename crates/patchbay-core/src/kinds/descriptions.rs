//! The kinds described for the window: the `KindDescriptions` generated into `ui/src/gen/kinds.ts` by
//! `tests/core/bindings.rs` (tabs and the kinds they hold, secret fields and labels, blank forms,
//! engines' ports, Kafka protocols, SSL modes, Azure auth modes, production tags), so the UI
//! re-declares none of it.

use serde::Serialize;
use ts_rs::TS;

use super::form::Info;
use super::{azure, gcs, info, PRODUCTION_TAGS};
use crate::model::*;

/// Everything the window's form and lists need to know about the kinds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KindDescriptions {
    /// The kinds, in tab order.
    pub kinds: Vec<KindInfo>,
    /// The tabs: kinds with the same tab title share one (S3 and Azure: Cloud Storage).
    pub tabs: Vec<TabInfo>,
    /// Azure's auth modes with their labels and the secret field each uses.
    pub azure_auths: Vec<AzureAuthInfo>,
    /// Google Cloud Storage's auth modes, likewise.
    pub gcs_auths: Vec<GcsAuthInfo>,
    pub engines: Vec<EngineInfo>,
    pub security_protocols: Vec<ProtocolInfo>,
    pub sasl_mechanisms: Vec<SaslMechanism>,
    pub ssl_modes: Vec<SslModeInfo>,
    /// Environment tags that mark a connection as production (lower case).
    pub production_tags: Vec<String>,
    /// Tags the form suggests.
    pub suggested_tags: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TabInfo {
    /// The tab's id: its first kind's name ("storage").
    pub id: String,
    pub title: String,
    pub kinds: Vec<Kind>,
    /// The empty list's help text.
    pub empty_help: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AzureAuthInfo {
    pub auth: AzureAuth,
    pub label: String,
    /// The secret field this mode uses, if any.
    pub secret_field: Option<SecretField>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GcsAuthInfo {
    pub auth: GcsAuth,
    pub label: String,
    /// The secret field this mode uses, if any.
    pub secret_field: Option<SecretField>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct KindInfo {
    pub kind: Kind,
    /// The tab's title ("Cloud Storage").
    pub tab: String,
    /// How a person calls one ("S3 connection").
    pub label: String,
    /// Its name in a type picker ("AWS S3 / S3-compatible").
    pub type_label: String,
    /// A short badge on rows of a tab shared with other kinds ("S3", "Azure").
    pub short_label: String,
    /// The empty list's help text.
    pub empty_help: String,
    pub secret_fields: Vec<SecretFieldInfo>,
    /// Whether it holds buckets to browse (an object store).
    pub browsable: bool,
    /// Whether it is saved with a bucket (container) of its own, which the browser can set.
    pub default_bucket: bool,
    /// The fields of a new form.
    pub blank: Spec,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SecretFieldInfo {
    pub field: SecretField,
    /// The form's label ("Client private key (PEM)").
    pub label: String,
    /// Multi-line text (PEM) rather than a password.
    pub multiline: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct EngineInfo {
    pub engine: DbEngine,
    pub label: String,
    /// A row's badge and a pasted URL's name ("PostgreSQL", "MySQL").
    pub short_label: String,
    pub default_port: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ProtocolInfo {
    pub protocol: SecurityProtocol,
    /// SASL fields (mechanism, user, password) apply.
    pub uses_sasl: bool,
    /// TLS fields (CA, client certificate and key) apply.
    pub uses_tls: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SslModeInfo {
    pub mode: SslMode,
    /// Whether the server's certificate is verified.
    pub verifies: bool,
}

fn kind_info(kind: Kind) -> KindInfo {
    let Info {
        tab,
        menu_title: _,
        empty_help,
        blank,
    } = info(kind);
    KindInfo {
        kind,
        tab: tab.into(),
        label: kind.label().into(),
        type_label: match kind {
            Kind::Database => "PostgreSQL / MySQL",
            Kind::S3 => "AWS S3 / S3-compatible",
            Kind::Azure => "Azure Blob / ADLS Gen2",
            Kind::Gcs => "Google Cloud Storage",
            Kind::Kafka => "Kafka",
        }
        .into(),
        short_label: kind.short_label().into(),
        empty_help: empty_help.into(),
        browsable: super::listings::holds_buckets(kind),
        default_bucket: super::listings::holds_a_default_bucket(kind),
        secret_fields: kind
            .secret_fields()
            .iter()
            .map(|&field| SecretFieldInfo {
                field,
                label: form_label(field).into(),
                multiline: matches!(
                    field,
                    SecretField::ClientKey
                        | SecretField::ServiceAccountKey
                        | SecretField::SshPrivateKey
                ),
            })
            .collect(),
        blank,
    }
}

/// A secret field's label in the form (sentence case; the PEM one says so).
fn form_label(field: SecretField) -> &'static str {
    match field {
        SecretField::Password => "Password",
        SecretField::SecretAccessKey => "Secret access key",
        SecretField::SessionToken => "Session token (temporary credentials)",
        SecretField::AccountKey => "Account key",
        SecretField::SasToken => "SAS token",
        SecretField::ClientSecret => "Client secret",
        SecretField::ServiceAccountKey => "Service account key (JSON)",
        SecretField::HmacSecret => "HMAC secret",
        SecretField::SaslPassword => "SASL password",
        SecretField::ClientKey => "Client private key (PEM)",
        SecretField::SchemaRegistryPassword => "Schema Registry password",
        SecretField::SshPassword => "SSH password",
        SecretField::SshPrivateKey => "SSH private key (OpenSSH or PEM)",
        SecretField::SshPassphrase => "SSH key passphrase",
    }
}

/// Every kind described, as generated for the window.
pub fn descriptions() -> KindDescriptions {
    let kinds: Vec<KindInfo> = Kind::ALL.into_iter().map(kind_info).collect();
    let mut tabs: Vec<TabInfo> = Vec::new();
    for k in &kinds {
        match tabs.iter_mut().find(|t| t.title == k.tab) {
            Some(t) => t.kinds.push(k.kind),
            None => tabs.push(TabInfo {
                id: k.kind.as_str().into(),
                title: k.tab.clone(),
                kinds: vec![k.kind],
                empty_help: k.empty_help.clone(),
            }),
        }
    }
    KindDescriptions {
        kinds,
        tabs,
        azure_auths: AzureAuth::ALL
            .into_iter()
            .map(|auth| AzureAuthInfo {
                auth,
                label: match auth {
                    AzureAuth::AccountKey => "Account key",
                    AzureAuth::Sas => "SAS token",
                    AzureAuth::ServicePrincipal => "Service principal",
                    AzureAuth::Ambient => "Azure CLI login / managed identity",
                }
                .into(),
                secret_field: azure::secret_field(auth),
            })
            .collect(),
        gcs_auths: GcsAuth::ALL
            .into_iter()
            .map(|auth| GcsAuthInfo {
                auth,
                label: match auth {
                    GcsAuth::ServiceAccount => "Service account key (JSON)",
                    GcsAuth::Hmac => "HMAC key (S3-interoperable)",
                    GcsAuth::ApplicationDefault => "Application default credentials",
                }
                .into(),
                secret_field: gcs::secret_field(auth),
            })
            .collect(),
        engines: [DbEngine::Postgresql, DbEngine::Mysql]
            .into_iter()
            .map(|engine| EngineInfo {
                engine,
                label: match engine {
                    DbEngine::Postgresql => "PostgreSQL",
                    DbEngine::Mysql => "MySQL / MariaDB",
                }
                .into(),
                short_label: match engine {
                    DbEngine::Postgresql => "PostgreSQL",
                    DbEngine::Mysql => "MySQL",
                }
                .into(),
                default_port: engine.default_port(),
            })
            .collect(),
        security_protocols: [
            SecurityProtocol::Plaintext,
            SecurityProtocol::Ssl,
            SecurityProtocol::SaslPlaintext,
            SecurityProtocol::SaslSsl,
        ]
        .into_iter()
        .map(|protocol| ProtocolInfo {
            protocol,
            uses_sasl: protocol.uses_sasl(),
            uses_tls: protocol.uses_tls(),
        })
        .collect(),
        sasl_mechanisms: vec![
            SaslMechanism::Plain,
            SaslMechanism::ScramSha256,
            SaslMechanism::ScramSha512,
        ],
        ssl_modes: [
            SslMode::Disable,
            SslMode::Prefer,
            SslMode::Require,
            SslMode::VerifyCa,
            SslMode::VerifyFull,
        ]
        .into_iter()
        .map(|mode| SslModeInfo {
            mode,
            verifies: mode.verifies(),
        })
        .collect(),
        production_tags: PRODUCTION_TAGS.iter().map(|t| t.to_string()).collect(),
        suggested_tags: ["dev", "staging", "prod"]
            .iter()
            .map(|t| t.to_string())
            .collect(),
    }
}
