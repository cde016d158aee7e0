//! Every kind's kept-secret rule (`kinds::moved`), edit by edit: each change that would send a
//! kept secret to another endpoint or less safely is named in exactly these words, and each
//! change that does not keeps the secret. Written against the mutants cargo-mutants made of
//! these rules (bench/mutants, TESTING.md): every branch has an edit that only it decides.

use patchbay_core::kinds;
use patchbay_core::model::{SecretField, Spec};
use serde_json::{json, Value};

/// `base` with `patch`'s keys set.
fn edited(base: &Value, patch: Value) -> Spec {
    let mut v = base.clone();
    for (k, x) in patch.as_object().unwrap() {
        v[k] = x.clone();
    }
    serde_json::from_value(v).unwrap()
}

/// For each (secret, edit, what must be said): the rule's answer for `base` → `base + edit`.
fn assert_rules(base: Value, cases: &[(SecretField, Value, Option<&str>)]) {
    let old: Spec = serde_json::from_value(base.clone()).unwrap();
    for (field, patch, said) in cases {
        let new = edited(&base, patch.clone());
        assert_eq!(
            kinds::moved(*field, &old, &new).as_deref(),
            *said,
            "{field:?} after {patch}"
        );
    }
}

const CA: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

#[test]
fn a_kept_azure_secret_follows_the_account_endpoint_tls_and_its_principal() {
    use SecretField::{AccountKey as Key, ClientSecret as Sp};
    assert_rules(
        json!({"kind": "azure", "account": "lake", "auth": "service_principal",
               "endpoint_url": "https://lake.blob.core.windows.net", "allow_http": false,
               "ca_cert": null, "tenant_id": "t1", "client_id": "c1",
               "authority_host": "https://login.microsoftonline.com", "container": "a"}),
        &[
            (Key, json!({"container": "b"}), None),
            (
                Key,
                json!({"account": "other"}),
                Some("the storage account changed"),
            ),
            (
                Key,
                json!({"endpoint_url": "https://x.example"}),
                Some("the endpoint URL changed"),
            ),
            (
                Key,
                json!({"allow_http": true}),
                Some("unsafe HTTP was allowed"),
            ),
            (
                Key,
                json!({"ca_cert": CA}),
                Some("the CA certificate changed"),
            ),
            // The principal's parts move the client secret, not an account key.
            (Key, json!({"tenant_id": "t2"}), None),
            (
                Sp,
                json!({"tenant_id": "t2"}),
                Some("the tenant id changed"),
            ),
            (
                Sp,
                json!({"client_id": "c2"}),
                Some("the client id changed"),
            ),
            (
                Sp,
                json!({"authority_host": "https://login.example"}),
                Some("the authority host changed"),
            ),
            (Sp, json!({"container": "b"}), None),
        ],
    );
    // Turning unsafe HTTP off is safer: the key may stay.
    let base = json!({"kind": "azure", "account": "lake", "auth": "account_key", "allow_http": true,
                      "endpoint_url": "http://127.0.0.1:10000/lake"});
    assert_rules(base, &[(Key, json!({"allow_http": false}), None)]);
}

#[test]
fn a_kept_gcs_secret_follows_the_endpoint_and_its_tls() {
    use SecretField::ServiceAccountKey as Key;
    assert_rules(
        json!({"kind": "gcs", "auth": "service_account", "project_id": "p", "bucket": "a",
               "endpoint_url": "https://storage.example", "allow_http": false, "ca_cert": null}),
        &[
            (Key, json!({"bucket": "b", "project_id": "q"}), None),
            (
                Key,
                json!({"endpoint_url": "https://other.example"}),
                Some("the endpoint URL changed"),
            ),
            (
                Key,
                json!({"allow_http": true}),
                Some("unsafe HTTP was allowed"),
            ),
            (
                Key,
                json!({"ca_cert": CA}),
                Some("the CA certificate changed"),
            ),
        ],
    );
    let base = json!({"kind": "gcs", "auth": "service_account", "allow_http": true,
                      "endpoint_url": "http://127.0.0.1:4443"});
    assert_rules(base, &[(Key, json!({"allow_http": false}), None)]);
}

#[test]
fn a_kept_s3_secret_follows_the_endpoint_region_and_verification() {
    use SecretField::SecretAccessKey as Key;
    let base = json!({"kind": "storage", "access_key_id": "AK", "region": "eu-west-1",
                      "endpoint_url": "https://s3.example", "verify_ssl": true,
                      "allow_http": false, "ca_cert": null});
    assert_rules(
        base.clone(),
        &[
            (
                Key,
                json!({"endpoint_url": "https://other.example"}),
                Some("the endpoint URL changed"),
            ),
            (
                Key,
                json!({"region": "us-east-1"}),
                Some("the region changed"),
            ),
            (
                Key,
                json!({"verify_ssl": false}),
                Some("certificate verification was turned off"),
            ),
            (
                Key,
                json!({"allow_http": true}),
                Some("unsafe HTTP was allowed"),
            ),
            (
                Key,
                json!({"ca_cert": CA}),
                Some("the CA certificate changed"),
            ),
        ],
    );
    // Unverified already: a CA changes nothing a check relies on; turning verification on and
    // unsafe HTTP off are safer.
    let mut loose = base;
    loose["verify_ssl"] = json!(false);
    loose["allow_http"] = json!(true);
    assert_rules(
        loose,
        &[
            (Key, json!({"ca_cert": CA}), None),
            (Key, json!({"verify_ssl": true, "allow_http": false}), None),
        ],
    );
}

