//! The Kafka check: name lookup and TCP to the bootstrap servers, a TLS handshake of our own when
//! the protocol uses TLS, then a metadata request through librdkafka (rdkafka) with the saved
//! protocol, SASL mechanism and PEM material. librdkafka only says "BrokerTransportFailure" by
//! itself, so its log and error callbacks are captured and `kafka_diagnosis` names the real
//! reason. Finally every advertised broker address is dialled: "bootstrap reachable but advertised
//! listeners are not" is the classic trap, and it is named as such.

use std::sync::Mutex;
use std::time::Duration;

use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::error::KafkaError;

use super::diagnosis::{diagnose, unreachable_brokers};
use crate::check::net;
use crate::check::tls::{self, TlsSettings, Verify};
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::KafkaSpec;
use crate::validate::split_host_port;

/// Collects what librdkafka says while it works.
#[derive(Default)]
struct Capture {
    lines: Mutex<Vec<String>>,
}

impl ClientContext for Capture {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, message: &str) {
        if (level as i32) <= (RDKafkaLogLevel::Notice as i32) {
            self.lines
                .lock()
                .expect("not poisoned")
                .push(format!("{fac}: {message}"));
        }
    }
    fn error(&self, error: KafkaError, reason: &str) {
        self.lines
            .lock()
            .expect("not poisoned")
            .push(format!("{error}: {reason}"));
    }
}

impl ConsumerContext for Capture {}

impl Capture {
    fn text(&self) -> String {
        self.lines.lock().expect("not poisoned").join("\n")
    }
}

/// A broker as the cluster advertises it.
struct Broker {
    id: i32,
    host: String,
    port: u16,
}

struct Metadata {
    brokers: Vec<Broker>,
    topics: usize,
}

pub struct KafkaSecrets<'a> {
    pub sasl_password: Option<&'a str>,
    pub client_key: Option<&'a str>,
    pub registry_password: Option<&'a str>,
}

