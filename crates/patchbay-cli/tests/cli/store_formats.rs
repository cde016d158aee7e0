//! `env --format storage-options` read by Polars (object_store) from the real stores, and
//! `env --format duckdb` statements judged by DuckDB's own parser (its azure and httpfs
//! extensions download at first use, which this machine cannot, so they are not executed).

use crate::common::{text, Env};

fn python() -> String {
    std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python")
}

/// Runs `code` in tests/run's Python with `stdin`; returns stdout.
fn py(code: &str, stdin: &str, env: &[(&str, &str)]) -> String {
    let mut c = std::process::Command::new(python());
    c.args(["-c", code]);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = crate::common::feed(&mut c, stdin.as_bytes());
    assert!(o.status.success(), "{code}: {}", text(&o));
    String::from_utf8(o.stdout).unwrap()
}

const POLARS_READ: &str = "import json, sys, polars as pl\nopts = json.load(sys.stdin)\ndf = pl.read_csv(sys.argv[1] if len(sys.argv) > 1 else URL, storage_options=opts)\nprint(df['total'].sum())";

#[test]
#[ignore = "needs the test servers (Azurite, s3s-fs) and tests/run's Python with polars"]
fn storage_options_let_polars_read_from_azure_and_s3() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.ok(
        &[
            "add",
            "azure",
            "blob",
            "--account",
            &srv["PB_AZ_ACCOUNT"],
            "--endpoint-url",
            &srv["PB_AZ_ENDPOINT"],
            "--ca-cert",
            &srv["PB_CA_CERT"],
            "--container",
            "reports",
            "--account-key-stdin",
        ],
        &srv["PB_AZ_KEY"],
    );
    let opts = e.ok(
        &[
            "env",
            "blob",
            "--format",
            "storage-options",
            "--with-password",
        ],
        "",
    );
    // object_store trusts the test CA through SSL_CERT_FILE, as any rustls-native-certs client.
    let code = POLARS_READ.replace("URL", "'az://reports/2026/q4.csv'");
    let out = py(&code, &opts, &[("SSL_CERT_FILE", &srv["PB_CA_CERT"])]);
    assert_eq!(out.trim(), "42");

    // S3 (s3s-fs over http): an object put through exec and the aws CLI, read back by Polars.
    e.add_s3s_fs(&srv, "lake");
    let aws = std::path::Path::new(&python()).with_file_name("aws");
    let mut put = e.cmd(["exec", "lake", "--"]);
    put.arg(&aws)
        .args(["s3", "cp", "-", "s3://reports/polars-q4.csv"]);
    let o = crate::common::feed(&mut put, b"region,total\nsouth,58\n");
    assert!(o.status.success(), "{}", text(&o));
    let opts = e.ok(
        &[
            "env",
            "lake",
            "--format",
            "storage-options",
            "--with-password",
        ],
        "",
    );
    let code = POLARS_READ.replace("URL", "'s3://reports/polars-q4.csv'");
    assert_eq!(py(&code, &opts, &[]).trim(), "58");
}

#[test]
#[ignore = "needs tests/run's Python with duckdb"]
fn duckdb_secrets_parse_in_duckdb_even_with_quotes_in_the_secret() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "s3",
            "it's",
            "--access-key-id",
            "AKID",
            "--endpoint-url",
            "http://127.0.0.1:9000",
            "--allow-http",
            "--secret-key-stdin",
        ],
        "se'cr\"et",
    );
    e.ok(
        &[
            "add",
            "azure",
            "blob",
            "--account",
            "mystore",
            "--account-key-stdin",
        ],
        patchbay_testkit::corpus::AZURE_KEY,
    );
    e.ok(
        &[
            "add",
            "azure",
            "sp",
            "--account",
            "mystore",
            "--auth",
            "service-principal",
            "--tenant-id",
            "72f988bf-86f1-41af-91ab-2d7cd011db47",
            "--client-id",
            "00000000-0000-0000-0000-000000000001",
            "--client-secret-stdin",
        ],
        "cl'ient",
    );
    e.ok(
        &[
            "add",
            "gcs",
            "interop",
            "--auth",
            "hmac",
            "--project",
            "pb-test-project",
            "--hmac-access-id",
            "GOOG1ABC",
            "--hmac-secret-stdin",
        ],
        "hm'ac",
    );
    let check = "import duckdb, sys\ns = duckdb.extract_statements(sys.stdin.read())\nprint(len(s), s[0].type)";
    for name in ["it's", "blob", "sp", "interop"] {
        let sql = e.ok(&["env", name, "--format", "duckdb", "--with-password"], "");
        assert!(sql.starts_with("CREATE OR REPLACE SECRET"), "{sql}");
        assert_eq!(
            py(check, &sql, &[]).trim(),
            "1 StatementType.CREATE",
            "{sql}"
        );
    }
    let sql = e.ok(
        &["env", "it's", "--format", "duckdb", "--with-password"],
        "",
    );
    assert!(
        sql.contains("SECRET 'se''cr\"et'") && sql.contains("USE_SSL false"),
        "{sql}"
    );

    // Without --with-password there is no statement (it would not work), and the field says why.
    let o = e.run(&["--json", "env", "blob", "--format", "duckdb"]);
    assert!(!o.status.success() && o.stdout.is_empty());
    let err = serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"].clone();
    assert_eq!(err["field"], "with_password", "{err}");
}

#[test]
fn storage_options_withhold_secrets_unless_asked_and_refuse_what_is_not_an_object_store() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "azure",
            "blob",
            "--account",
            "mystore",
            "--account-key-stdin",
        ],
        patchbay_testkit::corpus::AZURE_KEY,
    );
    let o = e.run(&["env", "blob", "--format", "storage-options"]);
    assert!(o.status.success(), "{}", text(&o));
    let opts: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(opts["azure_storage_account_name"], "mystore");
    assert!(opts.get("azure_storage_account_key").is_none(), "{opts}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("azure_storage_account_key withheld"));
    let with = e.ok(
        &[
            "env",
            "blob",
            "--format",
            "storage-options",
            "--with-password",
        ],
        "",
    );
    let with: serde_json::Value = serde_json::from_str(&with).unwrap();
    assert_eq!(
        with["azure_storage_account_key"],
        patchbay_testkit::corpus::AZURE_KEY
    );

    e.ok(&["add", "kafka", "k", "--bootstrap", "127.0.0.1:9092"], "");
    for format in ["storage-options", "duckdb"] {
        let o = e.run(&["--json", "env", "k", "--format", format, "--with-password"]);
        assert!(!o.status.success() && o.stdout.is_empty(), "{}", text(&o));
        let err = serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"].clone();
        assert_eq!(err["field"], "format", "{err}");
        assert!(
            err["message"]
                .as_str()
                .unwrap()
                .contains("is not an object store"),
            "{err}"
        );
    }
}
