//! `patchbay import --from rclone`: remotes that `rclone config create` wrote (and that rclone
//! itself lists with), the object-store types imported with their secrets, the others skipped;
//! and a Google service account key file, the other form cloud storage credentials come in.

use std::process::Command;

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::import_fixtures::client;

#[test]
#[ignore = "needs the test servers and rclone: run tests/run"]
fn remotes_rclone_wrote_import_by_type_and_the_s3_one_passes_its_check() {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("rclone.conf");
    let rclone = |args: &[&str]| {
        let mut c = Command::new("rclone");
        c.args(args)
            .env("RCLONE_CONFIG", &conf)
            .env_remove("AWS_CA_BUNDLE");
        client(&mut c)
    };
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_S3_HTTP_PORT"]);
    rclone(&[
        "config",
        "create",
        "lake",
        "s3",
        "provider",
        "Minio",
        "access_key_id",
        &srv["PB_S3_ACCESS_KEY"],
        "secret_access_key",
        &srv["PB_S3_SECRET_KEY"],
        "endpoint",
        &endpoint,
        "region",
        "eu-west-1",
    ]);
    rclone(&[
        "config",
        "create",
        "blobs",
        "azureblob",
        "account",
        &srv["PB_AZ_ACCOUNT"],
        "key",
        &srv["PB_AZ_KEY"],
    ]);
    let sas_url = format!(
        "https://{}.blob.core.windows.net/?{}",
        srv["PB_AZ_ACCOUNT"], srv["PB_AZ_ACCOUNT_SAS"]
    );
    rclone(&[
        "config",
        "create",
        "shared",
        "azureblob",
        "sas_url",
        &sas_url,
    ]);
    rclone(&[
        "config",
        "create",
        "gcs",
        "google cloud storage",
        "service_account_file",
        &srv["PB_GCS_SA_KEY"],
    ]);
    rclone(&["config", "create", "disk", "local"]);
    let listed = rclone(&["lsd", "lake:"]);
    assert!(
        listed.lines().any(|l| l.ends_with(" reports")),
        "rclone lists the store with the file: {listed}"
    );
    let e = Env::new();
    let o = e.run(&[
        "--json",
        "import",
        "--from",
        "rclone",
        conf.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows: Vec<(&str, &str, &str, &Value)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
                r["type_word"].as_str().unwrap_or("-"),
                &r["secrets"],
            )
        })
        .collect();
    let j = |s: &str| serde_json::json!([s]);
    assert_eq!(
        rows,
        [
            ("lake", "new", "s3", &j("secret_access_key")),
            ("blobs", "new", "azure", &j("account_key")),
            ("shared", "new", "azure", &j("sas_token")),
            ("gcs", "new", "gcs", &j("service_account_key")),
            ("disk", "skipped", "-", &serde_json::json!([])),
        ]
    );
    assert_eq!(v["rows"][4]["reason"], "rclone's local remotes are not a kind Patchbay keeps (s3, azureblob, google cloud storage)");
    for secret in ["PB_S3_SECRET_KEY", "PB_AZ_KEY", "PB_AZ_ACCOUNT_SAS"] {
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains(&srv[secret]),
            "{secret} in the preview"
        );
    }
    assert_eq!(e.run(&["test", "lake"]).status.code(), Some(0));
    assert_eq!(
        e.ok(&["reveal", "shared", "sas_token"], "").trim(),
        srv["PB_AZ_ACCOUNT_SAS"].trim_start_matches('?')
    );
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_service_account_key_file_imports_named_after_its_account_and_passes_its_check() {
    let srv = servers();
    let key = &srv["PB_GCS_SA_KEY"];
    let e = Env::new();
    // Known by its content whatever its name, and found through GOOGLE_APPLICATION_CREDENTIALS.
    let o = crate::common::feed(
        e.cmd(["--json", "import", "--from", "gcs-key", "--yes"])
            .env("GOOGLE_APPLICATION_CREDENTIALS", key),
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["source"].as_str(), v["rows"][0]["name"].as_str()),
        (Some("gcs-key"), Some("checker"))
    );
    assert_eq!(
        v["rows"][0]["secrets"],
        serde_json::json!(["service_account_key"])
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains("PRIVATE KEY"));
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("downloaded-key.json");
    std::fs::copy(key, &renamed).unwrap();
    let o = e.run(&["--json", "import", renamed.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    assert_eq!(
        (v["source"].as_str(), v["rows"][0]["outcome"].as_str()),
        (Some("gcs-key"), Some("conflict"))
    );
    // Google's key names no endpoint: the local stand-in is given on purpose.
    e.ok(
        &[
            "edit",
            "checker",
            "--endpoint-url",
            &srv["PB_GCS_ENDPOINT"],
            "--ca-cert",
            &srv["PB_CA_CERT"],
            "--keep-secrets",
        ],
        "",
    );
    assert_eq!(e.run(&["test", "checker"]).status.code(), Some(0));
}
