//! Team connections in a real OpenBao (KV v2 over TLS, userpass logins, policies for "manage"
//! and "use"), used by two Patchbay stores: one member shares a connection, the other lists,
//! checks and execs it against the real PostgreSQL and may not change it; Airflow's own
//! VaultBackend reads what Patchbay wrote, and Patchbay uses a connection written for Airflow.

use std::process::Command;

use crate::common::{servers, stderr, text, Env, Servers};

/// `patchbay --json team add data-eng` logging in with `auth` (its options) and `secret` on stdin.
pub(crate) fn join_as(e: &Env, srv: &Servers, auth: &[&str], secret: &str) -> std::process::Output {
    let mut args = vec![
        "--json",
        "team",
        "add",
        "data-eng",
        "--address",
        &srv["PB_BAO_ADDR"],
        "--path",
        "data-eng",
        "--ca-cert",
        &srv["PB_BAO_CA"],
        "--secret-stdin",
    ];
    args.extend(auth);
    e.run_with_stdin(&args, secret)
}

/// `patchbay team add data-eng` as `user` (userpass, password on stdin).
pub(crate) fn join(e: &Env, srv: &Servers, user: &str, password: &str) -> std::process::Output {
    join_as(e, srv, &["--auth", "userpass", "--user", user], password)
}

/// A PostgreSQL connection (named from `base`) that a member who may manage the team shared
/// from a store of their own; its name.
pub(crate) fn shared_by_manager(srv: &Servers, base: &str) -> String {
    let name = unique(base);
    let manager = Env::new();
    manager.add_verified_db(srv, "postgres", &name);
    let o = join(&manager, srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "the manager joins: {}", text(&o));
    let o = manager.run(&["share", &name, "--team", "data-eng"]);
    assert!(o.status.success(), "the manager shares: {}", text(&o));
    name
}

/// A token the operator makes (`bao token create ARGS -field=token`).
pub(crate) fn operator_token(srv: &Servers, args: &[&str]) -> String {
    let o = Command::new(&srv["PB_BAO_BIN"])
        .args(["token", "create", "-field=token"])
        .args(args)
        .env("BAO_ADDR", &srv["PB_BAO_ADDR"])
        .env("BAO_CACERT", &srv["PB_BAO_CA"])
        .env("BAO_TOKEN", &srv["PB_BAO_ROOT_TOKEN"])
        .output()
        .unwrap();
    let token = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(
        o.status.success() && token.len() > 20,
        "bao token create: {}",
        text(&o)
    );
    token
}

/// A name no other run gave a connection in the team's folder (the engine outlives a test).
pub(crate) fn unique(base: &str) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    format!("{base}-{}-{}", std::process::id(), t.subsec_nanos())
}

pub(crate) fn json_err(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(stderr(o).trim()).unwrap_or_default()
}

/// Runs `script` with the real Airflow's Python (its own AIRFLOW_HOME, `env` set) and reads the
/// JSON its last line prints.
pub(crate) fn airflow_json(script: &str, env: &[(&str, &str)]) -> serde_json::Value {
    let airflow = std::env::var("PATCHBAY_TEST_AIRFLOW").expect("tests/run's Airflow");
    let py = std::path::Path::new(&airflow).with_file_name("python");
    let home = tempfile::tempdir().unwrap();
    let mut c = Command::new(py);
    c.args(["-c", script]).env("AIRFLOW_HOME", home.path());
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "airflow: {}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    serde_json::from_str(out.lines().last().unwrap_or("")).unwrap_or_default()
}

