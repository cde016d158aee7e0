//! The option file `exec` hands the MariaDB/MySQL clients (through `MYSQL_HOME`) says exactly
//! what the connection says, as the clients' own option reader (`my_print_defaults`) sees it; a
//! user's `~/.my.cnf` that would override it is named, and a client started with
//! `--defaults-file` (as Open in terminal starts it) reaches the saved server whatever that file
//! says; libmysqlclient's `LIBMYSQL_*` settings do not reach the child.

use crate::common::{servers, text, Env};

/// `exec NAME -- sh -c SCRIPT` with `home` as HOME; (exit code, stdout, stderr).
fn exec_sh(e: &Env, home: &std::path::Path, script: &str) -> (Option<i32>, String, String) {
    let o = e
        .cmd(["exec", "my", "--", "sh", "-c", script])
        .env("HOME", home)
        .env("LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN", "1")
        .output()
        .unwrap();
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn fields_that_look_like_the_directory_placeholder_reach_the_option_file_as_they_are() {
    let e = Env::new();
    let ca = e.dir.path().join("ca.pem");
    let pem = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args([
            "-subj",
            "/CN=placeholder-test",
            "-keyout",
            "/dev/null",
            "-out",
        ])
        .arg(&ca)
        .output()
        .unwrap();
    assert!(pem.status.success(), "{}", text(&pem));
    e.ok(
        &[
            "add",
            "mysql",
            "my",
            "--host",
            "127.0.0.1",
            "--user",
            "app",
            "--database",
            "db{dir}",
            "--ssl-mode",
            "verify-full",
            "--ca-cert",
            ca.to_str().unwrap(),
            "--password-stdin",
        ],
        "pw{dir}/x",
    );
    let home = tempfile::tempdir().unwrap();
    let (code, out, err) = exec_sh(
        &e,
        home.path(),
        r#"my_print_defaults --defaults-file="$MYSQL_HOME/my.cnf" client mysql; echo "home=$MYSQL_HOME""#,
    );
    assert_eq!(code, Some(0), "{err}");
    let home_dir = out.lines().last().unwrap().strip_prefix("home=").unwrap();
    let options: Vec<&str> = out.lines().filter(|l| l.starts_with("--")).collect();
    assert_eq!(
        options,
        [
            "--database=db{dir}",
            "--user=app",
            "--password=pw{dir}/x",
            "--host=127.0.0.1",
            "--port=3306",
            "--ssl",
            "--ssl-verify-server-cert",
            // the last line of [client], written once the directory is known
            &format!("--ssl-ca={home_dir}/ca.pem"),
        ]
    );
    // Each group once: configparser-based readers (PyMySQL's read_default_file) refuse a
    // group written twice.
    let (code, out, err) = exec_sh(
        &e,
        home.path(),
        r#"grep -c '^\[client\]$' "$MYSQL_HOME/my.cnf""#,
    );
    assert_eq!((code, out.trim()), (Some(0), "1"), "{err}");
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_users_my_cnf_that_would_override_the_connection_is_named_and_defaults_file_gets_past_it() {
    let srv = servers();
    let e = Env::new();
    e.add_verified_db(&srv, "mysql", "my");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join(".my.cnf"),
        "# the user's own\n[client]\nport = 1\nuser=nobody\n[mysqldump]\nhost=elsewhere\n",
    )
    .unwrap();
    let query = "-N -e 'select current_user()'";
    // The plain client reads ~/.my.cnf after Patchbay's file: port 1, as "nobody".
    let (code, _, err) = exec_sh(&e, home.path(), &format!("mariadb {query}"));
    assert_ne!(code, Some(0), "{err}");
    let warning = format!(
        "patchbay: warning: {}/.my.cnf sets port, user for the mariadb/mysql clients, which read it after the option file Patchbay hands over: it overrides this connection. Start the client with --defaults-file=\"$MYSQL_HOME/my.cnf\" (as Open in terminal does), or remove those lines",
        home.path().display()
    );
    assert!(err.lines().any(|l| l == warning), "{err}");
    // Started with only Patchbay's file, it logs in as the saved user; no warning then.
    let (code, out, err) = exec_sh(
        &e,
        home.path(),
        &format!(
            r#"mariadb --defaults-file="$MYSQL_HOME/my.cnf" {query}; echo "${{LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN-unset}}""#
        ),
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out.lines().collect::<Vec<_>>(), ["app@%", "unset"], "{err}");
    assert!(!err.contains("warning"), "{err}");
}
