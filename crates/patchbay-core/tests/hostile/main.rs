//! Checks against hostile endpoints written here (a fault no real server produces on demand):
//! a closed port, a listener that accepts and never speaks, one that sends garbage, and one that
//! resets the connection, and a name that cannot exist (`.invalid`). Every check must end in a
//! clear verdict within its timeout (plus a small margin, measured, under an outer timeout), and
//! leave nothing of its own running afterwards: no task on the runtime and no librdkafka thread
//! (the Kafka check's blocking task owns the librdkafka client, whose threads end with it).
//! The tests here run one at a time, so that the threads counted are this test's.

use std::time::Duration;

use patchbay_core::check::{StepName, Verdict};
use patchbay_core::kinds;
use patchbay_core::model::*;
use patchbay_testkit::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

mod drafts;
use drafts::{azure, database, every_kind, gcs, kafka, s3};

const SHORT: Duration = Duration::from_millis(1500);

/// How much later than its timeout a check may answer (scheduling, closing sockets).
const MARGIN: Duration = Duration::from_millis(400);

/// One test at a time: thread counts are per process.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// librdkafka's threads in this process (they are named `rdk:…`).
fn rdkafka_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with("rdk:"))
        .count()
}

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
/// task may need a moment); no task and no librdkafka thread stays running.
async fn assert_nothing_left(before: usize) {
    for _ in 0..40 {
        if alive_tasks() <= before && rdkafka_threads() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "{} task(s) and {} librdkafka thread(s) still running 2 s after the check answered",
        alive_tasks().saturating_sub(before),
        rdkafka_threads()
    );
}

async fn run(draft: ConnectionDraft) -> Verdict {
    let mut s = store();
    let name = draft.name.clone();
    s.catalog.create(draft).unwrap();
    let r = s.catalog.resolve(None, &name).unwrap();
    let before = alive_tasks();
    let started = std::time::Instant::now();
    let v = tokio::time::timeout(SHORT * 3, kinds::check(&r, SHORT, &Default::default()))
        .await
        .expect("the check ends on its own");
    let took = started.elapsed();
    assert!(
        took <= SHORT + MARGIN,
        "the check took {took:?}, more than its timeout {SHORT:?} + {MARGIN:?}: {v:#?}"
    );
    assert_nothing_left(before).await;
    assert!(!v.ok, "{v:#?}");
    assert!(v.hint.is_some(), "{v:#?}");
    v
}

#[tokio::test]
async fn a_closed_port_fails_at_tcp_for_every_kind() {
    let _serial = SERIAL.lock().await;
    let p = closed_port().await;
    for d in every_kind(p) {
        let v = run(d).await;
        assert_eq!(v.failed_step, Some(StepName::Tcp), "{v:#?}");
        assert_eq!(
            v.message,
            format!("port {p} on 127.0.0.1 is closed (127.0.0.1:{p} refused the connection)")
        );
        assert!(
            v.hint.as_deref().unwrap().starts_with(&format!(
                "port closed — is the server running and listening on {p}? Check the port number"
            )),
            "{v:#?}"
        );
    }
}

#[tokio::test]
async fn a_silent_listener_ends_in_a_timeout_verdict_for_every_kind() {
    let _serial = SERIAL.lock().await;
    let p = fake_server_hostile(Behaviour::Silent).await;
    const TLS: &str = "tls: no answer within 1.5 s";
    const AUTH: &str = "auth: no answer within 1.5 s";
    for (d, step, message) in [
        (
            database(DbEngine::Postgresql, p, SslMode::Prefer),
            StepName::Tls,
            TLS,
        ),
        (
            database(DbEngine::Postgresql, p, SslMode::Disable),
            StepName::Auth,
            AUTH,
        ),
        (
            database(DbEngine::Mysql, p, SslMode::Prefer),
            StepName::Tls,
            TLS,
        ),
        (s3(p), StepName::Auth, AUTH),
        (azure(p), StepName::Auth, AUTH),
        (gcs(p), StepName::Auth, AUTH),
        (
            kafka(p),
            StepName::Metadata,
            "the brokers did not return metadata in time",
        ),
    ] {
        let v = run(d).await;
        assert_eq!(
            (v.failed_step, v.message.as_str()),
            (Some(step), message),
            "{v:#?}"
        );
    }
}

