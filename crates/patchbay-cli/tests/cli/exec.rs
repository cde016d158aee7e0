//! `exec` hands its child exactly the connection it was given: the password in its environment
//! only, PEM material and option files in private files that go with it, none of the caller's
//! variables of the connection's ecosystem, and the child's exit status back.

use crate::common::*;

#[test]
fn exec_hands_the_password_to_the_child_through_its_environment_only() {
    let e = Env::new();
    e.add_pg("orders", "EXEC-pw-3");
    let script = r#"printf '%s|%s|%s' "$PGPASSWORD" "$PGUSER" "$*""#;
    let out = e.ok(
        &["exec", "orders", "--", "sh", "-c", script, "sh", "arg1"],
        "",
    );
    assert_eq!(out, "EXEC-pw-3|app|arg1");
}

#[test]
fn exec_returns_the_childs_exit_code() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    let out = e.run(&["exec", "orders", "--", "sh", "-c", "exit 7"]);
    assert_eq!(out.status.code(), Some(7));
}

#[test]
fn exec_writes_pem_material_to_a_private_file_that_is_gone_afterwards() {
    let e = Env::new();
    // A real certificate (the first of the system's bundle): a stub is refused since the CA
    // field reads each certificate as a TLS client will.
    let ca = patchbay_testkit::a_real_ca();
    let ca_path = e.dir.path().join("ca.pem");
    std::fs::write(&ca_path, &ca).unwrap();
    e.ok(
        &[
            "add",
            "postgres",
            "tls",
            "--host",
            "h",
            "--user",
            "u",
            "--ssl-mode",
            "verify-full",
            "--ca-cert",
            ca_path.to_str().unwrap(),
        ],
        "",
    );
    let out = e.ok(
        &[
            "exec",
            "tls",
            "--",
            "sh",
            "-c",
            r#"stat -c %a "$PGSSLROOTCERT"; cat "$PGSSLROOTCERT"; echo "$PGSSLROOTCERT""#,
        ],
        "",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "600");
    assert!(out.contains("BEGIN CERTIFICATE"));
    assert!(
        !std::path::Path::new(lines.last().unwrap()).exists(),
        "the temporary file was removed"
    );
}

#[test]
fn s3_exec_uses_exactly_the_saved_credentials() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "s3",
            "lake",
            "--access-key-id",
            "AKSAVED",
            "--endpoint-url",
            "http://127.0.0.1:9000",
            "--allow-http",
            "--secret-key-stdin",
        ],
        "S3-secret-6\n",
    );
    let out = e
        .cmd(["exec", "lake", "--", "sh", "-c", r#"printf '%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_ENDPOINT_URL" "${AWS_PROFILE-unset}""#])
        .env("AWS_PROFILE", "someone-else")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "AKSAVED|S3-secret-6|http://127.0.0.1:9000|unset"
    );
}

