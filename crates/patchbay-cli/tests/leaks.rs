//! The secret-leak audit: connections of every kind are saved with recognisable secret values,
//! every path a script or person takes is exercised (lists, shows, JSON, URLs, environments,
//! errors, key status, checks that pass and fail against the real servers, exec), with
//! RUST_LOG=trace and full backtraces, and the values must appear only where the user explicitly
//! asked for them (reveal, --with-password, exec's child environment). Afterwards the store's
//! files (SQLite, WAL, shared memory, any journal) hold none of them in plaintext, no process's
//! arguments carry them, and the Debug form of everything that holds them (what a panic or a
//! log line would print) is redacted. The window's IPC answers are audited the same way in
//! src-tauri/tests/desk.rs. There is no export command, so no export to audit.

mod common;

use common::{closed_port, feed, text, Env, ADD_PG};

const MARKERS: [&str; 5] = [
    "LEAK-pg-4b1f",
    "LEAK-s3-90ce",
    "LEAK-kafka-2d77",
    "LEAK-registry-e51a",
    "LEAK-user-secret-7c03",
];

/// Runs with logs at their most verbose and full backtraces, as a user chasing a problem would.
fn traced(e: &Env, args: &[&str], stdin: &str) -> std::process::Output {
    feed(
        e.cmd(args)
            .env("RUST_BACKTRACE", "full")
            .env("RUST_LOG", "trace"),
        stdin.as_bytes(),
    )
}

/// Every file in the store directory (the SQLite file, its -wal, -shm and any -journal): none
/// may hold a marker in plaintext.
fn assert_store_files_clean(dir: &std::path::Path, markers: &[&str]) {
    let mut scanned = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap_or_default();
        for m in markers {
            assert!(
                !bytes.windows(m.len()).any(|w| w == m.as_bytes()),
                "{m} is in {} in plaintext",
                path.display()
            );
        }
        scanned += 1;
    }
    assert!(scanned >= 2, "the store and its WAL were scanned");
}

