//! Each kind of connection in one folder: `database/`, `s3/`, `azure/`, `gcs/` and `kafka/` each
//! hold their kind's form (tab, help, defaults), the rules its fields and secrets follow, which
//! secrets apply and are required, which changes move a kept secret elsewhere, how safely it
//! travels, what expires, how it is named, what other programs get, and its check's steps
//! (`<kind>/check.rs`). This module dispatches to them over `Spec` (exhaustive `match`es: a kind
//! added to `Kind`/`Spec` without its folder does not compile); `descriptions.rs` describes the
//! kinds for the window; `checks.rs`, `handoffs.rs` and `pasted.rs` dispatch checks, hand-offs
//! and pasted text to them. The mechanisms the kinds use — DNS/TCP/TLS/HTTP steps and the
//! verdict (`check/`), env-file quoting and URL pieces (`handoff/`), the pasted form
//! (`paste.rs`) — never name a kind.

pub mod azure;
mod checks;
pub mod database;
mod descriptions;
mod foreign;
mod form;
pub mod gcs;
mod handoffs;
pub mod kafka;
pub mod listings;
mod pasted;
pub mod s3;
pub mod shown;

pub use checks::{check, check_all, check_minting};
pub use descriptions::*;
pub use foreign::{from_airflow, from_pasted, from_rclone, to_airflow, to_dbeaver, AIRFLOW_TYPES};
pub use form::Info;
pub use handoffs::{env, url};
pub use pasted::paste;

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::model::*;

fn info(kind: Kind) -> Info {
    match kind {
        Kind::Database => database::info(),
        Kind::S3 => s3::info(),
        Kind::Azure => azure::info(),
        Kind::Gcs => gcs::info(),
        Kind::Kafka => kafka::info(),
    }
}

/// The words people use for `kind`, its own name first: every command that takes a kind
/// (`--kind`, `add TYPE`) takes each of them, case-insensitively.
pub fn words(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Database => &[
            "database",
            "db",
            "postgres",
            "postgresql",
            "pg",
            "mysql",
            "mariadb",
        ],
        Kind::S3 => &[
            "storage",
            "s3",
            "object-store",
            "minio",
            "cloud",
            "cloud-storage",
        ],
        Kind::Azure => &["azure", "adls", "blob", "azure-blob"],
        Kind::Gcs => &["gcs", "gs", "google", "google-cloud-storage"],
        Kind::Kafka => &["kafka"],
    }
}

/// The kind a word names (see [`words`]).
pub fn of_word(word: &str) -> Option<Kind> {
    let word = word.trim().to_ascii_lowercase();
    Kind::ALL
        .into_iter()
        .find(|k| words(*k).contains(&word.as_str()))
}

/// A new connection's fields for `add WORD`: the kind's defaults, and for a database word that
/// names an engine (`mysql`, `pg`…), that engine's.
pub fn blank_for_word(word: &str) -> Option<Spec> {
    let kind = of_word(word)?;
    Some(match word.trim().to_ascii_lowercase().as_str() {
        "postgres" | "postgresql" | "pg" => blank_database(DbEngine::Postgresql),
        "mysql" | "mariadb" => blank_database(DbEngine::Mysql),
        _ => blank(kind),
    })
}

/// The kind's own lines of `show` for `c`.
pub fn details(c: &Connection) -> shown::Lines {
    match &c.spec {
        Spec::Database(d) => database::details(d),
        Spec::S3(s) => s3::details(s, c),
        Spec::Azure(a) => azure::details(a),
        Spec::Gcs(g) => gcs::details(g),
        Spec::Kafka(k) => kafka::details(k),
    }
}

/// The word the list gives a connection's type (a database's engine).
pub fn type_word(spec: &Spec) -> &'static str {
    match spec {
        Spec::Database(d) => d.engine.as_str(),
        Spec::S3(_) => "s3",
        Spec::Azure(_) => "azure",
        Spec::Gcs(_) => "gcs",
        Spec::Kafka(_) => "kafka",
    }
}

/// What "Open in terminal" runs for a connection: the client program (looked up with `find`)
/// and the command line that starts it; None for a shell with the variables set.
pub fn terminal_client(
    spec: &Spec,
    find: &dyn Fn(&str) -> Option<std::path::PathBuf>,
) -> Option<(&'static str, Vec<&'static str>)> {
    match spec {
        Spec::Database(d) => Some(database::terminal_client(d, find)),
        Spec::Kafka(_) => Some(kafka::terminal_client()),
        Spec::S3(_) | Spec::Azure(_) | Spec::Gcs(_) => None,
    }
}

