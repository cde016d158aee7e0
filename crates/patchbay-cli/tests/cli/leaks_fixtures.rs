//! The leak audit's fixtures: recognisable secret values (markers), a store holding a
//! connection of every kind whose secrets are those markers, and the helpers that look for them
//! in a store's files and in a child's environment.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{closed_port, feed, text, Env};

pub(crate) const MARKERS: [&str; 5] = [
    "LEAK-pg-4b1f",
    "LEAK-s3-90ce",
    "LEAK-kafka-2d77",
    "LEAK-registry-e51a",
    "LEAK-user-secret-7c03",
];

/// The session token of the S3 connection's temporary credentials.
pub(crate) const SESSION_TOKEN: &str = "LEAK-session-token-61fa";

/// Azure secrets: an account key (base64 of 64 bytes, as required), a SAS, a client secret.
pub(crate) const AZURE_KEY: &str =
    "LEAKazureAccountKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
pub(crate) const AZURE_SAS: &str =
    "sv=2024-11-04&ss=b&srt=sco&sp=rl&se=2099-01-01&sig=LEAK-azure-sas-5f1e";
pub(crate) const AZURE_CLIENT_SECRET: &str = "LEAK-azure-client-secret-8c2d";
/// Carried inside a Google service account key (an extra JSON member the key keeps).
pub(crate) const GCS_KEY_MARKER: &str = "LEAK-gcs-service-account-key-0b7e";

/// A key file's passphrase, a marker like the others.
pub(crate) const PASSPHRASE: &str = "LEAK-passphrase-3e8d";

pub(crate) fn run(cmd: &mut Command, stdin: &str) -> std::process::Output {
    feed(cmd, stdin.as_bytes())
}

/// A client certificate and private key made by openssl for this run, and a run of the key's
/// base64 body to look for (a private key is a secret like any other).
pub(crate) fn client_pair(dir: &Path) -> (PathBuf, PathBuf, String) {
    let (cert, key) = (dir.join("client.crt"), dir.join("client.key"));
    let o = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=leak-audit-client", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is installed (tests/run installs it)");
    assert!(o.status.success(), "openssl: {}", text(&o));
    let pem = std::fs::read_to_string(&key).unwrap();
    let line = pem.lines().filter(|l| !l.starts_with("-----")).nth(4);
    (cert, key, line.unwrap().to_string())
}

/// Every file in the store directory (the SQLite file, its -wal, -shm and any -journal): none
/// may hold a marker in plaintext. The SQLite file must be among them (when the last connection
/// closes, SQLite checkpoints the WAL into it and deletes the WAL; `leaks_cloud.rs` keeps a
/// connection open so that a live WAL is scanned too).
pub(crate) fn assert_store_files_clean(dir: &std::path::Path, markers: &[&str]) {
    let mut scanned = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap_or_default();
        for m in markers {
            assert!(
                !bytes.windows(m.len()).any(|w| w == m.as_bytes()),
                "{m} is in {} in plaintext",
                path.display()
            );
        }
        scanned.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
    assert!(
        scanned
            .iter()
            .any(|f| f == patchbay_core::paths::CATALOG_FILE),
        "the store's SQLite file was scanned: {scanned:?}"
    );
}