#[test]
fn a_kept_database_password_follows_engine_host_port_and_never_a_weaker_ssl_mode() {
    use SecretField::Password as Pw;
    assert_rules(
        json!({"kind": "database", "engine": "postgresql", "host": "db.example", "port": 5432,
               "database": "app", "username": "app", "ssl_mode": "require", "ca_cert": null}),
        &[
            (
                Pw,
                json!({"host": "DB.Example", "database": "b", "username": "u"}),
                None,
            ),
            (Pw, json!({"engine": "mysql"}), Some("the engine changed")),
            (Pw, json!({"host": "db2.example"}), Some("the host changed")),
            (Pw, json!({"port": 5433}), Some("the port changed")),
            (
                Pw,
                json!({"ssl_mode": "prefer"}),
                Some("the SSL mode went down from require to prefer"),
            ),
            (Pw, json!({"ssl_mode": "verify-ca"}), None),
        ],
    );
}

#[test]
fn kept_kafka_secrets_follow_their_own_endpoint() {
    use SecretField::{ClientKey as Key, SaslPassword as Sasl, SchemaRegistryPassword as Reg};
    let base = json!({"kind": "kafka", "bootstrap_servers": "k1:9093", "security_protocol": "SASL_SSL",
                      "sasl_mechanism": "SCRAM-SHA-512", "sasl_username": "u", "ca_cert": null,
                      "client_cert": null, "schema_registry_url": "https://reg.example",
                      "schema_registry_username": "r", "schema_registry_allow_http": false});
    assert_rules(
        base.clone(),
        &[
            (
                Sasl,
                json!({"bootstrap_servers": "k2:9093"}),
                Some("the bootstrap servers changed"),
            ),
            (
                Sasl,
                json!({"security_protocol": "SASL_PLAINTEXT"}),
                Some("the security protocol dropped TLS (SASL_SSL to SASL_PLAINTEXT)"),
            ),
            (
                Sasl,
                json!({"sasl_mechanism": "PLAIN"}),
                Some("the SASL mechanism became PLAIN (the password itself is sent)"),
            ),
            (Key, json!({"sasl_mechanism": "PLAIN"}), None),
            (
                Sasl,
                json!({"ca_cert": CA}),
                Some("the CA certificate changed"),
            ),
            (
                Sasl,
                json!({"schema_registry_url": "https://reg2.example"}),
                None,
            ),
            (Reg, json!({"bootstrap_servers": "k2:9093"}), None),
            (
                Reg,
                json!({"schema_registry_url": "https://reg2.example"}),
                Some("the Schema Registry URL changed"),
            ),
            (
                Reg,
                json!({"schema_registry_allow_http": true}),
                Some("unsafe HTTP was allowed for the registry"),
            ),
            (
                Reg,
                json!({"ca_cert": CA}),
                Some("the CA certificate changed"),
            ),
        ],
    );
    // Without TLS on the brokers, a CA is not theirs: the SASL password stays.
    let mut plain = base;
    plain["security_protocol"] = json!("SASL_PLAINTEXT");
    assert_rules(
        plain.clone(),
        &[
            (Sasl, json!({"ca_cert": CA}), None),
            (Sasl, json!({"security_protocol": "SASL_SSL"}), None),
        ],
    );
    let mut registry_http = plain;
    registry_http["schema_registry_allow_http"] = json!(true);
    assert_rules(
        registry_http,
        &[(Reg, json!({"schema_registry_allow_http": false}), None)],
    );
}

#[test]
fn a_kept_secret_never_goes_to_a_connection_of_another_kind() {
    let db: Spec = serde_json::from_value(json!({"kind": "database", "engine": "postgresql",
        "host": "h", "port": 5432, "database": "d", "username": "u", "ssl_mode": "require"}))
    .unwrap();
    for other in [
        json!({"kind": "storage", "access_key_id": "AK", "region": "r"}),
        json!({"kind": "azure", "account": "lake"}),
        json!({"kind": "gcs"}),
        json!({"kind": "kafka", "bootstrap_servers": "k:9092", "security_protocol": "PLAINTEXT"}),
    ] {
        let other: Spec = serde_json::from_value(other).unwrap();
        assert_eq!(
            kinds::moved(SecretField::Password, &db, &other).as_deref(),
            Some("the kind changed")
        );
    }
}

#[test]
fn kept_ssh_secrets_follow_the_bastion_and_its_user_not_the_database() {
    use SecretField::{
        Password as Db, SshPassphrase as Phrase, SshPassword as Pw, SshPrivateKey as Key,
    };
    let tunnel = json!({"host": "bastion.example", "port": 22, "user": "ops", "auth": "password", "key_file": null});
    let base = json!({"kind": "database", "engine": "postgresql", "host": "10.0.0.5", "port": 5432,
                      "database": "app", "username": "app", "ssl_mode": "require", "ca_cert": null, "ssh": tunnel});
    let with = |patch: Value| {
        let mut t = tunnel.clone();
        for (k, x) in patch.as_object().unwrap() {
            t[k] = x.clone();
        }
        json!({ "ssh": t })
    };
    assert_rules(
        base,
        &[
            (Pw, json!({"database": "other"}), None),
            (Pw, json!({"host": "10.0.0.6"}), None),
            (Pw, with(json!({"host": "BASTION.example"})), None),
            (
                Pw,
                with(json!({"host": "evil.example"})),
                Some("the SSH host changed"),
            ),
            (
                Key,
                with(json!({"port": 2222})),
                Some("the SSH port changed"),
            ),
            (
                Phrase,
                with(json!({"user": "root"})),
                Some("the SSH user changed"),
            ),
            (Pw, json!({"ssh": null}), Some("the SSH tunnel was removed")),
            // The database's own password follows the database, not the bastion.
            (Db, with(json!({"host": "evil.example"})), None),
            (Db, json!({"host": "10.0.0.6"}), Some("the host changed")),
        ],
    );
}
