//! One connection of each kind pointed at a hostile listener on 127.0.0.1 (`every_kind`):
//! what the hostile-server tests check.

use patchbay_core::model::*;
use patchbay_testkit::kafka_spec;

pub fn database(engine: DbEngine, port: u32, ssl: SslMode) -> ConnectionDraft {
    ConnectionDraft::new(
        "hostile-db",
        Spec::Database(DatabaseSpec {
            engine,
            host: "127.0.0.1".into(),
            port,
            database: "app".into(),
            username: "app".into(),
            ssl_mode: ssl,
            ca_cert: None,
            ssh: None,
        }),
    )
    .with_secret(SecretField::Password, "pw")
}

pub fn s3(port: u32) -> ConnectionDraft {
    ConnectionDraft::new(
        "hostile-s3",
        Spec::S3(S3Spec {
            access_key_id: "AK".into(),
            region: "us-east-1".into(),
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            verify_ssl: true,
            allow_http: true,
            ca_cert: None,
            session_expires: None,
            profile: None,
            role: None,
        }),
    )
    .with_secret(SecretField::SecretAccessKey, "sk")
}

pub fn azure(port: u32) -> ConnectionDraft {
    ConnectionDraft::new(
        "hostile-azure",
        Spec::Azure(AzureSpec {
            account: "hostile".into(),
            auth: AzureAuth::AccountKey,
            container: None,
            endpoint_url: Some(format!("http://127.0.0.1:{port}/hostile")),
            allow_http: true,
            ca_cert: None,
            tenant_id: None,
            client_id: None,
            authority_host: None,
            sas_expires: None,
        }),
    )
    .with_secret(SecretField::AccountKey, patchbay_testkit::corpus::AZURE_KEY)
}

/// HMAC mode (the S3-interoperable path); the service-account path is tests/core/gcs.rs's.
pub fn gcs(port: u32) -> ConnectionDraft {
    ConnectionDraft::new(
        "hostile-gcs",
        Spec::Gcs(GcsSpec {
            auth: GcsAuth::Hmac,
            project_id: Some("hostile-project".into()),
            client_email: None,
            bucket: None,
            hmac_access_id: Some("GOOG1HOSTILE".into()),
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            allow_http: true,
            ca_cert: None,
        }),
    )
    .with_secret(SecretField::HmacSecret, "hmac")
}

pub fn kafka(port: u32) -> ConnectionDraft {
    let mut k = kafka_spec();
    k.bootstrap_servers = format!("127.0.0.1:{port}");
    k.security_protocol = SecurityProtocol::Plaintext;
    k.sasl_mechanism = None;
    k.sasl_username = None;
    k.schema_registry_url = None;
    k.schema_registry_username = None;
    ConnectionDraft::new("hostile-kafka", Spec::Kafka(k))
}

/// One connection of each kind (and both database engines) pointing at port `p`.
pub fn every_kind(p: u32) -> [ConnectionDraft; 6] {
    [
        database(DbEngine::Postgresql, p, SslMode::Prefer),
        database(DbEngine::Mysql, p, SslMode::Prefer),
        s3(p),
        azure(p),
        gcs(p),
        kafka(p),
    ]
}
