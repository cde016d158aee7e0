//! `patchbay export` and the encrypted bundle: definitions without secrets by default, a
//! bundle that restores a store exactly (every field, secret, named secret, tag and favourite)
//! and that the `age` tool opens and writes too; Airflow's form read by a real Airflow.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{feed, text, Env};
use crate::import_fixtures::{client, Airflow};

/// A store with one connection of each kind Airflow knows, a named secret, tags and a pin.
fn store_with_everything() -> Env {
    let e = Env::new();
    e.ok(
        &[
            "secret",
            "set",
            "team-pw",
            "--value-stdin",
            "--description",
            "the team's",
        ],
        "named-secret-value",
    );
    e.ok(
        &[
            "add",
            "postgres",
            "orders-prod",
            "--host",
            "db.internal",
            "--database",
            "orders",
            "--user",
            "app",
            "--env",
            "prod",
            "--password-stdin",
        ],
        "pg: with 'quotes' \"and\" = signs",
    );
    e.ok(
        &[
            "add",
            "mysql",
            "shop",
            "--host",
            "10.0.0.5",
            "--user",
            "shop",
            "--password-secret",
            "team-pw",
        ],
        "",
    );
    e.ok(
        &[
            "add",
            "s3",
            "lake",
            "--access-key-id",
            "ASIAEXAMPLE",
            "--region",
            "eu-west-1",
            "--endpoint-url",
            "https://minio.internal:9000",
            "--secret-key-stdin",
        ],
        "s3-secret/key+",
    );
    e.ok(
        &["edit", "lake", "--session-token-stdin"],
        "session-token-value",
    );
    e.ok(
        &[
            "add",
            "kafka",
            "events",
            "--bootstrap",
            "k1:9093",
            "--security-protocol",
            "SASL_SSL",
            "--sasl-mechanism",
            "SCRAM-SHA-512",
            "--sasl-user",
            "etl",
            "--sasl-password-stdin",
        ],
        "kafka-pw",
    );
    e.ok(&["pin", "shop"], "");
    e
}

const SECRETS: [&str; 5] = [
    "named-secret-value",
    "pg: with 'quotes'",
    "s3-secret/key+",
    "session-token-value",
    "kafka-pw",
];

fn export(e: &Env, args: &[&str]) -> String {
    e.ok(&[&["export"], args].concat(), "")
}

#[test]
fn an_export_without_secrets_is_stable_and_holds_none() {
    let e = store_with_everything();
    let doc = export(&e, &[]);
    assert_eq!(doc, export(&e, &[]), "the same store exports the same text");
    for s in SECRETS {
        assert!(!doc.contains(s), "{s} in {doc}");
    }
    let v: Value = serde_json::from_str(&doc).unwrap();
    let names: Vec<&str> = v["connections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["orders-prod", "shop", "lake", "events"],
        "list order"
    );
    assert_eq!(
        v["connections"][1]["shared"],
        serde_json::json!({"password": "team-pw"})
    );
    assert_eq!(
        v["secrets"],
        serde_json::json!([{"name": "team-pw", "description": "the team's"}])
    );
    assert!(!doc.contains("created_at") && !doc.contains("updated_at"));
    let o = e.run(&["export", "--with-secrets", "--out", "x.json"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a file with secrets in the clear is refused: {}",
        text(&o)
    );
}

#[test]
fn a_bundle_restores_the_store_exactly_and_never_writes_over_a_file() {
    let e = store_with_everything();
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("move.age");
    let b = bundle.to_str().unwrap();
    e.ok(
        &["export", "--bundle", b, "--passphrase-stdin"],
        "correct horse battery",
    );
    let sealed = std::fs::read(&bundle).unwrap();
    assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
    for s in SECRETS {
        assert!(!String::from_utf8_lossy(&sealed).contains(s));
    }
    let o = e.run_with_stdin(
        &["export", "--bundle", b, "--passphrase-stdin"],
        "correct horse battery",
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains(&format!(
            "bundle: {b} exists; a bundle is never written over another file"
        )),
        "{}",
        text(&o)
    );
    let fresh = Env::new();
    let o = fresh.run_with_stdin(
        &["import", b, "--passphrase-stdin", "--yes"],
        "wrong passphrase",
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        crate::common::stderr(&o),
        format!("patchbay: bundle: {b} does not open with this passphrase or identity\n")
    );
    let o = fresh.run_with_stdin(
        &["import", b, "--passphrase-stdin", "--yes"],
        "correct horse battery",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        export(&fresh, &[]),
        export(&e, &[]),
        "every field, tag, favourite and named secret"
    );
    assert_eq!(
        fresh.ok(&["export", "--with-secrets"], ""),
        e.ok(&["export", "--with-secrets"], ""),
        "every secret"
    );
    assert_eq!(
        fresh.ok(&["secret", "show", "team-pw", "--reveal"], ""),
        "named-secret-value\n"
    );
}

#[test]
fn the_age_tool_opens_patchbays_bundles_and_patchbay_opens_the_age_tools() {
    let e = store_with_everything();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let identity = d.join("id.txt");
    client(Command::new("age-keygen").arg("-o").arg(&identity));
    let public = client(Command::new("age-keygen").arg("-y").arg(&identity));
    let ours = d.join("ours.age");
    e.ok(
        &[
            "export",
            "--bundle",
            ours.to_str().unwrap(),
            "--recipient",
            &public,
        ],
        "",
    );
    let opened = client(
        Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&identity)
            .arg(&ours),
    );
    assert_eq!(
        format!("{opened}\n"),
        e.ok(&["export", "--with-secrets"], ""),
        "age reads the document with its secrets"
    );
    // A document the age tool encrypted, opened by Patchbay with the identity file.
    let plain = d.join("doc.json");
    std::fs::write(&plain, e.ok(&["export", "--with-secrets"], "")).unwrap();
    let theirs = d.join("theirs.age");
    client(
        Command::new("age")
            .args(["-r", &public, "-o"])
            .arg(&theirs)
            .arg(&plain),
    );
    let fresh = Env::new();
    fresh.ok(
        &[
            "import",
            theirs.to_str().unwrap(),
            "--identity",
            identity.to_str().unwrap(),
            "--yes",
        ],
        "",
    );
    assert_eq!(export(&fresh, &[]), export(&e, &[]));
    // And a passphrase bundle, which age reads from a terminal only.
    let by_pass = d.join("pass.age");
    e.ok(
        &[
            "export",
            "--bundle",
            by_pass.to_str().unwrap(),
            "--passphrase-stdin",
        ],
        "correct horse battery",
    );
    assert_eq!(
        format!(
            "{}\n",
            age_with_passphrase(&by_pass, "correct horse battery")
        ),
        e.ok(&["export", "--with-secrets"], "")
    );
}

