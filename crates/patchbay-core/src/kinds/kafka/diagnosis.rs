//! What librdkafka's own words mean: the log and error lines the Kafka check captures are mapped
//! to the step that failed (dns, tcp, tls, auth, advertised brokers) and its fix, because
//! librdkafka itself only reports "BrokerTransportFailure". Also the advertised-listeners trap's
//! verdict, which the check reaches by dialling the brokers too.

use crate::check::verdict::{Failure, StepName};
use crate::model::{KafkaSpec, SaslMechanism};

/// The classic trap: the bootstrap servers answer, the addresses the brokers advertise do not.
pub(super) fn unreachable_brokers(what: &str, bootstrap: &str) -> Failure {
    Failure::new(StepName::Advertised, format!("the bootstrap servers answered, but {what}")).hint(format!(
        "the classic Kafka trap: {bootstrap} is reachable but the brokers advertise addresses this machine cannot reach; set the brokers' advertised.listeners to an address clients can use"
    ))
}

/// What the captured librdkafka messages say went wrong, if it is final.
pub(super) fn diagnose(text: &str, k: &KafkaSpec) -> Option<Failure> {
    let lower = text.to_ascii_lowercase();
    let user = k.sasl_username.as_deref().unwrap_or("");
    let last = |needle: &str| {
        text.lines()
            .rev()
            .find(|l| l.to_ascii_lowercase().contains(needle))
            .unwrap_or("")
            .to_string()
    };
    if lower.contains("authentication failed")
        || lower.contains("invalid-proof")
        || lower.contains("sasl authentication error")
    {
        return Some(
            Failure::new(
                StepName::Auth,
                format!("SASL authentication failed for user {user}"),
            )
            .error(last("auth"))
            .hint(match k.sasl_mechanism {
                Some(m @ (SaslMechanism::ScramSha256 | SaslMechanism::ScramSha512)) => {
                    let other = if m == SaslMechanism::ScramSha256 {
                        "SCRAM-SHA-512"
                    } else {
                        "SCRAM-SHA-256"
                    };
                    format!("wrong SASL password for user {user}, the user does not exist on the brokers, or it exists only for {other}: try that mechanism")
                }
                _ => format!(
                    "wrong SASL password for user {user}, or the user does not exist on the brokers"
                ),
            }),
        );
    }
    // The broker hung up at the SASL handshake (tansu does so for a mechanism it does not
    // offer; librdkafka then says "mechanism handshake failed"): no use waiting for metadata.
    if lower.contains("mechanism handshake failed") {
        let m = k.sasl_mechanism.map_or("", SaslMechanism::as_str);
        return Some(
            Failure::new(
                StepName::Auth,
                format!("the brokers refused the SASL {m} handshake"),
            )
            .error(last("handshake failed"))
            .hint(format!("the brokers do not offer {m}: choose a mechanism they enable (SCRAM-SHA-256 or SCRAM-SHA-512 are common)")),
        );
    }
    if lower.contains("unsupported sasl mechanism")
        || (lower.contains("sasl") && lower.contains("not supported by broker"))
    {
        let m = k.sasl_mechanism.map_or("", SaslMechanism::as_str);
        return Some(
            Failure::new(
                StepName::Auth,
                format!("the brokers do not offer SASL mechanism {m}"),
            )
            .error(last("mechanism"))
            .hint("choose a mechanism the brokers enable (e.g. SCRAM-SHA-512)"),
        );
    }
    if lower.contains("certificate verify failed") || lower.contains("ssl handshake failed") {
        return Some(
            Failure::new(StepName::Tls, "the TLS handshake with a broker failed")
                .error(last("ssl"))
                .hint("check the CA certificate (and the client certificate and key)"),
        );
    }
    // librdkafka names brokers "host:port/bootstrap" until it learns their ids from metadata,
    // then "host:port/ID": a failure to reach an ID-named broker is the advertised-listener trap.
    for line in text.lines() {
        let Some(at) = line
            .find(": Connect to ")
            .or_else(|| line.find(": Failed to resolve"))
        else {
            continue;
        };
        let broker = line[..at].rsplit(' ').next().unwrap_or("");
        if let Some((addr, id)) = broker.rsplit_once('/') {
            if id != "bootstrap" && id.chars().all(|c| c.is_ascii_digit()) {
                let what =
                    format!("broker {id} advertises {addr}, which cannot be reached from here");
                return Some(unreachable_brokers(&what, &k.bootstrap_servers).error(line.trim()));
            }
        }
    }
    // Something answered, but not in the Kafka protocol (a TLS, HTTP or database port), on
    // every broker: no need to wait for metadata that will never come.
    if (lower.contains("invalid response size") || lower.contains("bad message format"))
        && lower.contains("all broker")
    {
        return Some(
            Failure::new(
                StepName::Metadata,
                "the server does not answer in the Kafka protocol",
            )
            .error(last("receive failed"))
            .hint("is this port a Kafka broker? Something else answered (a web, database or TLS server); for TLS brokers choose SSL or SASL_SSL"),
        );
    }
    if lower.contains("connection reset by peer") && lower.contains("all broker") {
        return Some(
            Failure::new(StepName::Tcp, "every broker reset the connection")
                .error(last("reset"))
                .hint("something on these ports closes connections at once: a firewall, a proxy, or a server that is not Kafka"),
        );
    }
    if lower.contains("connection refused") && lower.contains("all broker") {
        return Some(
            Failure::new(StepName::Tcp, "every broker refused the connection")
                .error(last("refused"))
                .hint("port closed — is Kafka running on these ports?"),
        );
    }
    None
}
