//! A team connection behind an SSH bastion: shared with its tunnel (the bastion, its login and
//! key travel in Patchbay's definition, sealed by the engine like every secret there), a
//! teammate's store meets the bastion's host key as its own first use (refused by step, then
//! accepted by fingerprint), and the real psql runs through the tunnel from the teammate's side.

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::ssh::{add_behind_bastion, fingerprint, run};
use crate::teams::{join, unique};

#[test]
#[ignore = "needs the test servers (OpenBao, the SSH bastion, PostgreSQL) and the OS keychain"]
fn a_team_connection_behind_a_bastion_is_used_through_its_tunnel_by_a_teammate() {
    let srv = servers();
    let name = unique("tunnelled");
    let (alice, alice_home) = (Env::new(), tempfile::tempdir().unwrap());
    add_behind_bastion(&alice, alice_home.path(), &srv, "postgres", &name);
    let o = join(&alice, &srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "alice joins: {}", text(&o));
    let o = run(
        &alice,
        alice_home.path(),
        &["share", &name, "--team", "data-eng"],
        "",
    );
    assert!(o.status.success(), "share: {}", text(&o));

    let (bob, bob_home) = (Env::new(), tempfile::tempdir().unwrap());
    let h = bob_home.path();
    let o = join(&bob, &srv, "reader", &srv["PB_BAO_READER_PASSWORD"]);
    assert!(o.status.success(), "bob joins: {}", text(&o));
    // Bob's store has never met the bastion: the check stops at its host key.
    let o = run(
        &bob,
        h,
        &["--json", "test", &name, "--team", "data-eng"],
        "",
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(
        (o.status.code(), v["failed_step"].as_str()),
        (Some(3), Some("ssh_host_key")),
        "{}",
        text(&o)
    );
    let fp = fingerprint(&srv);
    let args = [
        "test",
        &name,
        "--team",
        "data-eng",
        "--accept-host-key",
        &fp,
    ];
    let o = run(&bob, h, &args, "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // The real psql, through the tunnel, reaches the database the bastion sees (port 55432).
    let sql = "select inet_server_port()";
    let args = [
        "exec", &name, "--team", "data-eng", "--", "psql", "-XAtc", sql,
    ];
    let o = run(&bob, h, &args, "");
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stdout).trim()),
        (Some(0), "55432"),
        "{}",
        text(&o)
    );
}
