//! Checks (what the CLI's `test` and the window's Test run): given a resolved connection, find
//! out in seconds whether it works, and if not, which step failed and what to do. Every check
//! is bounded by a timeout; `run_all` runs many at once with bounded parallelism.

mod azure;
mod azure_auth;
mod bridge;
mod cleartext;
mod database;
mod db_session;
mod db_wire;
mod endpoint;
pub mod gcs;
mod http;
mod kafka;
mod kafka_diagnosis;
mod kafka_hello;
mod mysql_tls;
mod net;
mod registry;
mod s3;
mod sigv4;
mod tls;
pub mod verdict;

use std::sync::Arc;
use std::time::Duration;

pub use verdict::{Fact, Step, StepName, Verdict};

use crate::catalog::Resolved;
use crate::model::{SecretField, Spec};

/// The default bound of one check.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many checks `check_all` runs at once by default.
pub const DEFAULT_PARALLELISM: usize = 32;

/// Checks one connection within `timeout`, every step on its own.
pub async fn run(r: &Resolved, timeout: Duration) -> Verdict {
    run_one(r, timeout, false).await
}

async fn run_one(r: &Resolved, timeout: Duration, quick: bool) -> Verdict {
    let secret = |f: SecretField| r.secret(f).map(|s| s.expose());
    let secrets = r
        .secrets
        .values()
        .map(|s| zeroize::Zeroizing::new(s.expose().to_string()))
        .collect();
    let mut rec = verdict::Recorder::new(timeout, secrets);
    let c = &r.connection;
    let outcome = match &c.spec {
        Spec::Database(d) => {
            database::check(&mut rec, d, secret(SecretField::Password), quick).await
        }
        Spec::S3(s) => {
            let (key, token) = (SecretField::SecretAccessKey, SecretField::SessionToken);
            s3::check(&mut rec, s, secret(key), secret(token)).await
        }
        Spec::Azure(a) => {
            let s = azure::AzureSecrets {
                account_key: secret(SecretField::AccountKey),
                sas: secret(SecretField::SasToken),
                client_secret: secret(SecretField::ClientSecret),
            };
            azure::check(&mut rec, a, &s).await
        }
        Spec::Gcs(g) => {
            let (key, hmac) = (SecretField::ServiceAccountKey, SecretField::HmacSecret);
            gcs::check(&mut rec, g, secret(key), secret(hmac)).await
        }
        Spec::Kafka(k) => {
            let s = kafka::KafkaSecrets {
                sasl_password: secret(SecretField::SaslPassword),
                client_key: secret(SecretField::ClientKey),
                registry_password: secret(SecretField::SchemaRegistryPassword),
            };
            kafka::check(&mut rec, k, &s).await
        }
    };
    rec.finish(&c.name, c.kind, c.target(), outcome)
}

/// Checks many connections concurrently (at most `parallelism` at once); verdicts come back in
/// the order of `list`. Each is first checked quickly (one login per database); one that fails
/// fast is checked again in full, so its verdict names the step as precisely as a single check.
pub async fn run_all(list: Vec<Resolved>, timeout: Duration, parallelism: usize) -> Vec<Verdict> {
    let gate = Arc::new(tokio::sync::Semaphore::new(parallelism.max(1)));
    let tasks: Vec<_> = list
        .into_iter()
        .map(|r| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.expect("semaphore open");
                let v = run_one(&r, timeout, true).await;
                // A quick failure is diagnosed again step by step, unless it already waited for
                // most of the timeout (a silent server): doing that twice would double `--all`.
                if v.ok || v.total_ms > timeout.as_secs_f64() * 500.0 {
                    v
                } else {
                    run(&r, timeout).await
                }
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("a check does not panic"));
    }
    out
}
