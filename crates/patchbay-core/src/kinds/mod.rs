//! Each kind of connection in one place: `database.rs`, `storage.rs` and `kafka.rs` each hold
//! their kind's form (tab, help, defaults), the rules its fields follow, which secrets apply and
//! are required, which changes move a kept secret elsewhere, how safely it travels and how it is
//! named. This module dispatches to them over `Spec` (exhaustive `match`es: a kind added to
//! `Kind`/`Spec` without its module does not compile), and describes the kinds for the window:
//! the `KindCatalogue` generated into `ui/src/kinds.ts` by `tests/core/bindings.rs` (tabs, secret
//! fields and labels, defaults, engines' ports, which Kafka fields apply with which protocol,
//! the tags that mean production), so the UI re-declares none of it.
//! (Checks live in `probe/`, hand-offs in `handoff.rs`, paste parsing in `paste.rs`.)

pub mod database;
pub mod kafka;
pub mod storage;

use std::collections::BTreeSet;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::*;

/// A kind's form: its tab, the empty list's help, a new form's fields.
pub struct Info {
    pub tab: &'static str,
    pub empty_help: &'static str,
    pub blank: Spec,
}

fn info(kind: Kind) -> Info {
    match kind {
        Kind::Database => database::info(),
        Kind::Storage => storage::info(),
        Kind::Kafka => kafka::info(),
    }
}

/// A new connection's fields of `kind` (the form's and `patchbay add`'s defaults).
pub fn blank(kind: Kind) -> Spec {
    info(kind).blank
}

/// A new database connection's fields for `engine` (its default port).
pub fn blank_database(engine: DbEngine) -> Spec {
    let mut spec = blank(Kind::Database);
    if let Spec::Database(d) = &mut spec {
        d.engine = engine;
        d.port = engine.default_port();
    }
    spec
}

/// A spec, checked and normalised by its kind's rules.
pub fn validate(spec: &Spec) -> Result<Spec> {
    Ok(match spec {
        Spec::Database(d) => Spec::Database(database::validate(d)?),
        Spec::Storage(s) => Spec::Storage(storage::validate(s)?),
        Spec::Kafka(k) => Spec::Kafka(kafka::validate(k)?),
    })
}

/// Whether a secret field means anything with these settings.
pub fn applies(spec: &Spec, field: SecretField) -> bool {
    match spec {
        Spec::Kafka(k) => kafka::applies(k, field),
        Spec::Database(_) | Spec::Storage(_) => true,
    }
}

/// Why a secret field does not apply with these settings.
pub fn not_applicable(spec: &Spec, field: SecretField) -> Error {
    match spec {
        Spec::Kafka(k) => kafka::not_applicable(k, field),
        Spec::Database(_) | Spec::Storage(_) => {
            Error::invalid(field.as_str(), "does not apply here")
        }
    }
}

/// The secret fields these settings need.
pub fn required(spec: &Spec, set: &BTreeSet<SecretField>) -> Result<()> {
    match spec {
        Spec::Database(_) => Ok(()),
        Spec::Storage(s) => storage::required(s, set),
        Spec::Kafka(k) => kafka::required(k, set),
    }
}

/// What changed between the saved settings and the draft's, in words, when it matters for
/// where (or how safely) the kept secret `field` would be sent.
pub fn moved(field: SecretField, old: &Spec, new: &Spec) -> Option<String> {
    match (old, new) {
        (Spec::Database(o), Spec::Database(n)) => database::moved(field, o, n),
        (Spec::Storage(o), Spec::Storage(n)) => storage::moved(field, o, n),
        (Spec::Kafka(o), Spec::Kafka(n)) => kafka::moved(field, o, n),
        _ => Some("the kind changed".into()),
    }
}

/// Why this connection's transport is not verified TLS, in words; None when it is.
pub fn transport_warning(spec: &Spec) -> Option<String> {
    match spec {
        Spec::Database(d) => database::transport_warning(d),
        Spec::Storage(s) => storage::transport_warning(s),
        Spec::Kafka(k) => kafka::transport_warning(k),
    }
    .map(str::to_string)
}

/// Credentials of `spec` that expired, or expire within a kind's warning period, at `now`.
pub fn credential_warning(spec: &Spec, now: i64) -> Option<String> {
    match spec {
        Spec::Storage(s) => storage::credential_warning(s, now),
        Spec::Database(_) | Spec::Kafka(_) => None,
    }
}

/// Where a connection points, for lists.
pub fn target(spec: &Spec) -> String {
    match spec {
        Spec::Database(d) => database::target(d),
        Spec::Storage(s) => storage::target(s),
        Spec::Kafka(k) => kafka::target(k),
    }
}

/// `"the <what> changed"` when the two values differ.
pub(crate) fn changed(
    what: &str,
    a: &dyn std::fmt::Debug,
    b: &dyn std::fmt::Debug,
) -> Option<String> {
    (format!("{a:?}") != format!("{b:?}")).then(|| format!("the {what} changed"))
}

/// Everything the window's form and lists need to know about the kinds.
#[derive(Debug, Clone, Serialize, TS)]
pub struct KindCatalogue {
    /// The kinds, in tab order.
    pub kinds: Vec<KindInfo>,
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
pub struct KindInfo {
    pub kind: Kind,
    /// The tab's title ("Cloud Storage").
    pub tab: String,
    /// How a person calls one ("cloud storage connection").
    pub label: String,
    /// The empty list's help text.
    pub empty_help: String,
    pub secret_fields: Vec<SecretFieldInfo>,
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
        empty_help,
        blank,
    } = info(kind);
    KindInfo {
        kind,
        tab: tab.into(),
        label: kind.label().into(),
        empty_help: empty_help.into(),
        secret_fields: kind
            .secret_fields()
            .iter()
            .map(|&field| SecretFieldInfo {
                field,
                label: form_label(field).into(),
                multiline: field == SecretField::ClientKey,
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
        SecretField::SaslPassword => "SASL password",
        SecretField::ClientKey => "Client private key (PEM)",
        SecretField::SchemaRegistryPassword => "Schema Registry password",
    }
}

/// Environment tags that mean production.
pub const PRODUCTION_TAGS: [&str; 4] = ["prod", "production", "prd", "live"];

/// Whether `tag` marks a production connection.
pub fn is_production(tag: Option<&str>) -> bool {
    tag.is_some_and(|t| PRODUCTION_TAGS.contains(&t.trim().to_ascii_lowercase().as_str()))
}

/// The catalogue of kinds, as generated for the window.
pub fn catalogue() -> KindCatalogue {
    KindCatalogue {
        kinds: Kind::ALL.into_iter().map(kind_info).collect(),
        engines: [DbEngine::Postgresql, DbEngine::Mysql]
            .into_iter()
            .map(|engine| EngineInfo {
                engine,
                label: match engine {
                    DbEngine::Postgresql => "PostgreSQL",
                    DbEngine::Mysql => "MySQL / MariaDB",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_described_with_a_valid_blank_form_and_its_secret_fields() {
        let c = catalogue();
        assert_eq!(
            c.kinds.iter().map(|k| k.kind).collect::<Vec<_>>(),
            Kind::ALL.to_vec()
        );
        for k in &c.kinds {
            assert_eq!(k.blank.kind(), k.kind);
            assert_eq!(
                k.secret_fields.iter().map(|f| f.field).collect::<Vec<_>>(),
                k.kind.secret_fields().to_vec()
            );
        }
        assert!(is_production(Some(" PROD ")) && !is_production(Some("staging")));
    }
}
