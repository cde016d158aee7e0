//! The secret-leak audit: connections of every kind are saved with recognisable secret values
//! (passwords, an S3 secret key, a SASL password, a Kafka client private key, a Schema Registry
//! password, a named secret; `leaks_fixtures.rs`), every path a script or person takes is
//! exercised (lists, shows, JSON, URLs, environments, errors, key status, exec; checks that pass
//! and fail against the real servers in `leaks_checks.rs`), each with the exit status it must
//! have, and the values must appear only where the user explicitly asked for them (reveal,
//! --with-password, exec's child environment). The master key (`PATCHBAY_MASTER_KEY`) and a key
//! file's passphrase (`PATCHBAY_PASSPHRASE`) are markers too: they appear nowhere, not even in
//! the environment of a child `exec` starts, which holds the secrets of its own connection and
//! no other. Afterwards the store's files (SQLite, WAL, shared memory, any journal) hold none of
//! them in plaintext, no process's arguments carry them, and the Debug form of everything that
//! holds them (what a panic message or a `dbg!` would print) is redacted. Patchbay has no
//! logger, so there are no logs to audit. The window's IPC answers are audited the same way in
//! src-tauri/tests/desk.rs. There is no export command.

use std::process::Command;

use crate::common::{text, Env, ADD_PG};
use crate::leaks_fixtures::*;

#[test]
fn commands_not_asked_for_a_secret_print_none_and_the_store_files_hold_none() {
    let l = leaky_store();
    let (e, mut seen) = (&l.e, l.seen.clone());
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
        let o = run(&mut e.cmd(args), TYPED);
        assert_eq!(
            o.status.code(),
            Some(*code),
            "{args:?} exits {code}: {}",
            text(&o)
        );
        seen.push_str(&text(&o));
    }
    let everything = l.everything();
    for m in &everything {
        assert!(
            !seen.contains(m),
            "{m} leaked into the output of a command that was not asked for it:\n{seen}"
        );
    }

    assert_store_files_clean(e.dir.path(), &everything);
}

#[test]
fn exec_hands_each_child_its_own_connections_secrets_in_its_environment_and_no_others() {
    let l = leaky_store();
    let (e, everything) = (&l.e, l.everything());
    let key_marker = l.key_marker.as_str();
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
    let k_own = [MARKERS[2], MARKERS[3], key_marker];
    for own in k_own {
        assert_child_holds_only(&k_env, own, &others(&k_own), "exec k");
    }
}

#[test]
fn where_the_user_asks_for_a_secret_it_is_there() {
    let l = leaky_store();
    let (e, key_marker) = (&l.e, l.key_marker.as_str());
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
    assert!(asked(&["reveal", "k", "client_key"]).contains(key_marker));
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
