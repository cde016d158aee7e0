//! A secret kept while editing goes only where it was saved for: what each kind counts as
//! "another endpoint, or less safely" for each of its secrets.

use patchbay_core::model::*;
use patchbay_testkit::*;

#[test]
fn a_kept_registry_password_is_not_sent_once_the_ca_changed_even_if_the_brokers_have_no_tls() {
    let mut s = store();
    let mut spec = kafka_spec();
    spec.schema_registry_url = Some("https://127.0.0.1:8081".into());
    spec.schema_registry_allow_http = false;
    assert!(!spec.security_protocol.uses_tls());
    let draft = ConnectionDraft::new("events", Spec::Kafka(spec.clone()))
        .with_secret(SecretField::SaslPassword, "sasl-pw")
        .with_secret(SecretField::SchemaRegistryPassword, "registry-pw");
    s.catalog.create(draft).unwrap();
    // The brokers move to TLS with a CA (stronger for them: the SASL password may go), but the
    // registry (https) would now trust that CA instead of the system's roots: its password must
    // not go there.
    spec.security_protocol = SecurityProtocol::SaslSsl;
    spec.ca_cert = Some(a_real_ca());
    let edited = ConnectionDraft::new("events", Spec::Kafka(spec));
    let e = s
        .catalog
        .resolve_draft(&edited, Some((Kind::Kafka, "events")))
        .unwrap_err();
    assert_eq!(e.code(), "secret_would_move", "{e}");
    assert_eq!(e.field(), Some("schema_registry_password"), "{e}");
    let e = s.catalog.update(None, "events", edited).unwrap_err();
    assert_eq!(e.code(), "secret_would_move", "{e}");
}
