//! Connectivity checks against the real servers that tests/servers/start runs on 127.0.0.1
//! (PostgreSQL, MariaDB, s3s-fs, tansu brokers behind stunnel, a Schema Registry stand-in).
//! Ignored by a plain `cargo test`; tests/run starts the servers and includes them. This module
//! holds what the `checks_*` modules (one per kind of server) share, and the check of many
//! connections at once.

use std::collections::HashMap;
use std::time::Duration;

use patchbay_core::check::{StepName, Verdict};
use patchbay_core::kinds;
use patchbay_core::model::*;
use patchbay_core::Resolved;
use patchbay_testkit::*;

use crate::checks_kafka::kafka_draft;
use crate::checks_s3::{http_s3, s3_draft};

pub(crate) const T: Duration = Duration::from_secs(10);

pub(crate) fn servers() -> HashMap<String, String> {
    let path = std::env::var("PATCHBAY_TEST_SERVERS")
        .expect("PATCHBAY_TEST_SERVERS names servers.env: run tests/run");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect()
}

pub(crate) fn env(k: &str) -> String {
    servers()
        .get(k)
        .cloned()
        .unwrap_or_else(|| panic!("{k} missing from servers.env"))
}

pub(crate) fn port(k: &str) -> u32 {
    env(k).parse().unwrap()
}

pub(crate) fn pem(k: &str) -> Option<String> {
    Some(std::fs::read_to_string(env(k)).unwrap())
}

/// Saves the draft in a fresh store and resolves it, as `patchbay test` does.
pub(crate) fn saved(draft: ConnectionDraft) -> (Store, Resolved) {
    let mut s = store();
    let name = draft.name.clone();
    s.catalog.create(draft).unwrap();
    let r = s.catalog.resolve(None, &name).unwrap();
    (s, r)
}

pub(crate) async fn check(draft: ConnectionDraft) -> Verdict {
    let (_s, r) = saved(draft);
    kinds::check(&r, T, &Default::default()).await
}

pub(crate) fn db(
    engine: DbEngine,
    port: u32,
    user: &str,
    ssl: SslMode,
    ca: Option<String>,
) -> ConnectionDraft {
    ConnectionDraft::new(
        "db",
        Spec::Database(DatabaseSpec {
            engine,
            host: "127.0.0.1".into(),
            port,
            database: "app".into(),
            username: user.into(),
            ssl_mode: ssl,
            ca_cert: ca,
            ssh: None,
        }),
    )
}

/// The check failed at `step` with exactly `message` (the cause a user reads), and with a hint.
#[track_caller]
pub(crate) fn assert_failed(v: &Verdict, step: StepName, message: &str) {
    assert!(!v.ok, "expected a failure at {step:?}: {v:#?}");
    assert_eq!(v.failed_step, Some(step), "{v:#?}");
    assert_eq!(v.message, message, "{v:#?}");
    assert!(v.hint.is_some(), "a failure comes with a hint: {v:#?}");
}

/// The verdict's hint or error detail says `words` (what to do, or what the server said).
#[track_caller]
pub(crate) fn assert_says(v: &Verdict, words: &str) {
    let said = format!(
        "{} | {}",
        v.hint.clone().unwrap_or_default(),
        v.error.clone().unwrap_or_default()
    );
    assert!(said.contains(words), "\"{words}\" not in: {said}");
}

pub(crate) fn fact<'a>(v: &'a Verdict, label: &str) -> &'a str {
    v.facts
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.as_str())
        .unwrap_or_else(|| panic!("no fact {label}: {v:#?}"))
}

pub(crate) fn steps(v: &Verdict) -> Vec<StepName> {
    v.steps.iter().map(|s| s.name).collect()
}

// ------------------------------------------------------------------ all at once

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn checking_everything_at_once_returns_one_verdict_per_connection_in_order() {
    let mut s = store();
    s.catalog
        .create({
            let mut d = db(
                DbEngine::Postgresql,
                port("PB_PG_PORT"),
                "app",
                SslMode::Require,
                None,
            )
            .with_secret(SecretField::Password, env("PB_PG_PASSWORD"));
            d.name = "pg".into();
            d
        })
        .unwrap();
    s.catalog
        .create(s3_draft(
            http_s3(),
            env("PB_S3_ACCESS_KEY"),
            "wrong".into(),
            true,
            true,
        ))
        .unwrap();
    s.catalog
        .create(kafka_draft(
            port("PB_KAFKA_PLAIN_PORT"),
            SecurityProtocol::Plaintext,
            None,
            None,
        ))
        .unwrap();
    let list: Vec<Resolved> = s
        .catalog
        .list(None)
        .unwrap()
        .iter()
        .map(|c| s.catalog.resolve(Some(c.kind), &c.name).unwrap())
        .collect();
    let verdicts = kinds::check_all(list, T, 8, &Default::default()).await;
    let summary: Vec<(&str, bool)> = verdicts.iter().map(|v| (v.name.as_str(), v.ok)).collect();
    assert_eq!(summary, [("pg", true), ("store", false), ("events", true)]);
}