#[tokio::test]
async fn garbage_bytes_are_reported_as_the_wrong_kind_of_server() {
    let _serial = SERIAL.lock().await;
    let p = fake_server_hostile(Behaviour::Garbage).await;
    for (engine, said, hint) in [
        (
            DbEngine::Postgresql,
            "the server did not answer like PostgreSQL",
            "is this port a PostgreSQL server?",
        ),
        (
            DbEngine::Mysql,
            "the server did not answer like MySQL",
            "is this port a MySQL or MariaDB server?",
        ),
    ] {
        let v = run(database(engine, p, SslMode::Require)).await;
        assert_eq!(
            (v.failed_step, v.message.as_str(), v.hint.as_deref()),
            (Some(StepName::Tls), said, Some(hint))
        );
    }
    for d in [s3(p), azure(p), gcs(p)] {
        let v = run(d).await;
        assert_eq!(
            (v.failed_step, v.message.as_str()),
            (Some(StepName::Auth), "the server did not answer with HTTP"),
            "{v:#?}"
        );
    }
    // Kafka: told at once that this is not the Kafka protocol, not after waiting for metadata.
    let v = run(kafka(p)).await;
    assert_eq!(v.failed_step, Some(StepName::Metadata), "{v:#?}");
    assert_eq!(
        v.message,
        "the server does not answer in the Kafka protocol"
    );
    assert!(
        v.hint.as_deref().unwrap().contains("Kafka broker"),
        "{v:#?}"
    );
    assert!(
        v.total_ms < SHORT.as_secs_f64() * 500.0,
        "answered well before the timeout: {v:#?}"
    );
}

#[tokio::test]
async fn a_reset_after_accept_is_reported_without_hanging() {
    let _serial = SERIAL.lock().await;
    let p = fake_server_hostile(Behaviour::Reset).await;
    let [pg, my, s3, azure, gcs, kafka] = every_kind(p);
    for (d, step, message) in [
        (
            pg,
            StepName::Tls,
            "the server reset the connection during the TLS request",
        ),
        (
            my,
            StepName::Tls,
            "the server reset the connection during the MySQL greeting",
        ),
        (
            s3,
            StepName::Auth,
            "the server reset the connection during the request",
        ),
        (
            azure,
            StepName::Auth,
            "the server reset the connection during the request",
        ),
        (
            gcs,
            StepName::Auth,
            "the server reset the connection during the request",
        ),
        (
            kafka,
            StepName::Tcp,
            "the broker reset the connection at once",
        ),
    ] {
        let v = run(d).await;
        assert_eq!(v.failed_step, Some(step), "{v:#?}");
        assert_eq!(v.message, message, "{v:#?}");
        assert!(
            v.error.as_deref().unwrap_or("").contains("reset"),
            "the verdict shows the reset: {v:#?}"
        );
        assert!(
            v.total_ms < SHORT.as_secs_f64() * 500.0,
            "answered well before the timeout: {v:#?}"
        );
    }
}

#[tokio::test]
async fn a_name_that_cannot_exist_fails_at_dns_for_every_kind() {
    let _serial = SERIAL.lock().await;
    for mut d in every_kind(5432) {
        match &mut d.spec {
            Spec::Database(db) => db.host = "no-such-host.invalid".into(),
            Spec::S3(s) => s.endpoint_url = Some("http://no-such-host.invalid:9000".into()),
            Spec::Azure(a) => a.endpoint_url = Some("http://no-such-host.invalid:10000/x".into()),
            Spec::Gcs(g) => g.endpoint_url = Some("http://no-such-host.invalid:4443".into()),
            Spec::Kafka(k) => k.bootstrap_servers = "no-such-host.invalid:9092".into(),
        }
        let v = run(d).await;
        assert_eq!(v.failed_step, Some(StepName::Dns), "{v:#?}");
        assert_eq!(
            v.message, "cannot resolve host \"no-such-host.invalid\"",
            "the verdict names the host it could not find"
        );
    }
}

#[tokio::test]
async fn many_hostile_checks_at_once_all_come_back() {
    let _serial = SERIAL.lock().await;
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
    let started = std::time::Instant::now();
    let verdicts = tokio::time::timeout(
        SHORT * 10,
        kinds::check_all(list, SHORT, 32, &Default::default()),
    )
    .await
    .expect("all checks end");
    // 20 at once (32 may run together): the whole batch ends within one timeout.
    let took = started.elapsed();
    assert!(
        took <= SHORT + MARGIN * 2,
        "20 concurrent checks took {took:?}, more than one timeout {SHORT:?} + {:?}",
        MARGIN * 2
    );
    assert_nothing_left(before).await;
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

#[tokio::test]
async fn a_password_that_is_an_ordinary_word_does_not_garble_the_verdict() {
    let _serial = SERIAL.lock().await;
    let p = closed_port().await;
    let mut d = database(DbEngine::Postgresql, p, SslMode::Prefer);
    // The hint of a closed port says "port closed": a password "closed" must leave it alone.
    d = d.with_secret(SecretField::Password, "closed");
    let v = run(d).await;
    assert_eq!(v.failed_step, Some(StepName::Tcp), "{v:#?}");
    let hint = v.hint.as_deref().unwrap();
    assert!(hint.contains("port closed"), "the hint is intact: {hint}");
    assert!(
        !hint.contains("***") && !v.message.contains("***"),
        "{v:#?}"
    );
}