/// The child's environment as `env -0` prints it, under `caller`'s extra variables.
fn child_env_with(e: &Env, name: &str, caller: &[(&str, &str)]) -> Vec<String> {
    let mut c = e.cmd(["exec", name, "--", "env", "-0"]);
    for (k, v) in caller {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .split('\0')
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn exec_hands_the_child_exactly_the_connection_not_the_callers_variables_of_its_ecosystem() {
    let e = Env::new();
    // Without a database: the caller's PGDATABASE must not fill the gap.
    e.ok(
        &[
            "add",
            "postgres",
            "pg",
            "--host",
            "127.0.0.1",
            "--user",
            "app",
            "--password-stdin",
        ],
        "pw",
    );
    let caller = [
        ("PGHOSTADDR", "127.0.0.3"),
        ("PGSERVICE", "elsewhere"),
        ("PGPASSFILE", "/tmp/other-pgpass"),
        ("PGDATABASE", "postgres"),
        ("PGSSLROOTCERT", "/tmp/other-ca.pem"),
        ("PGOPTIONS", "-c role=admin"),
        ("AWS_PROFILE", "prod-admin"),
        ("UNRELATED_TOOL_SETTING", "kept"),
    ];
    let env = child_env_with(&e, "pg", &caller);
    let has = |k: &str| env.iter().any(|v| v.starts_with(&format!("{k}=")));
    for k in [
        "PGHOSTADDR",
        "PGSERVICE",
        "PGPASSFILE",
        "PGDATABASE",
        "PGSSLROOTCERT",
        "PGOPTIONS",
    ] {
        assert!(!has(k), "{k} from the caller reached the child");
    }
    assert!(env.contains(&"PGHOST=127.0.0.1".to_string()), "{env:?}");
    assert!(has("PGPASSWORD"), "its own password is there");
    // Other ecosystems and unrelated variables are the caller's business.
    assert!(
        env.contains(&"AWS_PROFILE=prod-admin".to_string()),
        "{env:?}"
    );
    assert!(
        env.contains(&"UNRELATED_TOOL_SETTING=kept".to_string()),
        "{env:?}"
    );

    // An S3 connection: no AWS_* of the caller (profiles, files, CA bundles, tokens) mixes in.
    e.ok(
        &[
            "add",
            "s3",
            "lake",
            "--access-key-id",
            "AK",
            "--secret-key-stdin",
        ],
        "sk",
    );
    let env = child_env_with(
        &e,
        "lake",
        &[
            ("AWS_PROFILE", "prod-admin"),
            ("AWS_CONFIG_FILE", "/tmp/other-config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/tmp/other-credentials"),
            ("AWS_CA_BUNDLE", "/tmp/other-ca.pem"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/admin"),
            ("AWS_SESSION_TOKEN", "other-token"),
        ],
    );
    let aws: Vec<&String> = env.iter().filter(|v| v.starts_with("AWS_")).collect();
    let mut names: Vec<&str> = aws.iter().map(|v| v.split('=').next().unwrap()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "AWS_ACCESS_KEY_ID",
            "AWS_DEFAULT_REGION",
            "AWS_REGION",
            "AWS_SECRET_ACCESS_KEY"
        ],
        "only the connection's own AWS variables"
    );
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn psql_under_exec_connects_as_the_saved_user_whatever_the_callers_pg_variables_say() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.ok(
        &[
            "add",
            "postgres",
            "pg",
            "--host",
            "127.0.0.1",
            "--port",
            &srv["PB_PG_PORT"],
            "--user",
            "app",
            "--ssl-mode",
            "require",
            "--password-stdin",
        ],
        &srv["PB_PG_PASSWORD"],
    );
    let o = e
        .cmd([
            "exec",
            "pg",
            "--",
            "psql",
            "-Atc",
            "select current_user || '|' || current_database()",
        ])
        // Each of these would send psql elsewhere, or fail it, if it were inherited.
        .env("PGHOSTADDR", "127.0.0.3")
        .env("PGSERVICE", "no-such-service")
        .env("PGDATABASE", "postgres")
        .env("PGCONNECT_TIMEOUT", "5")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "app|app");
}

#[test]
fn exec_exits_127_for_a_missing_command_and_126_for_one_that_cannot_run() {
    let e = Env::new();
    e.add_pg("pg", "pw");
    let o = e.run(&["exec", "pg", "--", "no-such-command-4f2a"]);
    assert_eq!(o.status.code(), Some(127), "{}", text(&o));
    assert!(
        text(&o).contains("no-such-command-4f2a: command not found"),
        "{}",
        text(&o)
    );
    // A file without execute permission.
    let plain = e.dir.path().join("not-a-program");
    std::fs::write(&plain, "echo hi\n").unwrap();
    let o = e.run(&["exec", "pg", "--", plain.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(126), "{}", text(&o));
    assert!(text(&o).contains("not executable"), "{}", text(&o));
}

#[test]
fn exec_hands_mysql_clients_an_owner_only_option_file_and_env_says_how_to_use_it() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "mysql",
            "my",
            "--host",
            "127.0.0.1",
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "require",
            "--password-stdin",
        ],
        "pa\"ss\\word",
    );
    let o = e.run(&[
        "exec",
        "my",
        "--",
        "sh",
        "-c",
        "stat -c %a \"$MYSQL_HOME\" \"$MYSQL_HOME/my.cnf\"; cat \"$MYSQL_HOME/my.cnf\"",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("700\n600\n"), "owner-only: {out}");
    for line in [
        "[client]",
        "user=\"app\"",
        "password=\"pa\\\"ss\\\\word\"",
        "host=\"127.0.0.1\"",
        "port=3306",
        "ssl",
        "[mysql]",
        "database=\"app\"",
    ] {
        assert!(out.lines().any(|l| l == line), "{line} in:\n{out}");
    }
    let o = e.run(&["env", "my"]);
    assert!(
        text(&o).contains("patchbay exec my -- mariadb"),
        "{}",
        text(&o)
    );
    assert!(
        !text(&o).contains("pa\"ss"),
        "env without --with-password holds no password"
    );
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn mariadb_mysql_and_mariadb_dump_under_exec_log_in_as_the_saved_user_with_its_tls() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.add_verified_db(&srv, "mysql", "my");
    let tmp = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let o = e
            .cmd(["exec", "my", "--"])
            .args(args)
            .env("TMPDIR", tmp.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        String::from_utf8_lossy(&o.stdout).to_string()
    };
    for client in ["mariadb", "mysql"] {
        let who = run(&[client, "-N", "-e", "select current_user(), database()"]);
        assert_eq!(
            who.trim(),
            "app@%\tapp",
            "{client} logs in as the saved user"
        );
        let tls = run(&[client, "-N", "-e", "show status like 'Ssl_cipher'"]);
        assert!(
            tls.trim().split('\t').nth(1).is_some_and(|c| !c.is_empty()),
            "{client} uses TLS: {tls}"
        );
    }
    let dump = run(&["mariadb-dump", "--no-data", "app"]);
    assert!(dump.contains("-- MariaDB dump"), "{dump}");
    // Nothing is left behind once the clients exited.
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "the option file and its directory were removed"
    );
}
