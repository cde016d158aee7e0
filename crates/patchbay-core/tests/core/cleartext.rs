//! A password never goes out in cleartext on a session without TLS, and the decision is taken on
//! the session that would carry it. No real server behaves this way on purpose, so each test
//! talks to a stand-in on 127.0.0.1 (named as such) that records every byte it receives:
//! - a PostgreSQL stand-in that asks for SCRAM on its first startup and for the cleartext
//!   password after that (and on any later startup): a guard on a session of its own was told
//!   "SCRAM" while the login's session was asked for cleartext;
//! - a MySQL stand-in whose greeting names `mysql_clear_password`, which a client honours in its
//!   very first answer.

use std::sync::{Arc, Mutex};

use patchbay_core::check::{self, StepName};
use patchbay_core::kinds;
use patchbay_core::model::*;
use patchbay_core::Resolved;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PASSWORD: &str = "standin-password-5521";
const CLEARTEXT: &str =
    "the server asks for the password in cleartext, over a connection without TLS";

type Heard = Arc<Mutex<Vec<u8>>>;

async fn read_pg_message(s: &mut TcpStream, heard: &Heard) -> Option<()> {
    let mut head = [0u8; 5];
    s.read_exact(&mut head).await.ok()?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    let mut body = vec![0u8; len.saturating_sub(4)];
    s.read_exact(&mut body).await.ok()?;
    heard.lock().unwrap().extend_from_slice(&body);
    Some(())
}

fn auth_request(code: i32, extra: &[u8]) -> Vec<u8> {
    let mut m = vec![b'R'];
    m.extend_from_slice(&((8 + extra.len()) as i32).to_be_bytes());
    m.extend_from_slice(&code.to_be_bytes());
    m.extend_from_slice(extra);
    m
}

/// Stand-in: SCRAM first, then the cleartext password — on the first startup after the SCRAM
/// exchange begins, and at once on every later startup.
async fn pg_switching_standin() -> (u16, Heard) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let heard: Heard = Arc::default();
    let h = heard.clone();
    let startups = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let (h, startups) = (h.clone(), startups.clone());
            tokio::spawn(async move {
                let mut len = [0u8; 4];
                s.read_exact(&mut len).await.ok()?;
                let mut body = vec![0u8; u32::from_be_bytes(len) as usize - 4];
                s.read_exact(&mut body).await.ok()?;
                if body[..4] == [0x04, 0xd2, 0x16, 0x2f] {
                    s.write_all(b"N").await.ok()?;
                    s.read_exact(&mut len).await.ok()?;
                    body = vec![0u8; u32::from_be_bytes(len) as usize - 4];
                    s.read_exact(&mut body).await.ok()?;
                }
                if startups.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    s.write_all(&auth_request(10, b"SCRAM-SHA-256\0\0"))
                        .await
                        .ok()?;
                    read_pg_message(&mut s, &h).await?;
                }
                s.write_all(&auth_request(3, b"")).await.ok()?;
                read_pg_message(&mut s, &h).await
            });
        }
    });
    (port, heard)
}

/// Stand-in: a MariaDB greeting without TLS that names `mysql_clear_password`.
async fn mysql_clear_standin() -> (u16, Heard) {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let heard: Heard = Arc::default();
    let h = heard.clone();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            let h = h.clone();
            tokio::spawn(async move {
                let mut g = vec![10];
                g.extend_from_slice(b"10.11.6-MariaDB-standin\0");
                g.extend_from_slice(&[7, 0, 0, 0]);
                g.extend_from_slice(b"abcdefgh\0");
                // capabilities without CLIENT_SSL (0x800)
                let caps: u32 = 0x000f_f7ff & !0x800;
                g.extend_from_slice(&(caps as u16).to_le_bytes());
                g.push(45);
                g.extend_from_slice(&[2, 0]);
                g.extend_from_slice(&((caps >> 16) as u16).to_le_bytes());
                g.push(21);
                g.extend_from_slice(&[0; 10]);
                g.extend_from_slice(b"ijklmnopqrst\0");
                g.extend_from_slice(b"mysql_clear_password\0");
                let mut p = (g.len() as u32).to_le_bytes()[..3].to_vec();
                p.push(0);
                p.extend_from_slice(&g);
                s.write_all(&p).await.ok()?;
                let mut buf = [0u8; 4096];
                loop {
                    let n = s.read(&mut buf).await.ok()?;
                    if n == 0 {
                        return Some(());
                    }
                    h.lock().unwrap().extend_from_slice(&buf[..n]);
                }
            });
        }
    });
    (port, heard)
}

/// The stand-in saved as a connection and resolved, as `patchbay test` would.
fn database(engine: DbEngine, port: u16, ssl_mode: SslMode) -> (patchbay_testkit::Store, Resolved) {
    let spec = DatabaseSpec {
        engine,
        host: "127.0.0.1".into(),
        port: port.into(),
        database: "app".into(),
        username: "app".into(),
        ssl_mode,
        ca_cert: None,
        ssh: None,
    };
    let draft = ConnectionDraft::new("standin", Spec::Database(spec))
        .with_secret(SecretField::Password, PASSWORD);
    let mut s = patchbay_testkit::store();
    s.catalog.create(draft).unwrap();
    let r = s.catalog.resolve(None, "standin").unwrap();
    (s, r)
}

fn heard_password(heard: &Heard) -> bool {
    let b = heard.lock().unwrap();
    b.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes())
}

/// Checks `engine` in disable and prefer mode against a fresh stand-in from `standin`: refused
/// at the login, for the cleartext reason, and the stand-in never received the password.
async fn assert_never_sent<F, Fut>(engine: DbEngine, standin: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = (u16, Heard)>,
{
    for mode in [SslMode::Disable, SslMode::Prefer] {
        let (port, heard) = standin().await;
        let (_s, r) = database(engine, port, mode);
        let v = kinds::check(&r, check::DEFAULT_TIMEOUT, &Default::default()).await;
        assert_eq!(v.failed_step, Some(StepName::Auth), "{mode:?}: {v:#?}");
        assert_eq!(v.message, CLEARTEXT, "{mode:?}");
        assert!(
            !heard_password(&heard),
            "{mode:?}: the stand-in received the password"
        );
    }
}

#[tokio::test]
async fn a_postgres_server_that_asks_for_scram_then_for_cleartext_is_never_sent_the_password() {
    assert_never_sent(DbEngine::Postgresql, pg_switching_standin).await;
}

#[tokio::test]
async fn a_mysql_greeting_that_names_the_cleartext_plugin_is_never_answered_with_the_password() {
    assert_never_sent(DbEngine::Mysql, mysql_clear_standin).await;
}
