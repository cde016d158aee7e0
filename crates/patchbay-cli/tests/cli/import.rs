//! `patchbay import` from the files people have, written or proven by their own tools: a
//! preview first (nothing saved, never a secret's value), then one transaction, and each
//! imported connection passes its check against the real servers.

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::import_fixtures::*;

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_pgpass_psql_logs_in_with_is_previewed_then_imported_and_each_connection_passes_its_check() {
    let srv = servers();
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let (port, pw) = (&srv["PB_PG_PORT"], &srv["PB_PG_PASSWORD"]);
    let pgpass = file(dir.path(), "pgpass", &format!("# the test server, twice\n127.0.0.1:{port}:app:app:{pw}\nlocalhost:{port}:app:app:{pw}\n*:*:*:nobody:wild-pw\nnot a line\n"));
    for host in ["127.0.0.1", "localhost"] {
        let who = psql_as(
            &["-h", host, "-p", port, "-U", "app", "-d", "app"],
            &[("PGPASSFILE", &pgpass)],
        );
        assert_eq!(who, "app", "psql logs in with the file as it is");
    }
    let (rows, v) = preview(&e, &[pgpass.to_str().unwrap()], &[]);
    assert_eq!(rows, [
        row("app", "new", None),
        row("app", "conflict", Some("another database connection found here is named \"app\" too")),
        row("line 4", "skipped", Some("a wildcard entry (*:*:*:nobody) matches many connections: its password goes to the service-file connections it matches")),
    ]);
    assert_eq!(
        v["problems"],
        serde_json::json!([format!(
            "{}:5: fewer than five ':'-separated fields (libpq skips it)",
            pgpass.display()
        )])
    );
    assert_eq!(v["rows"][0]["secrets"], serde_json::json!(["password"]));
    assert_eq!(v["imported"], Value::Null);
    assert!(names(&e).is_empty(), "a preview saves nothing");
    let o = e.run(&["import", pgpass.to_str().unwrap(), "--rename", "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).ends_with("imported 2 connection(s); 1 not imported\n"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains(pw.as_str()) && !text(&o).contains("wild-pw"));
    assert_eq!(names(&e), ["app", "app-2"]);
    for name in ["app", "app-2"] {
        assert_eq!(e.run(&["test", name]).status.code(), Some(0), "{name}");
    }
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_service_file_takes_the_password_libpq_would_pick_and_keeps_its_verified_tls() {
    let srv = servers();
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let (port, pw) = (&srv["PB_PG_PORT"], &srv["PB_PG_PASSWORD"]);
    let pgpass = file(
        dir.path(),
        "pgpass",
        &format!(
            "*:*:other:*:not-this-one\nlocalhost:{port}:app:app:{pw}\n*:*:*:app:nor-this-one\n"
        ),
    );
    let service = file(dir.path(), "pg_service.conf", &format!("[orders-dev]\nhost=localhost\nport={port}\ndbname=app\nuser=app\nsslmode=verify-full\nsslrootcert={}\n", srv["PB_CA_CERT"]));
    let env = [
        ("PGPASSFILE", pgpass.as_path()),
        ("PGSERVICEFILE", service.as_path()),
    ];
    assert_eq!(psql_as(&["service=orders-dev"], &env), "app");
    let (rows, v) = preview(&e, &["--from", "pg-service", "--yes"], &env);
    assert_eq!(rows, [row("orders-dev", "new", None)]);
    assert_eq!(
        v["rows"][0]["notes"],
        serde_json::json!([format!("password from {}:2", pgpass.display())])
    );
    assert_eq!(v["rows"][0]["env_tag"], "dev");
    assert_eq!(v["imported"]["saved"], serde_json::json!(["orders-dev"]));
    let shown: Value =
        serde_json::from_slice(&e.run(&["--json", "show", "orders-dev"]).stdout).unwrap();
    assert_eq!(
        (
            shown["spec"]["ssl_mode"].as_str(),
            shown["env_tag"].as_str()
        ),
        (Some("verify-full"), Some("dev"))
    );
    assert_eq!(e.run(&["test", "orders-dev"]).status.code(), Some(0));
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn an_option_file_the_mariadb_client_logs_in_with_imports_with_what_it_includes() {
    let srv = servers();
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let inc = file(dir.path(), "server.cnf", &format!("[client]\nhost=127.0.0.1\nport={}\npassword=\"{}\"\nssl-ca={}\nssl-verify-server-cert\n", srv["PB_MY_PORT"], srv["PB_MY_PASSWORD"], srv["PB_CA_CERT"]));
    let main = file(
        dir.path(),
        "my.cnf",
        &format!(
            "[client]\nuser=app\n!include {}\n[mysqld]\nuser=mysql\n[mysql]\ndatabase=app\n",
            inc.display()
        ),
    );
    let who = client(
        std::process::Command::new("mariadb")
            .arg(format!("--defaults-file={}", main.display()))
            .args(["-N", "-e", "select current_user()"]),
    );
    assert_eq!(who, "app@%");
    let (rows, _) = preview(
        &e,
        &["--from", "my-cnf", main.to_str().unwrap(), "--yes"],
        &[],
    );
    assert_eq!(rows, [row("app", "new", None)]);
    let shown: Value = serde_json::from_slice(&e.run(&["--json", "show", "app"]).stdout).unwrap();
    assert_eq!(
        (
            shown["spec"]["engine"].as_str(),
            shown["spec"]["ssl_mode"].as_str()
        ),
        (Some("mysql"), Some("verify-full"))
    );
    assert_eq!(e.run(&["test", "app"]).status.code(), Some(0));
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn aws_profiles_the_aws_cli_wrote_import_with_their_keys_and_the_others_say_why_not() {
    let srv = servers();
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_S3_HTTP_PORT"]);
    aws_configure(
        d,
        "lake",
        &[
            ("aws_access_key_id", &srv["PB_S3_ACCESS_KEY"]),
            ("aws_secret_access_key", &srv["PB_S3_SECRET_KEY"]),
            ("region", "eu-west-1"),
            ("endpoint_url", &endpoint),
        ],
    );
    aws_configure(
        d,
        "admin",
        &[
            ("role_arn", "arn:aws:iam::123456789012:role/etl"),
            ("source_profile", "lake"),
        ],
    );
    aws_configure(
        d,
        "corp",
        &[
            ("sso_session", "corp"),
            ("sso_account_id", "123456789012"),
            ("sso_role_name", "Reader"),
        ],
    );
    aws_configure(d, "bare", &[("region", "us-west-2")]);
    let env = [
        ("AWS_CONFIG_FILE", d.join("config")),
        ("AWS_SHARED_CREDENTIALS_FILE", d.join("credentials")),
    ];
    let env: Vec<(&str, &std::path::Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let (rows, v) = preview(&e, &["--from", "aws"], &env);
    assert_eq!(
        rows,
        [
            row("lake", "new", None),
            // A role or SSO profile: a connection by that profile (the AWS SDK resolves it).
            row("admin", "new", None),
            row("corp", "new", None),
            row(
                "bare",
                "skipped",
                Some("has no access key id and secret access key")
            ),
        ]
    );
    assert_eq!(v["rows"][0]["target"], endpoint.as_str());
    assert_eq!(
        v["rows"][1]["notes"][0],
        "by AWS profile admin: it assumes role arn:aws:iam::123456789012:role/etl, and each use asks the AWS SDK for its credentials (none are saved)"
    );
    assert_eq!(v["rows"][1]["secrets"], serde_json::json!([]));
    assert!(!v.to_string().contains(&srv["PB_S3_SECRET_KEY"]));
    preview(&e, &["--from", "aws", "--only", "lake", "--yes"], &env);
    assert_eq!(e.run(&["test", "lake"]).status.code(), Some(0));
}
