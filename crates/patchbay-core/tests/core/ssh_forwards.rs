//! What the bastion does with the forward (refused by its sshd, or the database down behind
//! it), a bastion that is not there, the agent offering only the named key, and tunnels held
//! open: two at once to the same database port on two local ports, and one kept alive past
//! the server's ClientAliveInterval (1 s, CountMax 2).

use std::process::Command;
use std::time::Duration;

use patchbay_core::check::StepName;
use patchbay_core::model::*;
use patchbay_core::{Desk, KeySource, MasterKey};

use crate::checks::{assert_failed, env};
use crate::ssh_tunnels::{check_with, known, tunnelled};

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_forward_the_bastion_refuses_and_a_database_down_behind_it_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let keys = known(dir.path());
    let key = Some(env("PB_SSH_KEY"));
    let v = check_with(
        tunnelled(DbEngine::Postgresql, 7777, SshAuth::Key, key.clone()),
        &keys,
    )
    .await;
    assert_failed(
        &v,
        StepName::SshForward,
        "the bastion 127.0.0.1 refuses to forward to 127.0.0.1:7777",
    );
    let v = check_with(
        tunnelled(DbEngine::Postgresql, 5433, SshAuth::Key, key.clone()),
        &keys,
    )
    .await;
    assert_failed(
        &v,
        StepName::SshForward,
        "the bastion 127.0.0.1 cannot reach 127.0.0.1:5433",
    );
    let mut closed = tunnelled(DbEngine::Postgresql, 5432, SshAuth::Key, key);
    if let Spec::Database(d) = &mut closed.spec {
        d.ssh.as_mut().unwrap().port = patchbay_testkit::closed_port() as u32;
    }
    let v = check_with(closed, &keys).await;
    assert_eq!(v.failed_step, Some(StepName::SshTcp), "{v:#?}");
    assert!(
        v.message.starts_with("the bastion's SSH port: port "),
        "{v:#?}"
    );
    assert!(v.total_ms < 1000.0, "a closed port answers at once: {v:#?}");
}

/// An `ssh-agent` of its own holding `keys`; its socket and pid.
fn agent(dir: &std::path::Path, keys: &[String]) -> (std::path::PathBuf, String) {
    let sock = dir.join("agent.sock");
    let o = Command::new("ssh-agent")
        .arg("-a")
        .arg(&sock)
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout).unwrap();
    let pid = out
        .split("SSH_AGENT_PID=")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    for k in keys {
        let st = Command::new("ssh-add")
            .arg(k)
            .env("SSH_AUTH_SOCK", &sock)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
    }
    (sock, pid)
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn the_agent_offers_only_the_named_key_so_a_crowded_agent_still_logs_in() {
    let dir = tempfile::tempdir().unwrap();
    let keys = known(dir.path());
    // Three keys the bastion does not know come first; it allows 3 tries (MaxAuthTries 3).
    let mut held = Vec::new();
    for i in 0..3 {
        let k = dir.path().join(format!("decoy{i}"));
        Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", ""])
            .arg("-f")
            .arg(&k)
            .status()
            .unwrap();
        held.push(k.display().to_string());
    }
    held.push(env("PB_SSH_KEY"));
    let (sock, pid) = agent(dir.path(), &held);
    std::env::set_var("SSH_AUTH_SOCK", &sock);
    let named = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Agent,
        Some(format!("{}.pub", env("PB_SSH_KEY"))),
    );
    let v = check_with(named, &keys).await;
    let crowd = check_with(
        tunnelled(DbEngine::Postgresql, 5432, SshAuth::Agent, None),
        &keys,
    )
    .await;
    let absent = check_with(
        tunnelled(
            DbEngine::Postgresql,
            5432,
            SshAuth::Agent,
            Some(env("PB_SSH_OTHER_KEY")),
        ),
        &keys,
    )
    .await;
    let _ = Command::new("kill").arg(&pid).status();
    assert!(v.ok, "only the named key is offered: {v:#?}");
    assert_failed(
        &crowd,
        StepName::SshAuth,
        "the bastion refused patchbay-ssh's agent keys",
    );
    assert_failed(
        &absent,
        StepName::SshAuth,
        &format!(
            "the SSH agent does not hold the key {}",
            env("PB_SSH_OTHER_KEY")
        ),
    );
}

