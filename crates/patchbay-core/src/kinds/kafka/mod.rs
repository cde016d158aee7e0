//! A Kafka connection (bootstrap servers, SASL, TLS, an optional Schema Registry): its form,
//! the rules its fields follow (which secret applies with which protocol), which changes move
//! its saved secrets elsewhere, how safely it travels, how it is named, and what other programs
//! get (URL, environment; the client properties in `properties.rs`). Its check is `check.rs`
//! (the first hello in `hello.rs`, librdkafka's errors read in `diagnosis.rs`, the Schema
//! Registry in `registry.rs`).

pub(crate) mod check;
mod diagnosis;
pub mod foreign;
mod handoff;
mod hello;
pub mod properties;
mod registry;

pub use handoff::{env, terminal_client, url};

use std::collections::BTreeSet;

use super::form::{changed, Info};
use crate::error::{Error, Result};
use crate::model::{KafkaSpec, SaslMechanism, SecretField, SecurityProtocol};
use crate::paste::{decode, first_label, Pasted};
use crate::validate::*;

pub fn info() -> Info {
    Info {
        tab: "Kafka",
        menu_title: "Kafka",
        empty_help:
            "Save bootstrap servers, SASL and TLS settings, and an optional Schema Registry.",
        blank: crate::model::Spec::Kafka(KafkaSpec {
            bootstrap_servers: String::new(),
            security_protocol: SecurityProtocol::Plaintext,
            sasl_mechanism: None,
            sasl_username: None,
            ca_cert: None,
            client_cert: None,
            schema_registry_url: None,
            schema_registry_username: None,
            schema_registry_allow_http: false,
        }),
    }
}

/// The fields, checked and normalised.
pub fn validate(k: &KafkaSpec) -> Result<KafkaSpec> {
    let bootstrap_servers = bootstrap_servers("bootstrap_servers", &k.bootstrap_servers)?;
    let sasl_username = optional_text("sasl_username", &k.sasl_username)?;
    if k.security_protocol.uses_sasl() {
        if k.sasl_mechanism.is_none() {
            return Err(Error::invalid(
                "sasl_mechanism",
                format!(
                    "is required with {}; choose PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
                    k.security_protocol.as_str()
                ),
            ));
        }
        if sasl_username.is_none() {
            return Err(Error::invalid(
                "sasl_username",
                format!("is required with {}", k.security_protocol.as_str()),
            ));
        }
    } else {
        if k.sasl_mechanism.is_some() {
            return Err(Error::invalid("sasl_mechanism", format!("is only used with SASL_PLAINTEXT or SASL_SSL; change the security protocol or clear the mechanism (it is {})", k.security_protocol.as_str())));
        }
        if sasl_username.is_some() {
            return Err(Error::invalid("sasl_username", "is only used with SASL_PLAINTEXT or SASL_SSL; change the security protocol or clear the user"));
        }
    }
    let ca_cert = optional_certificates("ca_cert", &k.ca_cert)?;
    let client_cert = optional_certificates("client_cert", &k.client_cert)?;
    if !k.security_protocol.uses_tls() && client_cert.is_some() {
        return Err(Error::invalid(
            "client_cert",
            format!(
                "is only used with SSL or SASL_SSL (the protocol is {})",
                k.security_protocol.as_str()
            ),
        ));
    }
    let schema_registry_username =
        optional_text("schema_registry_username", &k.schema_registry_username)?;
    // Without credentials http:// carries nothing secret; with them it needs the explicit opt-in.
    let schema_registry_url = match k
        .schema_registry_url
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(url) => Some(http_url(
            "schema_registry_url",
            url,
            k.schema_registry_allow_http || schema_registry_username.is_none(),
            "turn on \"allow unsafe HTTP\" for the registry",
        )?),
        None => None,
    };
    if ca_cert.is_some() && !k.security_protocol.uses_tls() && !registry_https(&schema_registry_url)
    {
        return Err(Error::invalid(
            "ca_cert",
            format!(
                "is only used with SSL or SASL_SSL, or an https:// Schema Registry (the protocol is {})",
                k.security_protocol.as_str()
            ),
        ));
    }
    if schema_registry_username.is_some() && schema_registry_url.is_none() {
        return Err(Error::invalid(
            "schema_registry_username",
            "is set but there is no Schema Registry URL",
        ));
    }
    Ok(KafkaSpec {
        bootstrap_servers,
        security_protocol: k.security_protocol,
        sasl_mechanism: k.sasl_mechanism,
        sasl_username,
        ca_cert,
        client_cert,
        schema_registry_url,
        schema_registry_username,
        schema_registry_allow_http: k.schema_registry_allow_http,
    })
}

