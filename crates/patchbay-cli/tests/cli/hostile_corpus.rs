//! The hostile-input corpus through the command line, as a script would pass it: options (in any
//! bytes the OS allows), secrets on stdin and PEM material in files. Every case exits non-zero
//! with one short JSON error (`--json`) whose `field` is exactly the field at fault, nothing on
//! stdout, and the store is unchanged. The corpus's size and how many cases the OS cannot carry
//! are asserted, so a shrinking corpus cannot pass as clean.

use patchbay_testkit::corpus;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt as _;

use crate::common::{feed, Env};

use corpus::{Raw, EXISTING};
use patchbay_core::model::Kind;

/// The option that carries a form field, or how else it travels.
enum Via {
    Option(&'static str),
    Stdin(&'static str),
    File(&'static str),
    Name,
}

fn via(field: &str) -> Via {
    match field {
        "name" => Via::Name,
        "host" => Via::Option("--host"),
        "port" => Via::Option("--port"),
        "database" => Via::Option("--database"),
        "username" => Via::Option("--user"),
        "env_tag" => Via::Option("--env"),
        "access_key_id" => Via::Option("--access-key-id"),
        "region" => Via::Option("--region"),
        "endpoint_url" => Via::Option("--endpoint-url"),
        "account" => Via::Option("--account"),
        "project_id" => Via::Option("--project"),
        "bucket" => Via::Option("--bucket"),
        "hmac_access_id" => Via::Option("--hmac-access-id"),
        "hmac_secret" => Via::Stdin("--hmac-secret-stdin"),
        "container" => Via::Option("--container"),
        "account_key" => Via::Stdin("--account-key-stdin"),
        "session_expires" => Via::Option("--session-expires"),
        "bootstrap_servers" => Via::Option("--bootstrap"),
        "sasl_username" => Via::Option("--sasl-user"),
        "schema_registry_url" => Via::Option("--schema-registry-url"),
        "schema_registry_username" => Via::Option("--schema-registry-user"),
        "password" => Via::Stdin("--password-stdin"),
        "secret_access_key" => Via::Stdin("--secret-key-stdin"),
        "sasl_password" => Via::Stdin("--sasl-password-stdin"),
        "ca_cert" => Via::File("--ca-cert"),
        "client_cert" => Via::File("--client-cert"),
        "client_key" => Via::File("--client-key"),
        other => panic!("no way to pass {other}"),
    }
}

fn bytes(v: &Raw) -> Vec<u8> {
    match v {
        Raw::Text(s) => s.as_bytes().to_vec(),
        Raw::Bytes(b) => b.clone(),
    }
}

struct Run {
    args: Vec<OsString>,
    stdin: Vec<u8>,
}

/// The `patchbay add` invocation for a form in which `spoiled` holds `value`; None when the OS
/// cannot carry it (a NUL byte in an argument, or an argument over the kernel's 128 KiB limit).
fn invocation(kind: Kind, spoiled: &str, value: &Raw, files: &tempfile::TempDir) -> Option<Run> {
    let form = corpus::valid_form(kind);
    let mut args: Vec<OsString> = vec![
        "--json".into(),
        "add".into(),
        match kind {
            Kind::Database => "postgres",
            Kind::S3 => "s3",
            Kind::Azure => "azure",
            Kind::Gcs => "gcs",
            Kind::Kafka => "kafka",
        }
        .into(),
    ];
    if kind == Kind::Gcs {
        args.push("--auth".into());
        args.push("hmac".into());
    }
    if kind == Kind::Kafka {
        for a in [
            "--security-protocol",
            "SASL_SSL",
            "--sasl-mechanism",
            "SCRAM-SHA-256",
        ] {
            args.push(a.into());
        }
    }
    let mut stdin = Vec::new();
    let mut name: Vec<u8> = form["name"].as_bytes().to_vec();
    let mut fields: Vec<(&str, Vec<u8>)> = form
        .iter()
        .filter(|(k, _)| **k != spoiled)
        .map(|(k, v)| (*k, v.as_bytes().to_vec()))
        .collect();
    fields.push((spoiled, bytes(value)));
    for (field, v) in fields {
        match via(field) {
            Via::Name => name = v,
            Via::Option(opt) => {
                if v.contains(&0) || v.len() > 100_000 {
                    return None;
                }
                args.push(opt.into());
                args.push(OsString::from_vec(v));
            }
            Via::Stdin(opt) => {
                args.push(opt.into());
                stdin = v;
            }
            Via::File(opt) => {
                let path = files.path().join(format!("{field}.pem"));
                std::fs::write(&path, v).unwrap();
                args.push(opt.into());
                args.push(path.into());
            }
        }
    }
    if name.contains(&0) || name.len() > 100_000 {
        return None;
    }
    // A name that starts with '-' goes after "--", as a script quoting it properly would.
    args.push("--".into());
    args.push(OsString::from_vec(name));
    Some(Run { args, stdin })
}

#[test]
fn every_hostile_case_on_the_command_line_exits_with_one_error_naming_its_field() {
    let e = Env::new();
    let files = tempfile::tempdir().unwrap();
    let run = |r: &Run| feed(&mut e.cmd(&r.args), &r.stdin);
    let list = || {
        let o = e.cmd(["--json", "list"]).output().unwrap();
        assert!(
            o.status.success(),
            "list: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };

    // The saved connection that duplicate-name cases collide with; and a positive control:
    // each kind's valid form saves through this very invocation builder.
    let existing = invocation(Kind::Database, "name", &Raw::Text(EXISTING.into()), &files).unwrap();
    assert!(run(&existing).status.success());
    for kind in Kind::ALL {
        let form = corpus::valid_form(kind);
        let probe = Env::new();
        let r = invocation(kind, "name", &Raw::Text(form["name"].clone()), &files).unwrap();
        let o = feed(&mut probe.cmd(&r.args), &r.stdin);
        assert!(
            o.status.success(),
            "the valid {kind:?} form is refused: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let before = list();

    let cases = corpus::cases();
    assert!(
        cases.len() >= 757,
        "the corpus has {} cases; it had 757",
        cases.len()
    );
    let (mut refused, mut skipped) = (0, 0);
    let mut wrong = Vec::new();
    for case in &cases {
        let Some(r) = invocation(case.kind, case.field, &case.value, &files) else {
            skipped += 1;
            continue;
        };
        let o = run(&r);
        let err = String::from_utf8_lossy(&o.stderr);
        let field = serde_json::from_str::<serde_json::Value>(err.trim())
            .ok()
            .and_then(|v| v["error"]["field"].as_str().map(String::from));
        let names = field.as_deref() == Some(case.field);
        if o.status.success() {
            wrong.push(format!("{}: saved", case.label));
        } else if o.status.code().is_none() {
            wrong.push(format!("{}: died by a signal", case.label));
        } else if !names || err.trim().is_empty() || err.len() > 1000 {
            wrong.push(format!(
                "{}: {} bytes: {}",
                case.label,
                err.len(),
                &err[..err.len().min(300)]
            ));
        } else if !o.stdout.is_empty() {
            wrong.push(format!("{}: printed to stdout", case.label));
        } else {
            refused += 1;
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cases not refused as they should be:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(list(), before, "the store changed");
    // Per field passed as an argument: a NUL inside, only a NUL, over 128 KiB, 1 MiB.
    let argument_fields = cases
        .iter()
        .filter(|c| matches!(via(c.field), Via::Option(_) | Via::Name))
        .map(|c| (c.kind, c.field))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert!(
        skipped <= 4 * argument_fields,
        "{skipped} cases could not be passed as OS arguments ({} expected: NUL bytes, over 128 KiB)",
        4 * argument_fields
    );
    println!(
        "{refused} cases refused by `patchbay add`, {skipped} that an OS argument cannot carry (NUL, over 128 KiB)"
    );
}
