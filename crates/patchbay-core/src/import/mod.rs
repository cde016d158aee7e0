//! Finding connections where users keep them today: each source's default places (and the
//! variables that move them), read with `crate::foreign`'s readers and turned into drafts by
//! the kinds (`kinds/*/foreign.rs`). Nothing here saves: `Desk::import_preview` and
//! `Desk::import` (`desk/import.rs`) show and save what was found. A source file is only read,
//! never changed or copied.

mod databases;
mod files;
pub mod patchbay;
mod sources;

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::foreign::{Env, Found};

/// Where connections are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// libpq's password file (`PGPASSFILE`, `~/.pgpass`).
    Pgpass,
    /// libpq's service file (`PGSERVICEFILE`, `~/.pg_service.conf`, `PGSYSCONFDIR`).
    PgService,
    /// The MySQL/MariaDB client's option file (`~/.my.cnf`).
    MyCnf,
    /// MySQL's login path file (`MYSQL_TEST_LOGIN_FILE`, `~/.mylogin.cnf`).
    #[serde(rename = "mylogin")]
    MyLogin,
    /// The AWS CLI's `credentials` and `config`.
    Aws,
    /// An `airflow connections export` file (JSON, YAML or .env).
    Airflow,
    /// `AIRFLOW_CONN_*` variables of this environment.
    AirflowEnv,
    /// A `.env` file's connection URLs and Azure connection strings (`./.env` by default).
    Dotenv,
    /// A Google service account's JSON key (`GOOGLE_APPLICATION_CREDENTIALS` by default).
    GcsKey,
    /// DBeaver's `data-sources.json` with `credentials-config.json` beside it.
    Dbeaver,
    /// DataGrip's (IntelliJ's) `.idea/dataSources.xml`, with `dataSources.local.xml` beside it.
    Datagrip,
    /// rclone's remotes (`RCLONE_CONFIG`, `~/.config/rclone/rclone.conf`).
    Rclone,
    /// A Kafka client's properties: kcat's (`KCAT_CONFIG`, `~/.config/kcat.conf`) or a Java
    /// `client.properties`.
    KafkaProperties,
    /// Patchbay's own export or encrypted bundle.
    Patchbay,
}

impl Source {
    pub const ALL: [Source; 14] = [
        Source::Pgpass,
        Source::PgService,
        Source::MyCnf,
        Source::MyLogin,
        Source::Aws,
        Source::Airflow,
        Source::AirflowEnv,
        Source::Dotenv,
        Source::GcsKey,
        Source::Dbeaver,
        Source::Datagrip,
        Source::Rclone,
        Source::KafkaProperties,
        Source::Patchbay,
    ];

    /// The word `--from` takes.
    pub fn word(self) -> &'static str {
        match self {
            Source::Pgpass => "pgpass",
            Source::PgService => "pg-service",
            Source::MyCnf => "my-cnf",
            Source::MyLogin => "mylogin",
            Source::Aws => "aws",
            Source::Airflow => "airflow",
            Source::AirflowEnv => "airflow-env",
            Source::Dotenv => "dotenv",
            Source::KafkaProperties => "kafka-properties",
            Source::Dbeaver => "dbeaver",
            Source::GcsKey => "gcs-key",
            Source::Rclone => "rclone",
            Source::Datagrip => "datagrip",
            Source::Patchbay => "patchbay",
        }
    }

    pub fn of_word(word: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.word() == word)
    }

    /// What the source is, for people.
    pub fn label(self) -> &'static str {
        match self {
            Source::Pgpass => "PostgreSQL password file",
            Source::PgService => "PostgreSQL service file",
            Source::MyCnf => "MySQL/MariaDB option file",
            Source::MyLogin => "MySQL login paths",
            Source::Aws => "AWS CLI profiles",
            Source::Airflow => "Airflow connections export",
            Source::AirflowEnv => "Airflow connection variables",
            Source::Dotenv => ".env file",
            Source::KafkaProperties => "Kafka client properties",
            Source::Dbeaver => "DBeaver connections",
            Source::GcsKey => "Google service account key",
            Source::Rclone => "rclone remotes",
            Source::Datagrip => "DataGrip data sources",
            Source::Patchbay => "Patchbay export",
        }
    }
}

/// What one source yielded.
#[derive(Debug)]
pub struct Reading {
    pub source: Source,
    /// The files read (none for variables).
    pub files: Vec<PathBuf>,
    pub found: Vec<Found>,
    /// What the user should know about the source as a whole: lines its own tool would skip,
    /// records that cannot be read, a file others can read.
    pub problems: Vec<String>,
    /// Named secrets the connections use (a Patchbay bundle), saved before them.
    pub named: Vec<crate::catalog::NamedSaving>,
}