/// Whether a secret field means anything with these settings.
pub fn applies(k: &KafkaSpec, field: SecretField) -> bool {
    match field {
        SecretField::SaslPassword => k.security_protocol.uses_sasl(),
        SecretField::ClientKey => k.security_protocol.uses_tls(),
        SecretField::SchemaRegistryPassword => k.schema_registry_url.is_some(),
        _ => true,
    }
}

/// Whether the registry is reached over https: the connection's CA then verifies it too.
fn registry_https(url: &Option<String>) -> bool {
    url.as_deref()
        .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
}

/// Why a secret field does not apply with these settings.
pub fn not_applicable(k: &KafkaSpec, field: SecretField) -> Error {
    let why = match field {
        SecretField::SaslPassword => format!(
            "is only used with SASL_PLAINTEXT or SASL_SSL (the protocol is {})",
            k.security_protocol.as_str()
        ),
        SecretField::ClientKey => format!(
            "is only used with SSL or SASL_SSL (the protocol is {})",
            k.security_protocol.as_str()
        ),
        SecretField::SchemaRegistryPassword => "is set but there is no Schema Registry URL".into(),
        _ => "does not apply here".into(),
    };
    Error::invalid(field.as_str(), why)
}

/// The secret fields these settings need (and the certificate a key needs).
pub fn required(k: &KafkaSpec, set: &BTreeSet<SecretField>) -> Result<()> {
    if k.security_protocol.uses_sasl() && !set.contains(&SecretField::SaslPassword) {
        return Err(Error::invalid(
            "sasl_password",
            format!("is required with {}", k.security_protocol.as_str()),
        ));
    }
    match (
        k.client_cert.is_some(),
        set.contains(&SecretField::ClientKey),
    ) {
        (true, false) => {
            return Err(Error::invalid(
                "client_key",
                "is required with a client certificate; paste its private key",
            ))
        }
        (false, true) => {
            return Err(Error::invalid(
                "client_cert",
                "is required with a client key; paste the certificate that goes with it",
            ))
        }
        _ => {}
    }
    if set.contains(&SecretField::SchemaRegistryPassword) && k.schema_registry_username.is_none() {
        return Err(Error::invalid(
            "schema_registry_username",
            "is required with a Schema Registry password",
        ));
    }
    Ok(())
}

/// What changed that would send `field` elsewhere, or less safely: the brokers' settings for
/// the SASL password and client key, the registry's for the registry password.
pub fn moved(field: SecretField, o: &KafkaSpec, n: &KafkaSpec) -> Option<String> {
    let ca_changed = || {
        o.security_protocol
            .uses_tls()
            .then(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
            .flatten()
    };
    if field == SecretField::SchemaRegistryPassword {
        // The registry trusts the connection's CA whatever the brokers' protocol.
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
    let plain = |m: Option<SaslMechanism>| m == Some(SaslMechanism::Plain);
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
        (field == SecretField::SaslPassword && plain(n.sasl_mechanism) && !plain(o.sasl_mechanism))
            .then(|| "the SASL mechanism became PLAIN (the password itself is sent)".to_string())
    })
    .or_else(ca_changed)
}

