//! A team's folder holds what other tools wrote too: a connection of a type Patchbay has no kind
//! for is left out of the team's list with why (never silently), and the others are listed. And
//! what goes into the team from a person's store: `share` on a terminal asks copy or move.

use crate::common::{servers, text, Env};
use crate::teams::{bao, join, shared_by_manager, unique};

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn a_connection_of_another_tools_type_is_left_out_of_the_teams_list_with_why() {
    let srv = servers();
    let shared = shared_by_manager(&srv, "beside");
    let http = unique("webhook");
    let at = format!("data-eng/connections/{http}");
    bao(
        &srv,
        &[
            "kv",
            "put",
            "-mount=secret",
            &at,
            "conn_type=http",
            "host=hooks.example",
        ],
    );
    let e = Env::new();
    let o = join(&e, &srv, "reader", &srv["PB_BAO_READER_PASSWORD"]);
    assert!(o.status.success(), "join: {}", text(&o));
    let o = e.run(&["--json", "team", "ls", "data-eng"]);
    assert!(o.status.success(), "ls: {}", text(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    let names: Vec<&str> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert!(
        names.contains(&shared.as_str()) && !names.contains(&http.as_str()),
        "{names:?}"
    );
    let left: Vec<(&str, &str)> = list["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["name"] == http.as_str())
        .map(|l| (l["name"].as_str().unwrap(), l["why"].as_str().unwrap()))
        .collect();
    let why = format!("team data-eng's connection {http} cannot be used: type http is not one Patchbay keeps (postgres, mysql, aws, wasb, adls, google_cloud_platform, kafka)");
    assert_eq!(left, [(http.as_str(), why.as_str())], "{}", text(&o));
    // Without --json, the person reads it on stderr.
    let o = e.run(&["team", "ls", "data-eng"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.lines()
            .any(|l| l == format!("patchbay: left out {http}: {why}")),
        "{err}"
    );
}

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn share_on_a_terminal_asks_copy_or_move_and_a_move_leaves_no_local_one() {
    let srv = servers();
    let e = Env::new();
    let o = join(&e, &srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "join: {}", text(&o));
    let (kept, moved) = (unique("copied"), unique("moved"));
    for name in [&kept, &moved] {
        e.add_verified_db(&srv, "postgres", name);
    }
    // `share` under a real terminal (script gives it a pty), answered as a person types.
    let on_a_terminal = |name: &str, answer: &str| {
        let line = format!(
            "{} share {name} --team data-eng",
            env!("CARGO_BIN_EXE_patchbay")
        );
        let c = e.cmd(Vec::<&str>::new());
        let mut script = std::process::Command::new("script");
        script.args(["-qec", &line, "/dev/null"]);
        for (k, v) in c.get_envs() {
            match v {
                Some(v) => script.env(k, v),
                None => script.env_remove(k),
            };
        }
        crate::common::feed(&mut script, answer.as_bytes())
    };
    let o = on_a_terminal(&kept, "c\n");
    let said = String::from_utf8_lossy(&o.stdout).replace('\r', "");
    assert!(
        said.contains(&format!(
            "Keep {kept} on this computer too (copy), or move it to team data-eng? [c/m] "
        )) && said.contains(&format!("shared {kept} with team data-eng (version 1)\n")),
        "{said}"
    );
    let o = on_a_terminal(&moved, "x\nm\n");
    let said = String::from_utf8_lossy(&o.stdout).replace('\r', "");
    assert!(
        said.contains("answer c (copy) or m (move)\n")
            && said.contains(&format!(
                "shared {moved} with team data-eng (version 1); the local one was removed\n"
            )),
        "{said}"
    );
    let local = String::from_utf8_lossy(&e.run(&["list"]).stdout).to_string();
    assert!(local.contains(&kept) && !local.contains(&moved), "{local}");
    // Without a terminal nothing is asked, and the local one stays.
    let quiet = unique("piped");
    e.add_verified_db(&srv, "postgres", &quiet);
    let o = e.run(&["share", &quiet, "--team", "data-eng"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("shared {quiet} with team data-eng (version 1)\n"),
        "{}",
        text(&o)
    );
}
