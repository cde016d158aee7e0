//! Secret-leak audit of the command line: connections of every kind are saved with recognisable
//! secret values, every command a script or person runs is exercised (lists, shows, JSON, URLs,
//! environments, checks that pass and fail, errors, key status), and the values must appear only
//! where the user explicitly asked for them (reveal, --with-password, exec's child).

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

const MARKERS: [&str; 5] = [
    "LEAK-pg-4b1f",
    "LEAK-s3-90ce",
    "LEAK-kafka-2d77",
    "LEAK-registry-e51a",
    "LEAK-user-secret-7c03",
];

struct Env {
    dir: tempfile::TempDir,
    key: String,
}

impl Env {
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_patchbay"))
            .args(args)
            .env("PATCHBAY_DATA_DIR", self.dir.path())
            .env("PATCHBAY_MASTER_KEY", &self.key)
            .env("RUST_BACKTRACE", "1")
            .env("RUST_LOG", "trace")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn secrets_appear_only_where_the_user_asked_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let key = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_patchbay"))
            .args(["key", "generate"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    let e = Env { dir, key };
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();

    let setup: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "add",
                "postgres",
                "pg",
                "--host",
                "127.0.0.1",
                "--port",
                &closed,
                "--user",
                "app",
                "--password-stdin",
            ],
            MARKERS[0],
        ),
        (
            vec![
                "add",
                "s3",
                "s3",
                "--access-key-id",
                "AK",
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--allow-http",
                "--secret-key-stdin",
            ],
            MARKERS[1],
        ),
        (
            vec![
                "add",
                "kafka",
                "k",
                "--bootstrap",
                "127.0.0.1:9",
                "--security-protocol",
                "SASL_PLAINTEXT",
                "--sasl-mechanism",
                "PLAIN",
                "--sasl-user",
                "u",
                "--sasl-password-stdin",
                "--schema-registry-url",
                "http://127.0.0.1:9",
                "--schema-registry-user",
                "r",
            ],
            MARKERS[2],
        ),
        (vec!["secret", "set", "team", "--value-stdin"], MARKERS[4]),
    ];
    let mut seen = String::new();
    for (args, value) in &setup {
        let o = e.run(args, value);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }
    // A registry password through its own stdin option.
    let o = e.run(
        &["edit", "k", "--schema-registry-password-stdin"],
        MARKERS[3],
    );
    assert!(o.status.success(), "{}", text(&o));
    seen.push_str(&text(&o));

    let quiet: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["--json", "list"],
        vec!["show", "pg"],
        vec!["--json", "show", "k"],
        vec!["show", "s3"],
        vec!["url", "pg"],
        vec!["url", "k"],
        vec!["url", "s3"],
        vec!["env", "pg"],
        vec!["env", "s3"],
        vec!["env", "k"],
        vec!["--json", "env", "pg"],
        vec!["env", "k", "--format", "properties"],
        vec!["test", "pg"],
        vec!["--json", "test", "pg"],
        vec!["test", "s3", "--timeout", "2"],
        vec!["test", "k", "--timeout", "2"],
        vec!["test", "--all", "--timeout", "2"],
        vec!["--json", "test", "--all", "--timeout", "2"],
        vec!["secret", "list"],
        vec!["--json", "secret", "list"],
        vec!["secret", "show", "team"],
        vec!["key", "status"],
        vec!["--json", "key", "status"],
        vec![
            "add",
            "postgres",
            "pg",
            "--host",
            "h",
            "--user",
            "u",
            "--password-stdin",
        ],
        vec!["edit", "pg", "--port", "70000", "--password-stdin"],
        vec![
            "--json",
            "edit",
            "pg",
            "--host",
            "bad host",
            "--password-stdin",
        ],
        vec!["secret", "remove", "nope"],
    ];
    for args in &quiet {
        // Commands that read stdin get a secret-looking value they must not echo either.
        let o = e.run(args, "LEAK-typed-into-stdin-0000");
        seen.push_str(&text(&o));
    }
    for m in MARKERS.iter().chain(["LEAK-typed-into-stdin-0000"].iter()) {
        assert!(
            !seen.contains(m),
            "{m} leaked into the output of a command that was not asked for it:\n{seen}"
        );
    }

    // Positive control: where the user asks, the values are there.
    assert!(text(&e.run(&["reveal", "pg"], "")).contains(MARKERS[0]));
    assert!(text(&e.run(&["url", "pg", "--with-password"], "")).contains(MARKERS[0]));
    assert!(text(&e.run(&["env", "s3", "--with-password"], "")).contains(MARKERS[1]));
    assert!(text(&e.run(
        &["env", "k", "--format", "properties", "--with-password"],
        ""
    ))
    .contains(MARKERS[2]));
    assert!(text(&e.run(
        &[
            "exec",
            "k",
            "--",
            "sh",
            "-c",
            "printf %s \"$SCHEMA_REGISTRY_PASSWORD\""
        ],
        ""
    ))
    .contains(MARKERS[3]));
    assert!(text(&e.run(&["secret", "show", "team", "--reveal"], "")).contains(MARKERS[4]));
}
