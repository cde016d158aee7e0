//! Airflow's connection types, each read and written by its kind: `postgres` and `mysql`
//! (database), `aws` (S3). Other types are skipped with the list of those Patchbay keeps.

use super::{database, s3};
use crate::foreign::airflow::AirflowConn;
use crate::foreign::Found;
use crate::model::DbEngine;

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
