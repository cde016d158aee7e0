//! Which saved secrets an edited draft may keep. A saved secret goes only to the endpoint it was
//! saved for: when a draft keeps ("leave blank") a secret while the place it is sent to has
//! changed (host, port, engine, endpoint URL, bootstrap servers, registry URL) or the way it
//! travels got weaker (a lower SSL mode, verification off, plain HTTP, a CA removed or changed,
//! TLS dropped from Kafka's protocol, SASL PLAIN instead of SCRAM), a check refuses to send it
//! and a save needs the user's explicit confirmation.

use crate::error::{Error, Result};
use crate::model::{Connection, ConnectionDraft, SecretField, SecretInput, Spec, SslMode};

/// What changed between the saved settings and the draft's, in words, when it matters for
/// where (or how safely) `field` would be sent.
fn moved(field: SecretField, old: &Spec, new: &Spec) -> Option<String> {
    let changed = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
        let (a, b) = (format!("{a:?}"), format!("{b:?}"));
        (a != b).then(|| format!("the {what} changed"))
    };
    match (old, new) {
        (Spec::Database(o), Spec::Database(n)) => changed("engine", &o.engine, &n.engine)
            .or_else(|| changed("host", &o.host.to_lowercase(), &n.host.to_lowercase()))
            .or_else(|| changed("port", &o.port, &n.port))
            .or_else(|| {
                (rank(n.ssl_mode) < rank(o.ssl_mode)).then(|| {
                    format!(
                        "the SSL mode went down from {} to {}",
                        o.ssl_mode.as_str(),
                        n.ssl_mode.as_str()
                    )
                })
            })
            // A CA matters where the certificate was verified: trusting another CA (or the
            // system's roots instead of the given one) is a weaker proof of the same server.
            // Where nothing was verified, adding a CA only makes it stronger.
            .or_else(|| {
                o.ssl_mode
                    .verifies()
                    .then(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
                    .flatten()
            }),
        (Spec::Storage(o), Spec::Storage(n)) => {
            changed("endpoint URL", &o.endpoint_url, &n.endpoint_url)
                .or_else(|| changed("region", &o.region, &n.region))
                .or_else(|| {
                    (o.verify_ssl && !n.verify_ssl)
                        .then(|| "certificate verification was turned off".to_string())
                })
                .or_else(|| {
                    (!o.allow_http && n.allow_http).then(|| "unsafe HTTP was allowed".to_string())
                })
        }
        (Spec::Kafka(o), Spec::Kafka(n)) => {
            if field == SecretField::SchemaRegistryPassword {
                return changed(
                    "Schema Registry URL",
                    &o.schema_registry_url,
                    &n.schema_registry_url,
                )
                .or_else(|| {
                    (!o.schema_registry_allow_http && n.schema_registry_allow_http)
                        .then(|| "unsafe HTTP was allowed for the registry".to_string())
                })
                .or_else(|| changed("CA certificate", &o.ca_cert, &n.ca_cert));
            }
            changed(
                "bootstrap servers",
                &o.bootstrap_servers,
                &n.bootstrap_servers,
            )
            .or_else(|| {
                (o.security_protocol.uses_tls() && !n.security_protocol.uses_tls()).then(|| {
                    format!(
                        "the security protocol dropped TLS ({} to {})",
                        o.security_protocol.as_str(),
                        n.security_protocol.as_str()
                    )
                })
            })
            .or_else(|| {
                let plain = |m: Option<crate::model::SaslMechanism>| {
                    m == Some(crate::model::SaslMechanism::Plain)
                };
                (field == SecretField::SaslPassword
                    && plain(n.sasl_mechanism)
                    && !plain(o.sasl_mechanism))
                .then(|| {
                    "the SASL mechanism became PLAIN (the password itself is sent)".to_string()
                })
            })
            .or_else(|| {
                o.security_protocol
                    .uses_tls()
                    .then(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
                    .flatten()
            })
        }
        _ => Some("the kind changed".into()),
    }
}

/// How strongly a mode protects the password in transit.
fn rank(mode: SslMode) -> u8 {
    match mode {
        SslMode::Disable => 0,
        SslMode::Prefer => 1,
        SslMode::Require => 2,
        SslMode::VerifyCa => 3,
        SslMode::VerifyFull => 4,
    }
}

/// The first saved secret of `existing` that `draft` keeps although it would now go elsewhere
/// (or less safely): its field and what changed.
pub(crate) fn first_moved(
    existing: &Connection,
    draft: &ConnectionDraft,
    new: &Spec,
) -> Option<(SecretField, String)> {
    existing.secrets.iter().find_map(|slot| {
        let keeps = matches!(
            draft.secrets.get(&slot.field).unwrap_or(&SecretInput::Keep),
            SecretInput::Keep
        );
        if !keeps {
            return None;
        }
        moved(slot.field, &existing.spec, new).map(|why| (slot.field, why))
    })
}

/// The refusal of a check (or an unconfirmed save) that would send a kept secret elsewhere.
pub(crate) fn refusal(field: SecretField, why: &str, saving: bool) -> Error {
    let label = field.label();
    let fix = if saving {
        format!("type the {label} again, or confirm that the saved {label} should go to the new settings")
    } else {
        format!("type the {label} again to test with it")
    };
    Error::SecretWouldMove {
        field: field.as_str().to_string(),
        message: format!(
            "{why}, and a saved {label} goes only to the endpoint it was saved for: {fix}"
        ),
    }
}

/// Refuses `editing` that names a connection of another kind than the draft's.
pub(crate) fn same_kind(existing: &Connection, new: &Spec) -> Result<()> {
    if existing.kind != new.kind() {
        return Err(Error::invalid(
            "kind",
            format!(
                "the form is a {} but \"{}\" is a {}; its secrets cannot be used here",
                new.kind().label(),
                existing.name,
                existing.kind.label()
            ),
        ));
    }
    Ok(())
}
