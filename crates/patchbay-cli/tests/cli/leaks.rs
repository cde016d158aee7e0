//! The secret-leak audit: connections of every kind are saved with recognisable secret values
//! (passwords, an S3 secret key, a SASL password, a Kafka client private key, a Schema Registry
//! password, a named secret), every path a script or person takes is exercised (lists, shows,
//! JSON, URLs, environments, errors, key status, checks that pass and fail against the real
//! servers, exec), each with the exit status it must have, and the values must appear only where
//! the user explicitly asked for them (reveal, --with-password, exec's child environment). The
//! master key (`PATCHBAY_MASTER_KEY`) and a key file's passphrase (`PATCHBAY_PASSPHRASE`) are
//! markers too: they appear nowhere, not even in the environment of a child `exec` starts, which
//! holds the secrets of its own connection and no other. Afterwards the store's files (SQLite,
//! WAL, shared memory, any journal) hold none of them in plaintext, no process's arguments carry
//! them, and the Debug form of everything that holds them (what a panic message or a `dbg!`
//! would print) is redacted. Patchbay has no logger, so there are no logs to audit. The window's
//! IPC answers are audited the same way in src-tauri/tests/desk.rs. There is no export command.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{closed_port, feed, servers, text, Env, ADD_PG};

const MARKERS: [&str; 5] = [
    "LEAK-pg-4b1f",
    "LEAK-s3-90ce",
    "LEAK-kafka-2d77",
    "LEAK-registry-e51a",
    "LEAK-user-secret-7c03",
];

/// The session token of the S3 connection's temporary credentials.
const SESSION_TOKEN: &str = "LEAK-session-token-61fa";

/// Azure secrets: an account key (base64 of 64 bytes, as required), a SAS, a client secret.
const AZURE_KEY: &str =
    "LEAKazureAccountKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
const AZURE_SAS: &str = "sv=2024-11-04&ss=b&srt=sco&sp=rl&se=2099-01-01&sig=LEAK-azure-sas-5f1e";
const AZURE_CLIENT_SECRET: &str = "LEAK-azure-client-secret-8c2d";
/// Carried inside a Google service account key (an extra JSON member the key keeps).
const GCS_KEY_MARKER: &str = "LEAK-gcs-service-account-key-0b7e";

/// A key file's passphrase, a marker like the others.
const PASSPHRASE: &str = "LEAK-passphrase-3e8d";

fn run(cmd: &mut Command, stdin: &str) -> std::process::Output {
    feed(cmd, stdin.as_bytes())
}

/// A client certificate and private key made by openssl for this run, and a run of the key's
/// base64 body to look for (a private key is a secret like any other).
fn client_pair(dir: &Path) -> (PathBuf, PathBuf, String) {
    let (cert, key) = (dir.join("client.crt"), dir.join("client.key"));
    let o = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=leak-audit-client", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is installed (tests/run installs it)");
    assert!(o.status.success(), "openssl: {}", text(&o));
    let pem = std::fs::read_to_string(&key).unwrap();
    let line = pem.lines().filter(|l| !l.starts_with("-----")).nth(4);
    (cert, key, line.unwrap().to_string())
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