fn desk(dir: &std::path::Path) -> Desk {
    let key = KeySource::Given {
        key: MasterKey::generate().unwrap(),
        origin: "test".into(),
    };
    Desk::open_in(dir, key).unwrap()
}

/// The server's version, asked through `addr` with psql (the real client) over verified TLS.
fn psql_through(addr: std::net::SocketAddr) -> String {
    let o = Command::new("psql")
        .args(["-XAtc", "SHOW server_version"])
        .env("PGHOST", "127.0.0.1")
        .env("PGHOSTADDR", addr.ip().to_string())
        .env("PGPORT", addr.port().to_string())
        .env("PGUSER", "app")
        .env("PGDATABASE", "app")
        .env("PGPASSWORD", env("PB_PG_PASSWORD"))
        .env("PGSSLMODE", "verify-full")
        .env("PGSSLROOTCERT", env("PB_CA_CERT"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the test servers: run tests/run"]
async fn two_tunnels_at_once_get_their_own_ports_and_an_idle_one_outlives_the_servers_keepalive() {
    let dir = tempfile::tempdir().unwrap();
    let d = desk(dir.path());
    d.accept_host_key(&crate::ssh_tunnels::bastion_fingerprint())
        .unwrap();
    let mut pg = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_KEY")),
    );
    pg.name = "pg-a".into();
    d.save(pg.clone(), None).unwrap();
    pg.name = "pg-b".into();
    d.save(pg, None).unwrap();
    let a = d.open_tunnel("pg-a").await.unwrap().expect("a tunnel");
    let b = d.open_tunnel("pg-b").await.unwrap().expect("a tunnel");
    assert_ne!(a.local(), b.local(), "each tunnel its own local port");
    let (addr_a, addr_b) = (a.local(), b.local());
    let version = tokio::task::spawn_blocking(move || (psql_through(addr_a), psql_through(addr_b)))
        .await
        .unwrap();
    assert!(
        version.0.starts_with("15") && version.0 == version.1,
        "{version:?}"
    );
    // Idle for longer than sshd's ClientAliveInterval × CountMax: still open, still working.
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert!(!a.is_closed(), "the bastion dropped an idle tunnel");
    let again = tokio::task::spawn_blocking(move || psql_through(addr_a))
        .await
        .unwrap();
    assert!(again.starts_with("15"));
    a.close().await;
    b.close().await;
    assert!(
        std::net::TcpStream::connect(addr_a).is_err(),
        "a closed tunnel's port is closed"
    );
}

/// Host keys where the jump host (52223) and the bastion as the jump host sees it (22022) are
/// known: `ssh-keyscan`'s line for each, under the name a check looks up.
fn known_through_jump(dir: &std::path::Path) -> patchbay_core::ssh::host_keys::HostKeys {
    let line = |key: &str, name: &str| {
        let k = std::fs::read_to_string(key).unwrap();
        let mut w = k.split_whitespace();
        format!("{name} {} {}\n", w.next().unwrap(), w.next().unwrap())
    };
    let file = dir.join("known_hosts");
    let text = line(
        &env("PB_SSH_JUMP_HOST_KEY"),
        &format!("[127.0.0.1]:{}", env("PB_SSH_JUMP_PORT")),
    ) + &line(&env("PB_SSH_HOST_KEY"), "[127.0.0.1]:22022");
    std::fs::write(&file, text).unwrap();
    patchbay_core::ssh::host_keys::HostKeys {
        files: vec![file],
        own: None,
        accepted: None,
    }
}

fn through_jump(bastion_port: u32) -> ConnectionDraft {
    let mut d = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_KEY")),
    );
    if let Spec::Database(db) = &mut d.spec {
        let t = db.ssh.as_mut().unwrap();
        t.port = bastion_port; // the bastion as the jump host sees it
        t.jump = vec![SshHop {
            host: "127.0.0.1".into(),
            port: env("PB_SSH_JUMP_PORT").parse().unwrap(),
            user: env("PB_SSH_USER"),
            auth: SshAuth::Key,
            key_file: Some(env("PB_SSH_KEY")),
        }];
    }
    d
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_jump_host_reaches_a_bastion_only_it_can_see_and_its_refusals_are_its_own() {
    assert!(
        std::net::TcpStream::connect("127.0.0.1:22022").is_err(),
        "22022 must be closed here"
    );
    let dir = tempfile::tempdir().unwrap();
    let keys = known_through_jump(dir.path());
    let v = check_with(through_jump(22022), &keys).await;
    assert!(v.ok, "{v:#?}");
    let names: Vec<StepName> = v.steps.iter().map(|s| s.name).collect();
    use StepName::*;
    assert_eq!(
        names,
        [
            SshTcp,
            SshHandshake,
            SshHostKey,
            SshAuth,
            SshForward,
            SshHandshake,
            SshHostKey,
            SshAuth,
            SshForward,
            Tcp,
            Tls,
            Auth,
            Query
        ]
    );
    assert_eq!(
        v.steps[4].detail.as_deref(),
        Some("127.0.0.1 → 127.0.0.1:22022 (jump)")
    );
    // The jump host forwards only to the bastion: another port is its refusal, named as such.
    let v = check_with(through_jump(22023), &keys).await;
    assert_failed(
        &v,
        StepName::SshForward,
        "the bastion 127.0.0.1 refuses to forward to 127.0.0.1:22023",
    );
    assert_eq!(
        v.steps
            .iter()
            .filter(|s| s.name == StepName::SshHandshake)
            .count(),
        1,
        "{v:#?}"
    );
    // The bastion behind the jump host is judged by its own name there ([127.0.0.1]:22022).
    let only_jump = patchbay_core::ssh::host_keys::HostKeys {
        files: vec![dir.path().join("jump_only")],
        own: None,
        accepted: None,
    };
    std::fs::write(
        &only_jump.files[0],
        std::fs::read_to_string(dir.path().join("known_hosts"))
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let v = check_with(through_jump(22022), &only_jump).await;
    assert_eq!(v.failed_step, Some(StepName::SshHostKey), "{v:#?}");
    assert!(
        v.message
            .starts_with("the bastion 127.0.0.1:22022 is not known"),
        "{v:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the test servers: run tests/run"]
async fn the_tray_holds_a_tunnel_open_lists_it_with_its_url_and_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = desk(dir.path());
    d.accept_host_key(&crate::ssh_tunnels::bastion_fingerprint())
        .unwrap();
    let mut pg = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_KEY")),
    );
    pg.name = "orders".into();
    d.save(pg, None).unwrap();
    let local = d.hold_tunnel("orders").await.unwrap();
    assert_eq!(
        d.hold_tunnel("orders").await.unwrap(),
        local,
        "an open tunnel is kept, not opened twice"
    );
    assert_eq!(d.held_tunnels(), vec![("orders".to_string(), local)]);
    let menu = d.tray_menu().unwrap();
    assert_eq!(menu.tunnels.len(), 1);
    assert_eq!(menu.tunnels[0].label, format!("⇄ orders — {local}"));
    let url = d.tunnel_url("orders").unwrap();
    assert_eq!(
        url,
        format!(
            "postgresql://app@127.0.0.1:{}/app?sslmode=verify-full",
            local.port()
        )
    );
    let version = tokio::task::spawn_blocking(move || psql_through(local))
        .await
        .unwrap();
    assert!(version.starts_with("15"), "{version}");
    assert!(d.close_tunnel("orders").await);
    assert!(d.held_tunnels().is_empty() && d.tray_menu().unwrap().tunnels.is_empty());
    assert!(std::net::TcpStream::connect(local).is_err(), "closed");
    assert!(!d.close_tunnel("orders").await, "nothing left to close");
}