/// Why the transport is not verified TLS, if it is not.
pub fn transport_warning(k: &KafkaSpec) -> Option<&'static str> {
    (!k.security_protocol.uses_tls()).then_some("no TLS: the brokers' traffic travels in the clear")
}

/// The bootstrap list.
pub fn target(k: &KafkaSpec) -> String {
    k.bootstrap_servers.clone()
}

/// A pasted URL of this kind, as a form to fill.
pub fn paste(rest: &str) -> Result<Pasted> {
    let (auth, hosts) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    let (hosts, query) = hosts.split_once('?').unwrap_or((hosts, ""));
    let bootstrap = crate::validate::bootstrap_servers("url", hosts.trim_end_matches('/'))?;
    let mut protocol = SecurityProtocol::Plaintext;
    let mut mechanism = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "security.protocol" | "security_protocol" => {
                protocol = SecurityProtocol::parse(&v).ok_or_else(|| {
                    crate::error::Error::invalid(
                        "url",
                        format!("security protocol \"{v}\" is not known"),
                    )
                })?
            }
            "sasl.mechanism" | "sasl_mechanism" => {
                mechanism = Some(SaslMechanism::parse(&v).ok_or_else(|| {
                    crate::error::Error::invalid(
                        "url",
                        format!("SASL mechanism \"{v}\" is not known"),
                    )
                })?)
            }
            _ => {}
        }
    }
    let (user, has_password) = match auth {
        Some(a) => {
            let (u, p) = a.split_once(':').map_or((a, false), |(u, _)| (u, true));
            (Some(decode(u)), p)
        }
        None => (None, false),
    };
    if user.is_some() && !protocol.uses_sasl() {
        protocol = SecurityProtocol::SaslSsl;
    }
    if protocol.uses_sasl() && mechanism.is_none() {
        mechanism = Some(SaslMechanism::ScramSha512);
    }
    let first = bootstrap
        .split(',')
        .next()
        .and_then(crate::validate::split_host_port)
        .map(|(h, _)| first_label(h))
        .unwrap_or_default();
    Ok(Pasted {
        spec: crate::model::Spec::Kafka(KafkaSpec {
            bootstrap_servers: bootstrap,
            security_protocol: protocol,
            sasl_mechanism: mechanism,
            sasl_username: user,
            ca_cert: None,
            client_cert: None,
            schema_registry_url: None,
            schema_registry_username: None,
            schema_registry_allow_http: false,
        }),
        suggested_name: first,
        has_password,
        secret: None,
    })
}

/// The lines of `show`.
pub fn details(k: &KafkaSpec) -> super::shown::Lines {
    use super::shown::{ca_summary, pem_summary, text, Shown};
    let none = |v: &Option<String>| text(v.as_deref().unwrap_or("(none)"));
    let mut out = vec![
        ("bootstrap servers", text(&k.bootstrap_servers)),
        ("security protocol", text(k.security_protocol.as_str())),
        (
            "sasl mechanism",
            text(k.sasl_mechanism.map_or("(none)", SaslMechanism::as_str)),
        ),
        ("sasl user", none(&k.sasl_username)),
        ("sasl password", Shown::Secret(SecretField::SaslPassword)),
        (
            "ca certificate",
            ca_summary(
                &k.ca_cert,
                k.security_protocol.uses_tls() || registry_https(&k.schema_registry_url),
            ),
        ),
        ("client certificate", pem_summary(&k.client_cert)),
        ("client key", Shown::Secret(SecretField::ClientKey)),
        ("schema registry", none(&k.schema_registry_url)),
    ];
    if k.schema_registry_url.is_some() {
        out.push(("schema registry user", none(&k.schema_registry_username)));
        let password = Shown::Secret(SecretField::SchemaRegistryPassword);
        out.push(("schema registry password", password));
    }
    out
}
