//! Secrets come in through stdin and leave only when asked (`--with-password`, `reveal`,
//! `exec`); editing keeps a saved one unless a new one is given; a named secret in use cannot
//! go; without a keychain nothing is saved half-way.

use crate::common::*;

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
