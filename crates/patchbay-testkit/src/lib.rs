//! Test support shared by Patchbay's crates (a dev-dependency only): a fresh store in a
//! temporary directory, opened with an explicit key (real Fernet, no keychain) unless a test asks
//! for the keychain, sample drafts per kind, byte searches for leak tests, and the hostile-input
//! corpus (`corpus`) that the core, the CLI and the window are all fed.

pub mod corpus;

use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource, MasterKey};

pub struct Store {
    pub dir: tempfile::TempDir,
    pub key: MasterKey,
    pub catalog: Catalog,
}

impl Store {
    pub fn reopen_with(&self, key: MasterKey) -> Catalog {
        Catalog::open_in(self.dir.path(), given(key)).unwrap()
    }

    pub fn file(&self) -> std::path::PathBuf {
        self.dir.path().join(patchbay_core::paths::CATALOG_FILE)
    }

    /// A raw SQLite handle on the same file, for tampering and inspection.
    pub fn raw(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.file()).unwrap()
    }

    /// Everything a user could see: connections, secrets and the number of encrypted values.
    pub fn snapshot(&self) -> String {
        let list = serde_json::to_string(&self.catalog.list(None).unwrap()).unwrap();
        let secrets = serde_json::to_string(&self.catalog.list_secrets().unwrap()).unwrap();
        format!(
            "{list}\n{secrets}\n{}",
            self.catalog.encrypted_values().unwrap()
        )
    }
}

pub fn given(key: MasterKey) -> KeySource {
    KeySource::Given {
        key,
        origin: "PATCHBAY_MASTER_KEY".into(),
    }
}

pub fn store() -> Store {
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().unwrap();
    let catalog = Catalog::open_in(dir.path(), given(key.clone())).unwrap();
    Store { dir, key, catalog }
}

/// A loopback port that was free a moment ago: a check against it fails at tcp at once.
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn postgres(name: &str, password: &str) -> ConnectionDraft {
    ConnectionDraft::new(
        name,
        Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: "127.0.0.1".into(),
            port: 5432,
            database: "app".into(),
            username: "app".into(),
            ssl_mode: SslMode::Require,
            ca_cert: None,
            ssh: None,
        }),
    )
    .with_secret(SecretField::Password, password)
}

/// A PostgreSQL connection whose password is the named secret `secret`.
pub fn postgres_using(name: &str, secret: &str) -> ConnectionDraft {
    let mut d = postgres(name, "unused");
    d.secrets.insert(
        SecretField::Password,
        SecretInput::Secret {
            name: secret.into(),
        },
    );
    d
}

pub fn mysql(name: &str, password: &str) -> ConnectionDraft {
    let mut d = postgres(name, password);
    if let Spec::Database(db) = &mut d.spec {
        db.engine = DbEngine::Mysql;
        db.port = 3306;
    }
    d
}

pub fn s3(name: &str, secret_key: &str) -> ConnectionDraft {
    ConnectionDraft::new(
        name,
        Spec::S3(S3Spec {
            access_key_id: "AKIDEXAMPLE".into(),
            region: "eu-west-1".into(),
            endpoint_url: Some("https://127.0.0.1:9000".into()),
            verify_ssl: true,
            allow_http: false,
            ca_cert: None,
            session_expires: None,
            profile: None,
            role: None,
        }),
    )
    .with_secret(SecretField::SecretAccessKey, secret_key)
}

pub fn kafka_spec() -> KafkaSpec {
    KafkaSpec {
        bootstrap_servers: "127.0.0.1:9092".into(),
        security_protocol: SecurityProtocol::SaslPlaintext,
        sasl_mechanism: Some(SaslMechanism::ScramSha256),
        sasl_username: Some("alice".into()),
        ca_cert: None,
        client_cert: None,
        schema_registry_url: Some("http://127.0.0.1:8081".into()),
        schema_registry_username: Some("reg".into()),
        schema_registry_allow_http: true,
    }
}

pub fn kafka(name: &str, sasl_password: &str) -> ConnectionDraft {
    ConnectionDraft::new(name, Spec::Kafka(kafka_spec()))
        .with_secret(SecretField::SaslPassword, sasl_password)
        .with_secret(
            SecretField::SchemaRegistryPassword,
            format!("{sasl_password}-registry"),
        )
}

/// A real CA certificate (the first of the system's bundle), where a field needs one.
pub fn a_real_ca() -> String {
    let bundle = std::fs::read_to_string("/etc/ssl/certs/ca-certificates.crt").unwrap();
    let end = "-----END CERTIFICATE-----";
    let start = bundle.find("-----BEGIN CERTIFICATE-----").unwrap();
    let stop = bundle[start..].find(end).unwrap() + start + end.len();
    format!("{}\n", &bundle[start..stop])
}

/// Reads a file's bytes, or nothing if it does not exist.
pub fn bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A Google service account key as Google issues it (JSON, PKCS #8 RSA private key), with a
/// fresh 2048-bit key made by openssl, and the key's public half (PKCS #1 DER) for verifying
/// what it signs.
pub fn service_account_key(project: &str, email: &str) -> (String, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    let run = |args: &[&str]| {
        let o = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl runs");
        assert!(
            o.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    let key_path = key.to_str().unwrap();
    run(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        key_path,
    ]);
    let public = run(&[
        "rsa",
        "-in",
        key_path,
        "-RSAPublicKey_out",
        "-outform",
        "DER",
    ]);
    let pem = std::fs::read_to_string(&key).unwrap();
    let json = serde_json::json!({
        "type": "service_account",
        "project_id": project,
        "private_key_id": "3f1c0a9e0000000000000000000000000000kid",
        "private_key": pem,
        "client_email": email,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    });
    (serde_json::to_string_pretty(&json).unwrap(), public)
}

/// The SHA256 fingerprint of the public key in `path`, as `ssh-keygen -lf` prints it.
pub fn ssh_fingerprint(path: &str) -> String {
    let o = std::process::Command::new("ssh-keygen")
        .args(["-lf", path])
        .output()
        .expect("ssh-keygen runs");
    assert!(o.status.success(), "ssh-keygen -lf {path}: {o:?}");
    String::from_utf8(o.stdout)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .expect("a fingerprint")
        .to_string()
}