impl Reading {
    fn new(source: Source) -> Reading {
        Reading {
            source,
            files: Vec::new(),
            found: Vec::new(),
            problems: Vec::new(),
            named: Vec::new(),
        }
    }
}

/// Reads `source` from `path`, or from its default places when `path` is None.
pub fn read(source: Source, path: Option<&Path>, env: &Env) -> Result<Reading> {
    sources::read(source, path, env)
}

/// Every source at its default places: what each holds, files that are not there left out.
pub fn scan(env: &Env) -> Vec<Reading> {
    Source::ALL
        .into_iter()
        .filter_map(|s| sources::read(s, None, env).ok())
        .filter(|r| !r.files.is_empty() || !r.found.is_empty())
        .collect()
}

/// The source a file given without `--from` is, by its name and first bytes.
pub fn guess(path: &Path) -> Result<Source> {
    if patchbay::is_patchbay(path) {
        return Ok(Source::Patchbay);
    }
    if sources::is_service_account_key(path) {
        return Ok(Source::GcsKey);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let by_name = match name.as_str() {
        ".pgpass" | "pgpass" | "pgpass.conf" => Some(Source::Pgpass),
        ".pg_service.conf" | "pg_service.conf" => Some(Source::PgService),
        ".my.cnf" | "my.cnf" => Some(Source::MyCnf),
        ".mylogin.cnf" | "mylogin.cnf" => Some(Source::MyLogin),
        "credentials" | "config" => Some(Source::Aws),
        ".env" => Some(Source::Dotenv),
        "data-sources.json" => Some(Source::Dbeaver),
        "rclone.conf" => Some(Source::Rclone),
        "datasources.xml" => Some(Source::Datagrip),
        "kcat.conf" | "kafkacat.conf" => Some(Source::KafkaProperties),
        n if n.ends_with(".properties") => Some(Source::KafkaProperties),
        n if [".json", ".env", ".yaml", ".yml"]
            .iter()
            .any(|e| n.ends_with(e)) =>
        {
            Some(Source::Airflow)
        }
        n if n.ends_with(".cnf") => Some(Source::MyCnf),
        _ => None,
    };
    by_name.ok_or_else(|| {
        let words: Vec<&str> = Source::ALL.iter().map(|s| s.word()).collect();
        Error::invalid(
            "from",
            format!(
                "cannot tell what {} is from its name; say which with --from ({})",
                path.display(),
                words.join(", ")
            ),
        )
    })
}

/// An environment a name or host suggests (prod, staging, test, dev), for the preview to
/// propose.
pub fn guess_env(words: &[&str]) -> Option<&'static str> {
    let lower = words.join(" ").to_ascii_lowercase();
    let tokens: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |w: &[&str]| tokens.iter().any(|t| w.contains(t));
    if has(&["prod", "production", "prd", "live"]) {
        Some("prod")
    } else if has(&["staging", "stage", "stg", "preprod"]) {
        Some("staging")
    } else if has(&["test", "testing", "qa", "uat"]) {
        Some("test")
    } else if has(&["dev", "development", "local", "localhost", "sandbox"]) {
        Some("dev")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_environment_is_guessed_from_whole_words_only() {
        assert_eq!(guess_env(&["orders-prod", "db"]), Some("prod"));
        assert_eq!(guess_env(&["products", "db.internal"]), None);
        assert_eq!(guess_env(&["shop", "stg.db.internal"]), Some("staging"));
        assert_eq!(guess_env(&["app", "localhost:5432"]), Some("dev"));
    }

    #[test]
    fn each_source_is_said_in_json_with_the_word_from_takes() {
        for s in Source::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.word(), "{s:?}");
            assert_eq!(Source::of_word(s.word()), Some(s));
        }
    }

    #[test]
    fn a_file_is_known_by_its_name_or_the_error_says_to_use_from() {
        assert_eq!(guess(Path::new("/h/.pgpass")).unwrap(), Source::Pgpass);
        assert_eq!(guess(Path::new("conns.json")).unwrap(), Source::Airflow);
        assert_eq!(guess(Path::new("conns.yaml")).unwrap(), Source::Airflow);
        let e = guess(Path::new("/tmp/x.txt")).unwrap_err();
        assert_eq!(e.field(), Some("from"));
    }
}
