//! Property tests of every parser that reads user input (hosts, ports, bootstrap lists, URLs,
//! pasted connection URLs, PEM blocks and files, names): arbitrary input never panics, what a
//! parser accepts it accepts again unchanged (normalisation is stable), and well-formed input
//! comes back with exactly the parts it was made of. The project has no import format.
//!
//! These stand in for cargo-fuzz (which needs a nightly toolchain): the default 2,000 cases per
//! property run in CI in seconds; `PATCHBAY_FUZZ_CASES=200000 cargo test --test parsers` runs a
//! long session.

use patchbay_core::{paste, validate};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PATCHBAY_FUZZ_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(2000),
        ..ProptestConfig::default()
    }
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
        let _ = paste::parse(&s);
    }

    #[test]
    fn an_accepted_bootstrap_list_is_accepted_again_unchanged(s in "[a-z0-9.-]{1,20}:[0-9]{1,5}(,[a-z0-9.-]{1,20}:[0-9]{1,5}){0,4}") {
        if let Ok(norm) = validate::bootstrap_servers("b", &s) {
            prop_assert_eq!(validate::bootstrap_servers("b", &norm).unwrap(), norm);
        }
    }

    #[test]
    fn an_accepted_host_is_accepted_again_unchanged(s in "[A-Za-z0-9._-]{1,70}") {
        if let Ok(norm) = validate::host("host", &s) {
            prop_assert_eq!(validate::host("host", &norm).unwrap(), norm);
        }
    }

    #[test]
    fn a_pasted_database_url_never_carries_its_password_into_the_result(user in "[a-z]{1,8}", pw in "PW-[A-Za-z0-9]{8,16}", port in 1u16..) {
        let p = paste::parse(&format!("postgres://{user}:{pw}@db.example:{port}/app")).unwrap();
        prop_assert!(p.has_password);
        prop_assert!(!serde_json::to_string(&p).unwrap().contains(&pw));
    }

    #[test]
    fn pem_input_never_panics_and_accepted_certificates_are_accepted_again_unchanged(s in pem_text()) {
        let _ = validate::pem_private_key("client_key", &s);
        if let Ok(norm) = validate::pem_certificates("ca_cert", &s) {
            prop_assert_eq!(validate::pem_certificates("ca_cert", &norm).unwrap(), norm);
        }
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
    fn a_port_is_accepted_exactly_when_it_is_a_number_from_1_to_65535(n in any::<i64>()) {
        let r = validate::port_text("port", &n.to_string());
        prop_assert_eq!(r.is_ok(), (1..=65535).contains(&n));
        if let Ok(p) = r {
            prop_assert_eq!(i64::from(p), n);
        }
    }

    #[test]
    fn an_accepted_url_is_accepted_again_unchanged(s in "(https?|ftp)://[a-zA-Z0-9.:@/?#%\\[\\]_-]{0,40}") {
        if let Ok(norm) = validate::http_url("u", &s, true, "") {
            prop_assert_eq!(validate::http_url("u", &norm, true, "").unwrap(), norm);
        }
    }

    #[test]
    fn a_pasted_postgres_url_comes_back_with_its_parts(
        user in "[a-z][a-z0-9_]{0,10}",
        host in "[a-z]([a-z0-9-]{0,8}[a-z0-9])?(\\.[a-z]([a-z0-9-]{0,8}[a-z0-9])?){0,3}",
        port in 1u16..,
        db in "[a-z][a-z0-9_]{0,10}",
    ) {
        let p = paste::parse(&format!("postgresql://{user}@{host}:{port}/{db}")).unwrap();
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
        brokers in proptest::collection::vec(("[a-z][a-z0-9-]{0,8}[a-z0-9]", 1u16..), 1..6)
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