/// `age -d FILE` with its passphrase typed on a pseudo-terminal, as a person would.
fn age_with_passphrase(file: &Path, passphrase: &str) -> String {
    let python =
        std::env::var("PATCHBAY_TEST_PYTHON").expect("PATCHBAY_TEST_PYTHON: run tests/run");
    let script = r#"
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp("age", ["age", "-d", "-o", sys.argv[2], sys.argv[1]])
out = b""
while b"passphrase" not in out.lower():
    out += os.read(fd, 1024)
os.write(fd, sys.argv[3].encode() + b"\n")
try:
    while os.read(fd, 1024):
        pass
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let out = file.with_extension("json");
    client(
        Command::new(python)
            .args(["-c", script])
            .arg(file)
            .arg(&out)
            .arg(passphrase),
    );
    std::fs::read_to_string(out).unwrap().trim_end().to_string()
}

#[test]
#[ignore = "needs Airflow: run tests/run"]
fn airflow_imports_patchbays_airflow_export_with_every_field() {
    let e = store_with_everything();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("conns.json");
    let o = feed(
        &mut e.cmd(["export", "--format", "airflow-json", "--with-secrets"]),
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(
        crate::common::stderr(&o),
        "",
        "every connection of this store has an Airflow form"
    );
    std::fs::write(&file, &o.stdout).unwrap();
    let airflow = Airflow::new(&dir.path().join("airflow"));
    airflow.run(&["connections", "import", file.to_str().unwrap()]);
    let got = |id: &str| -> Value {
        let v: Value =
            serde_json::from_str(&airflow.run(&["connections", "get", id, "-o", "json"])).unwrap();
        v[0].clone()
    };
    let pg = got("orders-prod");
    assert_eq!(
        (
            pg["conn_type"].as_str(),
            pg["host"].as_str(),
            pg["login"].as_str(),
            pg["schema"].as_str()
        ),
        (
            Some("postgres"),
            Some("db.internal"),
            Some("app"),
            Some("orders")
        )
    );
    assert_eq!(pg["password"], "pg: with 'quotes' \"and\" = signs");
    assert_eq!(
        pg["extra_dejson"],
        serde_json::json!({"sslmode": "require"})
    );
    let shop = got("shop");
    assert_eq!(
        (shop["conn_type"].as_str(), shop["password"].as_str()),
        (Some("mysql"), Some("named-secret-value"))
    );
    let lake = got("lake");
    assert_eq!(
        (lake["login"].as_str(), lake["password"].as_str()),
        (Some("ASIAEXAMPLE"), Some("s3-secret/key+"))
    );
    assert_eq!(
        lake["extra_dejson"],
        serde_json::json!({"region_name": "eu-west-1", "endpoint_url": "https://minio.internal:9000", "aws_session_token": "session-token-value"})
    );
    let events = got("events");
    assert_eq!(events["conn_type"], "kafka");
    assert_eq!(
        events["extra_dejson"],
        serde_json::json!({"bootstrap.servers": "k1:9093", "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": "etl", "sasl.password": "kafka-pw"})
    );
    // And back: Airflow's own export of what it imported reads as the same connections.
    let back = airflow.export("json");
    let fresh = Env::new();
    fresh.ok(&["import", back.to_str().unwrap(), "--yes"], "");
    let shown = |e: &Env| -> Vec<Value> {
        let v: Value =
            serde_json::from_str(&export(e, &["orders-prod", "shop", "lake", "events"])).unwrap();
        v["connections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["spec"].clone())
            .collect()
    };
    assert_eq!(shown(&fresh), shown(&e));
}
