//! Each kind's valid form as the window or the command line would fill it, the core draft it
//! stands for, and the fields a hostile case may spoil.

use std::collections::BTreeMap;

use patchbay_core::model::*;

use super::Form;

/// A well-formed account key (base64 of 64 bytes).
pub const AZURE_KEY: &str =
    "S2V5LWZvci10aGUtaG9zdGlsZS1jb3JwdXMtb25seS0wMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA==";

/// The name already saved in the store before the corpus runs (for duplicate-name cases).
pub const EXISTING: &str = "existing";

/// A form of `kind` that saves without error.
pub fn valid_form(kind: Kind) -> Form {
    let pairs: &[(&str, &str)] = match kind {
        Kind::Database => &[
            ("name", "new-db"),
            ("host", "db.example.com"),
            ("port", "5432"),
            ("database", "app"),
            ("username", "app"),
            ("password", "pw-valid"),
        ],
        Kind::S3 => &[
            ("name", "new-s3"),
            ("access_key_id", "AKIDEXAMPLE"),
            ("secret_access_key", "sk-valid"),
            ("region", "eu-west-1"),
            ("endpoint_url", "https://minio.example.com:9000"),
        ],
        Kind::Azure => &[
            ("name", "new-azure"),
            ("account", "newstore"),
            ("account_key", AZURE_KEY),
            ("container", "raw-events"),
            ("endpoint_url", "https://newstore.blob.core.windows.net"),
        ],
        // HMAC mode: a service account key needs a real RSA key (tests/core/gcs.rs makes one).
        Kind::Gcs => &[
            ("name", "new-gcs"),
            ("project_id", "new-project-1"),
            ("bucket", "raw-events"),
            ("hmac_access_id", "GOOG1EXAMPLEACCESSID"),
            ("hmac_secret", "hmac-valid"),
            ("endpoint_url", "https://storage.googleapis.com"),
        ],
        Kind::Kafka => &[
            ("name", "new-kafka"),
            (
                "bootstrap_servers",
                "k1.example.com:9092,k2.example.com:9092",
            ),
            ("sasl_username", "alice"),
            ("sasl_password", "sasl-valid"),
            ("schema_registry_url", "https://registry.example.com:8081"),
        ],
    };
    pairs
        .iter()
        .map(|(k, v)| (*k, v.to_string()))
        .collect::<BTreeMap<_, _>>()
}

/// The core draft a form stands for; `None` when a field cannot be represented in it (a port
/// that is not a number: only text interfaces can carry one).
pub fn draft(kind: Kind, form: &Form) -> Option<ConnectionDraft> {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let opt = |k: &str| form.get(k).cloned();
    let spec = match kind {
        Kind::Database => Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: get("host"),
            port: get("port").parse().ok()?,
            database: get("database"),
            username: get("username"),
            ssl_mode: SslMode::Prefer,
            ca_cert: opt("ca_cert"),
            ssh: None,
        }),
        Kind::S3 => Spec::S3(S3Spec {
            access_key_id: get("access_key_id"),
            region: get("region"),
            endpoint_url: opt("endpoint_url"),
            verify_ssl: true,
            allow_http: false,
            ca_cert: None,
            session_expires: opt("session_expires"),
            profile: None,
            role: None,
        }),
        Kind::Azure => Spec::Azure(AzureSpec {
            account: get("account"),
            auth: AzureAuth::AccountKey,
            container: opt("container"),
            endpoint_url: opt("endpoint_url"),
            allow_http: false,
            ca_cert: None,
            tenant_id: None,
            client_id: None,
            authority_host: None,
            sas_expires: None,
        }),
        Kind::Gcs => Spec::Gcs(GcsSpec {
            auth: GcsAuth::Hmac,
            project_id: opt("project_id"),
            client_email: None,
            bucket: opt("bucket"),
            hmac_access_id: opt("hmac_access_id"),
            endpoint_url: opt("endpoint_url"),
            allow_http: false,
            ca_cert: None,
        }),
        Kind::Kafka => Spec::Kafka(KafkaSpec {
            bootstrap_servers: get("bootstrap_servers"),
            security_protocol: SecurityProtocol::SaslSsl,
            sasl_mechanism: Some(SaslMechanism::ScramSha256),
            sasl_username: opt("sasl_username"),
            ca_cert: opt("ca_cert"),
            client_cert: opt("client_cert"),
            schema_registry_url: opt("schema_registry_url"),
            schema_registry_username: opt("schema_registry_username"),
            schema_registry_allow_http: false,
        }),
    };
    let mut d = ConnectionDraft::new(get("name"), spec);
    d.env_tag = opt("env_tag");
    for field in kind.secret_fields() {
        if let Some(v) = form.get(field.as_str()) {
            d = d.with_secret(*field, v.as_str());
        }
    }
    Some(d)
}

/// The fields of `kind` a case may spoil.
pub(super) fn fields(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Database => &[
            "name", "host", "port", "database", "username", "password", "ca_cert", "env_tag",
        ],
        Kind::S3 => &[
            "name",
            "access_key_id",
            "secret_access_key",
            "region",
            "endpoint_url",
            "session_expires",
            "env_tag",
        ],
        Kind::Azure => &[
            "name",
            "account",
            "account_key",
            "container",
            "endpoint_url",
            "env_tag",
        ],
        Kind::Gcs => &[
            "name",
            "project_id",
            "bucket",
            "hmac_access_id",
            "hmac_secret",
            "endpoint_url",
            "env_tag",
        ],
        Kind::Kafka => &[
            "name",
            "bootstrap_servers",
            "sasl_username",
            "sasl_password",
            "ca_cert",
            "client_cert",
            "client_key",
            "schema_registry_url",
            "schema_registry_username",
            "env_tag",
        ],
    }
}
