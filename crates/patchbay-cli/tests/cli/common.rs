//! Shared by the command-line tests: a store in a temporary directory with a key of its own, and
//! running `patchbay` on it with arguments and stdin.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write as _;
use std::process::{Command, Output, Stdio};

/// A store and the key that opens it (through `PATCHBAY_MASTER_KEY`).
pub struct Env {
    pub dir: tempfile::TempDir,
    pub key: String,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
            key: generate_key(),
        }
    }

    /// `patchbay ARGS` on this store, with this key and no other key source.
    pub fn cmd<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_patchbay"));
        c.args(args)
            .env("PATCHBAY_DATA_DIR", self.dir.path())
            .env("PATCHBAY_MASTER_KEY", &self.key)
            .env_remove("PATCHBAY_KEY_FILE");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: impl AsRef<[u8]>) -> Output {
        feed(&mut self.cmd(args), stdin.as_ref())
    }

    /// Saves a Kafka connection `name` to the test broker over SASL_SSL (SCRAM-SHA-256 as
    /// `alice`, the test CA), its password read from stdin.
    pub fn add_kafka_sasl_ssl(&self, name: &str, srv: &Servers) {
        self.ok(
            &[
                "add",
                "kafka",
                name,
                "--bootstrap",
                &format!("127.0.0.1:{}", srv["PB_KAFKA_SASL_SSL_PORT"]),
                "--security-protocol",
                "SASL_SSL",
                "--sasl-mechanism",
                "SCRAM-SHA-256",
                "--sasl-user",
                "alice",
                "--ca-cert",
                &srv["PB_CA_CERT"],
                "--sasl-password-stdin",
            ],
            &srv["PB_KAFKA_PASSWORD_256"],
        );
    }

    /// Saves a PostgreSQL connection `name` (127.0.0.1, database and user `app`) with password
    /// `pw`, read from stdin.
    pub fn add_pg(&self, name: &str, pw: &str) {
        self.ok(
            &[
                "add",
                "postgres",
                name,
                "--host",
                "127.0.0.1",
                "--database",
                "app",
                "--user",
                "app",
                "--password-stdin",
            ],
            &format!("{pw}\n"),
        );
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run_with_stdin(args, stdin);
        assert!(out.status.success(), "{args:?} failed: {}", text(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Saves the test servers' `app` login to database `app` of `engine` ("postgres" or
    /// "mysql") as `name`, over verify-full TLS with the test CA.
    pub fn add_verified_db(&self, srv: &Servers, engine: &str, name: &str) {
        let (port, password) = match engine {
            "postgres" => ("PB_PG_PORT", "PB_PG_PASSWORD"),
            _ => ("PB_MY_PORT", "PB_MY_PASSWORD"),
        };
        self.ok(
            &[
                "add",
                engine,
                name,
                "--host",
                "127.0.0.1",
                "--port",
                &srv[port],
                "--database",
                "app",
                "--user",
                "app",
                "--ssl-mode",
                "verify-full",
                "--ca-cert",
                &srv["PB_CA_CERT"],
                "--password-stdin",
            ],
            &srv[password],
        );
    }

    /// Saves the test s3s-fs (plain HTTP, the test keys) as `name`.
    pub fn add_s3s_fs(&self, srv: &Servers, name: &str) {
        self.ok(
            &[
                "add",
                "s3",
                name,
                "--access-key-id",
                &srv["PB_S3_ACCESS_KEY"],
                "--endpoint-url",
                &format!("http://127.0.0.1:{}", srv["PB_S3_HTTP_PORT"]),
                "--allow-http",
                "--secret-key-stdin",
            ],
            &srv["PB_S3_SECRET_KEY"],
        );
    }
}

/// tests/servers/start's settings (servers.env), by name.
pub type Servers = std::collections::HashMap<String, String>;

/// `patchbay add` of a PostgreSQL connection whose password comes on stdin.
pub const ADD_PG: [&str; 8] = [
    "add",
    "postgres",
    "pg",
    "--host",
    "h",
    "--user",
    "u",
    "--password-stdin",
];

/// A local port nothing listens on (bound, then released).
pub fn closed_port() -> String {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string()
}

/// A new key from `patchbay key generate`.
pub fn generate_key() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_patchbay"))
        .args(["key", "generate"])
        .output()
        .unwrap();
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(key.len(), 44, "a Fernet key");
    key
}

/// Runs `cmd` with `stdin` written on a thread of its own (a large input cannot deadlock against
/// a full stdout pipe), collecting stdout and stderr.
pub fn feed(cmd: &mut Command, stdin: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// stdout and stderr together, as a person would see them.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Reads tests/servers/start's servers.env.
pub fn servers() -> Servers {
    let path = std::env::var("PATCHBAY_TEST_SERVERS")
        .expect("PATCHBAY_TEST_SERVERS names servers.env: run tests/run");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.into(), v.into())))
        .collect()
}

/// What a command printed on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `patchbay --json test NAME`: its exit code and the verdict it printed.
pub fn json_verdict(e: &Env, name: &str) -> (Option<i32>, serde_json::Value) {
    let o = e.run(&["--json", "test", name]);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    (o.status.code(), v)
}

/// The key source `e`'s commands use (its PATCHBAY_MASTER_KEY).
pub fn key_of(e: &Env) -> patchbay_core::KeySource {
    patchbay_core::KeySource::Given {
        key: patchbay_core::MasterKey::parse(&e.key, "test key").unwrap(),
        origin: "PATCHBAY_MASTER_KEY".into(),
    }
}

/// The window's command layer (the core's `Desk`) on the store `e` uses.
pub fn desk_of(e: &Env) -> patchbay_core::Desk {
    patchbay_core::Desk::open_in(e.dir.path(), key_of(e)).unwrap()
}

/// The store `e` uses, opened as the app's catalog.
pub fn catalog_of(e: &Env) -> patchbay_core::Catalog {
    patchbay_core::Catalog::open_in(e.dir.path(), key_of(e)).unwrap()
}
