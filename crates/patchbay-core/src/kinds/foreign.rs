//! Airflow's connection types, each read and written by its kind — `postgres` and `mysql`
//! (database), `aws` (S3), `wasb`/`adls` (Azure), `google_cloud_platform` (GCS), `kafka` — and
//! connection text found in files (a database URL, an Azure connection string), read by the kind
//! the pasted text would go to. Other types are skipped with the list of those Patchbay keeps.
//! DBeaver's file is written for the kinds DBeaver connects to (the databases).

use std::collections::HashMap;

use super::{azure, database, gcs, kafka, s3};
use crate::foreign::airflow::AirflowConn;
use crate::foreign::dbeaver::DbeaverConn;
use crate::foreign::Found;
use crate::model::{DbEngine, SecretField, Spec};
use crate::secret::SecretString;

/// The types Patchbay reads.
pub const AIRFLOW_TYPES: &str = "postgres, mysql, aws, wasb, adls, google_cloud_platform, kafka";

/// The connection an Airflow connection is, by its type.
pub fn from_airflow(c: &AirflowConn) -> Found {
    match c.conn_type.as_str() {
        "postgres" => database::foreign::from_airflow(c, DbEngine::Postgresql),
        "mysql" => database::foreign::from_airflow(c, DbEngine::Mysql),
        "aws" => s3::foreign::from_airflow(c),
        "wasb" | "adls" => azure::foreign::from_airflow(c),
        "google_cloud_platform" => gcs::foreign::from_airflow(c),
        "kafka" => kafka::foreign::from_airflow(c),
        other => Found::skipped(
            &c.origin,
            &c.conn_id,
            format!("type {other} is not one Patchbay keeps ({AIRFLOW_TYPES})"),
        ),
    }
}

/// The connection an rclone remote is, by its type.
pub fn from_rclone(origin: &str, r: &crate::foreign::ini::Section) -> Found {
    match r.get("type").unwrap_or("") {
        "s3" => s3::foreign::from_rclone(origin, r),
        "azureblob" => azure::foreign::from_rclone(origin, r),
        "google cloud storage" => gcs::foreign::from_rclone(origin, r),
        other => Found::skipped(origin, &r.name, format!("rclone's {other} remotes are not a kind Patchbay keeps (s3, azureblob, google cloud storage)")),
    }
}

/// Airflow's connection for `spec` (named `id`), with the secrets in `secrets` when given, and
/// what it cannot carry; a connection Airflow has no form for says why.
pub fn to_airflow(
    id: &str,
    spec: &Spec,
    secrets: Option<&HashMap<SecretField, SecretString>>,
) -> Result<(AirflowConn, Vec<String>), String> {
    let get = |f: SecretField| secrets.and_then(|s| s.get(&f)).cloned();
    let ca_left = |ca: &Option<String>| -> Vec<String> {
        ca.as_ref()
            .map(|_| "its CA certificate is left out: Airflow names a file (put the PEM on the workers and name it in the extras)".to_string())
            .into_iter()
            .collect()
    };
    Ok(match spec {
        Spec::Database(d) => (
            database::foreign::to_airflow(id, d, get(SecretField::Password)),
            ca_left(&d.ca_cert),
        ),
        Spec::S3(s) => (
            s3::foreign::to_airflow(
                id,
                s,
                get(SecretField::SecretAccessKey),
                get(SecretField::SessionToken),
            ),
            ca_left(&s.ca_cert),
        ),
        Spec::Azure(a) => {
            let field = azure::secret_field(a.auth);
            (
                azure::foreign::to_airflow(id, a, field.and_then(get))?,
                ca_left(&a.ca_cert),
            )
        }
        Spec::Gcs(g) => (
            gcs::foreign::to_airflow(id, g, get(SecretField::ServiceAccountKey))?,
            ca_left(&g.ca_cert),
        ),
        Spec::Kafka(k) => {
            let mut notes = ca_left(&k.ca_cert);
            if k.client_cert.is_some() {
                notes.push(
                    "its client certificate and key are left out: Airflow names files".into(),
                );
            }
            if k.schema_registry_url.is_some() {
                notes.push(
                    "its Schema Registry is left out: Airflow's kafka connection has none".into(),
                );
            }
            (
                kafka::foreign::to_airflow(id, k, get(SecretField::SaslPassword)),
                notes,
            )
        }
    })
}

/// DBeaver's connection for `spec` (named `name`, its environment tag as the connection type)
/// and what DBeaver's file cannot hold; a kind DBeaver does not connect to says why.
pub fn to_dbeaver(
    name: &str,
    spec: &Spec,
    env_tag: Option<&str>,
) -> Result<(DbeaverConn, Vec<String>), String> {
    match spec {
        Spec::Database(d) => Ok(database::ides::to_dbeaver(name, d, env_tag)),
        other => Err(format!(
            "DBeaver's file holds databases; this is {}",
            other.kind().a_label()
        )),
    }
}

/// The connection that connection text found in a file is (`text` as pasted into the form: a
/// database URL, an Azure connection string), with the secret it carries.
pub fn from_pasted(origin: &str, name: &str, text: &str) -> Found {
    match super::paste(text.trim()) {
        Ok(p) => Found::of_pasted(origin, name, text, p),
        Err(e) => Found::skipped(origin, name, e.to_string()),
    }
}
