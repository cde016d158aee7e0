//! Every code snippet `patchbay snippet` prints runs as it is, through `patchbay exec`, against
//! the real servers, with the real Python clients: it logs in as the saved user (or lists what
//! the saved credentials may list) and no credential is written into its code.

use crate::common::{text, Env};

fn python() -> String {
    std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python")
}

/// Prints snippet `id` of `name`, checks that no secret is written in it, runs it under `exec`
/// (after `edit` of its text) and returns what it printed.
fn run(e: &Env, name: &str, id: &str, secrets: &[&str], edit: impl Fn(String) -> String) -> String {
    let code = e.ok(&["snippet", name, "--id", id], "");
    assert!(
        code.starts_with(&format!(
            "# Run it with: patchbay exec {name} -- python3 this_file.py\n"
        )),
        "{code}"
    );
    for s in secrets {
        assert!(!code.contains(s), "{id} carries a secret: {code}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("snippet.py"); // not "psycopg.py": it would shadow the module
    std::fs::write(&file, edit(code)).unwrap();
    let o = e
        .cmd(["exec", name, "--", &python()])
        .arg(&file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{name} {id}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
#[ignore = "needs the test servers and tests/run's Python (psycopg, SQLAlchemy, PyMySQL)"]
fn database_snippets_log_in_as_the_saved_user_over_verified_tls() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.add_verified_db(&srv, "postgres", "postgres");
    e.add_verified_db(&srv, "mysql", "mysql");
    let listed = e.ok(&["snippet", "postgres"], "");
    assert!(
        listed.contains("psycopg") && listed.contains("sqlalchemy"),
        "{listed}"
    );
    for id in ["psycopg", "sqlalchemy"] {
        assert_eq!(
            run(&e, "postgres", id, &[&srv["PB_PG_PASSWORD"]], |c| c),
            "app",
            "{id}"
        );
    }
    for id in ["pymysql", "sqlalchemy"] {
        let who = run(&e, "mysql", id, &[&srv["PB_MY_PASSWORD"]], |c| c);
        assert!(who.starts_with("app@"), "{id}: {who}");
    }
    let wrong = e.run(&["snippet", "postgres", "--id", "boto3"]);
    assert!(!wrong.status.success());
    assert!(
        text(&wrong).contains("choose one of psycopg, sqlalchemy"),
        "{}",
        text(&wrong)
    );
}

#[test]
#[ignore = "needs the test servers and tests/run's Python (boto3, polars, azure-storage-blob, google-cloud-storage)"]
fn object_store_snippets_list_and_read_what_the_saved_credentials_allow() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.add_s3s_fs(&srv, "lake");
    let secret = [srv["PB_S3_SECRET_KEY"].as_str()];
    let buckets = run(&e, "lake", "boto3", &secret, |c| c);
    assert!(buckets.lines().any(|b| b == "reports"), "{buckets}");
    // Polars reads an object (put here through exec and the aws CLI) with the same variables.
    let aws = std::path::Path::new(&python()).with_file_name("aws");
    let mut put = e.cmd(["exec", "lake", "--"]);
    put.arg(&aws)
        .args(["s3", "cp", "-", "s3://reports/snippet.csv"]);
    let o = crate::common::feed(&mut put, b"region,total\nnorth,17\n");
    assert!(o.status.success(), "{}", text(&o));
    let df = run(&e, "lake", "polars", &secret, |c| {
        c.replace("s3://BUCKET/path/to/file.csv", "s3://reports/snippet.csv")
    });
    assert!(df.contains("north") && df.contains("17"), "{df}");

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
            "--account-key-stdin",
        ],
        &srv["PB_AZ_KEY"],
    );
    let containers = run(
        &e,
        "blob",
        "azure-storage-blob",
        &[&srv["PB_AZ_KEY"]],
        |c| c,
    );
    assert!(containers.lines().any(|c| c == "reports"), "{containers}");

    // The key of the service account Google's stand-in trusts (the snippet's SDK must use it).
    let key_file = &srv["PB_GCS_SA_KEY"];
    let key = std::fs::read_to_string(key_file).unwrap();
    e.ok(
        &[
            "add",
            "gcs",
            "gcs",
            "--endpoint-url",
            &srv["PB_GCS_ENDPOINT"],
            "--ca-cert",
            &srv["PB_CA_CERT"],
            "--service-account-key",
            key_file,
        ],
        "",
    );
    let at = key.find("MII").expect("a PKCS #8 key in the JSON");
    let private_key = &key[at..at + 40];
    let gcs = run(&e, "gcs", "google-cloud-storage", &[private_key], |c| c);
    assert!(gcs.lines().any(|b| b == "reports"), "{gcs}");
}

#[test]
#[ignore = "needs the test servers (tansu) and tests/run's Python with confluent-kafka"]
fn the_kafka_snippet_reaches_the_broker_over_sasl_and_tls() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.add_kafka_sasl_ssl("events", &srv);
    let out = run(
        &e,
        "events",
        "confluent-kafka",
        &[&srv["PB_KAFKA_PASSWORD_256"]],
        |c| c,
    );
    assert_eq!(out, "1 broker(s)");
}
