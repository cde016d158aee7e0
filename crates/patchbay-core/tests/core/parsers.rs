//! Property tests of every parser that reads user input (hosts, ports, bootstrap lists, URLs,
//! pasted connection URLs, PEM blocks and files, names): arbitrary input never panics, what a
//! parser accepts it accepts again unchanged (normalisation is stable), and well-formed input
//! comes back with exactly the parts it was made of. The project has no import format. Tables
//! from the RFCs and differential checks against other parsers are `oracles.rs`.
//!
//! Every property that only holds for valid input (`if let Ok(..)`) runs through
//! [`accepting`], which fails when too few generated cases were valid: a generator that never
//! produces valid input cannot pass vacuously. Ports are drawn where the boundary is (0–70,000,
//! the edges, text forms); bootstrap lists from a small pool of brokers so duplicates really
//! occur; certificates are the real ones of the system's CA bundle.
//!
//! These stand in for cargo-fuzz (which needs a nightly toolchain): the default 2,000 cases per
//! property run in CI in seconds; `PATCHBAY_FUZZ_CASES=200000 cargo test -p patchbay-core --test core parsers` runs a
//! long session.

use std::sync::atomic::{AtomicUsize, Ordering};

use patchbay_core::validate;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PATCHBAY_FUZZ_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2000),
        ..ProptestConfig::default()
    }
}

