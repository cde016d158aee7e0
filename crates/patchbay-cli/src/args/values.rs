//! The values options take from a fixed list: a kind of connection (the kinds' own words), an
//! export format, an environment format.

use clap::ValueEnum;
use patchbay_core::model::Kind;

/// A kind of connection, as `--kind` takes it: the kinds' own words (`kinds::words`), the same
/// that `add TYPE` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindArg(pub Kind);

static KIND_ARGS: std::sync::LazyLock<Vec<KindArg>> =
    std::sync::LazyLock::new(|| Kind::ALL.into_iter().map(KindArg).collect());

impl ValueEnum for KindArg {
    fn value_variants<'a>() -> &'a [Self] {
        &KIND_ARGS
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let words = patchbay_core::kinds::words(self.0);
        Some(clap::builder::PossibleValue::new(words[0]).aliases(&words[1..]))
    }
}

/// `--kind`, as the core takes it.
pub fn kind(k: Option<KindArg>) -> Option<Kind> {
    k.map(|k| k.0)
}

/// What `patchbay export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// Patchbay's own document (what `patchbay import` restores).
    Patchbay,
    /// Airflow's `connections import` JSON.
    AirflowJson,
    /// Airflow's `.env` form: ID=URI lines.
    AirflowEnv,
    /// DBeaver's data-sources.json (databases; never a password).
    Dbeaver,
}

/// How `patchbay env` prints the variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvFormat {
    /// `export NAME='value'` lines for POSIX shells.
    Shell,
    /// `NAME=value` lines for .env files.
    Dotenv,
    /// One JSON object.
    Json,
    /// librdkafka properties (confluent-kafka, kcat -F; Kafka connections), PEMs inline.
    Properties,
    /// Java client properties (Kafka connections): sasl.jaas.config, PEM trust/key stores.
    JavaProperties,
    /// object_store / Polars / delta-rs `storage_options` as JSON (S3, Azure, GCS).
    StorageOptions,
    /// A DuckDB `CREATE SECRET` statement (S3, Azure, GCS HMAC keys); needs --with-password.
    Duckdb,
}
