//! A team connection's versions in the engine: two saves from one version make exactly one
//! conflict (KV v2 check-and-set; the second writes nothing), and an earlier version comes back
//! whole — Patchbay's definition of it too, so it keeps what Airflow's fields cannot carry.

use crate::common::{servers, text, Env};
use crate::teams::{join, unique};

/// The version numbers `patchbay history NAME --team TEAM` lists.
pub(crate) fn history(e: &Env, name: &str, team: &str) -> Vec<u64> {
    let o = e.run(&["--json", "history", name, "--team", team]);
    let versions: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    let numbers = versions.as_array().map(|a| {
        a.iter()
            .map(|v| v["version"].as_u64().expect("a number"))
            .collect()
    });
    numbers.unwrap_or_else(|| panic!("history: {}", text(&o)))
}

/// `r` (a database connection) with another database: a teammate's edit of it.
pub(crate) fn with_database(
    r: &patchbay_core::model::Resolved,
    db: &str,
) -> patchbay_core::model::Resolved {
    let mut r = r.clone();
    if let patchbay_core::model::Spec::Database(d) = &mut r.connection.spec {
        d.database = db.into();
    }
    r
}

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn two_edits_from_one_version_make_one_conflict_and_an_old_version_comes_back() {
    use patchbay_core::model::Spec;
    let srv = servers();
    let e = Env::new();
    let name = unique("edited");
    e.add_verified_db(&srv, "postgres", &name);
    let o = join(&e, &srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "join: {}", text(&o));
    let o = e.run(&["share", &name, "--team", "data-eng"]);
    assert!(o.status.success(), "share: {}", text(&o));

    // Two teammates' windows both opened version 1 and each saves a change to it.
    let desk = crate::common::desk_of(&e);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let read = rt.block_on(desk.team_resolve("data-eng", &name)).unwrap();
    let with_database = |db: &str| with_database(&read, db);
    assert_eq!(
        rt.block_on(desk.team_save("data-eng", &with_database("first"), 1))
            .unwrap(),
        2
    );
    let err = rt
        .block_on(desk.team_save("data-eng", &with_database("second"), 1))
        .unwrap_err();
    // The conflict names the versions and what the first save changed.
    let said = err.to_string();
    let (before, after) = said.split_once(" at ").unwrap_or_default();
    let (when, after) = after.split_once("): ").unwrap_or_default();
    assert!(
        when.len() == 23 && when.ends_with(" UTC"),
        "a time to the second: {when}"
    );
    assert_eq!(
        (err.code(), before, after),
        (
            "conflict",
            format!("{name} in team data-eng was changed by someone else since you read it (you started from version 1; version 2 was written").as_str(),
            "database changed. Nothing was written: open it again and redo your change"
        ),
        "{said}"
    );
    let now = rt.block_on(desk.team_resolve("data-eng", &name)).unwrap();
    let Spec::Database(d) = &now.connection.spec else {
        panic!()
    };
    assert_eq!(
        d.database, "first",
        "the first save stands, the second wrote nothing"
    );

    // The engine's versions, and version 1 brought back.
    assert_eq!(history(&e, &name, "data-eng"), [1, 2]);
    let o = e.run(&["restore", &name, "--team", "data-eng", "--version", "1"]);
    assert!(o.status.success(), "restore: {}", text(&o));
    let back = rt.block_on(desk.team_resolve("data-eng", &name)).unwrap();
    let Spec::Database(d) = &back.connection.spec else {
        panic!()
    };
    assert_eq!(d.database, "app");
    let o = e.run(&["--json", "test", &name, "--team", "data-eng"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn a_connection_is_added_to_a_team_and_edited_there_with_the_kept_secret_rule() {
    let srv = servers();
    let e = Env::new();
    let o = join(&e, &srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "join: {}", text(&o));
    let name = unique("direct");
    let o = e.run_with_stdin(
        &[
            "add",
            "postgres",
            &name,
            "--team",
            "data-eng",
            "--host",
            "127.0.0.1",
            "--port",
            &srv["PB_PG_PORT"],
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "verify-full",
            "--ca-cert",
            &srv["PB_CA_CERT"],
            "--password-stdin",
        ],
        &srv["PB_PG_PASSWORD"],
    );
    assert!(o.status.success(), "add --team: {}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("saved {name} in team data-eng (version 1)")
    );
    assert!(
        !String::from_utf8_lossy(&e.run(&["list"]).stdout).contains(&name),
        "not saved locally"
    );
    let o = e.run(&["--json", "test", &name, "--team", "data-eng"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // Its snippet runs through exec --team, with no credential in it.
    let o = e.run(&["snippet", &name, "--team", "data-eng", "--id", "psycopg"]);
    let code = String::from_utf8_lossy(&o.stdout).to_string();
    let run =
        format!("# Run it with: patchbay exec {name} --team data-eng -- python3 this_file.py\n");
    assert!(
        code.starts_with(&run) && !code.contains(&srv["PB_PG_PASSWORD"]),
        "{}",
        text(&o)
    );
    let file = e.dir.path().join("snippet.py");
    std::fs::write(&file, &code).unwrap();
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let o = e
        .cmd(["exec", &name, "--team", "data-eng", "--", &py])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "app",
        "{}",
        text(&o)
    );

    // Another host would take the kept password elsewhere: refused by field, unless confirmed.
    let o = e.run(&[
        "--json",
        "edit",
        &name,
        "--team",
        "data-eng",
        "--host",
        "localhost",
    ]);
    let err: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap_or_default();
    assert_eq!(
        (
            err["error"]["code"].as_str(),
            err["error"]["field"].as_str()
        ),
        (Some("secret_would_move"), Some("password")),
        "{err}"
    );
    let o = e.run(&[
        "edit",
        &name,
        "--team",
        "data-eng",
        "--host",
        "localhost",
        "--keep-secrets",
    ]);
    assert!(o.status.success(), "edit --keep-secrets: {}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        format!("updated {name} in team data-eng (version 2)")
    );
    let o = e.run(&["--json", "test", &name, "--team", "data-eng"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
