//! `patchbay import` of Airflow's connections, written by a real Airflow (`airflow connections
//! export` as JSON, YAML and .env, and `AIRFLOW_CONN_*` variables): previewed, imported, and each
//! one passes its check against the real servers.

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::import_fixtures::*;

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn airflows_own_json_yaml_and_env_exports_and_variables_import_and_pass_their_checks() {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let airflow = airflow_with_test_servers(dir.path(), &srv);
    let json = airflow.export("json");
    let envfile = airflow.export("env");
    let skipped = row(
        "web_api",
        "skipped",
        Some("type http is not one Patchbay keeps (postgres, mysql, aws, wasb, adls, google_cloud_platform, kafka)"),
    );
    let want = [
        row("my_shop", "new", None),
        row("pg_orders", "new", None),
        row("s3_lake", "new", None),
        skipped.clone(),
    ];
    let e = Env::new();
    let (rows, v) = preview(&e, &[json.to_str().unwrap()], &[]);
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(sorted, want);
    assert!(!v.to_string().contains("web-api-pw"));
    preview(&e, &[json.to_str().unwrap(), "--yes"], &[]);
    let o = e.run(&["test", "--all"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).ends_with("3 checked, 3 ok, 0 failed\n"),
        "{}",
        text(&o)
    );
    // The .env export (one URI per line) reads the same; the names are taken now.
    let (rows, _) = preview(&e, &[envfile.to_str().unwrap()], &[]);
    let mut sorted: Vec<_> = rows.into_iter().map(|(n, o, _)| (n, o)).collect();
    sorted.sort();
    let conflicts: Vec<(String, String)> = [
        ("my_shop", "conflict"),
        ("pg_orders", "conflict"),
        ("s3_lake", "conflict"),
        ("web_api", "skipped"),
    ]
    .iter()
    .map(|(n, o)| (n.to_string(), o.to_string()))
    .collect();
    assert_eq!(sorted, conflicts);
    // The YAML export reads the same: the same rows, each name taken now.
    let yaml = airflow.export("yaml");
    let (rows, v) = preview(&e, &[yaml.to_str().unwrap()], &[]);
    let mut sorted: Vec<_> = rows.into_iter().map(|(n, o, _)| (n, o)).collect();
    sorted.sort();
    assert_eq!(sorted, conflicts);
    assert!(!v.to_string().contains("web-api-pw"));
    // Imported under new names into a fresh store, they pass their checks too.
    let fresh = Env::new();
    preview(&fresh, &[yaml.to_str().unwrap(), "--yes"], &[]);
    let o = fresh.run(&["test", "--all"]);
    assert!(
        text(&o).ends_with("3 checked, 3 ok, 0 failed\n"),
        "{}",
        text(&o)
    );
    // AIRFLOW_CONN_<ID> holds the URI Airflow wrote.
    let uri = std::fs::read_to_string(&envfile)
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("pg_orders=").map(str::to_string))
        .unwrap();
    let fresh = Env::new();
    let o = crate::common::feed(
        fresh
            .cmd(["--json", "import", "--from", "airflow-env", "--yes"])
            .env("AIRFLOW_CONN_PG_FROM_ENV", &uri),
        b"",
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    assert_eq!(v["imported"]["saved"], serde_json::json!(["pg_from_env"]));
    assert_eq!(fresh.run(&["test", "pg_from_env"]).status.code(), Some(0));
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn airflows_azure_google_and_kafka_connections_import_and_pass_their_checks() {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let airflow = Airflow::new(&dir.path().join("airflow"));
    let key: Value =
        serde_json::from_str(&std::fs::read_to_string(&srv["PB_GCS_SA_KEY"]).unwrap()).unwrap();
    airflow.add("az_blob", serde_json::json!({"conn_type": "wasb", "login": srv["PB_AZ_ACCOUNT"], "password": srv["PB_AZ_KEY"], "host": srv["PB_AZ_ENDPOINT"]}));
    airflow.add("gcs_lake", serde_json::json!({"conn_type": "google_cloud_platform", "extra": {"keyfile_dict": key.to_string(), "project": "pb-test-project"}}));
    airflow.add("events", serde_json::json!({"conn_type": "kafka", "extra": {"bootstrap.servers": format!("127.0.0.1:{}", srv["PB_KAFKA_SASL_SSL_PORT"]), "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-256", "sasl.username": "alice", "sasl.password": srv["PB_KAFKA_PASSWORD_256"], "ssl.ca.location": srv["PB_CA_CERT"]}}));
    let e = Env::new();
    let (rows, v) = preview(
        &e,
        &[airflow.export("json").to_str().unwrap(), "--yes"],
        &[],
    );
    assert_eq!(
        rows,
        [
            row("az_blob", "new", None),
            row("events", "new", None),
            row("gcs_lake", "new", None)
        ]
    );
    let secrets: Vec<&Value> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["secrets"])
        .collect();
    assert_eq!(
        secrets,
        [
            &serde_json::json!(["account_key"]),
            &serde_json::json!(["sasl_password"]),
            &serde_json::json!(["service_account_key"])
        ]
    );
    assert!(!v.to_string().contains(&srv["PB_AZ_KEY"]) && !v.to_string().contains("PRIVATE KEY"));
    assert_eq!(
        e.run(&["test", "events"]).status.code(),
        Some(0),
        "the CA came from ssl.ca.location"
    );
    // Airflow's wasb and google_cloud_platform connections carry no CA, and Google's none an
    // endpoint: the local stand-ins need both, given on purpose (the saved secrets kept).
    e.ok(
        &[
            "edit",
            "az_blob",
            "--ca-cert",
            &srv["PB_CA_CERT"],
            "--keep-secrets",
        ],
        "",
    );
    e.ok(
        &[
            "edit",
            "gcs_lake",
            "--endpoint-url",
            &srv["PB_GCS_ENDPOINT"],
            "--ca-cert",
            &srv["PB_CA_CERT"],
            "--keep-secrets",
        ],
        "",
    );
    for name in ["az_blob", "gcs_lake"] {
        let o = e.run(&["test", name]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
    }
    let shown: Value =
        serde_json::from_slice(&e.run(&["--json", "show", "gcs_lake"]).stdout).unwrap();
    assert_eq!(
        shown["spec"]["client_email"],
        srv["PB_GCS_SA_EMAIL"].as_str(),
        "read from the key, as when pasted"
    );
}
