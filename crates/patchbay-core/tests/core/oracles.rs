//! Oracles for the parsers, beyond "accepted again unchanged" (`parsers.rs`): known-good and
//! known-bad tables from the RFCs and from what the clients accept, and differential checks
//! against independent implementations — the WHATWG URL parser (what reqwest and the AWS SDK's
//! HTTP stack use) for hosts and URLs, rustls for the TLS name a host becomes and for the
//! certificates a CA field holds (webpki parses each one as a trust anchor), and the `pem`
//! crate for the bytes a normalised PEM file still carries.

use patchbay_core::validate;
use proptest::prelude::*;

use crate::parsers::{accepting, real_certificates};

#[test]
fn hosts_from_the_rfcs_are_accepted_as_written_and_broken_ones_refused_with_the_reason() {
    let long_label = "a".repeat(63);
    let long_name = [
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(63),
        "e".repeat(61),
    ]
    .join(".");
    assert_eq!(long_name.len(), 253);
    for (input, normalised) in [
        ("db", "db"),
        ("DB.Example.COM", "db.example.com"),
        ("  db.example.com ", "db.example.com"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("my_db", "my_db"), // a Docker Compose service name: getaddrinfo resolves it
        ("127.0.0.1", "127.0.0.1"),
        ("::1", "::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("3com.example", "3com.example"), // RFC 1123: a label may start with a digit
        (long_label.as_str(), long_label.as_str()),
        (long_name.as_str(), long_name.as_str()),
    ] {
        match validate::host("host", input) {
            Ok(h) => assert_eq!(h, normalised, "{input:?}"),
            Err(e) => panic!("{input:?} refused: {e}"),
        }
    }
    let too_long_label = "a".repeat(64);
    let too_long_name = format!("{long_name}.x");
    for (input, reason) in [
        ("", "is required"),
        ("-db.example", "cannot start or end with '-'"),
        ("db-.example", "cannot start or end with '-'"),
        ("a..b", "empty label"),
        ("db example", "not a valid host name"),
        ("bücher.example", "not a valid host name"), // IDN must be given as punycode
        ("db:5432", "put the port in the port field"),
        ("postgres://db", "looks like a URL"),
        ("db/app", "not a valid host name"),
        ("user@db", "not a valid host name"),
        (too_long_label.as_str(), "label longer than 63"),
        (too_long_name.as_str(), "longer than 253"),
        // RFC 3696 §2: a top-level label is never all digits; this is an IPv4 address gone wrong.
        ("10.0.0.256", "not a valid IPv4 address"),
        ("0.0.260.0", "not a valid IPv4 address"),
        ("db.123", "its last label cannot be a number"),
        ("db.0x1f", "its last label cannot be a number"),
    ] {
        let e = validate::host("host", input).expect_err(input);
        assert_eq!(e.field(), Some("host"), "{input:?}");
        assert!(e.message().contains(reason), "{input:?}: {}", e.message());
    }
}

#[test]
fn an_accepted_host_is_the_same_host_to_the_url_parser_and_a_valid_tls_name() {
    let hosts = prop_oneof![
        "[A-Za-z0-9_-]{1,12}(\\.[A-Za-z0-9_-]{1,12}){0,3}\\.?",
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        "\\[?[0-9a-f:]{2,20}\\]?",
    ];
    accepting("hosts", hosts, 0.2, |s| {
        let Ok(h) = validate::host("host", &s) else {
            return Ok(false);
        };
        let for_url = if h.contains(':') {
            format!("[{h}]")
        } else {
            h.clone()
        };
        let parsed = url::Host::parse(&for_url).map_err(|e| {
            TestCaseError::fail(format!("{h:?} accepted, but the URL parser says {e}"))
        })?;
        match (parsed, h.parse::<std::net::IpAddr>()) {
            (url::Host::Domain(d), Err(_)) => prop_assert_eq!(d, h.clone()),
            (url::Host::Ipv4(a), Ok(b)) => prop_assert_eq!(std::net::IpAddr::V4(a), b),
            (url::Host::Ipv6(a), Ok(b)) => prop_assert_eq!(std::net::IpAddr::V6(a), b),
            (other, _) => prop_assert!(false, "{h:?} is {other:?} to the URL parser"),
        }
        // Every accepted name is one rustls can verify a certificate for (DNS names with '_'
        // are the exception it refuses; libpq and getaddrinfo take them).
        if !h.contains('_') {
            prop_assert!(
                rustls_pki_types::ServerName::try_from(h.as_str()).is_ok(),
                "{h:?} is not a TLS name"
            );
        }
        Ok(true)
    });
}

#[test]
fn an_accepted_url_names_the_same_endpoint_after_normalising() {
    let urls = (
        prop::sample::select(vec!["http", "https", "HTTPS"]),
        "[a-z0-9]{1,10}(\\.[a-z0-9]{1,8}){0,2}",
        prop::option::of(1u32..70_000),
        "(/[a-zA-Z0-9._-]{0,8}){0,3}/?",
    )
        .prop_map(|(scheme, host, port, path)| match port {
            Some(p) => format!("{scheme}://{host}:{p}{path}"),
            None => format!("{scheme}://{host}{path}"),
        });
    accepting("urls", urls, 0.5, |s| {
        let Ok(norm) = validate::http_url("endpoint_url", &s, true, "") else {
            return Ok(false);
        };
        let (a, b) = (
            url::Url::parse(&s).unwrap(),
            url::Url::parse(&norm).unwrap(),
        );
        prop_assert_eq!(a.scheme(), b.scheme());
        prop_assert_eq!(a.host_str(), b.host_str());
        prop_assert_eq!(a.port_or_known_default(), b.port_or_known_default());
        prop_assert_eq!(
            a.path().trim_end_matches('/'),
            b.path().trim_end_matches('/')
        );
        prop_assert!(!norm.ends_with('/'), "{}", norm);
        Ok(true)
    });
    for (input, reason) in [
        ("ftp://files.example", "uses the scheme"),
        ("https://user:pw@s3.example", "contains credentials"),
        ("https:s3.example", "has no host"),
        ("https:///s3.example", "has no host"),
        ("s3.example.com", "is not a URL"),
        ("https://s3.example:99999", "is not a URL"),
    ] {
        let e = validate::http_url("endpoint_url", input, true, "").expect_err(input);
        assert!(e.message().contains(reason), "{input:?}: {}", e.message());
    }
    let e = validate::http_url("endpoint_url", "http://s3.example", false, "allow it").unwrap_err();
    assert!(
        e.message().contains("use https:// or allow it"),
        "{}",
        e.message()
    );
}

#[test]
fn accepted_certificates_keep_their_bytes_and_every_one_loads_as_a_trust_anchor() {
    let certs = real_certificates();
    let bundle = proptest::collection::vec(prop::sample::select(certs), 1..4)
        .prop_map(|c| format!("\n{}  \n", c.join("\n")));
    accepting("certificates", bundle, 1.0, |s| {
        let norm = validate::pem_certificates("ca_cert", &s)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let der = |text: &str| -> Vec<Vec<u8>> {
            pem::parse_many(text)
                .unwrap()
                .into_iter()
                .map(|p| p.into_contents())
                .collect()
        };
        prop_assert_eq!(der(&s), der(&norm));
        let mut roots = rustls::RootCertStore::empty();
        for cert in der(&norm) {
            roots
                .add(rustls_pki_types::CertificateDer::from(cert))
                .map_err(|e| TestCaseError::fail(format!("webpki refused it: {e}")))?;
        }
        prop_assert_eq!(roots.len(), der(&s).len());
        Ok(true)
    });
}

#[test]
fn pem_that_is_not_a_certificate_is_refused_with_what_it_is() {
    let real = real_certificates().remove(0);
    let body: Vec<&str> = real.lines().collect();
    // A key's label around a stub body (no key material; written so no scanner takes it for one).
    let key_block = format!(
        "-----BEGIN {0}-----\nMIIB\n-----END {0}-----\n",
        "PRIVATE KEY"
    );
    let truncated = format!(
        "{}\n{}\n",
        body[..body.len() / 2].join("\n"),
        body[body.len() - 1]
    );
    for (input, reason) in [
        ("", "PEM"),
        (
            "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n",
            "CERTIFICATE REQUEST",
        ),
        (key_block.as_str(), "PRIVATE KEY"),
        (truncated.as_str(), "cut short"),
        (
            "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n",
            "certificate 1 of 1 cannot be read as an X.509 certificate",
        ),
        ("0\u{82}\u{3}\u{1}0\u{82}", "PEM"),
    ] {
        let e = validate::pem_certificates("ca_cert", input).expect_err(input);
        assert_eq!(e.field(), Some("ca_cert"));
        assert!(e.message().contains(reason), "{input:?}: {}", e.message());
    }
}