/// The code snippets a connection offers, its usual client first: id, label and Python code
/// (`snippets::python`).
pub fn snippet_choices(spec: &Spec) -> Vec<(&'static str, &'static str, &'static str)> {
    use crate::snippets::python::*;
    match spec {
        Spec::Database(d) if d.engine == DbEngine::Postgresql => vec![
            ("psycopg", "psycopg", PSYCOPG),
            ("sqlalchemy", "SQLAlchemy (psycopg)", SQLALCHEMY_PG),
        ],
        Spec::Database(_) => vec![
            ("pymysql", "PyMySQL", PYMYSQL),
            ("sqlalchemy", "SQLAlchemy (PyMySQL)", SQLALCHEMY_MY),
        ],
        Spec::S3(_) => vec![("boto3", "boto3", BOTO3), ("polars", "Polars", POLARS_S3)],
        Spec::Gcs(g) if g.auth == GcsAuth::Hmac => vec![("boto3", "boto3 (HMAC key)", BOTO3)],
        Spec::Gcs(_) => vec![("google-cloud-storage", "google-cloud-storage", GCS)],
        Spec::Azure(a) => match a.auth {
            AzureAuth::AccountKey | AzureAuth::Sas => {
                vec![("azure-storage-blob", "azure-storage-blob", AZURE_STRING)]
            }
            AzureAuth::ServicePrincipal | AzureAuth::Ambient => vec![(
                "azure-storage-blob",
                "azure-storage-blob (azure-identity)",
                AZURE_IDENTITY,
            )],
        },
        Spec::Kafka(_) => vec![("confluent-kafka", "confluent-kafka", KAFKA)],
    }
}

/// A connection that is an object store, as the store formats (`storage_options`, DuckDB
/// secrets) see it; None for the other kinds.
pub fn object_store(spec: &Spec) -> Option<ObjectStore<'_>> {
    match spec {
        Spec::S3(s) => Some(ObjectStore::S3(s)),
        Spec::Azure(a) => Some(ObjectStore::Azure(a)),
        Spec::Gcs(g) => Some(ObjectStore::Gcs(g)),
        Spec::Database(_) | Spec::Kafka(_) => None,
    }
}

/// The object-store kinds' fields.
pub enum ObjectStore<'a> {
    S3(&'a S3Spec),
    Azure(&'a AzureSpec),
    Gcs(&'a GcsSpec),
}

/// The title of `kind`'s group in the tray menu.
pub fn menu_title(kind: Kind) -> &'static str {
    info(kind).menu_title
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
        Spec::S3(s) => Spec::S3(s3::validate(s)?),
        Spec::Azure(a) => Spec::Azure(azure::validate(a)?),
        Spec::Gcs(g) => Spec::Gcs(gcs::validate(g)?),
        Spec::Kafka(k) => Spec::Kafka(kafka::validate(k)?),
    })
}

/// A secret value checked by its kind's rules (a PEM key parses, an account key is base64 of
/// the right length, a SAS has a signature and an expiry).
pub fn secret_value(field: SecretField, value: &str) -> Result<()> {
    match field {
        SecretField::ClientKey => crate::validate::pem_private_key(field.as_str(), value),
        SecretField::AccountKey | SecretField::SasToken => azure::secret_value(field, value),
        SecretField::ServiceAccountKey => gcs::secret_value(field, value),
        SecretField::SshPrivateKey => crate::ssh::keys::check(value).map_err(|why| {
            Error::invalid(
                field.as_str(),
                format!("{why}: paste the whole key, from -----BEGIN to -----END, in OpenSSH or PEM form"),
            )
        }),
        // Free text, checked only for size and NUL bytes (`validate::secret_value`): a new
        // field must be placed here or above, not fall through.
        SecretField::Password
        | SecretField::SecretAccessKey
        | SecretField::SessionToken
        | SecretField::ClientSecret
        | SecretField::HmacSecret
        | SecretField::SaslPassword
        | SecretField::SchemaRegistryPassword
        | SecretField::SshPassword
        | SecretField::SshPassphrase => Ok(()),
    }
}

