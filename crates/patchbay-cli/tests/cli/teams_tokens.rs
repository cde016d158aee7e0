//! A member's token for a team's engine: when an operator revokes it, the list of the team's
//! connections kept without secrets is shown, marked stale with that cause (not as a denied
//! policy, which engines answer alike), using one says to log in again, and `team login` does.

use crate::common::{servers, text, Env};
use crate::teams::{bao, join, join_as, json_err, operator_token, shared_by_manager, unique};

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn a_revoked_token_shows_the_kept_list_as_stale_and_team_login_brings_it_back() {
    let srv = servers();
    let user = unique("leaver");
    let password = "leaver-password-1";
    bao(
        &srv,
        &[
            "write",
            &format!("auth/userpass/users/{user}"),
            &format!("password={password}"),
            "token_policies=team-use",
        ],
    );
    let shared = shared_by_manager(&srv, "kept");

    let e = Env::new();
    let o = join(&e, &srv, &user, password);
    assert!(o.status.success(), "join: {}", text(&o));
    let o = e.run(&["--json", "team", "ls", "data-eng"]);
    assert!(o.status.success(), "ls: {}", text(&o));

    bao(
        &srv,
        &[
            "token",
            "revoke",
            "-mode=path",
            &format!("auth/userpass/login/{user}"),
        ],
    );
    let o = e.run(&["--json", "team", "ls", "data-eng"]);
    assert!(o.status.success(), "ls with a revoked token: {}", text(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        list["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == shared.as_str()),
        "{list}"
    );
    let stale = list["stale"].as_str().unwrap_or("");
    assert!(
        stale.starts_with("the team's token expired or was revoked: log in again (patchbay team login TEAM; the window: Teams, Log in); shown as listed "),
        "{stale}"
    );
    let o = e.run(&["--json", "test", &shared, "--team", "data-eng"]);
    let err = json_err(&o);
    assert_eq!(
        (err["error"]["code"].as_str(), err["error"]["message"].as_str()),
        (Some("engine"), Some("the team's token expired or was revoked: log in again (patchbay team login TEAM; the window: Teams, Log in)"))
    );

    // The kept list, without asking the engine; and `list` says there is one.
    let o = e.run(&["--json", "list", "--team", "data-eng"]);
    let kept: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert!(
        kept.as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == shared.as_str()),
        "{}",
        text(&o)
    );
    let o = e.run(&["list"]);
    assert!(
        crate::common::stderr(&o).starts_with("team data-eng: "),
        "{}",
        text(&o)
    );

    let o = e.run_with_stdin(&["team", "login", "data-eng", "--secret-stdin"], password);
    assert!(o.status.success(), "login: {}", text(&o));
    let o = e.run(&["--json", "test", &shared, "--team", "data-eng"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
#[ignore = "needs the test servers (OpenBao) and the OS keychain"]
fn a_token_in_its_last_minutes_is_renewed_when_it_is_used() {
    let srv = servers();
    let token = operator_token(&srv, &["-policy=team-use", "-ttl=5m"]);
    let e = Env::new();
    let o = join_as(&e, &srv, &["--auth", "token"], &token);
    assert!(o.status.success(), "join: {}", text(&o));
    let expires = |e: &Env| -> i64 {
        let o = e.run(&["--json", "team", "list"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v[0]["token_expires"]
            .as_i64()
            .expect("a token that expires")
    };
    let first = expires(&e);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let o = e.run(&["--json", "team", "ls", "data-eng"]);
    assert!(o.status.success(), "ls: {}", text(&o));
    let renewed = expires(&e);
    assert!(renewed >= first + 1000, "renewed: {first} -> {renewed}");
}