/// The whole environment `exec NAME` gives its child (read by the child itself from
/// /proc/self/environ), as NAME=value entries.
fn child_environment(mut cmd: Command) -> Vec<String> {
    let o = run(cmd.args(["--", "cat", "/proc/self/environ"]), "");
    assert!(o.status.success(), "exec failed: {}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .split('\0')
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

/// `exec`'s child gets its own connection's secret (`own`), and none of `others`, no key
/// variable and no key material.
fn assert_child_holds_only(env: &[String], own: &str, others: &[&str], what: &str) {
    let all = env.join("\n");
    assert!(
        all.contains(own),
        "{what}: the child's environment holds its own secret:\n{all}"
    );
    for var in ["PATCHBAY_MASTER_KEY=", "PATCHBAY_PASSPHRASE="] {
        assert!(
            !env.iter().any(|v| v.starts_with(var)),
            "{what}: the child was handed {var}… (the key to every secret)"
        );
    }
    for m in others {
        assert!(
            !all.contains(m),
            "{what}: {m} is in the child's environment:\n{all}"
        );
    }
}

#[test]
fn secrets_appear_only_where_the_user_asked_for_them() {
    let e = Env::new();
    let closed = closed_port();
    let pems = tempfile::tempdir().unwrap();
    let (cert, key, key_marker) = client_pair(pems.path());
    let (sa_key, _) = patchbay_testkit::service_account_key(
        "leak-project",
        "leak@leak-project.iam.gserviceaccount.com",
    );
    let mut sa: serde_json::Value = serde_json::from_str(&sa_key).unwrap();
    sa["leak_marker"] = GCS_KEY_MARKER.into();
    let sa_file = pems.path().join("sa.json");
    std::fs::write(&sa_file, sa.to_string()).unwrap();
    let sa_file = sa_file.to_str().unwrap();
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());

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
                "SASL_SSL",
                "--sasl-mechanism",
                "PLAIN",
                "--sasl-user",
                "u",
                "--sasl-password-stdin",
                "--client-cert",
                cert,
                "--client-key",
                key,
                "--schema-registry-url",
                "http://127.0.0.1:9",
                "--schema-registry-user",
                "r",
                "--schema-registry-allow-http",
            ],
            MARKERS[2],
        ),
        (vec!["secret", "set", "team", "--value-stdin"], MARKERS[4]),
        (
            vec![
                "add",
                "azure",
                "az-key",
                "--account",
                "leakstore",
                "--endpoint-url",
                "https://127.0.0.1:9/leakstore",
                "--account-key-stdin",
            ],
            AZURE_KEY,
        ),
        (
            vec![
                "add",
                "azure",
                "az-sas",
                "--account",
                "leakstore",
                "--auth",
                "sas",
                "--endpoint-url",
                "https://127.0.0.1:9/leakstore",
                "--sas-stdin",
            ],
            AZURE_SAS,
        ),
        (
            vec![
                "add",
                "azure",
                "az-sp",
                "--account",
                "leakstore",
                "--auth",
                "service-principal",
                "--tenant-id",
                "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "--client-id",
                "00000000-0000-0000-0000-000000000001",
                "--authority-host",
                "https://127.0.0.1:9",
                "--client-secret-stdin",
            ],
            AZURE_CLIENT_SECRET,
        ),
        (
            vec![
                "add",
                "gcs",
                "gcs",
                "--endpoint-url",
                "https://127.0.0.1:9",
                "--service-account-key",
                sa_file,
            ],
            "",
        ),
    ];
    let mut seen = String::new();
    for (args, value) in &setup {
        let o = run(&mut e.cmd(args), value);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }
    // A registry password through its own stdin option.
    let o = run(
        &mut e.cmd(["edit", "k", "--schema-registry-password-stdin"]),
        MARKERS[3],
    );
    assert!(o.status.success(), "{}", text(&o));
    seen.push_str(&text(&o));
    let o = run(
        &mut e.cmd([
            "edit",
            "s3",
            "--session-token-stdin",
            "--session-expires",
            "2099-01-01T00:00:00Z",
        ]),
        SESSION_TOKEN,
    );
    assert!(o.status.success(), "{}", text(&o));
    seen.push_str(&text(&o));

    // Each command with the exit status it must have, so that a command failing early cannot
    // pass as "printed nothing secret".
    let quiet: Vec<(Vec<&str>, i32)> = vec![
        (vec!["list"], 0),
        (vec!["--json", "list"], 0),
        (vec!["show", "pg"], 0),
        (vec!["--json", "show", "k"], 0),
        (vec!["show", "s3"], 0),
        (vec!["url", "pg"], 0),
        (vec!["url", "k"], 0),
        (vec!["url", "s3"], 0),
        (vec!["env", "pg"], 0),
        (vec!["env", "s3"], 0),
        (vec!["env", "k"], 0),
        (vec!["--json", "env", "pg"], 0),
        (vec!["--json", "env", "k"], 0),
        (vec!["env", "k", "--format", "properties"], 0),
        (vec!["env", "k", "--format", "dotenv"], 0),
        (vec!["env", "az-key"], 0),
        (vec!["env", "az-sas", "--format", "dotenv"], 0),
        (vec!["--json", "env", "az-sp"], 0),
        (vec!["url", "az-sas"], 0),
        (vec!["show", "az-sas"], 0),
        (vec!["test", "az-key", "--timeout", "2"], 3),
        (vec!["test", "az-sas", "--timeout", "2"], 3),
        (vec!["test", "az-sp", "--timeout", "2"], 3),
        (vec!["env", "gcs"], 0),
        (vec!["env", "gcs", "--with-password"], 0),
        (vec!["--json", "env", "gcs", "--with-password"], 0),
        (vec!["show", "gcs"], 0),
        (vec!["test", "gcs", "--timeout", "2"], 3),
        (vec!["test", "pg"], 3),
        (vec!["--json", "test", "pg"], 3),
        (vec!["test", "s3", "--timeout", "2"], 3),
        (vec!["test", "k", "--timeout", "2"], 3),
        (vec!["test", "--all", "--timeout", "2"], 3),
        (vec!["--json", "test", "--all", "--timeout", "2"], 3),
        (vec!["secret", "list"], 0),
        (vec!["--json", "secret", "list"], 0),
        (vec!["secret", "show", "team"], 0),
        (vec!["key", "status"], 0),
        (vec!["--json", "key", "status"], 0),
        (ADD_PG.to_vec(), 1),
        (vec!["edit", "pg", "--port", "70000", "--password-stdin"], 1),
        (
            vec![
                "--json",
                "edit",
                "pg",
                "--host",
                "bad host",
                "--password-stdin",
            ],
            1,
        ),
        (vec!["secret", "remove", "nope"], 1),
        (vec!["reveal", "pg", "nope"], 1),
    ];
    for (args, code) in &quiet {
        // Commands that read stdin get a secret-looking value they must not echo either.
        let o = run(&mut e.cmd(args), "LEAK-typed-into-stdin-0000");
        assert_eq!(
            o.status.code(),
            Some(*code),
            "{args:?} exits {code}: {}",
            text(&o)
        );
        seen.push_str(&text(&o));
    }
    let everything: Vec<&str> = MARKERS
        .iter()
        .copied()
        .chain([
            "LEAK-typed-into-stdin-0000",
            SESSION_TOKEN,
            AZURE_KEY,
            "LEAK-azure-sas-5f1e",
            AZURE_CLIENT_SECRET,
            GCS_KEY_MARKER,
            key_marker.as_str(),
            e.key.as_str(),
        ])
        .collect();
    for m in &everything {
        assert!(
            !seen.contains(m),
            "{m} leaked into the output of a command that was not asked for it:\n{seen}"
        );
    }

    assert_store_files_clean(e.dir.path(), &everything);

    // exec hands secrets to the child's environment, never to anyone's arguments: the child's
    // command line and its parent's (patchbay's) are clean while the environment holds the value.
    let o = run(
        &mut e.cmd([
            "exec",
            "pg",
            "--",
            "sh",
            "-c",
            "tr '\\0' ' ' < /proc/$$/cmdline; echo; tr '\\0' ' ' < /proc/$PPID/cmdline; echo; env",
        ]),
        "",
    );
    assert!(o.status.success(), "{}", text(&o));
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

    // The whole environment of every child: its own connection's secret, nothing else.
    let others = |own: &[&str]| -> Vec<&str> {
        everything
            .iter()
            .copied()
            .filter(|m| !own.contains(m))
            .collect()
    };
    let pg_env = child_environment(e.cmd(["exec", "pg"]));
    assert_child_holds_only(&pg_env, MARKERS[0], &others(&[MARKERS[0]]), "exec pg");
    let s3_env = child_environment(e.cmd(["exec", "s3"]));
    let s3_own = [MARKERS[1], SESSION_TOKEN];
    for own in s3_own {
        assert_child_holds_only(&s3_env, own, &others(&s3_own), "exec s3");
    }
    for (name, own) in [
        ("az-key", AZURE_KEY),
        ("az-sas", "LEAK-azure-sas-5f1e"),
        ("az-sp", AZURE_CLIENT_SECRET),
    ] {
        let env = child_environment(e.cmd(["exec", name]));
        assert_child_holds_only(&env, own, &others(&[own]), &format!("exec {name}"));
    }
    // A service account key travels as a private file, never in the environment.
    let gcs_env = child_environment(e.cmd(["exec", "gcs"])).join("\n");
    for m in &everything {
        assert!(
            !gcs_env.contains(m),
            "exec gcs: {m} in the environment:\n{gcs_env}"
        );
    }
    let o = run(
        &mut e.cmd([
            "exec",
            "gcs",
            "--",
            "sh",
            "-c",
            "cat \"$GOOGLE_APPLICATION_CREDENTIALS\"",
        ]),
        "",
    );
    assert!(
        text(&o).contains(GCS_KEY_MARKER),
        "the key file holds the key: {}",
        text(&o)
    );
    let k_env = child_environment(e.cmd(["exec", "k"]));
    let k_own = [MARKERS[2], MARKERS[3], key_marker.as_str()];
    for own in k_own {
        assert_child_holds_only(&k_env, own, &others(&k_own), "exec k");
    }

    // Positive control: where the user asks, the values are there.
    let asked = |args: &[&str]| {
        let o = run(&mut e.cmd(args), "");
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        text(&o)
    };
    assert!(asked(&["reveal", "pg"]).contains(MARKERS[0]));
    assert!(asked(&["url", "pg", "--with-password"]).contains(MARKERS[0]));
    assert!(asked(&["env", "s3", "--with-password"]).contains(MARKERS[1]));
    assert!(asked(&["env", "s3", "--with-password"]).contains(SESSION_TOKEN));
    assert!(asked(&["env", "az-key", "--with-password"]).contains(AZURE_KEY));
    assert!(asked(&["url", "az-sas", "--with-password"]).contains("LEAK-azure-sas-5f1e"));
    assert!(asked(&["env", "az-sp", "--with-password"]).contains(AZURE_CLIENT_SECRET));
    assert!(asked(&["reveal", "gcs", "service_account_key"]).contains(GCS_KEY_MARKER));
    let process = asked(&["aws-credentials", "s3", "--endpoint", "http://127.0.0.1:9"]);
    assert!(process.contains(MARKERS[1]) && process.contains(SESSION_TOKEN));
    assert!(asked(&["env", "k", "--format", "properties", "--with-password"]).contains(MARKERS[2]));
    assert!(asked(&["reveal", "k", "client_key"]).contains(&key_marker));
    assert!(asked(&[
        "exec",
        "k",
        "--",
        "sh",
        "-c",
        "printf %s \"$SCHEMA_REGISTRY_PASSWORD\""
    ])
    .contains(MARKERS[3]));
    assert!(asked(&["secret", "show", "team", "--reveal"]).contains(MARKERS[4]));
}