/// Fields read from new secret values when saving (a SAS's expiry).
pub fn derive(spec: &mut Spec, new_values: &[(SecretField, &str)], cleared: &[SecretField]) {
    match spec {
        Spec::Azure(a) => azure::derive(a, new_values, cleared),
        Spec::Gcs(g) => gcs::derive(g, new_values, cleared),
        Spec::Database(_) | Spec::S3(_) | Spec::Kafka(_) => {}
    }
}

/// Whether a secret field means anything with these settings.
pub fn applies(spec: &Spec, field: SecretField) -> bool {
    match spec {
        Spec::Kafka(k) => kafka::applies(k, field),
        Spec::Azure(a) => azure::applies(a, field),
        Spec::Gcs(g) => gcs::applies(g, field),
        Spec::Database(d) => database::ssh::applies(d, field),
        Spec::S3(s) => s3::keeps_keys(s),
    }
}

/// Why a secret field does not apply with these settings.
pub fn not_applicable(spec: &Spec, field: SecretField) -> Error {
    match spec {
        Spec::Kafka(k) => kafka::not_applicable(k, field),
        Spec::Azure(a) => azure::not_applicable(a, field),
        Spec::Gcs(g) => gcs::not_applicable(g, field),
        Spec::Database(d) => database::ssh::not_applicable(d, field),
        Spec::S3(s) => s3::keeps_no_keys(s, field),
    }
}

/// The secret fields these settings need.
pub fn required(spec: &Spec, set: &BTreeSet<SecretField>) -> Result<()> {
    match spec {
        Spec::Database(d) => database::ssh::required(d, set),
        Spec::S3(s) => s3::required(s, set),
        Spec::Azure(a) => azure::required(a, set),
        Spec::Gcs(g) => gcs::required(g, set),
        Spec::Kafka(k) => kafka::required(k, set),
    }
}

/// What changed between the saved settings and the draft's, in words, when it matters for
/// where (or how safely) the kept secret `field` would be sent.
pub fn moved(field: SecretField, old: &Spec, new: &Spec) -> Option<String> {
    match (old, new) {
        (Spec::Database(o), Spec::Database(n)) => database::moved(field, o, n),
        (Spec::S3(o), Spec::S3(n)) => s3::moved(field, o, n),
        (Spec::Azure(o), Spec::Azure(n)) => azure::moved(field, o, n),
        (Spec::Gcs(o), Spec::Gcs(n)) => gcs::moved(field, o, n),
        (Spec::Kafka(o), Spec::Kafka(n)) => kafka::moved(field, o, n),
        _ => Some("the kind changed".into()),
    }
}

/// Why this connection's transport is not verified TLS, in words; None when it is.
pub fn transport_warning(spec: &Spec) -> Option<String> {
    match spec {
        Spec::Database(d) => database::transport_warning(d),
        Spec::S3(s) => s3::transport_warning(s),
        Spec::Azure(a) => azure::transport_warning(a),
        Spec::Gcs(g) => gcs::transport_warning(g),
        Spec::Kafka(k) => kafka::transport_warning(k),
    }
    .map(str::to_string)
}

/// Credentials of `spec` that expired, or expire within a kind's warning period, at `now`.
pub fn credential_warning(spec: &Spec, now: i64) -> Option<String> {
    match spec {
        Spec::S3(s) => s3::credential_warning(s, now),
        Spec::Azure(a) => azure::credential_warning(a, now),
        Spec::Database(_) | Spec::Gcs(_) | Spec::Kafka(_) => None,
    }
}

/// Where a connection points, for lists.
pub fn target(spec: &Spec) -> String {
    match spec {
        Spec::Database(d) => database::target(d),
        Spec::S3(s) => s3::target(s),
        Spec::Azure(a) => azure::target(a),
        Spec::Gcs(g) => gcs::target(g),
        Spec::Kafka(k) => kafka::target(k),
    }
}

/// Environment tags that mean production.
pub const PRODUCTION_TAGS: [&str; 4] = ["prod", "production", "prd", "live"];

/// Whether `tag` marks a production connection.
pub fn is_production(tag: Option<&str>) -> bool {
    tag.is_some_and(|t| PRODUCTION_TAGS.contains(&t.trim().to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_described_with_a_valid_blank_form_and_its_secret_fields() {
        let c = descriptions();
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
