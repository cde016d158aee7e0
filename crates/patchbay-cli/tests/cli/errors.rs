//! Every error is one clear line on stderr (or JSON with `--json`) that names the field and
//! the fix, with a non-zero exit code, and saves nothing; checks exit 3 naming the step.

use crate::common::*;

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
            vec!["add", "s3", "x", "--access-key-id", "AKID", "--bucket", "b"],
            "patchbay: bucket: --bucket does not apply to an S3 connection\n",
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
