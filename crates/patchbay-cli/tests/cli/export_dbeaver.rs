//! `patchbay export --format dbeaver`: a `data-sources.json` in DBeaver's published format
//! (DBeaver cannot run here: the file is read back by Patchbay's DBeaver import and its
//! connection passes its check against the real PostgreSQL) — databases only, never a password.

use serde_json::{json, Value};

use crate::common::{servers, text, Env};
use crate::import_fixtures::{file, preview};

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_dbeaver_export_holds_the_databases_without_passwords_and_imports_back_to_a_passing_check() {
    let srv = servers();
    let e = Env::new();
    let port = srv["PB_PG_PORT"].as_str();
    e.ok(
        &[
            "add",
            "postgres",
            "orders",
            "--host",
            "127.0.0.1",
            "--port",
            port,
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "prefer",
            "--env",
            "prod",
            "--password-stdin",
        ],
        &srv["PB_PG_PASSWORD"],
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
            "--env",
            "staging",
            "--password-stdin",
        ],
        "shop-secret-pw",
    );
    e.ok(
        &[
            "add",
            "s3",
            "lake",
            "--access-key-id",
            "AKIAEXAMPLE",
            "--region",
            "eu-west-1",
            "--secret-key-stdin",
        ],
        "s3-secret-key",
    );
    let o = e.run(&["export", "--format", "dbeaver"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    for secret in [
        srv["PB_PG_PASSWORD"].as_str(),
        "shop-secret-pw",
        "s3-secret-key",
    ] {
        assert!(
            !text(&o).contains(secret),
            "a secret in the export: {}",
            text(&o)
        );
    }
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "patchbay: note: \"lake\": left out: DBeaver's file holds databases; this is an S3 connection\n"
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["connections"]["postgresql-patchbay-orders"],
        json!({"provider": "postgresql", "driver": "postgres-jdbc", "name": "orders", "save-password": false,
            "configuration": {"host": "127.0.0.1", "port": port, "database": "app", "user": "app",
                "url": format!("jdbc:postgresql://127.0.0.1:{port}/app"), "type": "prod",
                "configurationType": "MANUAL", "auth-model": "native", "properties": {"sslmode": "prefer"}}})
    );
    assert_eq!(
        v["connections"]["mysql-patchbay-shop"]["configuration"]["properties"],
        json!({"sslMode": "REQUIRED"})
    );
    // "staging" is not one of DBeaver's own types: the file declares it.
    assert_eq!(v["connection-types"]["staging"]["name"], "staging");
    assert!(v["connection-types"].get("prod").is_none());
    // A tunnelled database takes its bastion along as DBeaver's SSH tunnel (no secret in it).
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("id_ed25519");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(made.success());
    let bastion = e.run_with_stdin(
        &[
            "add",
            "postgres",
            "behind",
            "--host",
            "10.0.0.5",
            "--user",
            "app",
            "--ssh",
            "ops@bastion.example:2222",
            "--ssh-key",
            key.to_str().unwrap(),
            "--ssh-auth",
            "agent",
            "--env",
            "dev",
        ],
        "",
    );
    assert_eq!(bastion.status.code(), Some(0), "{}", text(&bastion));
    let with: Value =
        serde_json::from_slice(&e.run(&["export", "--format", "dbeaver", "behind"]).stdout)
            .unwrap();
    assert_eq!(
        with["connections"]["postgresql-patchbay-behind"]["configuration"]["handlers"],
        json!({"ssh_tunnel": {"type": "TUNNEL", "enabled": true, "save-password": false,
            "properties": {"host": "bastion.example", "port": "2222", "user": "ops", "authType": "AGENT", "keyPath": key.to_str().unwrap()}}})
    );
    e.ok(&["remove", "behind"], "");
    // Same input, same bytes: safe to commit.
    assert_eq!(e.run(&["export", "--format", "dbeaver"]).stdout, o.stdout);

    // Read back by the DBeaver import: the same databases, tags and TLS modes.
    let dir = tempfile::tempdir().unwrap();
    let data = file(dir.path(), "data-sources.json", &out);
    let fresh = Env::new();
    let (rows, answer) = preview(&fresh, &[data.to_str().unwrap(), "--yes"], &[]);
    let mut names: Vec<(&str, &str)> = rows
        .iter()
        .map(|(n, o, _)| (n.as_str(), o.as_str()))
        .collect();
    names.sort();
    assert_eq!(names, [("orders", "new"), ("shop", "new")], "{answer}");
    let shown: Value = serde_json::from_str(&fresh.ok(&["--json", "show", "orders"], "")).unwrap();
    assert_eq!(
        (
            &shown["env_tag"],
            &shown["spec"]["ssl_mode"],
            &shown["spec"]["port"]
        ),
        (
            &json!("prod"),
            &json!("prefer"),
            &json!(port.parse::<u32>().unwrap())
        )
    );
    // DBeaver asks for the password; here it is typed once, and the check passes.
    fresh.ok(
        &["edit", "orders", "--password-stdin"],
        &srv["PB_PG_PASSWORD"],
    );
    let o = fresh.run(&["test", "orders"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn passwords_are_never_written_for_dbeaver_and_asking_says_why() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "postgres",
            "orders",
            "--host",
            "db",
            "--user",
            "app",
            "--password-stdin",
        ],
        "pw",
    );
    let o = e.run(&["--json", "export", "--format", "dbeaver", "--with-secrets"]);
    let v: Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|_| panic!("{}", text(&o)));
    assert_eq!(
        (
            o.status.code(),
            v["error"]["code"].as_str(),
            v["error"]["field"].as_str()
        ),
        (Some(1), Some("invalid"), Some("with_secrets"))
    );
    assert!(o.stdout.is_empty() && !text(&o).contains("\"pw\""));
}
