//! Unit tests of the field validators.
use super::*;

#[test]
fn an_error_repeats_a_rejected_value_cut_short_and_with_control_characters_escaped() {
    let hostile = format!("\u{1b}[2J{}", "x".repeat(100));
    let e = host("host", &hostile).unwrap_err();
    assert!(!e.message().contains('\u{1b}'), "{e}");
    assert!(e.message().contains("\\u{1b}[2J"), "{e}");
    assert!(e.message().contains('…'), "{e}");
    assert!(e.message().len() < 200, "{e}");
}

#[test]
fn bootstrap_lists_are_normalised_and_deduplicated() {
    assert_eq!(
        bootstrap_servers("b", " a:9092 , B:9093,a:9092,[::1]:9094").unwrap(),
        "a:9092,b:9093,[::1]:9094"
    );
}

#[test]
fn a_bootstrap_entry_without_port_is_named_in_the_error() {
    let e = bootstrap_servers("bootstrap_servers", "a:9092,kafka1").unwrap_err();
    assert_eq!(e.field(), Some("bootstrap_servers"));
    assert!(e.to_string().contains("\"kafka1\" has no port"), "{e}");
}

#[test]
fn ports_outside_the_tcp_range_are_refused() {
    assert!(port("port", 0).is_err());
    assert!(port("port", 70000).is_err());
    assert!(port_text("port", "99999999999999").is_err());
    assert_eq!(port("port", 65535).unwrap(), 65535);
}

#[test]
fn hosts_accept_names_and_ip_literals_but_not_urls() {
    assert_eq!(host("host", "DB.example.com").unwrap(), "db.example.com");
    assert_eq!(host("host", "[::1]").unwrap(), "::1");
    assert!(host("host", "postgres://x").is_err());
    assert!(host("host", "bad host").is_err());
    assert!(host("host", "a..b").is_err());
    assert!(host("host", "-a.b").is_err());
    assert!(host("host", "db:5432")
        .unwrap_err()
        .to_string()
        .contains("port field"));
}

#[test]
fn an_http_endpoint_is_refused_unless_unsafe_http_is_allowed() {
    let e = http_url(
        "endpoint_url",
        "http://127.0.0.1:9000",
        false,
        "turn on \"allow unsafe HTTP\"",
    )
    .unwrap_err();
    assert!(e.to_string().contains("allow unsafe HTTP"));
    assert!(http_url("endpoint_url", "http://127.0.0.1:9000/", true, "").is_ok());
}

#[test]
fn garbage_is_not_a_pem_certificate() {
    assert!(pem_certificates("ca_cert", "hello").is_err());
    assert!(pem_certificates(
        "ca_cert",
        "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"
    )
    .is_err());
}
