//! Checks against hostile endpoints written here (a fault no real server produces on demand):
//! a closed port, a listener that accepts and never speaks, one that sends garbage, and one that
//! resets the connection. Every check must end in a clear verdict within its timeout, and leave
//! no task of its own running on the runtime afterwards.

mod common;

use std::time::Duration;

use common::*;
use patchbay_core::model::*;
use patchbay_core::probe::{self, StepName, Verdict};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const SHORT: Duration = Duration::from_millis(1500);

/// A port that nothing listens on.
async fn closed_port() -> u32 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port() as u32
}

enum Behaviour {
    Silent,
    Garbage,
    Reset,
}

/// A listener that treats every connection with `b`; runs until the test ends.
async fn fake_server_hostile(b: Behaviour) -> u32 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port() as u32;
    tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let Ok((mut s, _)) = l.accept().await else {
                return;
            };
            match b {
                Behaviour::Silent => held.push(s),
                Behaviour::Garbage => {
                    let _ = s
                        .write_all(b"\x16\x03\x01 garbage \xff\xfe nonsense not a protocol\r\n\r\n")
                        .await;
                    held.push(s);
                }
                Behaviour::Reset => {
                    let _ = s.set_zero_linger();
                    drop(s);
                }
            }
        }
    });
    port
}

/// Tasks alive on this test's runtime (each #[tokio::test] has its own).
fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// Once a check has answered, what it started winds down promptly (a dropped connection's
/// task may need a moment); nothing stays running.
async fn assert_no_task_left(before: usize) {
    for _ in 0..40 {
        if alive_tasks() <= before {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{} task(s) still running 2 s after the check answered",
        alive_tasks() - before
    );
}

fn database(engine: DbEngine, port: u32, ssl: SslMode) -> ConnectionDraft {
    ConnectionDraft::new(
        "hostile-db",
        Spec::Database(DatabaseSpec {
            engine,
            host: "127.0.0.1".into(),
            port,
            database: "app".into(),
            username: "app".into(),
            ssl_mode: ssl,
            ca_cert: None,
        }),
    )
    .with_secret(SecretField::Password, "pw")
}

fn s3(port: u32) -> ConnectionDraft {
    ConnectionDraft::new(
        "hostile-s3",
        Spec::Storage(StorageSpec {
            access_key_id: "AK".into(),
            region: "us-east-1".into(),
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            verify_ssl: true,
            allow_http: true,
        }),
    )
    .with_secret(SecretField::SecretAccessKey, "sk")
}

fn kafka(port: u32) -> ConnectionDraft {
    let mut k = kafka_spec();
    k.bootstrap_servers = format!("127.0.0.1:{port}");
    k.security_protocol = SecurityProtocol::Plaintext;
    k.sasl_mechanism = None;
    k.sasl_username = None;
    k.schema_registry_url = None;
    k.schema_registry_username = None;
    ConnectionDraft::new("hostile-kafka", Spec::Kafka(k))
}

/// One connection of each kind (and both database engines) pointing at port `p`.
fn every_kind(p: u32) -> [ConnectionDraft; 4] {
    [
        database(DbEngine::Postgresql, p, SslMode::Prefer),
        database(DbEngine::Mysql, p, SslMode::Prefer),
        s3(p),
        kafka(p),
    ]
}

async fn run(draft: ConnectionDraft) -> Verdict {
    let mut s = store();
    let name = draft.name.clone();
    s.catalog.create(draft).unwrap();
    let r = s.catalog.resolve(None, &name).unwrap();
    let before = alive_tasks();
    let v = tokio::time::timeout(SHORT * 3, probe::check(&r, SHORT))
        .await
        .expect("the check ends on its own, within its timeout");
    assert_no_task_left(before).await;
    assert!(!v.ok, "{v:#?}");
    assert!(v.hint.is_some(), "{v:#?}");
    v
}

#[tokio::test]
async fn a_closed_port_fails_at_tcp_for_every_kind() {
    let p = closed_port().await;
    for d in every_kind(p) {
        let v = run(d).await;
        assert_eq!(v.failed_step, Some(StepName::Tcp), "{v:#?}");
        assert!(v.hint.as_deref().unwrap().contains("port closed"), "{v:#?}");
    }
}

#[tokio::test]
async fn a_silent_listener_ends_in_a_timeout_verdict_for_every_kind() {
    let p = fake_server_hostile(Behaviour::Silent).await;
    for (d, step) in [
        (
            database(DbEngine::Postgresql, p, SslMode::Prefer),
            StepName::Tls,
        ),
        (
            database(DbEngine::Postgresql, p, SslMode::Disable),
            StepName::Auth,
        ),
        (database(DbEngine::Mysql, p, SslMode::Prefer), StepName::Tls),
        (s3(p), StepName::Auth),
        (kafka(p), StepName::Metadata),
    ] {
        let v = run(d).await;
        assert_eq!(v.failed_step, Some(step), "{v:#?}");
        assert!(
            v.message.contains("no answer within") || v.message.contains("in time"),
            "{v:#?}"
        );
    }
}

#[tokio::test]
async fn garbage_bytes_are_reported_as_the_wrong_kind_of_server() {
    let p = fake_server_hostile(Behaviour::Garbage).await;
    let v = run(database(DbEngine::Postgresql, p, SslMode::Require)).await;
    assert_eq!(v.failed_step, Some(StepName::Tls));
    assert!(v.hint.as_deref().unwrap().contains("PostgreSQL"), "{v:#?}");
    let v = run(database(DbEngine::Mysql, p, SslMode::Require)).await;
    assert!(v.hint.as_deref().unwrap().contains("MySQL"), "{v:#?}");
    let v = run(s3(p)).await;
    assert!(v.message.contains("did not answer with HTTP"), "{v:#?}");
    run(kafka(p)).await;
}

#[tokio::test]
async fn a_reset_after_accept_is_reported_without_hanging() {
    let p = fake_server_hostile(Behaviour::Reset).await;
    for d in every_kind(p) {
        let v = run(d).await;
        assert_ne!(v.failed_step, Some(StepName::Dns), "{v:#?}");
    }
}

#[tokio::test]
async fn many_hostile_checks_at_once_all_come_back() {
    let silent = fake_server_hostile(Behaviour::Silent).await;
    let mut s = store();
    for i in 0..20 {
        let mut d = database(DbEngine::Postgresql, silent, SslMode::Prefer);
        d.name = format!("silent-{i:02}");
        s.catalog.create(d).unwrap();
    }
    let list = s
        .catalog
        .list(None)
        .unwrap()
        .iter()
        .map(|c| s.catalog.resolve(None, &c.name).unwrap())
        .collect();
    let before = alive_tasks();
    let verdicts = tokio::time::timeout(SHORT * 10, probe::check_all(list, SHORT, 32))
        .await
        .expect("all checks end");
    assert_no_task_left(before).await;
    assert_eq!(verdicts.len(), 20);
    // Checked at once, a silent database is reported at the first step that waits for it (the
    // login), without a second full run that would wait as long again.
    assert!(
        verdicts
            .iter()
            .all(|v| !v.ok && v.failed_step == Some(StepName::Auth)),
        "{verdicts:#?}"
    );
    assert!(verdicts
        .iter()
        .all(|v| v.hint.as_deref().unwrap().contains("right port")));
    assert_eq!(verdicts[0].name, "silent-00");
}
