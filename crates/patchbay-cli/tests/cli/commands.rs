//! The `patchbay` command as scripts and people use it: secrets come in through stdin, leave only
//! when asked (`--with-password`, `reveal`, `exec`), and every error is a clear line on stderr
//! with a non-zero exit code.

use std::process::Output;

use crate::common::*;

trait AddPg {
    fn add_pg(&self, name: &str, pw: &str);
}

impl AddPg for Env {
    fn add_pg(&self, name: &str, pw: &str) {
        self.ok(
            &[
                "add",
                "postgres",
                name,
                "--host",
                "127.0.0.1",
                "--database",
                "app",
                "--user",
                "app",
                "--password-stdin",
            ],
            &format!("{pw}\n"),
        );
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_password_piped_on_stdin_is_saved_and_shown_only_as_set() {
    let e = Env::new();
    e.add_pg("orders", "PIPED-pw-1");
    let show = e.ok(&["show", "orders"], "");
    assert!(show.contains("******** (saved)"), "{show}");
    assert!(!show.contains("PIPED-pw-1"));
    let json = e.ok(&["--json", "show", "orders"], "");
    assert!(!json.contains("PIPED-pw-1"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["spec"]["port"], 5432,
        "the default PostgreSQL port was filled in"
    );
    assert_eq!(v["secrets"][0]["field"], "password");
    assert_eq!(
        e.ok(&["reveal", "orders"], "").trim(),
        "PIPED-pw-1",
        "reveal is the explicit way out"
    );
}

#[test]
fn a_password_given_as_an_argument_is_refused() {
    let e = Env::new();
    let out = e.run(&[
        "add",
        "postgres",
        "x",
        "--host",
        "h",
        "--user",
        "u",
        "--password",
        "hunter2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unexpected argument 'hunter2'"),
        "{}",
        stderr(&out)
    );
    assert_eq!(e.ok(&["--json", "list"], "").trim(), "[]");
}

#[test]
fn url_omits_the_password_unless_asked() {
    let e = Env::new();
    e.add_pg("orders", "p@ss w:rd");
    assert_eq!(
        e.ok(&["url", "orders"], "").trim(),
        "postgresql://app@127.0.0.1:5432/app?sslmode=require"
    );
    assert_eq!(
        e.ok(&["url", "orders", "--with-password"], "").trim(),
        "postgresql://app:p%40ss%20w%3Ard@127.0.0.1:5432/app?sslmode=require"
    );
}

#[test]
fn env_withholds_secrets_unless_asked_and_says_so() {
    let e = Env::new();
    e.add_pg("orders", "ENV-pw-2");
    let out = e.run(&["env", "orders"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("export PGHOST='127.0.0.1'"), "{stdout}");
    assert!(!stdout.contains("ENV-pw-2") && !stdout.contains("PGPASSWORD"));
    assert!(
        stderr(&out).contains("PGPASSWORD"),
        "tells what was withheld"
    );
    let with = e.ok(&["env", "orders", "--with-password"], "");
    assert!(with.contains("export PGPASSWORD='ENV-pw-2'"), "{with}");
}

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
    let ca = "-----BEGIN CERTIFICATE-----\nMAMCAQA=\n-----END CERTIFICATE-----\n";
    let ca_path = e.dir.path().join("ca.pem");
    std::fs::write(&ca_path, ca).unwrap();
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
fn bad_input_is_a_clear_error_naming_the_field_and_saves_nothing() {
    let e = Env::new();
    for (args, needle) in [
        (
            vec![
                "add", "postgres", "x", "--host", "h", "--user", "u", "--port", "70000",
            ],
            "port: 70000 is not a TCP port",
        ),
        (
            vec![
                "add", "postgres", "x", "--host", "h", "--user", "u", "--port", "abc",
            ],
            "port: \"abc\" is not a number",
        ),
        (
            vec!["add", "kafka", "k", "--bootstrap", "a:9092,b"],
            "\"b\" has no port",
        ),
        (
            vec![
                "add",
                "kafka",
                "k",
                "--bootstrap",
                "a:9092",
                "--security-protocol",
                "SASL_SSL",
            ],
            "sasl_mechanism: is required",
        ),
        (
            vec![
                "add",
                "s3",
                "s",
                "--access-key-id",
                "AK",
                "--endpoint-url",
                "http://127.0.0.1:9000",
            ],
            "use https:// or add --allow-http",
        ),
        (
            vec!["add", "postgres", "x", "--user", "u"],
            "host: is required",
        ),
        (
            vec![
                "add",
                "postgres",
                "x",
                "--host",
                "h",
                "--user",
                "u",
                "--bootstrap",
                "a:1",
            ],
            "--bootstrap does not apply to a database connection",
        ),
        (
            vec!["add", "redis", "x"],
            "\"redis\" is not a connection type",
        ),
    ] {
        let out = e.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    assert_eq!(e.ok(&["--json", "list"], "").trim(), "[]");
}

#[test]
fn json_errors_carry_code_message_and_field() {
    let e = Env::new();
    let out = e.run(&[
        "--json", "add", "postgres", "x", "--host", "h", "--user", "u", "--port", "0",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(v["error"]["code"], "invalid");
    assert_eq!(v["error"]["field"], "port");
    let out = e.run(&["--json", "show", "missing"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(v["error"]["code"], "not_found");
}

#[test]
fn a_secret_in_use_cannot_be_removed_and_the_refusal_names_the_connection() {
    let e = Env::new();
    e.ok(
        &[
            "secret",
            "set",
            "team-pw",
            "--value-stdin",
            "--description",
            "shared login",
        ],
        "SHARED-4\n",
    );
    e.ok(
        &[
            "add",
            "postgres",
            "orders",
            "--host",
            "h",
            "--user",
            "u",
            "--password-secret",
            "team-pw",
        ],
        "",
    );
    assert_eq!(
        e.ok(
            &[
                "exec",
                "orders",
                "--",
                "sh",
                "-c",
                "printf %s \"$PGPASSWORD\""
            ],
            ""
        ),
        "SHARED-4"
    );
    let out = e.run(&["secret", "remove", "team-pw"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("database/orders"), "{}", stderr(&out));
    let list = e.ok(&["secret", "list"], "");
    assert!(
        list.contains("team-pw") && list.contains("database/orders") && !list.contains("SHARED-4"),
        "{list}"
    );
    e.ok(&["remove", "orders"], "");
    e.ok(&["secret", "remove", "team-pw"], "");
}

#[test]
fn editing_keeps_the_saved_password_unless_a_new_one_is_given() {
    let e = Env::new();
    e.add_pg("orders", "first");
    // A new host with the saved password needs the user's word: it would go to another server.
    let o = e.run(&["edit", "orders", "--host", "db2", "--env", "prod"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("the host changed")
            && err.contains("--keep-secrets")
            && err.contains("--password-stdin"),
        "{err}"
    );
    assert!(!e.ok(&["list"], "").contains("db2"), "nothing was saved");
    e.ok(
        &[
            "edit",
            "orders",
            "--host",
            "db2",
            "--env",
            "prod",
            "--keep-secrets",
        ],
        "",
    );
    assert_eq!(e.ok(&["reveal", "orders"], "").trim(), "first");
    e.ok(&["edit", "orders", "--password-stdin"], "second\n");
    assert_eq!(e.ok(&["reveal", "orders"], "").trim(), "second");
    let list = e.ok(&["list"], "");
    assert!(
        list.contains("db2:5432/app") && list.contains("prod"),
        "{list}"
    );
    e.ok(&["edit", "orders", "--no-password"], "");
    assert!(e.ok(&["show", "orders"], "").contains("(not set)"));
}

#[test]
fn rotating_a_given_key_reads_the_new_key_from_stdin() {
    let mut e = Env::new();
    e.add_pg("orders", "rot-pw");
    let new_key = String::from_utf8(e.run(&["key", "generate"]).stdout).unwrap();
    let out = e.ok(&["key", "rotate", "--new-key-stdin"], &new_key);
    assert!(out.contains("re-encrypted 1 secret"), "{out}");
    let old = e.run(&["reveal", "orders"]);
    assert!(
        stderr(&old).contains("does not open this store"),
        "{}",
        stderr(&old)
    );
    e.key = new_key.trim().to_string();
    assert_eq!(e.ok(&["reveal", "orders"], "").trim(), "rot-pw");
}

#[test]
fn kafka_env_and_properties_describe_the_client_settings() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "kafka",
            "events",
            "--bootstrap",
            "127.0.0.1:9092",
            "--security-protocol",
            "SASL_PLAINTEXT",
            "--sasl-mechanism",
            "SCRAM-SHA-256",
            "--sasl-user",
            "alice",
            "--sasl-password-stdin",
        ],
        "KAFKA-pw-5\n",
    );
    let props = e.ok(
        &["env", "events", "--format", "properties", "--with-password"],
        "",
    );
    assert!(props.contains("bootstrap.servers=127.0.0.1:9092\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.username=alice\nsasl.password=KAFKA-pw-5"), "{props}");
    let env = e.ok(&["env", "events"], "");
    assert!(env.contains("KAFKA_BOOTSTRAP_SERVERS") && !env.contains("KAFKA-pw-5"));
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

#[test]
fn test_reports_the_failing_step_and_exits_with_3() {
    let e = Env::new();
    let port = closed_port();
    e.ok(
        &[
            "add",
            "postgres",
            "down",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--user",
            "app",
        ],
        "",
    );
    let out = e.run(&["test", "down"]);
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("failed at tcp") && text.contains("port closed"),
        "{text}"
    );
    let out = e.run(&["--json", "test", "--all"]);
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["failed_step"], "tcp");
    assert_eq!(v[0]["ok"], false);
}

#[test]
fn without_a_reachable_keychain_a_secret_is_refused_with_the_fallbacks_and_nothing_is_saved() {
    let e = Env::new();
    let no_bus = "unix:path=/nonexistent/patchbay-test-bus";
    let out = feed(
        e.cmd(ADD_PG)
            .env_remove("PATCHBAY_MASTER_KEY")
            .env("DBUS_SESSION_BUS_ADDRESS", no_bus),
        b"pw",
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("keychain")
            && err.contains("PATCHBAY_MASTER_KEY")
            && err.contains("PATCHBAY_KEY_FILE"),
        "{err}"
    );
    let list = e
        .cmd(["--json", "list"])
        .env_remove("PATCHBAY_MASTER_KEY")
        .env("DBUS_SESSION_BUS_ADDRESS", no_bus)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).trim(),
        "[]",
        "listing works without the key, and nothing was saved"
    );
}

#[test]
fn a_new_database_connection_requires_tls_and_show_marks_tls_that_is_not_verified() {
    let e = Env::new();
    e.ok(
        &["add", "postgres", "plain", "--host", "h", "--user", "u"],
        "",
    );
    let shown = e.ok(&["show", "plain"], "");
    assert!(shown.contains("require"), "{shown}");
    assert!(
        shown.contains("! TLS not verified: the server's identity is not checked"),
        "{shown}"
    );
    // Without TLS at all, the mark says so.
    e.ok(
        &[
            "add",
            "postgres",
            "off",
            "--host",
            "h",
            "--user",
            "u",
            "--ssl-mode",
            "disable",
        ],
        "",
    );
    assert!(e.ok(&["show", "off"], "").contains("! no TLS"));
    let json: serde_json::Value =
        serde_json::from_str(&e.ok(&["--json", "show", "off"], "")).unwrap();
    assert!(json["transport_warning"]
        .as_str()
        .unwrap()
        .starts_with("no TLS"));
    // Verified TLS is not marked, and says which roots it trusts.
    e.ok(
        &[
            "add",
            "postgres",
            "full",
            "--host",
            "h",
            "--user",
            "u",
            "--ssl-mode",
            "verify-full",
        ],
        "",
    );
    let shown = e.ok(&["show", "full"], "");
    assert!(!shown.contains("transport"), "{shown}");
    assert!(shown.contains("the system's trusted roots"), "{shown}");
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn an_s3_check_uses_only_the_saved_keys_never_the_ambient_aws_credentials() {
    let srv = crate::common::servers();
    let (ak, sk) = (&srv["PB_S3_ACCESS_KEY"], &srv["PB_S3_SECRET_KEY"]);
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_S3_HTTP_PORT"]);
    let e = Env::new();
    for (name, secret) in [("good", sk.as_str()), ("bad", "wrong-secret-key")] {
        e.ok(
            &[
                "add",
                "s3",
                name,
                "--access-key-id",
                ak,
                "--endpoint-url",
                &endpoint,
                "--allow-http",
                "--secret-key-stdin",
            ],
            secret,
        );
    }
    // The right keys all around do not rescue a saved wrong secret...
    let aws = tempfile::tempdir().unwrap();
    let mut c = e.cmd(["test", "bad"]);
    ambient_aws(&mut c, aws.path(), ak, sk);
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("wrong secret access key"), "{}", text(&o));
    // ...and wrong keys all around do not spoil the saved right ones.
    let mut c = e.cmd(["test", "good"]);
    ambient_aws(
        &mut c,
        aws.path(),
        "AKIAWRONGAMBIENT",
        "wrong-ambient-secret",
    );
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Every place an AWS SDK would look for credentials, filled with these keys.
fn ambient_aws(c: &mut std::process::Command, dir: &std::path::Path, ak: &str, sk: &str) {
    let creds = dir.join(format!("credentials-{ak}"));
    std::fs::write(
        &creds,
        format!(
            "[default]\naws_access_key_id = {ak}\naws_secret_access_key = {sk}\n[ambient]\naws_access_key_id = {ak}\naws_secret_access_key = {sk}\n"
        ),
    )
    .unwrap();
    c.env("AWS_ACCESS_KEY_ID", ak)
        .env("AWS_SECRET_ACCESS_KEY", sk)
        .env("AWS_SESSION_TOKEN", "ambient-session-token")
        .env("AWS_PROFILE", "ambient")
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
        .env("AWS_CONFIG_FILE", &creds);
}

/// The window's command layer (the core's `Desk`) on the store `e` uses.
fn desk_of(e: &Env) -> patchbay_core::Desk {
    patchbay_core::Desk::open_in(
        e.dir.path(),
        patchbay_core::KeySource::Given {
            key: patchbay_core::MasterKey::parse(&e.key, "test key").unwrap(),
            origin: "PATCHBAY_MASTER_KEY".into(),
        },
    )
    .unwrap()
}

#[test]
fn the_cli_and_the_window_hand_over_the_same_url_and_environment_with_and_without_secrets() {
    let e = Env::new();
    e.add_pg("orders", "same-pw");
    let desk = desk_of(&e);
    for (what, args) in [
        ("url", vec!["url", "orders"]),
        (
            "url_with_password",
            vec!["url", "orders", "--with-password"],
        ),
        ("env", vec!["env", "orders"]),
        ("env_with_secrets", vec!["env", "orders", "--with-password"]),
    ] {
        let cli = e.ok(&args, "");
        let (window, copied) = desk
            .copy_text(patchbay_core::model::Kind::Database, "orders", what)
            .unwrap();
        assert_eq!(
            cli.trim_end(),
            window,
            "{what}: the CLI and the window differ"
        );
        assert_eq!(
            copied.includes_secrets,
            what.ends_with("password") || what.ends_with("secrets")
        );
    }
    // Without secrets: DATABASE_URL (without the password) is there, PGPASSWORD is not.
    let env = e.ok(&["env", "orders"], "");
    assert!(env.contains("DATABASE_URL='postgresql://app@"), "{env}");
    assert!(
        !env.contains("PGPASSWORD") && !env.contains("same-pw"),
        "{env}"
    );
}

#[test]
fn key_status_has_one_shape_in_the_cli_and_the_window() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    let cli: serde_json::Value =
        serde_json::from_str(&e.ok(&["--json", "key", "status"], "")).unwrap();
    let window = serde_json::to_value(desk_of(&e).key_status()).unwrap();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&cli), keys(&window));
    assert_eq!(cli, window, "the same answer for the same store");
    assert_eq!(cli["unlocked"], true);
}

#[test]
fn saving_a_renamed_secret_with_a_new_value_is_one_change_or_none() {
    let e = Env::new();
    e.ok(&["secret", "set", "team", "--value-stdin"], "v1");
    // The window edits "team": new name and new value, but the key it holds is not the store's
    // (as after a rotation elsewhere with a stale key): nothing may change, not even the name.
    let stale = patchbay_core::Desk::open_in(
        e.dir.path(),
        patchbay_core::KeySource::Given {
            key: patchbay_core::MasterKey::generate().unwrap(),
            origin: "a stale key".into(),
        },
    )
    .unwrap();
    let err = stale
        .save_secret("team-renamed", Some("v2".into()), None, Some("team".into()))
        .unwrap_err();
    assert_eq!(err.code(), "wrong_key", "{err}");
    let list = e.ok(&["secret", "list"], "");
    assert!(
        list.contains("team") && !list.contains("team-renamed"),
        "{list}"
    );
    assert_eq!(
        e.ok(&["secret", "show", "team", "--reveal"], "").trim(),
        "v1"
    );
    // With the right key it is one change: renamed and replaced together.
    desk_of(&e)
        .save_secret("team-renamed", Some("v2".into()), None, Some("team".into()))
        .unwrap();
    assert_eq!(
        e.ok(&["secret", "show", "team-renamed", "--reveal"], "")
            .trim(),
        "v2"
    );
}

#[test]
fn hints_name_the_command_lines_options_and_the_window_is_not_sent_to_the_cli() {
    let e = Env::new();
    let o = e.run(&["show", "nope"]);
    assert!(
        text(&o).contains("`patchbay list` shows the saved ones"),
        "{}",
        text(&o)
    );
    let o = e.run(&[
        "add",
        "s3",
        "s",
        "--access-key-id",
        "AK",
        "--endpoint-url",
        "http://127.0.0.1:9000",
    ]);
    assert!(!text(&o).contains("allow unsafe HTTP"), "{}", text(&o));
    // The window's command layer says the same without the CLI's advice.
    let err = patchbay_core::Desk::open_in(
        e.dir.path(),
        patchbay_core::KeySource::Given {
            key: patchbay_core::MasterKey::parse(&e.key, "k").unwrap(),
            origin: "k".into(),
        },
    )
    .unwrap()
    .get(patchbay_core::model::Kind::Database, "nope")
    .unwrap_err();
    assert!(!err.to_string().contains("patchbay list"), "{err}");
}

#[test]
fn exec_url_and_env_put_a_connection_among_the_recently_used_and_list_does_not() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    e.add_pg("reports", "pw");
    e.add_pg("billing", "pw");
    let used = || {
        let mut rows = desk_of(&e).list().unwrap();
        rows.retain(|r| r.usage.used_at.is_some());
        rows.sort_by_key(|r| r.usage.used_at);
        rows.into_iter()
            .map(|r| r.connection.name)
            .collect::<Vec<_>>()
    };
    e.ok(&["list"], "");
    e.ok(&["show", "orders"], "");
    assert!(used().is_empty(), "looking is not using: {:?}", used());
    let o = e.run(&["exec", "reports", "--", "true"]);
    assert!(o.status.success(), "{}", text(&o));
    std::thread::sleep(std::time::Duration::from_millis(5));
    e.ok(&["url", "billing"], "");
    assert_eq!(used(), ["reports", "billing"]);
}

#[test]
fn pin_and_unpin_mark_a_favourite_for_the_window_and_the_tray() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    e.add_pg("reports", "pw");
    assert!(e.ok(&["pin", "reports"], "").contains("pinned"));
    let favourites = || {
        desk_of(&e)
            .tray_menu()
            .unwrap()
            .favourites
            .iter()
            .map(|f| f.label.split(' ').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(favourites(), ["reports"]);
    e.ok(&["unpin", "reports"], "");
    assert!(favourites().is_empty());
    let o = e.run(&["pin", "nope"]);
    assert!(
        !o.status.success() && text(&o).contains("no connection named \"nope\""),
        "{}",
        text(&o)
    );
}

#[test]
fn a_form_test_of_an_unchanged_saved_connection_is_its_last_check_and_of_a_changed_one_is_not() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    let desk = desk_of(&e).with_check_limits(std::time::Duration::from_secs(3), 4);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let saved = desk
        .get(patchbay_core::model::Kind::Database, "orders")
        .unwrap();
    let editing = || {
        Some(patchbay_core::desk::Editing::of(
            patchbay_core::model::Kind::Database,
            "orders",
        ))
    };
    let last = || {
        desk.list().unwrap()[0]
            .last_check
            .as_ref()
            .map(|c| c.checked_at)
    };
    // Changed (another database): a check of the form, not of the saved connection.
    let mut changed = patchbay_core::model::ConnectionDraft::new("orders", saved.spec.clone());
    if let patchbay_core::model::Spec::Database(d) = &mut changed.spec {
        d.database = "reports".into();
    }
    rt.block_on(desk.test_draft(changed, editing())).unwrap();
    assert_eq!(last(), None, "a changed form is not the saved connection");
    // Unchanged, every secret kept: recorded.
    let same = patchbay_core::model::ConnectionDraft::new("orders", saved.spec.clone());
    let v = rt.block_on(desk.test_draft(same, editing())).unwrap();
    let recorded = desk.list().unwrap()[0]
        .last_check
        .clone()
        .expect("recorded");
    assert_eq!(
        (recorded.ok, recorded.failed_step),
        (v.ok, v.failed_step.map(|s| s.as_str().to_string()))
    );
}

#[test]
fn testing_the_rows_a_filter_shows_checks_and_records_only_those() {
    let e = Env::new();
    for name in ["orders-dev", "orders-staging", "billing-prod"] {
        e.add_pg(name, "pw");
    }
    let desk = desk_of(&e).with_check_limits(std::time::Duration::from_secs(3), 4);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let shown = ["orders-dev".to_string(), "orders-staging".to_string()];
    let verdicts = rt
        .block_on(desk.test_these(patchbay_core::model::Kind::Database, &shown))
        .unwrap();
    assert_eq!(verdicts.len(), 2);
    let checked: Vec<String> = desk
        .list()
        .unwrap()
        .into_iter()
        .filter(|r| r.last_check.is_some())
        .map(|r| r.connection.name)
        .collect();
    assert_eq!(checked, ["orders-dev", "orders-staging"]);
    // A name that is not saved (deleted meanwhile) fails before anything is contacted.
    let err = rt
        .block_on(desk.test_these(
            patchbay_core::model::Kind::Database,
            &["billing-prod".into(), "gone".into()],
        ))
        .unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    let prod = desk
        .list()
        .unwrap()
        .into_iter()
        .find(|r| r.connection.name == "billing-prod");
    assert!(
        prod.unwrap().last_check.is_none(),
        "billing-prod was checked"
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
fn a_closed_pipe_ends_patchbay_quietly_as_it_does_other_unix_tools() {
    let e = Env::new();
    for i in 0..50 {
        e.ok(
            &[
                "add",
                "postgres",
                &format!("db-{i:02}"),
                "--host",
                "h",
                "--user",
                "u",
            ],
            "",
        );
    }
    // `patchbay list | head -0`: the reader is gone before patchbay writes.
    let mut child = e
        .cmd(["list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert_ne!(o.status.code(), Some(101), "no panic exit");
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
fn list_lines_up_names_of_any_script_and_a_taken_name_is_quoted_as_saved() {
    let e = Env::new();
    for name in ["数据库-生产", "abc"] {
        e.ok(&["add", "postgres", name, "--host", "h", "--user", "u"], "");
    }
    let list = e.ok(&["list"], "");
    let column = |line: &str| {
        let at = line.find("h:5432").unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let lines: Vec<&str> = list.lines().filter(|l| l.contains("h:5432")).collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert_eq!(
        column(lines[0]),
        column(lines[1]),
        "targets line up:\n{list}"
    );
    // Names are unique whatever their case: the error shows the saved spelling.
    e.ok(
        &["add", "postgres", "Orders", "--host", "h", "--user", "u"],
        "",
    );
    let o = e.run(&["add", "postgres", "ORDERS", "--host", "h", "--user", "u"]);
    assert!(
        text(&o).contains("named \"Orders\" already exists"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_data_directory_of_another_user_or_an_empty_store_file_is_refused_with_the_fix() {
    let e = Env::new();
    let other = e.dir.path().join("theirs");
    std::fs::create_dir(&other).unwrap();
    std::os::unix::fs::chown(&other, Some(65534), Some(65534)).unwrap();
    let o = e.run(&["--data-dir", other.to_str().unwrap(), "list"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        format!("patchbay: {d} belongs to nobody (uid 65534), not to you (root): Patchbay keeps your secrets only in a directory of your own. Use another with --data-dir or PATCHBAY_DATA_DIR, or make it yours: sudo chown -R root {d}", d = other.display())
    );
    // The same directory seen by a user who cannot even restrict it (the tests run as root):
    // root's open directory, used by nobody, is refused with whose it is, not "cannot
    // restrict: Operation not permitted".
    let bin = tempfile::tempdir().unwrap();
    let patchbay = bin.path().join("patchbay");
    std::fs::copy(env!("CARGO_BIN_EXE_patchbay"), &patchbay).unwrap();
    let roots = bin.path().join("roots");
    std::fs::create_dir(&roots).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&roots, std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = std::process::Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(&patchbay)
        .args(["--data-dir", roots.to_str().unwrap(), "list"])
        .env("PATCHBAY_MASTER_KEY", &e.key)
        .env("HOME", bin.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        format!("patchbay: {d} belongs to root (uid 0), not to you (nobody): Patchbay keeps your secrets only in a directory of your own. Use another with --data-dir or PATCHBAY_DATA_DIR, or make it yours: sudo chown -R nobody {d}", d = roots.display())
    );

    // A zero-byte store file (a failed copy) is not taken for a new store.
    let empty = e.dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let file = empty.join("patchbay.sqlite3");
    std::fs::write(&file, b"").unwrap();
    let aged = std::process::Command::new("touch")
        .args(["-d", "1 minute ago"])
        .arg(&file)
        .status()
        .unwrap();
    assert!(aged.success());
    let o = e.run(&["--data-dir", empty.to_str().unwrap(), "list"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("is empty (0 bytes)"), "{}", text(&o));
    assert_eq!(std::fs::metadata(&file).unwrap().len(), 0, "left as it was");
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

/// Values that trip up quoting: quotes, backslashes, `$` and `${…}`, backticks, `#`, `=`, `:`,
/// spaces at both ends, line breaks, tabs and non-ASCII.
pub const AWKWARD: [&str; 12] = [
    "it's \"quoted\"",
    "back\\slash\\\\double",
    "$HOME and ${HOME} and $(id)",
    "`backticks`",
    "# not a comment",
    "a=b:c",
    "  spaces at both ends  ",
    "line one\nline two",
    "carriage\rreturn",
    "tab\there",
    "päss wörd 数据 🔑",
    "!bang first",
];

/// Runs the Python interpreter tests/run prepared (with python-dotenv and jproperties).
pub fn python(script: &str, file: &std::path::Path) -> String {
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect(
        "PATCHBAY_TEST_PYTHON: a Python with python-dotenv and jproperties (tests/run makes it)",
    );
    let o = std::process::Command::new(py)
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
#[ignore = "needs tests/run's Python with python-dotenv and jproperties"]
fn properties_output_reads_back_exactly_with_a_properties_parser() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    for (i, value) in AWKWARD.iter().enumerate() {
        let k = format!("k-{i}");
        e.ok(
            &[
                "add",
                "kafka",
                &k,
                "--bootstrap",
                "k1:9092",
                "--security-protocol",
                "SASL_PLAINTEXT",
                "--sasl-mechanism",
                "SCRAM-SHA-512",
                "--sasl-user",
                "u",
                "--sasl-password-stdin",
            ],
            value,
        );
        let props = dir.path().join(format!("{i}.properties"));
        std::fs::write(
            &props,
            e.ok(
                &["env", &k, "--with-password", "--format", "properties"],
                "",
            ),
        )
        .unwrap();
        let got = python(
            "import json, sys; from jproperties import Properties\np = Properties()\np.load(open(sys.argv[1], 'rb'), 'iso-8859-1')\nprint(json.dumps({k: v.data for k, v in p.items()}))",
            &props,
        );
        let got: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(
            got["sasl.password"], *value,
            "jproperties read back {value:?}"
        );
        assert_eq!(got["bootstrap.servers"], "k1:9092");
    }
}

#[test]
#[ignore = "needs the test servers and tests/run's Python with confluent-kafka"]
fn confluent_kafka_connects_with_nothing_but_the_generated_properties_over_ssl_and_sasl_ssl() {
    let srv = crate::common::servers();
    let e = Env::new();
    let ca = srv["PB_CA_CERT"].clone();
    e.ok(
        &[
            "add",
            "kafka",
            "tls",
            "--bootstrap",
            &format!("127.0.0.1:{}", srv["PB_KAFKA_SSL_PORT"]),
            "--security-protocol",
            "SSL",
            "--ca-cert",
            &ca,
        ],
        "",
    );
    e.ok(
        &[
            "add",
            "kafka",
            "sasl-tls",
            "--bootstrap",
            &format!("127.0.0.1:{}", srv["PB_KAFKA_SASL_SSL_PORT"]),
            "--security-protocol",
            "SASL_SSL",
            "--sasl-mechanism",
            "SCRAM-SHA-256",
            "--sasl-user",
            "alice",
            "--ca-cert",
            &ca,
            "--sasl-password-stdin",
        ],
        &srv["PB_KAFKA_PASSWORD_256"],
    );
    let dir = tempfile::tempdir().unwrap();
    for name in ["tls", "sasl-tls"] {
        let file = dir.path().join(format!("{name}.properties"));
        let props = e.ok(
            &["env", name, "--with-password", "--format", "properties"],
            "",
        );
        assert!(
            props.contains("ssl.ca.pem=-----BEGIN CERTIFICATE-----\\n"),
            "{props}"
        );
        std::fs::write(&file, props).unwrap();
        // The client gets the file's settings and nothing else (no CA path, no environment).
        let brokers = python(
            "import sys\nfrom jproperties import Properties\nfrom confluent_kafka.admin import AdminClient\np = Properties()\np.load(open(sys.argv[1], 'rb'), 'iso-8859-1')\nconf = {k: v.data for k, v in p.items()}\nmd = AdminClient(conf).list_topics(timeout=10)\nprint(len(md.brokers))",
            &file,
        );
        assert_eq!(
            brokers.trim(),
            "1",
            "{name}: confluent-kafka got the metadata"
        );
    }
    // Java clients get theirs: PEM trust store, JAAS line.
    let java = e.ok(
        &[
            "env",
            "sasl-tls",
            "--with-password",
            "--format",
            "java-properties",
        ],
        "",
    );
    for line in [
        "ssl.truststore.type=PEM",
        "ssl.truststore.certificates=-----BEGIN CERTIFICATE-----\\n",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\"",
    ] {
        assert!(java.contains(line), "{line} in\n{java}");
    }
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn url_of_a_verifying_connection_says_it_cannot_carry_the_ca_and_ca_file_makes_psql_connect() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.add_verified_db(&srv, "postgres", "pg");
    let o = e.run(&["url", "pg", "--with-password"]);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot carry"),
        "{}",
        text(&o)
    );
    let json: serde_json::Value =
        serde_json::from_str(&e.ok(&["--json", "url", "pg"], "")).unwrap();
    assert!(
        json["note"].as_str().unwrap().contains("--ca-file"),
        "{json}"
    );

    let ca = e.dir.path().join("ca for psql.pem");
    let url = e.ok(
        &[
            "url",
            "pg",
            "--with-password",
            "--ca-file",
            ca.to_str().unwrap(),
        ],
        "",
    );
    let url = url.trim();
    assert!(url.contains("sslrootcert="), "{url}");
    let psql = std::process::Command::new("psql")
        .args([url, "-Atc", "select current_user"])
        .env("PGCONNECT_TIMEOUT", "5")
        .env("HOME", e.dir.path()) // no ~/.postgresql/root.crt to fall back on
        .output()
        .unwrap();
    assert!(psql.status.success(), "{}", text(&psql));
    assert_eq!(String::from_utf8_lossy(&psql.stdout).trim(), "app");
}

#[test]
#[ignore = "needs the test servers and tests/run's Python with the aws CLI"]
fn an_s3_store_behind_a_private_ca_is_checked_and_used_by_the_aws_cli_with_verification_on() {
    let srv = crate::common::servers();
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let aws = std::path::Path::new(&py).with_file_name("aws");
    let e = Env::new();
    let endpoint = format!("https://127.0.0.1:{}", srv["PB_S3_HTTPS_PORT"]);
    let add = |name: &str, ca: bool| {
        let mut args = vec![
            "add",
            "s3",
            name,
            "--access-key-id",
            &srv["PB_S3_ACCESS_KEY"],
            "--endpoint-url",
            &endpoint,
            "--secret-key-stdin",
        ];
        if ca {
            args.extend(["--ca-cert", &srv["PB_CA_CERT"]]);
        }
        e.ok(&args, &srv["PB_S3_SECRET_KEY"]);
    };
    add("private-ca", true);
    add("no-ca", false);
    // The check verifies against the saved CA…
    let o = e.run(&["test", "private-ca"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // …and the aws CLI gets it as AWS_CA_BUNDLE, with verification on.
    let o = e
        .cmd(["exec", "private-ca", "--"])
        .arg(&aws)
        .args(["s3", "ls"])
        .output()
        .unwrap();
    assert!(o.status.success(), "aws s3 ls: {}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        2,
        "{}",
        text(&o)
    );
    // Without the CA both refuse the endpoint, and the check says what to do.
    let o = e.run(&["test", "no-ca"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        text(&o).contains("add the store's CA certificate"),
        "{}",
        text(&o)
    );
}