/// Runs `property` over `strategy` as `proptest!` would and requires that at least `min_rate`
/// of the cases were accepted input (the property returns whether its input was accepted).
pub(crate) fn accepting<S: Strategy>(
    name: &str,
    strategy: S,
    min_rate: f64,
    property: impl Fn(S::Value) -> Result<bool, TestCaseError>,
) {
    let (total, accepted) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let mut runner = TestRunner::new(config());
    let result = runner.run(&strategy, |v| {
        total.fetch_add(1, Ordering::Relaxed);
        if property(v)? {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let (total, accepted) = (total.into_inner(), accepted.into_inner());
    let rate = accepted as f64 / total as f64;
    assert!(
        rate >= min_rate,
        "{name}: only {accepted} of {total} generated cases were valid input ({:.1}% < {:.1}%): the generator does not reach what the property is about",
        rate * 100.0,
        min_rate * 100.0
    );
}

/// The real certificates of the system's CA bundle (Debian's ca-certificates), one PEM block
/// each.
pub(crate) fn real_certificates() -> Vec<String> {
    let bundle = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt")
        .expect("the system CA bundle (apt ca-certificates)");
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in bundle.lines() {
        if line.starts_with("-----BEGIN CERTIFICATE-----") {
            cur.clear();
        }
        cur.push_str(line);
        cur.push('\n');
        if line.starts_with("-----END CERTIFICATE-----") {
            out.push(cur.clone());
        }
    }
    assert!(out.len() > 50, "the bundle holds the usual ~140 roots");
    out
}

/// PEM-looking text: blocks with arbitrary tags, base64 bodies of any wrapping, junk between.
fn pem_text() -> impl Strategy<Value = String> {
    let block = (
        prop_oneof![
            Just("CERTIFICATE".to_string()),
            Just("PRIVATE KEY".to_string()),
            Just("RSA PRIVATE KEY".to_string()),
            Just("EC PRIVATE KEY".to_string()),
            Just("ENCRYPTED PRIVATE KEY".to_string()),
            "[A-Z ]{0,30}",
        ],
        proptest::collection::vec(any::<u8>(), 0..300),
        1usize..100,
        any::<bool>(),
    )
        .prop_map(|(tag, der, wrap, der_start)| {
            use base64::Engine as _;
            let mut der = der;
            if der_start {
                der.insert(0, 0x30);
            }
            let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
            let body: Vec<String> = b64
                .as_bytes()
                .chunks(wrap)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            format!(
                "-----BEGIN {tag}-----\n{}\n-----END {tag}-----\n",
                body.join("\n")
            )
        });
    (
        proptest::collection::vec(block, 0..4),
        proptest::collection::vec("[ -~\n]{0,20}", 0..4),
    )
        .prop_map(|(blocks, junk)| {
            let mut out = String::new();
            for (i, b) in blocks.iter().enumerate() {
                out.push_str(junk.get(i).map_or("", String::as_str));
                out.push_str(b);
            }
            out
        })
}

/// Strings biased towards the characters these parsers care about.
fn messy() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9:/@?=&%.,\\[\\] _-]{0,80}",
        "(postgres|mysql|kafka|https?|s3)://[a-z0-9:@/?=&%.,\\[\\]-]{0,60}",
        "-----BEGIN [A-Z ]{0,20}-----\n[A-Za-z0-9+/=\n]{0,200}-----END [A-Z ]{0,20}-----",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_parser_panics_on_any_input(s in messy()) {
        let _ = validate::name("name", &s);
        let _ = validate::host("host", &s);
        let _ = validate::port_text("port", &s);
        let _ = validate::bootstrap_servers("bootstrap_servers", &s);
        let _ = validate::http_url("endpoint_url", &s, true, "");
        let _ = validate::pem_certificates("ca_cert", &s);
        let _ = validate::pem_private_key("client_key", &s);
        let _ = validate::env_tag(&Some(s.clone()));
        let _ = validate::secret_value("password", &s);
        let _ = patchbay_core::kinds::paste(&s);
    }


    #[test]
    fn a_pasted_database_url_never_carries_its_password_into_the_result(user in "[a-z]{1,8}", pw in "PW-[A-Za-z0-9]{8,16}", port in 1u16..) {
        let p = patchbay_core::kinds::paste(&format!("postgres://{user}:{pw}@db.example:{port}/app")).unwrap();
        prop_assert!(p.has_password);
        prop_assert!(!serde_json::to_string(&p).unwrap().contains(&pw));
    }

    #[test]
    fn pem_input_never_panics(s in pem_text()) {
        let _ = validate::pem_private_key("client_key", &s);
        let _ = validate::pem_certificates("ca_cert", &s);
    }

    #[test]
    fn a_pem_file_with_its_bytes_damaged_never_panics(s in pem_text(), flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut bytes = s.into_bytes();
        if !bytes.is_empty() {
            for (i, b) in flips {
                let n = bytes.len();
                bytes[i % n] = b;
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = validate::pem_certificates("ca_cert", &text);
        let _ = validate::pem_private_key("client_key", &text);
    }


    #[test]
    fn a_pasted_postgres_url_comes_back_with_its_parts(
        user in "[a-z][a-z0-9_]{0,10}",
        host in "[a-z]([a-z0-9-]{0,8}[a-z0-9])?(\\.[a-z]([a-z0-9-]{0,8}[a-z0-9])?){0,3}",
        port in 1u16..,
        db in "[a-z][a-z0-9_]{0,10}",
    ) {
        let p = patchbay_core::kinds::paste(&format!("postgresql://{user}@{host}:{port}/{db}")).unwrap();
        let patchbay_core::model::Spec::Database(d) = p.spec else {
            return Err(TestCaseError::fail("not a database"));
        };
        prop_assert_eq!(d.host, host);
        prop_assert_eq!(d.port, u32::from(port));
        prop_assert_eq!(d.username, user);
        prop_assert_eq!(d.database, db);
        prop_assert!(!p.has_password);
    }

    #[test]
    fn a_bootstrap_list_keeps_every_distinct_broker_in_order(
        // A pool of three hosts and three ports: lists of up to eight repeat brokers often.
        brokers in proptest::collection::vec((prop::sample::select(vec!["k1", "kafka-2", "b3.internal"]), prop::sample::select(vec![9092u16, 9093, 19092])), 1..8)
    ) {
        let text = brokers.iter().map(|(h, p)| format!(" {h}:{p} ")).collect::<Vec<_>>().join(",");
        let norm = validate::bootstrap_servers("b", &text).unwrap();
        let mut want: Vec<String> = Vec::new();
        for (h, p) in &brokers {
            let e = format!("{h}:{p}");
            if !want.contains(&e) {
                want.push(e);
            }
        }
        prop_assert_eq!(norm, want.join(","));
    }
}

/// A port as a person might type it: plain, zero-padded, with a plus sign, with spaces around.
fn port_text() -> impl Strategy<Value = (i64, String)> {
    let n = prop_oneof![
        0i64..=70_000,
        prop::sample::select(vec![
            0i64, 1, 2, 1023, 1024, 65_534, 65_535, 65_536, 99_999, -1
        ]),
    ];
    (n, 0usize..4).prop_map(|(n, form)| {
        let text = match form {
            0 => n.to_string(),
            1 => format!("00{n}"),
            2 if n >= 0 => format!("+{n}"),
            3 => format!("  {n}\t"),
            _ => n.to_string(),
        };
        (n, text)
    })
}

#[test]
fn a_port_is_accepted_exactly_when_it_is_a_number_from_1_to_65535() {
    accepting("port", port_text(), 0.5, |(n, text)| {
        let r = validate::port_text("port", &text);
        prop_assert_eq!(r.is_ok(), (1..=65535).contains(&n), "{:?}", text);
        if let Ok(p) = &r {
            prop_assert_eq!(i64::from(*p), n);
        }
        Ok(r.is_ok())
    });
}

#[test]
fn a_port_with_anything_but_digits_in_it_is_refused() {
    accepting(
        "port with junk",
        (1u32..=65535, "[a-z:/ .,_-]{1,3}", 0usize..2),
        0.0,
        |(n, junk, at)| {
            let text = if at == 0 {
                format!("{junk}{n}")
            } else {
                format!("{n}{junk}")
            };
            let r = validate::port_text("port", &text);
            // Spaces around a number are trimmed; any other character makes it not a number.
            let only_spaces = junk.trim().is_empty();
            prop_assert_eq!(r.is_ok(), only_spaces, "{:?}", text);
            Ok(false)
        },
    );
}

#[test]
fn an_accepted_bootstrap_list_is_accepted_again_unchanged() {
    accepting(
        "bootstrap list",
        "[a-z0-9.-]{1,20}:[0-9]{1,5}(,[a-z0-9.-]{1,20}:[0-9]{1,5}){0,4}",
        0.05,
        |s| {
            let Ok(norm) = validate::bootstrap_servers("b", &s) else {
                return Ok(false);
            };
            prop_assert_eq!(validate::bootstrap_servers("b", &norm).unwrap(), norm);
            Ok(true)
        },
    );
}

#[test]
fn an_accepted_host_is_accepted_again_unchanged() {
    accepting("host", "[A-Za-z0-9._-]{1,70}", 0.3, |s| {
        let Ok(norm) = validate::host("host", &s) else {
            return Ok(false);
        };
        prop_assert_eq!(validate::host("host", &norm).unwrap(), norm);
        Ok(true)
    });
}

#[test]
fn an_accepted_url_is_accepted_again_unchanged() {
    accepting(
        "url",
        "(https?|ftp)://[a-zA-Z0-9.:@/?#%\\[\\]_-]{0,40}",
        0.1,
        |s| {
            let Ok(norm) = validate::http_url("u", &s, true, "") else {
                return Ok(false);
            };
            prop_assert_eq!(validate::http_url("u", &norm, true, "").unwrap(), norm);
            Ok(true)
        },
    );
}

#[test]
fn real_certificates_are_accepted_and_accepted_again_unchanged() {
    let certs = real_certificates();
    // One to four real certificates, with blank lines and spaces around, as files are found.
    let bundle = (
        proptest::collection::vec(prop::sample::select(certs), 1..5),
        "[ \n]{0,3}",
        "[ \n]{0,3}",
    )
        .prop_map(|(certs, before, after)| format!("{before}{}{after}", certs.join("")));
    accepting("real certificates", bundle, 1.0, |s| {
        let norm = validate::pem_certificates("ca_cert", &s)
            .map_err(|e| TestCaseError::fail(format!("a real certificate was refused: {e}")))?;
        prop_assert_eq!(validate::pem_certificates("ca_cert", &norm).unwrap(), norm);
        Ok(true)
    });
}
