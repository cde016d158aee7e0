//! Property tests of every parser that reads user input (hosts, ports, bootstrap lists, URLs,
//! pasted connection URLs, PEM blocks, names): arbitrary input never panics, and what a parser
//! accepts it accepts again unchanged (normalisation is stable).

use patchbay_core::{paste, validate};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        ..ProptestConfig::default()
    }
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
}