/// The whole environment `exec NAME` gives its child (read by the child itself from
/// /proc/self/environ), as NAME=value entries.
pub(crate) fn child_environment(mut cmd: Command) -> Vec<String> {
    let o = run(cmd.args(["--", "cat", "/proc/self/environ"]), "");
    assert!(o.status.success(), "exec failed: {}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .split('\0')
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

/// `exec`'s child gets its own connection's secret (`own`), and none of `others`, no key
/// variable and no key material.
pub(crate) fn assert_child_holds_only(env: &[String], own: &str, others: &[&str], what: &str) {
    let all = env.join("\n");
    assert!(
        all.contains(own),
        "{what}: the child's environment holds its own secret:\n{all}"
    );
    for var in ["PATCHBAY_MASTER_KEY=", "PATCHBAY_PASSPHRASE="] {
        assert!(
            !env.iter().any(|v| v.starts_with(var)),
            "{what}: the child was handed {var}… (the key to every secret)"
        );
    }
    for m in others {
        assert!(
            !all.contains(m),
            "{what}: {m} is in the child's environment:\n{all}"
        );
    }
}

/// A store with a connection of every kind whose secrets are the markers, and what setting it
/// up printed.
pub(crate) struct Leaky {
    pub(crate) e: Env,
    /// The client private key's own marker.
    pub(crate) key_marker: String,
    /// Everything the set-up printed (none of it may hold a marker).
    pub(crate) seen: String,
    _pems: tempfile::TempDir,
}

/// What commands that read stdin are given: a secret-looking value they must not echo either.
pub(crate) const TYPED: &str = "LEAK-typed-into-stdin-0000";

impl Leaky {
    /// Every marker: the secrets, what was typed, the client key's and the master key.
    pub(crate) fn everything(&self) -> Vec<&str> {
        MARKERS
            .iter()
            .copied()
            .chain([
                TYPED,
                SESSION_TOKEN,
                AZURE_KEY,
                "LEAK-azure-sas-5f1e",
                AZURE_CLIENT_SECRET,
                GCS_KEY_MARKER,
                self.key_marker.as_str(),
                self.e.key.as_str(),
            ])
            .collect()
    }
}

/// Saves the connections of every kind, their secrets the markers.
pub(crate) fn leaky_store() -> Leaky {
    let e = Env::new();
    let closed = closed_port();
    let pems = tempfile::tempdir().unwrap();
    let (cert, key, key_marker) = client_pair(pems.path());
    let (sa_key, _) = patchbay_testkit::service_account_key(
        "leak-project",
        "leak@leak-project.iam.gserviceaccount.com",
    );
    let mut sa: serde_json::Value = serde_json::from_str(&sa_key).unwrap();
    sa["leak_marker"] = GCS_KEY_MARKER.into();
    let sa_file = pems.path().join("sa.json");
    std::fs::write(&sa_file, sa.to_string()).unwrap();
    let sa_file = sa_file.to_str().unwrap();
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());

    let setup: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "add",
                "postgres",
                "pg",
                "--host",
                "127.0.0.1",
                "--port",
                &closed,
                "--user",
                "app",
                "--password-stdin",
            ],
            MARKERS[0],
        ),
        (
            vec![
                "add",
                "s3",
                "s3",
                "--access-key-id",
                "AK",
                "--endpoint-url",
                "http://127.0.0.1:9",
                "--allow-http",
                "--secret-key-stdin",
            ],
            MARKERS[1],
        ),
        (
            vec![
                "add",
                "kafka",
                "k",
                "--bootstrap",
                "127.0.0.1:9",
                "--security-protocol",
                "SASL_SSL",
                "--sasl-mechanism",
                "PLAIN",
                "--sasl-user",
                "u",
                "--sasl-password-stdin",
                "--client-cert",
                cert,
                "--client-key",
                key,
                "--schema-registry-url",
                "http://127.0.0.1:9",
                "--schema-registry-user",
                "r",
                "--schema-registry-allow-http",
            ],
            MARKERS[2],
        ),
        (vec!["secret", "set", "team", "--value-stdin"], MARKERS[4]),
        (
            vec![
                "add",
                "azure",
                "az-key",
                "--account",
                "leakstore",
                "--endpoint-url",
                "https://127.0.0.1:9/leakstore",
                "--account-key-stdin",
            ],
            AZURE_KEY,
        ),
        (
            vec![
                "add",
                "azure",
                "az-sas",
                "--account",
                "leakstore",
                "--auth",
                "sas",
                "--endpoint-url",
                "https://127.0.0.1:9/leakstore",
                "--sas-stdin",
            ],
            AZURE_SAS,
        ),
        (
            vec![
                "add",
                "azure",
                "az-sp",
                "--account",
                "leakstore",
                "--auth",
                "service-principal",
                "--tenant-id",
                "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "--client-id",
                "00000000-0000-0000-0000-000000000001",
                "--authority-host",
                "https://127.0.0.1:9",
                "--client-secret-stdin",
            ],
            AZURE_CLIENT_SECRET,
        ),
        (
            vec![
                "add",
                "gcs",
                "gcs",
                "--endpoint-url",
                "https://127.0.0.1:9",
                "--service-account-key",
                sa_file,
            ],
            "",
        ),
    ];
    let mut seen = String::new();
    for (args, value) in &setup {
        let o = run(&mut e.cmd(args), value);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }
    // A registry password through its own stdin option.
    let o = run(
        &mut e.cmd(["edit", "k", "--schema-registry-password-stdin"]),
        MARKERS[3],
    );
    assert!(o.status.success(), "{}", text(&o));
    seen.push_str(&text(&o));
    let o = run(
        &mut e.cmd([
            "edit",
            "s3",
            "--session-token-stdin",
            "--session-expires",
            "2099-01-01T00:00:00Z",
        ]),
        SESSION_TOKEN,
    );
    assert!(o.status.success(), "{}", text(&o));
    seen.push_str(&text(&o));
    Leaky {
        e,
        key_marker,
        seen,
        _pems: pems,
    }
}