#[test]
fn neither_the_master_key_nor_the_key_file_passphrase_reaches_any_output_or_child() {
    // Under PATCHBAY_MASTER_KEY.
    let e = Env::new();
    e.ok(&ADD_PG, MARKERS[0]);
    let pg_env = child_environment(e.cmd(["exec", "pg"]));
    assert_child_holds_only(
        &pg_env,
        MARKERS[0],
        &[&e.key],
        "exec under PATCHBAY_MASTER_KEY",
    );

    // Under PATCHBAY_KEY_FILE with PATCHBAY_PASSPHRASE.
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("master.key");
    let with_file = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_patchbay"));
        c.args(args)
            .env("PATCHBAY_DATA_DIR", dir.path().join("store"))
            .env_remove("PATCHBAY_MASTER_KEY")
            .env("PATCHBAY_KEY_FILE", &key_file)
            .env("PATCHBAY_PASSPHRASE", PASSPHRASE);
        c
    };
    let mut seen = String::new();
    for (args, stdin, code) in [
        (ADD_PG.to_vec(), MARKERS[0], 0),
        (vec!["list"], "", 0),
        (vec!["--json", "key", "status"], "", 0),
        (vec!["key", "status"], "", 0),
        (vec!["env", "pg", "--with-password"], "", 0),
        (vec!["rotate-key"], "", 0),
        (vec!["show", "nope"], "", 1),
    ] {
        let o = run(&mut with_file(&args), stdin);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }
    assert!(
        !seen.contains(PASSPHRASE),
        "the passphrase was printed:\n{seen}"
    );
    let file_env = child_environment(with_file(&["exec", "pg"]));
    assert_child_holds_only(
        &file_env,
        MARKERS[0],
        &[PASSPHRASE],
        "exec under a key file",
    );
    // The master key that the key file holds is not in the child either.
    let key = patchbay_core::keys::open_key_file(&key_file, &PASSPHRASE.into()).unwrap();
    assert!(
        !file_env.join("\n").contains(key.expose()),
        "the master key reached the child"
    );
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
        let o = run(&mut e.cmd(&args), stdin);
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
                "--schema-registry-allow-http",
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
            let o = run(&mut e.cmd(&args), "");
            outcomes.push_str(&format!("{name} {:?}\n", o.status.code()));
            seen.push_str(&text(&o));
        }
    }
    for (args, code) in [
        (vec!["test", "--all"], 3),
        (vec!["--json", "test", "--all"], 3),
        (vec!["list"], 0),
        (vec!["--json", "list"], 0),
    ] {
        let o = run(&mut e.cmd(&args), "");
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
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
