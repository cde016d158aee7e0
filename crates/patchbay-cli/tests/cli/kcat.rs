//! kcat, the Kafka client "Open in terminal" runs: `exec` hands it the connection in the
//! `KCAT_CONFIG` file it writes (servers, protocol, SASL, the CA as a file), so `kcat -L` with no
//! argument reaches the real broker over SASL_SSL; the file goes when kcat exits, and a value the
//! file's format cannot carry leaves it out, saying so.
//!
//! kcat is Debian's; its librdkafka here is the current one of the confluent-kafka wheel (PyPI):
//! Debian's librdkafka 2.0.2 cannot read the test broker's (tansu 0.6) ApiVersions answer.

use std::process::Command;

use crate::common::Env;

/// A directory with `librdkafka.so.1` from the confluent-kafka wheel of tests/run's Python.
pub(crate) fn current_librdkafka() -> tempfile::TempDir {
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let out = Command::new(py)
        .args(["-c", "import confluent_kafka, os; d = os.path.dirname(confluent_kafka.__file__) + '.libs'; print(d + '/' + [f for f in os.listdir(d) if f.startswith('librdkafka')][0])"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let dir = tempfile::tempdir().unwrap();
    let lib = String::from_utf8(out.stdout).unwrap();
    std::os::unix::fs::symlink(lib.trim(), dir.path().join("librdkafka.so.1")).unwrap();
    dir
}

#[test]
#[ignore = "needs the test servers, kcat and tests/run's Python with confluent-kafka"]
fn kcat_lists_the_cluster_from_the_config_exec_wrote_and_the_file_goes_when_it_exits() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.add_kafka_sasl_ssl("events", &srv);
    let lib = current_librdkafka();
    let out = e
        .cmd([
            "exec",
            "events",
            "--",
            "sh",
            "-c",
            "kcat -L -m 10 && echo \"config: $KCAT_CONFIG\"",
        ])
        .env("LD_LIBRARY_PATH", lib.path())
        .env("KCAT_CONFIG", "/nonexistent/the-callers-own.conf")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // The answer may come through the bootstrap connection ("broker -1: …/bootstrap") or the
    // broker's own ("broker 111: …/111"): either way over SASL_SSL, listing the one broker.
    let port = &srv["PB_KAFKA_SASL_SSL_PORT"];
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("Metadata for all topics (from broker ")
            && lines[0].contains(&format!(": sasl_ssl://127.0.0.1:{port}/")),
        "{stdout}"
    );
    assert_eq!(
        lines[1..3],
        [
            " 1 brokers:".to_string(),
            format!("  broker 111 at 127.0.0.1:{port} (controller)")
        ],
        "{stdout}"
    );
    let config = stdout
        .lines()
        .last()
        .unwrap()
        .strip_prefix("config: ")
        .unwrap();
    assert!(config.ends_with("/kcat_config/kcat.conf"), "{config}");
    assert!(
        !std::path::Path::new(config).exists(),
        "exec removes kcat's file when kcat exits"
    );
}

#[test]
fn a_password_that_kcats_file_cannot_carry_leaves_kcat_config_out_and_says_why() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "kafka",
            "events",
            "--bootstrap",
            "127.0.0.1:1",
            "--security-protocol",
            "SASL_PLAINTEXT",
            "--sasl-mechanism",
            "PLAIN",
            "--sasl-user",
            "alice",
            "--sasl-password-stdin",
        ],
        // Trailing spaces are part of this password; kcat's file would trim them.
        "ends with spaces  \n",
    );
    let out = e.run(&[
        "exec",
        "events",
        "--",
        "sh",
        "-c",
        "echo \"KCAT_CONFIG=${KCAT_CONFIG-unset}\"",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "KCAT_CONFIG=unset\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "patchbay: warning: KCAT_CONFIG is not set: kcat's configuration file cannot carry a sasl.password that starts or ends with a space or holds a line break\n"
    );
}
