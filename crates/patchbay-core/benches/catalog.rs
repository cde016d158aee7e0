//! Catalog figures on this machine, printed (no timing assertions anywhere): list 10,000
//! connections, create one, resolve one by name (decrypting its password), and seal/open one
//! secret. Run with `cargo bench -p patchbay-core --bench catalog`.

use std::time::{Duration, Instant};

use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource, MasterKey, Vault};

fn draft(i: usize) -> ConnectionDraft {
    ConnectionDraft::new(
        format!("db-{i:05}"),
        Spec::Database(DatabaseSpec {
            engine: if i.is_multiple_of(2) {
                DbEngine::Postgresql
            } else {
                DbEngine::Mysql
            },
            host: format!("db{i}.internal"),
            port: 5432,
            database: "app".into(),
            username: "app".into(),
            ssl_mode: SslMode::Require,
            ca_cert: None,
            ssh: None,
        }),
    )
    .with_secret(SecretField::Password, format!("password-{i}"))
}

/// Runs `f` `n` times and returns the median and the 95th percentile.
fn measure(n: usize, mut f: impl FnMut(usize)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[n / 2], times[(n * 95 / 100).min(n - 1)])
}

fn report(what: &str, target: &str, (median, p95): (Duration, Duration)) {
    println!(
        "{what:<44} median {:>10.3} ms   p95 {:>10.3} ms   target {target}",
        median.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing: run quickly then.
    let quick = !std::env::args().any(|a| a == "--bench");
    let total = if quick { 500 } else { 10_000 };
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().unwrap();
    let mut cat = Catalog::open_in(
        dir.path(),
        KeySource::Given {
            key: key.clone(),
            origin: "bench".into(),
        },
    )
    .unwrap();

    let fill = Instant::now();
    for i in 0..total {
        cat.create(draft(i)).unwrap();
    }
    println!(
        "filled {total} connections in {:.2} s",
        fill.elapsed().as_secs_f64()
    );

    report(
        &format!("list {total} connections"),
        "< 20 ms",
        measure(if quick { 3 } else { 30 }, |_| {
            assert_eq!(cat.list(None).unwrap().len(), total);
        }),
    );
    report(
        "create one connection (encrypts, commits)",
        "< 5 ms",
        measure(200, |i| {
            cat.create(draft(total + i)).unwrap();
        }),
    );
    report(
        "resolve one by name (decrypts)",
        "< 1 ms",
        measure(1000, |i| {
            let r = cat
                .resolve(Some(Kind::Database), &format!("db-{:05}", i % total))
                .unwrap();
            assert!(r.secret(SecretField::Password).is_some());
        }),
    );
    let vault = Vault::new(key);
    let token = vault.seal("uid", "a-typical-password-of-32-chars!!");
    report(
        "encrypt one secret",
        "-",
        measure(10_000, |_| {
            std::hint::black_box(vault.seal("uid", "a-typical-password-of-32-chars!!"));
        }),
    );
    report(
        "decrypt one secret",
        "-",
        measure(10_000, |_| {
            std::hint::black_box(vault.open("uid", &token, "bench").unwrap());
        }),
    );
}