/// `bao ARGS` as root (the operator), for what only an operator or Airflow's users do.
pub(crate) fn bao(srv: &Servers, args: &[&str]) {
    let o = Command::new(&srv["PB_BAO_BIN"])
        .args(args)
        .env("BAO_ADDR", &srv["PB_BAO_ADDR"])
        .env("BAO_CACERT", &srv["PB_BAO_CA"])
        .env("BAO_TOKEN", &srv["PB_BAO_ROOT_TOKEN"])
        .output()
        .unwrap();
    assert!(o.status.success(), "bao {args:?}: {}", text(&o));
}

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn a_shared_connection_is_used_by_a_read_only_member_and_refused_to_change_by_the_engine() {
    let srv = servers();
    let (alice, bob) = (Env::new(), Env::new());
    let wh = unique("warehouse");
    alice.add_verified_db(&srv, "postgres", &wh);
    let o = join(&alice, &srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "alice joins: {}", text(&o));
    let o = alice.run(&["share", &wh, "--team", "data-eng"]);
    assert!(o.status.success(), "share: {}", text(&o));
    // The same name again is a conflict, never an overwrite.
    let o = alice.run(&["--json", "share", &wh, "--team", "data-eng"]);
    assert_eq!(json_err(&o)["error"]["code"], "duplicate", "{}", text(&o));

    let o = join(&bob, &srv, "reader", &srv["PB_BAO_READER_PASSWORD"]);
    assert!(o.status.success(), "bob joins: {}", text(&o));
    let o = bob.run(&["--json", "team", "ls", "data-eng"]);
    assert!(o.status.success(), "ls: {}", text(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows: Vec<(String, String, bool)> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().into(),
                r["kind"].as_str().unwrap().into(),
                r["may_edit"].as_bool().unwrap(),
            )
        })
        .collect();
    assert!(
        rows.contains(&(wh.clone(), "database".into(), false)),
        "{rows:?}"
    );
    assert_eq!(list["stale"], serde_json::Value::Null);

    // Bob checks it and runs psql with it: the connection came whole (its verified TLS too).
    let o = bob.run(&["--json", "test", &wh, "--team", "data-eng"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(o.status.code(), Some(0), "{v}");
    let o = bob.run(&[
        "exec",
        &wh,
        "--team",
        "data-eng",
        "--",
        "psql",
        "-tAc",
        "select current_user",
    ]);
    assert!(o.status.success(), "exec: {}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "app");

    // Bob may use it, not change it: the engine says no, and it is said as the engine's policy.
    let mine = unique("mine");
    bob.add_verified_db(&srv, "postgres", &mine);
    let o = bob.run(&["--json", "share", &mine, "--team", "data-eng"]);
    let err = json_err(&o);
    assert_eq!(
        (err["error"]["code"].as_str(), err["error"]["message"].as_str()),
        (Some("engine"), Some(format!("the engine's policies do not allow this token to write data-eng/connections/{mine} (permission denied)").as_str()))
    );

    // Nothing of the team's secrets is in Bob's store files.
    for f in std::fs::read_dir(bob.dir.path()).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&srv["PB_PG_PASSWORD"]),
            "the team's password is on disk"
        );
    }
}

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL), the OS keychain and Airflow"]
fn airflow_reads_what_patchbay_shared_and_patchbay_uses_what_was_written_for_airflow() {
    let srv = servers();
    let e = Env::new();
    let orders = unique("orders");
    e.add_verified_db(&srv, "postgres", &orders);
    let o = join(&e, &srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "join: {}", text(&o));
    let o = e.run(&["share", &orders, "--team", "data-eng"]);
    assert!(o.status.success(), "share: {}", text(&o));

    // A named secret of the team is an Airflow variable.
    let var = unique("region");
    let o = e.run_with_stdin(
        &["secret", "set", &var, "--team", "data-eng", "--value-stdin"],
        "eu-west-1",
    );
    assert!(o.status.success(), "secret set --team: {}", text(&o));
    let o = e.run(&["secret", "list", "--team", "data-eng"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).lines().any(|l| l == var),
        "{}",
        text(&o)
    );
    let o = e.run(&["secret", "show", &var, "--reveal", "--team", "data-eng"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "eu-west-1",
        "{}",
        text(&o)
    );

    // Airflow's own VaultBackend, as a worker configured for this team would use it.
    let script = r#"
import json, os, sys
from airflow.providers.hashicorp.secrets.vault import VaultBackend
b = VaultBackend(url=os.environ["ADDR"], token=os.environ["TOKEN"], mount_point="secret",
                 connections_path="data-eng/connections", variables_path="data-eng/variables",
                 verify=os.environ["CA"])
c = b.get_connection(os.environ["NAME"])
print(json.dumps({"type": c.conn_type, "host": c.host, "port": c.port, "login": c.login, "schema": c.schema, "password": c.password,
                  "variable": b.get_variable(os.environ["VAR"])}))
"#;
    let got = airflow_json(
        script,
        &[
            ("ADDR", &srv["PB_BAO_ADDR"]),
            ("TOKEN", &srv["PB_BAO_ROOT_TOKEN"]),
            ("CA", &srv["PB_BAO_CA"]),
            ("NAME", &orders),
            ("VAR", &var),
        ],
    );
    assert_eq!(
        got,
        serde_json::json!({"type": "postgres", "host": "127.0.0.1", "port": srv["PB_PG_PORT"].parse::<u32>().unwrap(),
                           "login": "app", "schema": "app", "password": srv["PB_PG_PASSWORD"], "variable": "eu-west-1"})
    );

    // A connection someone wrote for Airflow (its fields only): Patchbay lists and checks it.
    let legacy = unique("legacy");
    let at = format!("data-eng/connections/{legacy}");
    bao(
        &srv,
        &[
            "kv",
            "put",
            "-mount=secret",
            &at,
            "conn_type=postgres",
            "host=127.0.0.1",
            &format!("port={}", srv["PB_PG_PORT"]),
            "login=app",
            &format!("password={}", srv["PB_PG_PASSWORD"]),
            "schema=app",
            r#"extra={"sslmode": "require"}"#,
        ],
    );
    let o = e.run(&["--json", "test", &legacy, "--team", "data-eng"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(o.status.code(), Some(0), "{v} {}", text(&o));
}

#[test]
#[ignore = "needs the test servers (OpenBao)"]
fn joining_a_team_names_what_is_wrong_and_keeps_nothing() {
    let srv = servers();
    let e = Env::new();
    let cases: Vec<(Vec<String>, &str, Option<&str>)> = vec![
        (
            vec![
                "--address".into(),
                format!("https://127.0.0.1:{}", crate::common::closed_port()),
            ],
            "engine",
            None,
        ),
        (
            vec![
                "--address".into(),
                srv["PB_BAO_ADDR"].clone(),
                "--no-ca".into(),
            ],
            "engine",
            None,
        ),
        (
            vec![
                "--address".into(),
                srv["PB_BAO_ADDR"].clone(),
                "--mount".into(),
                "nowhere".into(),
            ],
            "engine",
            None,
        ),
        (
            vec!["--address".into(), "bao.internal:8200".into()],
            "invalid",
            Some("address"),
        ),
    ];
    for (extra, code, field) in cases {
        let mut args: Vec<String> = [
            "--json",
            "team",
            "add",
            "data-eng",
            "--path",
            "data-eng",
            "--auth",
            "userpass",
            "--user",
            "manager",
            "--secret-stdin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let no_ca = extra.iter().any(|a| a == "--no-ca");
        if !no_ca {
            args.extend(["--ca-cert".into(), srv["PB_BAO_CA"].clone()]);
        }
        if !extra.iter().any(|a| a == "--mount") {
            args.extend(["--mount".into(), "secret".into()]);
        }
        args.extend(extra.into_iter().filter(|a| a != "--no-ca"));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = e.run_with_stdin(&refs, &srv["PB_BAO_MANAGER_PASSWORD"]);
        let err = json_err(&o);
        assert_eq!(
            (
                o.status.code(),
                err["error"]["code"].as_str(),
                err["error"]["field"].as_str()
            ),
            (Some(1), Some(code), field),
            "{args:?}: {err}"
        );
    }
    let o = join(&e, &srv, "manager", "not-the-password");
    assert_eq!(json_err(&o)["error"]["field"], "password", "{}", text(&o));
    let o = e.run(&["--json", "team", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "[]",
        "nothing was kept"
    );
}

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn a_teams_token_is_kept_in_the_keychain_only_never_in_the_store_a_listing_or_a_child() {
    let srv = servers();
    let token = operator_token(&srv, &["-policy=team-use"]);
    let e = Env::new();
    let o = join_as(&e, &srv, &["--auth", "token"], &token);
    assert!(o.status.success(), "join with a token: {}", text(&o));
    let shared = shared_by_manager(&srv, "seen");

    let mut seen = String::new();
    for args in [
        vec!["--json", "team", "list"],
        vec!["--json", "team", "ls", "data-eng"],
        vec!["--json", "test", &shared, "--team", "data-eng"],
        vec!["exec", &shared, "--team", "data-eng", "--", "env"],
    ] {
        // The engines' own variables hold the token too (the fallback): no child gets them.
        let o = crate::common::feed(
            e.cmd(&args)
                .env("BAO_TOKEN", &token)
                .env("VAULT_TOKEN", &token),
            b"",
        );
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }
    for f in std::fs::read_dir(e.dir.path()).unwrap() {
        seen.push_str(&String::from_utf8_lossy(
            &std::fs::read(f.unwrap().path()).unwrap_or_default(),
        ));
    }
    assert!(!seen.contains(&token), "the team's token left the keychain");
    assert!(
        seen.contains(&format!("PGPASSWORD={}", srv["PB_PG_PASSWORD"])),
        "exec handed the connection over"
    );
}
