//! Fixtures for the import tests, each written or proven by the tool that owns the format:
//! psql logs in with the pgpass and service file, the mariadb client with the option file, the
//! AWS CLI writes its own files (`aws configure set`), and a real Airflow writes its exports.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{text, Env, Servers};

/// Writes `text` to `dir/name` as an owner-only file; its path.
pub fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    p
}

/// Runs a real client; its stdout, trimmed (the test fails with the client's words if it fails).
pub fn client(cmd: &mut Command) -> String {
    let o = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (is it installed? tests/run installs it)"));
    assert!(o.status.success(), "{cmd:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// psql logging in with nothing but `env` (no password on its command line, never a prompt):
/// the user it logged in as.
pub fn psql_as(args: &[&str], env: &[(&str, &Path)]) -> String {
    let mut c = Command::new("psql");
    c.args(args)
        .args(["-w", "-tAc", "select current_user"])
        .env_remove("PGPASSWORD")
        .env_remove("PGSERVICE");
    for (k, v) in env {
        c.env(k, v);
    }
    client(&mut c)
}

/// The AWS CLI writing `profile`'s settings into the files under `dir`.
pub fn aws_configure(dir: &Path, profile: &str, settings: &[(&str, &str)]) {
    let python =
        std::env::var("PATCHBAY_TEST_PYTHON").expect("PATCHBAY_TEST_PYTHON: run tests/run");
    let aws = Path::new(&python).with_file_name("aws");
    for (k, v) in settings {
        client(
            Command::new(&aws)
                .args(["configure", "set", k, v, "--profile", profile])
                .env("AWS_CONFIG_FILE", dir.join("config"))
                .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials")),
        );
    }
}

/// A real Airflow with a metadata database of its own under `home`.
pub struct Airflow {
    pub home: PathBuf,
    bin: PathBuf,
}

impl Airflow {
    pub fn new(home: &Path) -> Airflow {
        let bin = PathBuf::from(
            std::env::var("PATCHBAY_TEST_AIRFLOW")
                .expect("PATCHBAY_TEST_AIRFLOW names Airflow's CLI: run tests/run"),
        );
        let a = Airflow {
            home: home.to_path_buf(),
            bin,
        };
        a.run(&["db", "migrate"]);
        a
    }

    pub fn run(&self, args: &[&str]) -> String {
        client(
            Command::new(&self.bin)
                .args(args)
                .env("AIRFLOW_HOME", &self.home)
                .env("AIRFLOW__CORE__LOAD_EXAMPLES", "False"),
        )
    }

    /// `airflow connections add ID --conn-json JSON`.
    pub fn add(&self, id: &str, json: serde_json::Value) {
        self.run(&["connections", "add", id, "--conn-json", &json.to_string()]);
    }

    /// `airflow connections export` in `format` (json, yaml, env): the file.
    pub fn export(&self, format: &str) -> PathBuf {
        let out = self.home.join(format!("connections.{format}"));
        self.run(&[
            "connections",
            "export",
            "--file-format",
            format,
            out.to_str().unwrap(),
        ]);
        out
    }
}

/// The test servers' PostgreSQL, MariaDB and S3 as Airflow connections (and an http one,
/// which Patchbay does not keep).
pub fn airflow_with_test_servers(dir: &Path, srv: &Servers) -> Airflow {
    let a = Airflow::new(&dir.join("airflow"));
    a.add("pg_orders", serde_json::json!({"conn_type": "postgres", "host": "127.0.0.1", "port": srv["PB_PG_PORT"].parse::<u16>().unwrap(), "login": "app", "password": srv["PB_PG_PASSWORD"], "schema": "app", "extra": {"sslmode": "verify-full", "sslrootcert": srv["PB_CA_CERT"]}}));
    a.add("my_shop", serde_json::json!({"conn_type": "mysql", "host": "127.0.0.1", "port": srv["PB_MY_PORT"].parse::<u16>().unwrap(), "login": "app", "password": srv["PB_MY_PASSWORD"], "schema": "app", "extra": {"ssl_mode": "REQUIRED"}}));
    a.add("s3_lake", serde_json::json!({"conn_type": "aws", "login": srv["PB_S3_ACCESS_KEY"], "password": srv["PB_S3_SECRET_KEY"], "extra": {"region_name": "eu-west-1", "endpoint_url": format!("http://127.0.0.1:{}", srv["PB_S3_HTTP_PORT"])}}));
    a.add("web_api", serde_json::json!({"conn_type": "http", "host": "example.com", "login": "u", "password": "web-api-pw"}));
    a
}

/// `patchbay --json import ARGS` (stdin not a terminal: a preview unless --yes), its rows as
/// (name, outcome, reason) and the whole answer.
pub fn preview(
    e: &Env,
    args: &[&str],
    env: &[(&str, &std::path::Path)],
) -> (Vec<(String, String, Option<String>)>, Value) {
    let mut c = e.cmd(["--json", "import"].iter().chain(args));
    for (k, v) in env {
        c.env(k, v);
    }
    let o = crate::common::feed(&mut c, b"");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
                r["reason"].as_str().map(str::to_string),
            )
        })
        .collect();
    (rows, v)
}

pub fn names(e: &Env) -> Vec<String> {
    let o = e.run(&["--json", "list"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

pub fn row(name: &str, outcome: &str, reason: Option<&str>) -> (String, String, Option<String>) {
    (name.into(), outcome.into(), reason.map(str::to_string))
}
