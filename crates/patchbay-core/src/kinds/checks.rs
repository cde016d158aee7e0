//! Running checks: one connection (`check`), or many at once with bounded parallelism
//! (`check_all`). The one exhaustive dispatch to each kind's steps (`kinds/<kind>/check.rs`).

use std::sync::Arc;
use std::time::Duration;

use super::{azure, database, gcs, kafka, s3};
use crate::check::verdict::{Recorder, Verdict};
use crate::model::Resolved;
use crate::model::{SecretField, Session, Spec};
use crate::ssh::host_keys::HostKeys;

/// Checks one connection within `timeout`, every step on its own.
pub async fn check(r: &Resolved, timeout: Duration, keys: &HostKeys) -> Verdict {
    check_one(r, timeout, false, keys, None).await.0
}

/// Checks one connection with the MFA code its role asks for; the AWS session minted on the
/// way comes back with the verdict, for the store to keep.
pub async fn check_minting(
    r: &Resolved,
    timeout: Duration,
    keys: &HostKeys,
    mfa_code: Option<&str>,
) -> (Verdict, Option<Session>) {
    check_one(r, timeout, false, keys, mfa_code).await
}

async fn check_one(
    r: &Resolved,
    timeout: Duration,
    quick: bool,
    keys: &HostKeys,
    mfa_code: Option<&str>,
) -> (Verdict, Option<Session>) {
    let secret = |f: SecretField| r.secret(f).map(|s| s.expose());
    let secrets = r
        .secrets
        .values()
        .map(|s| zeroize::Zeroizing::new(s.expose().to_string()))
        .collect();
    let mut rec = Recorder::new(timeout, secrets);
    let c = &r.connection;
    let mut minted = None;
    let outcome = match &c.spec {
        Spec::Database(d) => database::tunnel::check(&mut rec, d, r, keys, quick).await,
        Spec::S3(s) if s3::session::mints(s) => {
            let (outcome, session) = s3::session::check(&mut rec, r, s, mfa_code).await;
            minted = session;
            outcome
        }
        Spec::S3(s) => {
            let (key, token) = (SecretField::SecretAccessKey, SecretField::SessionToken);
            s3::check::check(&mut rec, s, secret(key), secret(token)).await
        }
        Spec::Azure(a) => {
            let s = azure::proof::AzureSecrets {
                account_key: secret(SecretField::AccountKey),
                sas: secret(SecretField::SasToken),
                client_secret: secret(SecretField::ClientSecret),
            };
            azure::check::check(&mut rec, a, &s).await
        }
        Spec::Gcs(g) => {
            let (key, hmac) = (SecretField::ServiceAccountKey, SecretField::HmacSecret);
            gcs::check::check(&mut rec, g, secret(key), secret(hmac)).await
        }
        Spec::Kafka(k) => {
            let s = kafka::check::KafkaSecrets {
                sasl_password: secret(SecretField::SaslPassword),
                client_key: secret(SecretField::ClientKey),
                registry_password: secret(SecretField::SchemaRegistryPassword),
            };
            kafka::check::check(&mut rec, k, &s).await
        }
    };
    let v = rec.finish(&c.name, c.kind, super::target(&c.spec), outcome);
    (v, minted)
}

/// Checks many connections concurrently (at most `parallelism` at once); verdicts come back in
/// the order of `list`. Each is first checked quickly (one login per database); one that fails
/// fast is checked again in full, so its verdict names the step as precisely as a single check.
pub async fn check_all(
    list: Vec<Resolved>,
    timeout: Duration,
    parallelism: usize,
    keys: &HostKeys,
) -> Vec<Verdict> {
    // `parallelism` workers take the connections in turn: a check's state exists only while it
    // runs, so memory does not grow with the number of connections (a task per connection,
    // made up front, held each one's whole future until its turn came).
    let total = list.len();
    let queue = Arc::new(std::sync::Mutex::new(list.into_iter().enumerate()));
    let workers: Vec<_> = (0..parallelism.max(1).min(total))
        .map(|_| {
            let (queue, keys) = (queue.clone(), keys.clone());
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
                    let Some((i, r)) = next else { break done };
                    let v = check_one(&r, timeout, true, &keys, None).await.0;
                    // A quick failure is diagnosed again step by step, unless it already
                    // waited for most of the timeout (a silent server): doing that twice would
                    // double `--all`.
                    let v = if v.ok || v.total_ms > timeout.as_secs_f64() * 500.0 {
                        v
                    } else {
                        check(&r, timeout, &keys).await
                    };
                    done.push((i, v));
                }
            })
        })
        .collect();
    let mut out: Vec<Option<Verdict>> = (0..total).map(|_| None).collect();
    for w in workers {
        for (i, v) in w.await.expect("a check does not panic") {
            out[i] = Some(v);
        }
    }
    out.into_iter()
        .map(|v| v.expect("every connection was checked"))
        .collect()
}
