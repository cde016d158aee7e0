//! Every kind of bad input is refused with an error that names the field, and the store is left
//! exactly as it was.

use patchbay_core::model::*;
use patchbay_testkit::*;

fn db(f: impl FnOnce(&mut DatabaseSpec)) -> ConnectionDraft {
    let mut d = postgres("new-db", "pw");
    if let Spec::Database(db) = &mut d.spec {
        f(db);
    }
    d
}

fn st(f: impl FnOnce(&mut S3Spec)) -> ConnectionDraft {
    let mut d = s3("new-s3", "sk");
    if let Spec::S3(s) = &mut d.spec {
        f(s);
    }
    d
}

fn kf(f: impl FnOnce(&mut KafkaSpec)) -> ConnectionDraft {
    let mut d = kafka("new-kafka", "pw");
    if let Spec::Kafka(k) = &mut d.spec {
        f(k);
    }
    d
}

fn named(name: &str) -> ConnectionDraft {
    let mut d = postgres("x", "pw");
    d.name = name.into();
    d
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let mut s = store();
    s.catalog.create(postgres("existing", "pw")).unwrap();
    s.catalog.put_secret("shared", &"v".into(), None).unwrap();
    let before = s.snapshot();

    let cases: Vec<(&str, ConnectionDraft, &str)> = vec![
        ("empty name", named("  "), "name"),
        ("control character in name", named("a\tb"), "name"),
        ("name too long", named(&"n".repeat(65)), "name"),
        ("name that reads as an option", named("-rf"), "name"),
        ("duplicate name", postgres("EXISTING", "pw"), "name"),
        ("port 0", db(|d| d.port = 0), "port"),
        ("port 70000", db(|d| d.port = 70000), "port"),
        ("empty host", db(|d| d.host = "".into()), "host"),
        (
            "host with a space",
            db(|d| d.host = "db host".into()),
            "host",
        ),
        (
            "host that is a URL",
            db(|d| d.host = "postgres://db".into()),
            "host",
        ),
        (
            "host with a port",
            db(|d| d.host = "db:5432".into()),
            "host",
        ),
        ("empty user", db(|d| d.username = " ".into()), "username"),
        (
            "CA that is not PEM",
            db(|d| d.ca_cert = Some("not a cert".into())),
            "ca_cert",
        ),
        (
            "CA with a broken body",
            db(|d| {
                d.ca_cert =
                    Some("-----BEGIN CERTIFICATE-----\n%%%\n-----END CERTIFICATE-----".into())
            }),
            "ca_cert",
        ),
        (
            "http endpoint without allow_http",
            st(|s| s.endpoint_url = Some("http://127.0.0.1:9000".into())),
            "endpoint_url",
        ),
        (
            "endpoint that is not a URL",
            st(|s| s.endpoint_url = Some("minio:9000 x".into())),
            "endpoint_url",
        ),
        (
            "endpoint with credentials",
            st(|s| s.endpoint_url = Some("https://ak:sk@minio".into())),
            "endpoint_url",
        ),
        (
            "ftp endpoint",
            st(|s| s.endpoint_url = Some("ftp://minio".into())),
            "endpoint_url",
        ),
        (
            "empty access key id",
            st(|s| s.access_key_id = "".into()),
            "access_key_id",
        ),
        (
            "access key id with a space",
            st(|s| s.access_key_id = "AK ID".into()),
            "access_key_id",
        ),
        ("bad region", st(|s| s.region = "eu west".into()), "region"),
        (
            "empty bootstrap list",
            kf(|k| k.bootstrap_servers = " , ".into()),
            "bootstrap_servers",
        ),
        (
            "bootstrap entry without port",
            kf(|k| k.bootstrap_servers = "a:9092,b".into()),
            "bootstrap_servers",
        ),
        (
            "bootstrap entry with port 0",
            kf(|k| k.bootstrap_servers = "a:0".into()),
            "bootstrap_servers",
        ),
        (
            "bootstrap entry with a bad host",
            kf(|k| k.bootstrap_servers = "a b:9092".into()),
            "bootstrap_servers",
        ),
        (
            "SASL protocol without mechanism",
            kf(|k| k.sasl_mechanism = None),
            "sasl_mechanism",
        ),
        (
            "SASL protocol without user",
            kf(|k| k.sasl_username = None),
            "sasl_username",
        ),
        (
            "mechanism without SASL",
            kf(|k| {
                k.security_protocol = SecurityProtocol::Plaintext;
            }),
            "sasl_mechanism",
        ),
        (
            "CA with PLAINTEXT",
            kf(|k| {
                k.security_protocol = SecurityProtocol::SaslPlaintext;
                k.ca_cert = Some("x".into());
            }),
            "ca_cert",
        ),
        (
            "registry URL that is not a URL",
            kf(|k| k.schema_registry_url = Some("registry".into())),
            "schema_registry_url",
        ),
        (
            "registry user without URL",
            kf(|k| k.schema_registry_url = None),
            "schema_registry_username",
        ),
        (
            "registry basic auth over http:// without the opt-in",
            kf(|k| k.schema_registry_allow_http = false),
            "schema_registry_url",
        ),
    ];
    let mut more: Vec<(&str, ConnectionDraft, &str)> = vec![
        (
            "S3 without its secret key",
            {
                let mut d = s3("new-s3", "sk");
                d.secrets.clear();
                d
            },
            "secret_access_key",
        ),
        (
            "SASL without password",
            {
                let mut d = kafka("new-kafka", "pw");
                d.secrets.remove(&SecretField::SaslPassword);
                d
            },
            "sasl_password",
        ),
        ("empty password", postgres("new-db", ""), "password"),
        (
            "password with a NUL",
            postgres("new-db", "a\0b"),
            "password",
        ),
        (
            "a password given to S3",
            s3("new-s3", "sk").with_secret(SecretField::Password, "pw"),
            "password",
        ),
        (
            "a client key that is not PEM",
            {
                let mut d = kafka("new-kafka", "pw");
                if let Spec::Kafka(k) = &mut d.spec {
                    k.security_protocol = SecurityProtocol::SaslSsl;
                }
                d.with_secret(SecretField::ClientKey, "not a key")
            },
            "client_key",
        ),
        (
            "a reference to a missing secret",
            postgres("new-db", "x").with_secret_ref(SecretField::Password, "nope"),
            "password",
        ),
        (
            "env tag with spaces",
            {
                let mut d = postgres("new-db", "pw");
                d.env_tag = Some("very prod".into());
                d
            },
            "env_tag",
        ),
    ];
    let mut all = cases;
    all.append(&mut more);

    for (what, draft, field) in all {
        let e = s.catalog.create(draft).expect_err(what);
        assert_eq!(e.field(), Some(field), "{what}: {e}");
        assert!(
            e.to_string().starts_with(&format!("{field}:")),
            "{what}: the message names the field: {e}"
        );
        assert_eq!(s.snapshot(), before, "{what}: the store changed");
    }
}

#[test]
fn a_bad_edit_leaves_the_saved_connection_as_it_was() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    let before = s.snapshot();
    let mut d = postgres("pg", "new-pw");
    if let Spec::Database(db) = &mut d.spec {
        db.port = 70000;
    }
    assert_eq!(
        s.catalog.update(None, "pg", d).unwrap_err().field(),
        Some("port")
    );
    assert_eq!(s.snapshot(), before);
    assert_eq!(
        s.catalog
            .resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw"
    );

    let e = s.catalog.update(None, "pg", kafka("pg", "x")).unwrap_err();
    assert_eq!(e.field(), Some("kind"));
    assert_eq!(s.snapshot(), before);
}

#[test]
fn bad_secret_names_are_refused_and_nothing_is_saved() {
    let mut s = store();
    for (name, value, field) in [
        ("", "v", "name"),
        ("ok", "", "value"),
        ("a\nb", "v", "name"),
    ] {
        let e = s.catalog.put_secret(name, &value.into(), None).unwrap_err();
        assert_eq!(e.field(), Some(field), "{name:?}: {e}");
    }
    assert!(s.catalog.list_secrets().unwrap().is_empty());
}
