//! A team's engine as operators run it (file storage, TLS with the test CA's certificate,
//! initialised with one unseal key): sealed, joining it and using a connection of it each say
//! it is sealed and what unseals it; unsealed, the team works; sealed again, the kept list is
//! shown marked with that cause.

use std::process::Command;

use crate::common::{servers, stderr, text, Env, Servers};
use crate::teams::unique;

/// `bao ARGS` at the file-storage engine, as its operator; whether it succeeded.
fn operator(srv: &Servers, args: &[&str]) -> bool {
    Command::new(&srv["PB_BAO_BIN"])
        .args(args)
        .env("BAO_ADDR", &srv["PB_BAO_FILE_ADDR"])
        .env("BAO_CACERT", &srv["PB_CA_CERT"])
        .env("BAO_TOKEN", &srv["PB_BAO_FILE_ROOT_TOKEN"])
        .output()
        .unwrap()
        .status
        .success()
}

fn engine_error(o: &std::process::Output) -> (Option<i32>, String, String) {
    let err: serde_json::Value = serde_json::from_str(stderr(o).trim()).unwrap_or_default();
    let s = |k: &str| err["error"][k].as_str().unwrap_or("").to_string();
    (o.status.code(), s("code"), s("message"))
}

#[test]
#[ignore = "needs the test servers (OpenBao with file storage, PostgreSQL) and the OS keychain"]
fn a_sealed_engine_is_said_to_be_sealed_and_the_team_works_once_it_is_unsealed() {
    let srv = servers();
    let sealed = format!("the team's engine at {} is sealed: an operator must unseal it (bao operator unseal) before anyone can use it", srv["PB_BAO_FILE_ADDR"]);
    operator(&srv, &["operator", "seal"]); // sealed since it was initialised, unless a run before unsealed it
    let e = Env::new();
    let join = |e: &Env| {
        e.run_with_stdin(
            &[
                "--json",
                "team",
                "add",
                "ops",
                "--address",
                &srv["PB_BAO_FILE_ADDR"],
                "--path",
                "ops",
                "--ca-cert",
                &srv["PB_CA_CERT"],
                "--auth",
                "token",
                "--secret-stdin",
            ],
            &srv["PB_BAO_FILE_ROOT_TOKEN"],
        )
    };
    assert_eq!(
        engine_error(&join(&e)),
        (Some(1), "engine".into(), sealed.clone())
    );
    assert_eq!(
        String::from_utf8_lossy(&e.run(&["--json", "team", "list"]).stdout).trim(),
        "[]"
    );

    assert!(
        operator(
            &srv,
            &["operator", "unseal", &srv["PB_BAO_FILE_UNSEAL_KEY"]]
        ),
        "unseal"
    );
    operator(&srv, &["secrets", "enable", "-path=secret", "kv-v2"]); // there already on a second run
    let o = join(&e);
    assert!(o.status.success(), "join once unsealed: {}", text(&o));
    let name = unique("ops-db");
    e.add_verified_db(&srv, "postgres", &name);
    let o = e.run(&["share", &name, "--team", "ops"]);
    assert!(o.status.success(), "share: {}", text(&o));
    let o = e.run(&["--json", "team", "ls", "ops"]);
    assert!(o.status.success(), "ls: {}", text(&o));

    assert!(operator(&srv, &["operator", "seal"]), "seal");
    let o = e.run(&["--json", "test", &name, "--team", "ops"]);
    assert_eq!(engine_error(&o), (Some(1), "engine".into(), sealed.clone()));
    let o = e.run(&["--json", "team", "ls", "ops"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert!(
        list["stale"]
            .as_str()
            .unwrap_or("")
            .starts_with(&format!("{sealed}; shown as listed ")),
        "{list}"
    );
    assert!(
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == name.as_str()),
        "{list}"
    );
    assert!(
        operator(
            &srv,
            &["operator", "unseal", &srv["PB_BAO_FILE_UNSEAL_KEY"]]
        ),
        "unseal again"
    );
}
