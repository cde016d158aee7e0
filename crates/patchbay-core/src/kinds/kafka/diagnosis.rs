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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SecurityProtocol;

    fn spec(mechanism: Option<SaslMechanism>) -> KafkaSpec {
        KafkaSpec {
            bootstrap_servers: "127.0.0.1:9092".into(),
            security_protocol: SecurityProtocol::SaslSsl,
            sasl_mechanism: mechanism,
            sasl_username: Some("etl".into()),
            ca_cert: None,
            client_cert: None,
            schema_registry_url: None,
            schema_registry_username: None,
            schema_registry_allow_http: false,
        }
    }

    /// The step, message and hint librdkafka's lines (as it logs them) lead to.
    fn said(text: &str, m: Option<SaslMechanism>) -> (StepName, String, String) {
        let f = diagnose(text, &spec(m)).unwrap_or_else(|| panic!("no verdict for {text}"));
        (f.step, f.message, f.hint.unwrap_or_default())
    }

    const SCRAM_FAILED: &str = "sasl_ssl://127.0.0.1:9092/bootstrap: SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256 (after 4ms in state AUTH_REQ)";

    #[test]
    fn a_refused_login_names_the_user_and_for_scram_the_other_mechanism() {
        let wrong = |other: &str| {
            format!("wrong SASL password for user etl, the user does not exist on the brokers, or it exists only for {other}: try that mechanism")
        };
        let (step, msg, hint) = said(SCRAM_FAILED, Some(SaslMechanism::ScramSha256));
        assert_eq!(
            (step, msg.as_str()),
            (StepName::Auth, "SASL authentication failed for user etl")
        );
        assert_eq!(hint, wrong("SCRAM-SHA-512"));
        assert_eq!(
            said(SCRAM_FAILED, Some(SaslMechanism::ScramSha512)).2,
            wrong("SCRAM-SHA-256")
        );
        assert_eq!(
            said(
                "SASL SCRAM-SHA-256 mechanism handshake: server-first-message: invalid-proof",
                Some(SaslMechanism::Plain)
            )
            .2,
            "wrong SASL password for user etl, or the user does not exist on the brokers"
        );
        let f = diagnose(
            &format!("connecting\n{SCRAM_FAILED}\nretrying"),
            &spec(None),
        )
        .unwrap();
        assert_eq!(
            f.error.as_deref(),
            Some(SCRAM_FAILED),
            "the error line is the one that says so"
        );
        for text in [
            "Broker: SASL Authentication failed",
            "broker: sasl authentication error: x",
        ] {
            assert_eq!(
                said(text, None).1,
                "SASL authentication failed for user etl",
                "{text}"
            );
        }
    }

    #[test]
    fn a_mechanism_the_brokers_do_not_offer_is_named() {
        let (step, msg, _) = said("127.0.0.1:9092/bootstrap: SASL PLAIN mechanism handshake failed: Broker: Request not valid in current SASL state", Some(SaslMechanism::Plain));
        assert_eq!(
            (step, msg.as_str()),
            (
                StepName::Auth,
                "the brokers refused the SASL PLAIN handshake"
            )
        );
        for text in [
            "127.0.0.1:9092/bootstrap: Broker: Unsupported SASL mechanism",
            "Failed to initialize SASL authentication: SASL Handshake not supported by broker (required by mechanism SCRAM-SHA-512)",
        ] {
            let (step, msg, _) = said(text, Some(SaslMechanism::ScramSha512));
            assert_eq!((step, msg.as_str()), (StepName::Auth, "the brokers do not offer SASL mechanism SCRAM-SHA-512"), "{text}");
        }
        assert!(diagnose("the broker does not support this SASL feature", &spec(None)).is_none());
        assert!(diagnose("api version not supported by broker", &spec(None)).is_none());
    }

    #[test]
    fn tls_failures_are_the_tls_step() {
        for text in [
            "ssl://127.0.0.1:9093/bootstrap: SSL handshake failed: error:0A000086:SSL routines::certificate verify failed: broker certificate could not be verified",
            "ssl://127.0.0.1:9093/bootstrap: SSL handshake failed: Disconnected: connecting to a PLAINTEXT broker listener?",
        ] {
            let (step, msg, _) = said(text, None);
            assert_eq!((step, msg.as_str()), (StepName::Tls, "the TLS handshake with a broker failed"), "{text}");
        }
    }

    #[test]
    fn an_unreachable_broker_known_by_its_id_is_the_advertised_listener_trap() {
        let line = "127.0.0.1:59099/111: Connect to ipv4#127.0.0.1:59099 failed: Connection refused (after 0ms in state CONNECT)";
        let f = diagnose(&format!("metadata ok\n{line}"), &spec(None)).unwrap();
        assert_eq!(f.step, StepName::Advertised);
        assert_eq!(f.message, "the bootstrap servers answered, but broker 111 advertises 127.0.0.1:59099, which cannot be reached from here");
        assert_eq!(f.error.as_deref(), Some(line));
        assert_eq!(f.hint.as_deref(), Some("the classic Kafka trap: 127.0.0.1:9092 is reachable but the brokers advertise addresses this machine cannot reach; set the brokers' advertised.listeners to an address clients can use"));
        let dns = "kafka-0.internal:9092/0: Failed to resolve 'kafka-0.internal:9092': Name or service not known";
        assert_eq!(said(dns, None).1, "the bootstrap servers answered, but broker 0 advertises kafka-0.internal:9092, which cannot be reached from here");
        // Not yet known by an id: the bootstrap servers themselves, or a name that is no id.
        for text in [
            "127.0.0.1:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused",
            "127.0.0.1:9092/b1: Connect to ipv4#127.0.0.1:9092 failed: Connection refused",
        ] {
            assert!(diagnose(text, &spec(None)).is_none(), "{text}");
        }
    }

    #[test]
    fn every_broker_failing_alike_ends_the_wait_and_one_alone_does_not() {
        let down = "\nLocal: All broker connections are down";
        let cases = [
            ("127.0.0.1:5432/bootstrap: Receive failed: Invalid response size 1213486160 (0..1000000000)", StepName::Metadata, "the server does not answer in the Kafka protocol"),
            ("127.0.0.1:8080/bootstrap: Protocol parse failure: Bad message format", StepName::Metadata, "the server does not answer in the Kafka protocol"),
            ("127.0.0.1:9092/bootstrap: Receive failed: Connection reset by peer", StepName::Tcp, "every broker reset the connection"),
            ("127.0.0.1:9092/bootstrap: Connect to ipv4#127.0.0.1:9092 failed: Connection refused", StepName::Tcp, "every broker refused the connection"),
        ];
        for (line, step, message) in cases {
            let (s, m, _) = said(&format!("{line}{down}"), None);
            assert_eq!((s, m.as_str()), (step, message), "{line}");
            assert!(
                diagnose(line, &spec(None)).is_none(),
                "one broker's failure is not final: {line}"
            );
        }
        assert!(diagnose(down, &spec(None)).is_none());
    }
}
