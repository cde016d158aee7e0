//! Bastions named the way people already have them: a `~/.ssh/config` alias (HostName, Port,
//! User, IdentityFile), and one behind a jump host through ProxyJump (tests/servers/ssh: the
//! jump host's network reaches the bastion as 127.0.0.1:22022, a port closed from here). Each
//! unknown host key is refused at its own hop and accepted by its own fingerprint; then psql
//! runs through both.

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::ssh::{fingerprint, run};

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_bastion_behind_a_proxyjump_alias_is_reached_through_the_jump_host_after_both_keys_are_accepted(
) {
    let srv = servers();
    let (e, home) = (Env::new(), tempfile::tempdir().unwrap());
    let h = home.path();
    std::fs::create_dir(h.join(".ssh")).unwrap();
    let (user, key) = (&srv["PB_SSH_USER"], &srv["PB_SSH_KEY"]);
    std::fs::write(
        h.join(".ssh/config"),
        format!(
            "Host jumpbox\n  HostName 127.0.0.1\n  Port {}\n  User {user}\n  IdentityFile {key}\n\n\
             Host inner\n  HostName 127.0.0.1\n  Port 22022\n  User {user}\n  IdentityFile {key}\n  ProxyJump jumpbox\n",
            srv["PB_SSH_JUMP_PORT"]
        ),
    )
    .unwrap();
    let run = |args: &[&str], stdin: &str| {
        crate::common::feed(e.cmd(args).env("HOME", h), stdin.as_bytes())
    };
    let o = run(
        &[
            "add",
            "postgres",
            "deep",
            "--host",
            "127.0.0.1",
            "--port",
            "5432",
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "require",
            "--password-stdin",
            "--ssh",
            "inner",
        ],
        &srv["PB_PG_PASSWORD"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let shown: Value =
        serde_json::from_slice(&run(&["--json", "show", "deep"], "").stdout).unwrap();
    assert_eq!(shown["spec"]["ssh"]["port"], 22022);
    assert_eq!(
        shown["spec"]["ssh"]["jump"],
        serde_json::json!([{"host": "127.0.0.1", "port": srv["PB_SSH_JUMP_PORT"].parse::<u32>().unwrap(), "user": user, "auth": "key", "key_file": key}])
    );
    // Unknown hosts, one at a time: first the jump host, then the bastion behind it.
    let jump_fp = patchbay_testkit::ssh_fingerprint(&srv["PB_SSH_JUMP_HOST_KEY"]);
    let bastion_fp = patchbay_testkit::ssh_fingerprint(&srv["PB_SSH_HOST_KEY"]);
    let failed = |args: &[&str]| -> Value {
        let o = run(args, "");
        assert_eq!(o.status.code(), Some(3), "{}", text(&o));
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let v = failed(&["--json", "test", "deep"]);
    assert_eq!(
        (v["failed_step"].as_str(), v["message"].as_str()),
        (
            Some("ssh_host_key"),
            Some(
                format!(
                    "the bastion 127.0.0.1:{} is not known: its host key is {jump_fp}",
                    srv["PB_SSH_JUMP_PORT"]
                )
                .as_str()
            )
        )
    );
    let v = failed(&["--json", "test", "deep", "--accept-host-key", &jump_fp]);
    assert_eq!(
        v["message"],
        format!("the bastion 127.0.0.1:22022 is not known: its host key is {bastion_fp}")
    );
    let o = run(&["test", "deep", "--accept-host-key", &bastion_fp], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = run(
        &[
            "exec",
            "deep",
            "--",
            "psql",
            "-XAtc",
            "select inet_server_port()",
        ],
        "",
    );
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stdout).trim()),
        (Some(0), "55432"),
        "{}",
        text(&o)
    );
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_bastion_named_by_its_ssh_config_alias_takes_its_host_port_user_and_key_from_there() {
    let srv = servers();
    let (e, home) = (Env::new(), tempfile::tempdir().unwrap());
    let h = home.path();
    std::fs::create_dir(h.join(".ssh")).unwrap();
    std::fs::write(
        h.join(".ssh/config"),
        format!(
            "Host db-bastion\n  HostName 127.0.0.1\n  Port {}\n  User {}\n  IdentityFile {}\n",
            srv["PB_SSH_PORT"], srv["PB_SSH_USER"], srv["PB_SSH_KEY"]
        ),
    )
    .unwrap();
    let o = run(
        &e,
        h,
        &[
            "add",
            "postgres",
            "aliased",
            "--host",
            "127.0.0.1",
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "require",
            "--password-stdin",
            "--ssh",
            "db-bastion",
        ],
        &srv["PB_PG_PASSWORD"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let shown: Value =
        serde_json::from_slice(&run(&e, h, &["--json", "show", "aliased"], "").stdout).unwrap();
    assert_eq!(
        shown["spec"]["ssh"],
        serde_json::json!({"host": "127.0.0.1", "port": srv["PB_SSH_PORT"].parse::<u32>().unwrap(), "user": srv["PB_SSH_USER"], "auth": "key", "key_file": srv["PB_SSH_KEY"]})
    );
    let o = run(
        &e,
        h,
        &["test", "aliased", "--accept-host-key", &fingerprint(&srv)],
        "",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