#[test]
fn secrets_appear_only_where_the_user_asked_for_them() {
    let e = Env::new();
    let closed = closed_port();

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
        let o = traced(&e, args, value);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }
    // A registry password through its own stdin option.
    let o = traced(
        &e,
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
        ADD_PG.to_vec(),
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
        let o = traced(&e, args, "LEAK-typed-into-stdin-0000");
        seen.push_str(&text(&o));
    }
    for m in MARKERS.iter().chain(["LEAK-typed-into-stdin-0000"].iter()) {
        assert!(
            !seen.contains(m),
            "{m} leaked into the output of a command that was not asked for it:\n{seen}"
        );
    }

    assert_store_files_clean(e.dir.path(), &MARKERS);

    // exec hands secrets to the child's environment, never to anyone's arguments: the child's
    // command line and its parent's (patchbay's) are clean while the environment holds the value.
    let o = traced(
        &e,
        &[
            "exec",
            "pg",
            "--",
            "sh",
            "-c",
            "tr '\\0' ' ' < /proc/$$/cmdline; echo; tr '\\0' ' ' < /proc/$PPID/cmdline; echo; env",
        ],
        "",
    );
    let out = text(&o);
    let (args, env) = out.split_at(out.find("PG").unwrap_or(0));
    assert!(args.contains("sh -c") && args.contains("patchbay"), "{out}");
    assert!(
        !args.contains(MARKERS[0]),
        "a password in process arguments: {args}"
    );
    assert!(
        env.contains(MARKERS[0]),
        "the child's environment holds it: {out}"
    );

    // Positive control: where the user asks, the values are there.
    assert!(text(&traced(&e, &["reveal", "pg"], "")).contains(MARKERS[0]));
    assert!(text(&traced(&e, &["url", "pg", "--with-password"], "")).contains(MARKERS[0]));
    assert!(text(&traced(&e, &["env", "s3", "--with-password"], "")).contains(MARKERS[1]));
    assert!(text(&traced(
        &e,
        &["env", "k", "--format", "properties", "--with-password"],
        ""
    ))
    .contains(MARKERS[2]));
    assert!(text(&traced(
        &e,
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
    assert!(text(&traced(&e, &["secret", "show", "team", "--reveal"], "")).contains(MARKERS[4]));
}

/// Reads tests/servers/start's servers.env.
fn servers() -> std::collections::HashMap<String, String> {
    let path = std::env::var("PATCHBAY_TEST_SERVERS")
        .expect("PATCHBAY_TEST_SERVERS names servers.env: run tests/run");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.into(), v.into())))
        .collect()
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn checks_against_real_servers_that_pass_and_fail_leak_no_secret() {
    let srv = servers();
    let get = |k: &str| srv.get(k).cloned().unwrap_or_else(|| panic!("{k} missing"));
    let e = Env::new();
    let (pg, my, s3, kafka, registry) = (
        get("PB_PG_PASSWORD"),
        get("PB_MY_PASSWORD"),
        get("PB_S3_SECRET_KEY"),
        get("PB_KAFKA_PASSWORD_256"),
        get("PB_REGISTRY_PASSWORD"),
    );
    let wrong = [
        "LEAK-wrong-pg-51c2",
        "LEAK-wrong-my-0e9a",
        "LEAK-wrong-s3-c4d8",
        "LEAK-wrong-kafka-77b1",
        "LEAK-wrong-registry-2a6f",
    ];
    let (pg_port, my_port, s3_port, k_port, r_url) = (
        get("PB_PG_PORT"),
        get("PB_MY_PORT"),
        get("PB_S3_HTTP_PORT"),
        get("PB_KAFKA_SASL_PORT"),
        format!("http://127.0.0.1:{}", get("PB_REGISTRY_PORT")),
    );
    let ak = get("PB_S3_ACCESS_KEY");
    let endpoint = format!("http://127.0.0.1:{s3_port}");
    let bootstrap = format!("127.0.0.1:{k_port}");
    let mut seen = String::new();
    let mut add = |args: Vec<&str>, stdin: &str| {
        let o = traced(&e, &args, stdin);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    };
    for (name, pw) in [("pg-ok", pg.as_str()), ("pg-wrong", wrong[0])] {
        add(
            vec![
                "add",
                "postgres",
                name,
                "--host",
                "127.0.0.1",
                "--port",
                &pg_port,
                "--database",
                "app",
                "--user",
                "app",
                "--ssl-mode",
                "require",
                "--password-stdin",
            ],
            pw,
        );
    }
    for (name, pw) in [("my-ok", my.as_str()), ("my-wrong", wrong[1])] {
        add(
            vec![
                "add",
                "mysql",
                name,
                "--host",
                "127.0.0.1",
                "--port",
                &my_port,
                "--database",
                "app",
                "--user",
                "app",
                "--password-stdin",
            ],
            pw,
        );
    }
    for (name, pw) in [("s3-ok", s3.as_str()), ("s3-wrong", wrong[2])] {
        add(
            vec![
                "add",
                "s3",
                name,
                "--access-key-id",
                &ak,
                "--endpoint-url",
                &endpoint,
                "--allow-http",
                "--secret-key-stdin",
            ],
            pw,
        );
    }
    for (name, pw, rpw) in [
        ("k-ok", kafka.as_str(), registry.as_str()),
        ("k-wrong", wrong[3], wrong[4]),
    ] {
        add(
            vec![
                "add",
                "kafka",
                name,
                "--bootstrap",
                &bootstrap,
                "--security-protocol",
                "SASL_PLAINTEXT",
                "--sasl-mechanism",
                "SCRAM-SHA-256",
                "--sasl-user",
                "alice",
                "--schema-registry-url",
                &r_url,
                "--schema-registry-user",
                "registry",
                "--sasl-password-stdin",
            ],
            pw,
        );
        add(vec!["edit", name, "--schema-registry-password-stdin"], rpw);
    }

    let mut outcomes = String::new();
    for name in [
        "pg-ok", "pg-wrong", "my-ok", "my-wrong", "s3-ok", "s3-wrong", "k-ok", "k-wrong",
    ] {
        for json in [false, true] {
            let args: Vec<&str> = if json {
                vec!["--json", "test", name]
            } else {
                vec!["test", name]
            };
            let o = traced(&e, &args, "");
            outcomes.push_str(&format!("{name} {:?}\n", o.status.code()));
            seen.push_str(&text(&o));
        }
    }
    for args in [
        vec!["test", "--all"],
        vec!["--json", "test", "--all"],
        vec!["list"],
        vec!["--json", "list"],
    ] {
        seen.push_str(&text(&traced(&e, &args, "")));
    }
    // The checks really ran: the right secrets pass, the wrong ones fail at authentication.
    for ok in ["pg-ok", "my-ok", "s3-ok", "k-ok"] {
        assert!(
            outcomes.contains(&format!("{ok} Some(0)")),
            "{ok} passes:\n{outcomes}\n{seen}"
        );
    }
    for bad in ["pg-wrong", "my-wrong", "s3-wrong", "k-wrong"] {
        assert!(
            outcomes.contains(&format!("{bad} Some(3)")),
            "{bad} fails:\n{outcomes}"
        );
    }

    let secrets: Vec<&str> = [
        pg.as_str(),
        my.as_str(),
        s3.as_str(),
        kafka.as_str(),
        registry.as_str(),
    ]
    .into_iter()
    .chain(wrong)
    .collect();
    for s in &secrets {
        assert!(
            !seen.contains(s),
            "{s} leaked into the output of a check:\n{seen}"
        );
    }
    assert_store_files_clean(e.dir.path(), &secrets);

    // What a panic message, a dbg! or a log line would print of the values that hold them.
    let cat = patchbay_core::Catalog::open_in(
        e.dir.path(),
        patchbay_core::KeySource::Given {
            key: patchbay_core::MasterKey::parse(&e.key, "key").unwrap(),
            origin: "test".into(),
        },
    )
    .unwrap();
    let resolved = cat.resolve_all(None).unwrap();
    let debug = format!("{resolved:?} {resolved:#?} {cat:?} {:?}", cat.key_source());
    assert!(debug.contains("pg-ok"), "the Debug output is the real one");
    for s in secrets.iter().chain([&e.key.as_str()]) {
        assert!(!debug.contains(s), "{s} is in a Debug output");
    }
}
