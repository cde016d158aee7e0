//! The hostile-input corpus, shared by the core, command-line and IPC tests: for each kind of
//! connection a valid form, and hundreds of cases that each spoil one field of it and name the
//! field the error must name. A case's value is text, or bytes that are not UTF-8 (which only
//! the command line can carry: arguments, stdin and files).
#![allow(dead_code)]

use std::collections::BTreeMap;

use patchbay_core::model::*;

mod forms;
mod values;
use forms::fields;
pub use forms::{draft, valid_form, AZURE_KEY, EXISTING};
use values::*;

#[derive(Clone, Debug)]
pub enum Raw {
    Text(String),
    Bytes(Vec<u8>),
}

#[derive(Clone, Debug)]
pub struct Case {
    pub label: String,
    pub kind: Kind,
    /// The form field spoiled, which the error must name.
    pub field: &'static str,
    pub value: Raw,
}

/// A form: field name → text, as the window or the command line would fill it.
pub type Form = BTreeMap<&'static str, String>;

const SECRETS: [&str; 5] = [
    "password",
    "secret_access_key",
    "hmac_secret",
    "sasl_password",
    "client_key",
];
const PEMS: [&str; 3] = ["ca_cert", "client_cert", "client_key"];
/// Text fields that refuse an empty value.
const REQUIRED: [&str; 6] = [
    "name",
    "host",
    "username",
    "access_key_id",
    "bootstrap_servers",
    "sasl_username",
];
/// Every case, for every kind.
pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for &field in fields(kind) {
            let mut add = |label: String, value: Raw| {
                out.push(Case {
                    label: format!("{} {field}: {label}", kind.as_str()),
                    kind,
                    field,
                    value,
                })
            };
            let text = |s: &str| Raw::Text(s.to_string());
            let is_secret = SECRETS.contains(&field);
            let is_pem = PEMS.contains(&field);

            // Not UTF-8 at all.
            add("not UTF-8".into(), Raw::Bytes(b"ab\xff\xfecd".to_vec()));
            add("Latin-1 text".into(), Raw::Bytes(b"caf\xe9".to_vec()));
            add(
                "a lone UTF-8 continuation byte".into(),
                Raw::Bytes(b"\x80".to_vec()),
            );

            if REQUIRED.contains(&field) {
                add("empty".into(), text(""));
                add("only spaces".into(), text("   "));
                add("only whitespace".into(), text(" \t \n "));
            }
            if is_secret && !is_pem {
                add("empty".into(), text(""));
                add("a NUL byte".into(), text("pw\0rest"));
                add("only a NUL byte".into(), text("\0"));
                add(
                    "larger than 64 KiB".into(),
                    text(&"s".repeat(64 * 1024 + 1)),
                );
                add("1 MiB".into(), text(&"s".repeat(1 << 20)));
                continue; // any other text is a valid secret
            }
            if is_pem {
                for (label, v) in pem_cases(field) {
                    add(label, Raw::Text(v));
                }
                continue;
            }
            if field == "port" {
                for v in port_cases() {
                    add(format!("{v:?}"), text(v));
                }
                continue;
            }

            // Control characters, at the start, in the middle and at the end (a trailing
            // newline is what a pasted value often carries; it is trimmed, so the end cases
            // put a letter after it).
            for c in CONTROLS {
                if c.is_whitespace() {
                    add(
                        format!("{c:?} in the middle"),
                        Raw::Text(format!("ab{c}cd")),
                    );
                } else {
                    add(format!("{c:?} at the start"), Raw::Text(format!("{c}abcd")));
                    add(
                        format!("{c:?} in the middle"),
                        Raw::Text(format!("ab{c}cd")),
                    );
                    add(
                        format!("{c:?} before the end"),
                        Raw::Text(format!("abcd{c}x")),
                    );
                }
            }
            add("10,000 characters".into(), text(&"a".repeat(10_000)));
            add("1 MiB".into(), text(&"a".repeat(1 << 20)));

            match field {
                "name" => {
                    add("65 characters".into(), text(&"n".repeat(65)));
                    add("65 multibyte characters".into(), text(&"\u{e9}".repeat(65)));
                    add("an option".into(), text("-rf"));
                    add("a long option".into(), text("--help"));
                    add("an option after spaces".into(), text("  -x"));
                    if kind == Kind::Database {
                        // Names are unique per kind, ignoring case and surrounding spaces.
                        add(
                            "the saved name in capitals".into(),
                            text(&EXISTING.to_uppercase()),
                        );
                        add(
                            "the saved name with spaces".into(),
                            text(&format!("  {EXISTING} ")),
                        );
                    }
                }
                "account" => {
                    for t in [
                        "My-Store",
                        "ab",
                        "a234567890123456789012345",
                        "store.blob.core.windows.net",
                        "https://store.blob.core.windows.net",
                    ] {
                        add(format!("{t:?}"), text(t));
                    }
                }
                "account_key" => {
                    for t in ["not base64!", "c2hvcnQ=", "S2V5", "key1"] {
                        add(format!("{t:?}"), text(t));
                    }
                }
                "container" => {
                    for t in ["Raw", "a--b", "-ab", "ab", "raw/events", "raw events"] {
                        add(format!("{t:?}"), text(t));
                    }
                }
                "project_id" => {
                    for t in [
                        "My Project",
                        "12345",
                        "proj",
                        "project-",
                        "a-project-id-that-is-far-too-long",
                    ] {
                        add(format!("{t:?}"), text(t));
                    }
                }
                "bucket" => {
                    for t in ["Raw", "ab", "-raw", "raw events", "raw/events"] {
                        add(format!("{t:?}"), text(t));
                    }
                }
                "hmac_access_id" => {
                    for t in ["GOOG-1", "GOOG 1", "GOOG1/x"] {
                        add(format!("{t:?}"), text(t));
                    }
                }
                "session_expires" => {
                    for t in [
                        "tomorrow",
                        "2026-02-30T00:00:00Z",
                        "2026-12-01 16:00",
                        "1764604800",
                    ] {
                        add(format!("{t:?}"), text(t));
                    }
                }
                "host" => {
                    for h in host_cases() {
                        add(format!("{h:?}"), text(h));
                    }
                    add(
                        "a 64-character label".into(),
                        text(&format!("{}.com", "a".repeat(64))),
                    );
                    let long = format!(
                        "{}.{}.{}.{}",
                        "a".repeat(63),
                        "b".repeat(63),
                        "c".repeat(63),
                        "d".repeat(62)
                    );
                    add("254 characters".into(), text(&long));
                }
                "database" | "username" | "sasl_username" | "schema_registry_username" => {
                    add("257 characters".into(), text(&"u".repeat(257)));
                }
                "access_key_id" => {
                    for v in ["AK ID", "AK\u{e9}", "AK\u{a0}ID", "\u{2603}", "AK\u{200b}"] {
                        add(format!("{v:?}"), text(v));
                    }
                }
                "region" => {
                    for v in [
                        "eu west",
                        "eu_west_1",
                        "../../",
                        "us-east-1;",
                        "\u{fc}s",
                        "eu.west",
                        "eu/west",
                        "${AWS_REGION}",
                        "eu-west-1\\",
                        "*",
                        "eu+west",
                    ] {
                        add(format!("{v:?}"), text(v));
                    }
                }
                "endpoint_url" | "schema_registry_url" => {
                    for u in url_cases() {
                        // http:// is fine for the registry; for S3 it needs "allow unsafe HTTP".
                        if field == "schema_registry_url"
                            && u.starts_with("http://")
                            && u.len() > 7
                            && !u.contains('@')
                        {
                            continue;
                        }
                        add(format!("{u:?}"), text(u));
                    }
                    if field == "endpoint_url" {
                        add(
                            "http:// without allowing it".into(),
                            text("http://127.0.0.1:9000"),
                        );
                    }
                }
                "bootstrap_servers" => {
                    for b in bootstrap_cases() {
                        add(format!("{b:?}"), text(b));
                    }
                    add(
                        "a host of 300 characters".into(),
                        text(&format!("{}:9092", "h".repeat(300))),
                    );
                }
                "env_tag" => {
                    for v in ["very prod", "prod!", "pr\u{f6}d", "prod/eu", "p.r.o.d"] {
                        add(format!("{v:?}"), text(v));
                    }
                    add("25 characters".into(), text(&"p".repeat(25)));
                }
                _ => {}
            }
        }
    }
    out
}

/// How many cases there are of `kind`.
pub fn count(cases: &[Case], kind: Kind) -> usize {
    cases.iter().filter(|c| c.kind == kind).count()
}
