//! Airflow's connection types, each read and written by its kind: `postgres` and `mysql`
//! (database), `aws` (S3), both ways. Other types are skipped with the list of those Patchbay
//! keeps.

use super::{database, s3};
use crate::foreign::airflow::AirflowConn;
use crate::foreign::Found;
use std::collections::HashMap;

use crate::model::{DbEngine, SecretField, Spec};
use crate::secret::SecretString;

/// The types Patchbay reads.
pub const AIRFLOW_TYPES: &str = "postgres, mysql, aws";

/// The connection an Airflow connection is, by its type.
pub fn from_airflow(c: &AirflowConn) -> Found {
    match c.conn_type.as_str() {
        "postgres" => database::foreign::from_airflow(c, DbEngine::Postgresql),
        "mysql" => database::foreign::from_airflow(c, DbEngine::Mysql),
        "aws" => s3::foreign::from_airflow(c),
        other => Found::skipped(
            &c.origin,
            &c.conn_id,
            format!("type {other} is not one Patchbay keeps ({AIRFLOW_TYPES})"),
        ),
    }
}

/// Airflow's connection for `spec` (named `id`), with the secrets in `secrets` when given, and
/// what it cannot carry; a kind Airflow's mapping does not cover yet says so.
pub fn to_airflow(
    id: &str,
    spec: &Spec,
    secrets: Option<&HashMap<SecretField, SecretString>>,
) -> Result<(AirflowConn, Vec<String>), String> {
    let get = |f: SecretField| secrets.and_then(|s| s.get(&f)).cloned();
    let ca_left = |ca: &Option<String>| {
        ca.as_ref()
            .map(|_| "its CA certificate is left out: Airflow names a file (put the PEM on the workers and name it in the extras)".to_string())
    };
    match spec {
        Spec::Database(d) => Ok((
            database::foreign::to_airflow(id, d, get(SecretField::Password)),
            ca_left(&d.ca_cert).into_iter().collect(),
        )),
        Spec::S3(s) => Ok((
            s3::foreign::to_airflow(
                id,
                s,
                get(SecretField::SecretAccessKey),
                get(SecretField::SessionToken),
            ),
            ca_left(&s.ca_cert).into_iter().collect(),
        )),
        Spec::Azure(_) | Spec::Gcs(_) | Spec::Kafka(_) => Err(format!(
            "{} connections have no Airflow form in Patchbay yet ({AIRFLOW_TYPES} do)",
            spec.kind().label().trim_end_matches(" connection")
        )),
    }
}
