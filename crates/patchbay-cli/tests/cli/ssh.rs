//! `patchbay` with a database behind the test bastion (tests/servers/ssh: a real sshd in its own
//! network namespace, the only way to the databases' 127.0.0.1:5432 and :3306): adding it with
//! `--ssh` (or a ~/.ssh/config alias), the unknown host key refused and then accepted, `exec`
//! running the real psql and mariadb through the tunnel, `patchbay tunnel` holding one open,
//! and the SSH secrets nowhere a user could see them.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::common::{servers, text, Env, Servers};

/// `patchbay ARGS` with a HOME of its own (no ~/.ssh/known_hosts of the machine's).
fn cmd(e: &Env, home: &std::path::Path, args: &[&str]) -> Command {
    let mut c = e.cmd(args);
    c.env("HOME", home);
    c
}

pub(crate) fn run(
    e: &Env,
    home: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    crate::common::feed(&mut cmd(e, home, args), stdin.as_bytes())
}

pub(crate) fn fingerprint(srv: &Servers) -> String {
    patchbay_testkit::ssh_fingerprint(&srv["PB_SSH_HOST_KEY"])
}

/// Saves `name`: `engine`'s test database as the bastion sees it, through the bastion with the
/// ed25519 key file.
pub(crate) fn add_behind_bastion(
    e: &Env,
    home: &std::path::Path,
    srv: &Servers,
    engine: &str,
    name: &str,
) {
    let (port, pw) = match engine {
        "postgres" => ("5432", &srv["PB_PG_PASSWORD"]),
        _ => ("3306", &srv["PB_MY_PASSWORD"]),
    };
    let bastion = format!("{}@127.0.0.1:{}", srv["PB_SSH_USER"], srv["PB_SSH_PORT"]);
    let o = run(
        e,
        home,
        &[
            "add",
            engine,
            name,
            "--host",
            "127.0.0.1",
            "--port",
            port,
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "verify-full",
            "--ca-cert",
            &srv["PB_CA_CERT"],
            "--password-stdin",
            "--ssh",
            &bastion,
            "--ssh-key",
            &srv["PB_SSH_KEY"],
        ],
        pw,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn an_unknown_bastion_is_refused_by_step_then_accepted_by_fingerprint_and_psql_and_mariadb_run_through_it(
) {
    let srv = servers();
    let (e, home) = (Env::new(), tempfile::tempdir().unwrap());
    let h = home.path();
    add_behind_bastion(&e, h, &srv, "postgres", "orders");
    add_behind_bastion(&e, h, &srv, "mysql", "shop");
    let o = run(&e, h, &["--json", "test", "orders"], "");
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let fp = fingerprint(&srv);
    assert_eq!(v["failed_step"], "ssh_host_key");
    assert_eq!(
        v["hint"]
            .as_str()
            .unwrap()
            .rsplit("accept it: ")
            .next()
            .unwrap(),
        format!("add --accept-host-key {fp}")
    );
    let o = run(&e, h, &["test", "orders", "--accept-host-key", &fp], "");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Without a running tunnel, the URL is the bastion's view of the database, and says so.
    let o = run(&e, h, &["url", "orders"], "");
    let bastion = format!("{}@127.0.0.1:{}", srv["PB_SSH_USER"], srv["PB_SSH_PORT"]);
    assert!(
        String::from_utf8_lossy(&o.stderr).starts_with(&format!("note: orders is reached through the SSH bastion {bastion}: this is the database as the bastion sees it; `patchbay tunnel orders` opens the tunnel")),
        "{}",
        text(&o)
    );
    // Remembered: later commands need no flag. The real clients run through the tunnel; the
    // server each reaches is the test database (its own port, 55432, never dialled from here).
    let o = run(
        &e,
        h,
        &[
            "exec",
            "orders",
            "--",
            "psql",
            "-XAtc",
            "select inet_server_port(), (select ssl from pg_stat_ssl where pid = pg_backend_pid())",
        ],
        "",
    );
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stdout).trim()),
        (Some(0), "55432|t"),
        "{}",
        text(&o)
    );
    let o = run(
        &e,
        h,
        &[
            "exec",
            "shop",
            "--",
            "sh",
            "-c",
            "exec mariadb --defaults-file=\"$MYSQL_HOME/my.cnf\" -N -e \"select @@port\"",
        ],
        "",
    );
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stdout).trim()),
        (Some(0), "53306"),
        "{}",
        text(&o)
    );
    // The child's exit status is the client's: a failing query is psql's exit 1, not a tunnel error.
    let o = run(
        &e,
        h,
        &[
            "exec",
            "orders",
            "--",
            "psql",
            "-XAtc",
            "select * from no_such_table",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn patchbay_tunnel_holds_a_fresh_local_port_open_until_interrupted() {
    let srv = servers();
    let (e, home) = (Env::new(), tempfile::tempdir().unwrap());
    add_behind_bastion(&e, home.path(), &srv, "postgres", "orders");
    let mut child = cmd(
        &e,
        home.path(),
        &["tunnel", "orders", "--accept-host-key", &fingerprint(&srv)],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let local = first
        .split_whitespace()
        .find(|w| w.starts_with("127.0.0.1:"))
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    let port = local.rsplit(':').next().unwrap();
    let o = Command::new("psql")
        .args([
            "-XAtc",
            "select 42",
            &format!(
                "host=127.0.0.1 port={port} user=app dbname=app sslmode=verify-full sslrootcert={}",
                srv["PB_CA_CERT"]
            ),
        ])
        .env("PGPASSWORD", &srv["PB_PG_PASSWORD"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "42",
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        std::net::TcpStream::connect(&local).is_err(),
        "the tunnel's port closes with it"
    );
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn ssh_passwords_and_keys_stay_out_of_every_answer_the_store_file_and_the_childs_environment() {
    let srv = servers();
    let (e, home) = (Env::new(), tempfile::tempdir().unwrap());
    let h = home.path();
    let bastion = format!("{}@127.0.0.1:{}", srv["PB_SSH_USER"], srv["PB_SSH_PORT"]);
    let o = run(
        &e,
        h,
        &[
            "add",
            "postgres",
            "pw",
            "--host",
            "127.0.0.1",
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "require",
            "--ssh",
            &bastion,
            "--ssh-password-stdin",
        ],
        &srv["PB_SSH_PASSWORD"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let key = std::fs::read_to_string(&srv["PB_SSH_KEY"]).unwrap();
    let key_marker = key.lines().nth(2).unwrap().to_string(); // a line of the key's body
    let o = run(
        &e,
        h,
        &[
            "add",
            "postgres",
            "keyed",
            "--host",
            "127.0.0.1",
            "--database",
            "app",
            "--user",
            "app",
            "--ssl-mode",
            "require",
            "--ssh",
            &bastion,
            "--ssh-key-stdin",
        ],
        &key,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    e.ok(&["edit", "pw", "--password-stdin"], &srv["PB_PG_PASSWORD"]);
    e.ok(
        &["edit", "keyed", "--password-stdin"],
        &srv["PB_PG_PASSWORD"],
    );
    let fp = fingerprint(&srv);
    let mut seen = String::new();
    for args in [
        vec!["--json", "show", "pw"],
        vec!["--json", "show", "keyed"],
        vec!["--json", "list"],
        vec!["--json", "test", "pw", "--accept-host-key", &fp],
        vec!["--json", "test", "keyed"],
        vec!["env", "pw", "--with-password"],
        vec!["export", "--format", "patchbay"],
        vec!["exec", "pw", "--", "env"],
    ] {
        let o = run(&e, h, &args, "");
        seen.push_str(&text(&o));
        if args.contains(&"test") {
            assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o));
        }
    }
    assert!(
        seen.contains(&srv["PB_PG_PASSWORD"]),
        "positive control: exec env shows the database password"
    );
    for (what, secret) in [
        ("SSH password", srv["PB_SSH_PASSWORD"].as_str()),
        ("SSH key", key_marker.as_str()),
    ] {
        assert!(!seen.contains(secret), "the {what} was shown: {seen}");
        for f in std::fs::read_dir(e.dir.path()).unwrap() {
            let bytes = std::fs::read(f.unwrap().path()).unwrap_or_default();
            assert!(
                !patchbay_testkit::contains(&bytes, secret),
                "the {what} in the store's files"
            );
        }
    }
}

#[test]
fn ssh_options_that_cannot_be_saved_name_their_field_and_save_nothing() {
    let e = Env::new();
    let home = tempfile::tempdir().unwrap();
    let base = ["add", "postgres", "x", "--host", "db", "--user", "app"];
    let cases: [(&[&str], &str, &str); 5] = [
        (&["--ssh", "b.example", "--ssh-key", "/no/such/key"], "ssh_key_file", "ssh_key_file: /no/such/key is not a file: name the private key (e.g. ~/.ssh/id_ed25519)"),
        (&["--ssh", "u@b.example:0"], "ssh_port", ""),
        (&["--ssh-user", "u"], "ssh", "ssh: this connection has no SSH tunnel: give the bastion with --ssh [user@]host[:port]"),
        (&["--ssh", "u@b.example", "--ssh-auth", "kerberos"], "ssh_auth", "ssh_auth: \"kerberos\" is not an SSH auth; use key, password or agent"),
        (&["--ssh", "u@b.example", "--ssh-key-stdin"], "ssh_private_key", ""),
    ];
    for (extra, field, message) in cases {
        let args: Vec<&str> = ["--json"]
            .iter()
            .chain(&base)
            .chain(extra)
            .copied()
            .collect();
        let o = run(&e, home.path(), &args, "not a key\n");
        let v: Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|_| panic!("{}", text(&o)));
        assert_eq!(
            (o.status.code(), v["error"]["field"].as_str()),
            (Some(1), Some(field)),
            "{extra:?}: {}",
            text(&o)
        );
        if !message.is_empty() {
            assert_eq!(v["error"]["message"], message, "{extra:?}");
        }
        assert_eq!(
            String::from_utf8_lossy(&e.run(&["--json", "list"]).stdout).trim(),
            "[]"
        );
    }
    let o = e.run(&[
        "--json",
        "add",
        "s3",
        "lake",
        "--access-key-id",
        "AK",
        "--ssh",
        "b.example",
    ]);
    let v: Value = serde_json::from_slice(&o.stderr).unwrap();
    assert_eq!(
        v["error"]["message"],
        "ssh: --ssh does not apply to an S3 connection"
    );
}