pub async fn check(
    rec: &mut Recorder,
    k: &KafkaSpec,
    s: &KafkaSecrets<'_>,
) -> Result<String, Failure> {
    let bootstrap: Vec<(String, u16)> = k
        .bootstrap_servers
        .split(',')
        .filter_map(|e| {
            split_host_port(e).map(|(h, p)| {
                (
                    h.trim_start_matches('[').trim_end_matches(']').to_string(),
                    p.parse().unwrap_or(0),
                )
            })
        })
        .collect();
    // Name lookup and TCP to the first bootstrap server that answers.
    let mut reached = None;
    let mut last_failure = None;
    let mut unreachable = Vec::new();
    let mut tried = 0;
    for (host, port) in &bootstrap {
        tried += 1;
        let attempt = async {
            let addrs = net::lookup(rec, host, *port).await?;
            net::connect(rec, host, &addrs).await
        }
        .await;
        match attempt {
            Ok(stream) => {
                reached = Some((host.clone(), stream));
                break;
            }
            Err(f) => {
                unreachable.push(format!("{host}:{port} ({})", f.message));
                last_failure = Some(f);
            }
        }
    }
    // The bootstrap servers after the one reached are dialled too (briefly, at once), so a dead
    // one is reported wherever it stands in the list.
    if reached.is_some() {
        let within = rec.remaining().min(Duration::from_millis(1500)) / 2;
        let mut probes = tokio::task::JoinSet::new();
        for (host, port) in bootstrap.iter().skip(tried).cloned() {
            probes.spawn(async move {
                let dial = tokio::net::TcpStream::connect((host.as_str(), port));
                match tokio::time::timeout(within, dial).await {
                    Ok(Ok(_)) => None,
                    Ok(Err(e)) => Some(format!("{host}:{port} ({e})")),
                    Err(_) => Some(format!("{host}:{port} (no answer)")),
                }
            });
        }
        while let Some(r) = probes.join_next().await {
            if let Ok(Some(dead)) = r {
                unreachable.push(dead);
            }
        }
    }
    if !unreachable.is_empty() && reached.is_some() {
        rec.fact("unreachable bootstrap", unreachable.join(", "));
    }
    let Some((host, stream)) = reached else {
        let f = last_failure.expect("at least one bootstrap server");
        let hint = format!(
            "{} (no bootstrap server could be reached)",
            f.hint.clone().unwrap_or_default()
        );
        return Err(f.hint(hint));
    };
    let client = match (&k.client_cert, s.client_key) {
        (Some(c), Some(key)) => Some((c.as_str(), key)),
        _ => None,
    };
    if k.security_protocol.uses_tls() {
        let settings = TlsSettings {
            verify: Verify::Full,
            ca_pem: k.ca_cert.as_deref(),
            client,
            unverified: None,
        };
        let version = rec
            .step(StepName::Tls, async move {
                let (_s, v) = tls::handshake(stream, &host, &settings).await?;
                Ok((v.clone(), Some(v)))
            })
            .await?;
        rec.fact("tls", version);
    } else {
        // A third of what is left: a silent port still leaves the metadata step its time.
        super::hello::probe(stream, &host, rec.remaining() / 3).await?;
    }

    let md = metadata(rec, k, s).await?;
    rec.fact(
        "brokers",
        md.brokers
            .iter()
            .map(|b| format!("{} at {}:{}", b.id, b.host, b.port))
            .collect::<Vec<_>>()
            .join(", "),
    );
    rec.fact("topics", md.topics.to_string());

    // The advertised addresses must be reachable too.
    let brokers: Vec<(i32, String, u16)> = md
        .brokers
        .iter()
        .map(|b| (b.id, b.host.clone(), b.port))
        .collect();
    let bootstrap_list = k.bootstrap_servers.clone();
    rec.step(StepName::Advertised, async move {
        dial_advertised(&brokers, &bootstrap_list)
            .await
            .map(|n| ((), Some(format!("{n} broker(s) reachable"))))
    })
    .await?;

    let mut summary = format!("{} broker(s), {} topic(s)", md.brokers.len(), md.topics);
    if let Some(url) = &k.schema_registry_url {
        // Saved before the opt-in existed: basic auth over http:// is not sent without it.
        if k.schema_registry_username.is_some()
            && url.to_ascii_lowercase().starts_with("http://")
            && !k.schema_registry_allow_http
        {
            return Err(Failure::new(
                StepName::Registry,
                "the Schema Registry URL uses http://, which would send its password unencrypted",
            )
            .hint("use https://, or allow unsafe HTTP for the registry"));
        }
        let r = super::registry::check(
            rec,
            url,
            k.schema_registry_username.as_deref(),
            s.registry_password,
            k.ca_cert.as_deref(),
        )
        .await?;
        summary.push_str("; ");
        summary.push_str(&r);
    }
    Ok(summary)
}

fn config(k: &KafkaSpec, s: &KafkaSecrets, timeout: Duration) -> ClientConfig {
    let mut c = ClientConfig::new();
    let ms = timeout.as_millis().clamp(1000, 300_000).to_string();
    c.set("bootstrap.servers", &k.bootstrap_servers)
        .set("security.protocol", k.security_protocol.as_str())
        .set("client.id", "patchbay-check")
        .set("socket.connection.setup.timeout.ms", &ms)
        .set("socket.timeout.ms", &ms)
        .set("reconnect.backoff.ms", "20")
        .set("reconnect.backoff.max.ms", "500")
        .set("topic.metadata.refresh.interval.ms", "-1")
        .set("log.connection.close", "true")
        .set_log_level(RDKafkaLogLevel::Notice);
    if let Some(m) = k.sasl_mechanism {
        c.set("sasl.mechanism", m.as_str());
        c.set("sasl.username", k.sasl_username.as_deref().unwrap_or(""));
        c.set("sasl.password", s.sasl_password.unwrap_or(""));
    }
    if k.security_protocol.uses_tls() {
        if let Some(ca) = &k.ca_cert {
            c.set("ssl.ca.pem", ca);
        }
        if let (Some(cert), Some(key)) = (&k.client_cert, s.client_key) {
            c.set("ssl.certificate.pem", cert);
            c.set("ssl.key.pem", key);
        }
    }
    c
}

async fn metadata(
    rec: &mut Recorder,
    k: &KafkaSpec,
    s: &KafkaSecrets<'_>,
) -> Result<Metadata, Failure> {
    let cfg = config(k, s, rec.remaining());
    let spec = k.clone();
    // Stop a little before the check's deadline, so that what librdkafka said can be reported.
    let deadline =
        std::time::Instant::now() + rec.remaining().saturating_sub(Duration::from_millis(300));
    rec.step(StepName::Metadata, async move {
        let work = tokio::task::spawn_blocking(move || -> Result<Metadata, Failure> {
            let consumer: BaseConsumer<Capture> = cfg
                .create_with_context(Capture::default())
                .map_err(|e| Failure::new(StepName::Metadata, "the Kafka client refused the settings").error(e).hint("check the certificates, key and SASL settings"))?;
            loop {
                // Serves the error callbacks, which arrive through the client's queue; the log
                // lines arrive on librdkafka's threads. A final failure (a refused login) is
                // reported as soon as it is known, not after a metadata wait.
                let _ = consumer.poll(Duration::ZERO);
                if let Some(f) = diagnose(&consumer.context().text(), &spec) {
                    return Err(f);
                }
                match consumer.fetch_metadata(None, Duration::from_millis(100)) {
                    Ok(md) => {
                        let brokers = md.brokers().iter().map(|b| Broker { id: b.id(), host: b.host().to_string(), port: b.port() as u16 }).collect();
                        return Ok(Metadata { brokers, topics: md.topics().len() });
                    }
                    Err(e) => {
                        let text = consumer.context().text();
                        if let Some(f) = diagnose(&text, &spec) {
                            return Err(f);
                        }
                        if std::time::Instant::now() >= deadline {
                            let reason = text.lines().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
                            let f = Failure::new(StepName::Metadata, "the brokers did not return metadata in time")
                                .error(if reason.is_empty() { e.to_string() } else { reason });
                            let hint = if text.contains("Disconnected") || text.contains("ApiVersion") {
                                "the brokers hang up on this client: check the security protocol (do they expect TLS or SASL?)"
                            } else {
                                "check the security protocol and the bootstrap ports"
                            };
                            return Err(f.hint(hint));
                        }
                    }
                }
            }
        });
        let md = work.await.map_err(|e| Failure::new(StepName::Metadata, "the Kafka client stopped unexpectedly").error(e))??;
        let detail = format!("{} broker(s), {} topic(s)", md.brokers.len(), md.topics);
        Ok((md, Some(detail)))
    })
    .await
}

/// Dials every advertised broker; the unreachable ones fail the step in the same words as when
/// librdkafka's log names them first, the OS's error apart.
async fn dial_advertised(
    brokers: &[(i32, String, u16)],
    bootstrap: &str,
) -> Result<usize, Failure> {
    let mut bad = Vec::new();
    for (id, host, port) in brokers {
        let ok = match tokio::net::lookup_host((host.as_str(), *port)).await {
            Ok(mut addrs) => match addrs.next() {
                Some(a) => tokio::net::TcpStream::connect(a)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string()),
                None => Err("no address".into()),
            },
            Err(e) => Err(format!("name lookup failed: {e}")),
        };
        if let Err(e) = ok {
            bad.push((
                format!("broker {id} advertises {host}:{port}, which cannot be reached from here"),
                format!("{host}:{port}: {e}"),
            ));
        }
    }
    if bad.is_empty() {
        return Ok(brokers.len());
    }
    let (what, errors): (Vec<_>, Vec<_>) = bad.into_iter().unzip();
    Err(unreachable_brokers(&what.join("; "), bootstrap).error(errors.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_unreachable_advertised_broker_is_named_without_the_os_error_in_the_message() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let open = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let open_port = open.local_addr().unwrap().port();
        let brokers = [
            (1, "127.0.0.1".to_string(), open_port),
            (7, "127.0.0.1".to_string(), port),
        ];
        let f = dial_advertised(&brokers, "b:9092").await.unwrap_err();
        assert_eq!(f.step, StepName::Advertised);
        assert_eq!(
            f.message,
            format!("the bootstrap servers answered, but broker 7 advertises 127.0.0.1:{port}, which cannot be reached from here")
        );
        assert!(f
            .error
            .as_deref()
            .unwrap()
            .starts_with(&format!("127.0.0.1:{port}: ")));
        assert_eq!(dial_advertised(&brokers[..1], "b:9092").await.unwrap(), 1);
    }
}
