//! Pasting a connection URL to fill a form: `postgres://user@host:5432/db?sslmode=require`,
//! `mysql://…`, an S3 endpoint (`https://minio.local:9000`), or a Kafka bootstrap list
//! (`kafka://a:9092,b:9092` or just `a:9092,b:9092`). The result never carries the password: the
//! form keeps what the user pasted; this only says whether one was there.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::*;
use crate::validate;

/// What a pasted URL fills in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Pasted {
    pub spec: Spec,
    /// A name to suggest (the database, or the host's first label).
    pub suggested_name: String,
    /// Whether the URL carried a password (the form takes it from the pasted text itself).
    pub has_password: bool,
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn first_label(host: &str) -> String {
    host.split('.').next().unwrap_or(host).to_string()
}

/// Reads a pasted connection URL.
pub fn parse(text: &str) -> Result<Pasted> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Error::invalid(
            "url",
            "is empty; paste a URL such as postgres://user@host:5432/db",
        ));
    }
    if t.len() > 4096 || t.chars().any(char::is_control) {
        return Err(Error::invalid(
            "url",
            "is not a connection URL (too long or contains control characters)",
        ));
    }
    let scheme = t.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("postgres" | "postgresql" | "mysql" | "mariadb") => database(t),
        Some("http" | "https") => storage(t),
        Some("s3") => Err(Error::invalid("url", "an s3:// URL names a bucket, not an endpoint; paste the endpoint (https://…) instead")),
        Some("kafka") => kafka(t.split_once("://").map(|(_, r)| r).unwrap_or(t)),
        Some(other) => Err(Error::invalid("url", format!("\"{other}://\" is not a URL Patchbay knows; use postgres://, mysql://, https:// (S3) or kafka://"))),
        None => kafka(t),
    }
}

fn database(t: &str) -> Result<Pasted> {
    let u = url::Url::parse(t)
        .map_err(|e| Error::invalid("url", format!("is not a valid URL ({e})")))?;
    let engine = if u.scheme().starts_with("postgres") {
        DbEngine::Postgresql
    } else {
        DbEngine::Mysql
    };
    let host = validate::host("url", u.host_str().unwrap_or(""))?;
    let port = u.port().map(u32::from).unwrap_or(engine.default_port());
    let database = decode(u.path().trim_start_matches('/'));
    // No sslmode in the URL: Patchbay's default (require), not libpq's (prefer).
    let mut ssl_mode = SslMode::default();
    for (k, v) in u.query_pairs() {
        if matches!(k.as_ref(), "sslmode" | "ssl-mode" | "ssl_mode") {
            ssl_mode = SslMode::parse(&v)
                .ok_or_else(|| Error::invalid("url", format!("sslmode \"{v}\" is not known")))?;
        }
    }
    let name = if database.is_empty() {
        first_label(&host)
    } else {
        database.clone()
    };
    Ok(Pasted {
        spec: Spec::Database(DatabaseSpec {
            engine,
            host,
            port,
            database,
            username: decode(u.username()),
            ssl_mode,
            ca_cert: None,
        }),
        suggested_name: name,
        has_password: u.password().is_some(),
    })
}

fn storage(t: &str) -> Result<Pasted> {
    let u = url::Url::parse(t)
        .map_err(|e| Error::invalid("url", format!("is not a valid URL ({e})")))?;
    let host = u.host_str().unwrap_or("").to_string();
    let endpoint = format!(
        "{}://{}{}",
        u.scheme(),
        host,
        u.port().map(|p| format!(":{p}")).unwrap_or_default()
    );
    let region = host
        .strip_prefix("s3.")
        .and_then(|r| r.strip_suffix(".amazonaws.com"))
        .filter(|r| !r.is_empty())
        .unwrap_or("us-east-1")
        .to_string();
    let aws = host.ends_with(".amazonaws.com");
    Ok(Pasted {
        spec: Spec::Storage(StorageSpec {
            access_key_id: decode(u.username()),
            region,
            endpoint_url: (!aws).then_some(endpoint),
            verify_ssl: true,
            allow_http: u.scheme() == "http",
        }),
        suggested_name: first_label(&host),
        has_password: u.password().is_some(),
    })
}

fn kafka(rest: &str) -> Result<Pasted> {
    let (auth, hosts) = match rest.rsplit_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    let (hosts, query) = hosts.split_once('?').unwrap_or((hosts, ""));
    let bootstrap = validate::bootstrap_servers("url", hosts.trim_end_matches('/'))?;
    let mut protocol = SecurityProtocol::Plaintext;
    let mut mechanism = None;
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "security.protocol" | "security_protocol" => {
                protocol = SecurityProtocol::parse(&v).ok_or_else(|| {
                    Error::invalid("url", format!("security protocol \"{v}\" is not known"))
                })?
            }
            "sasl.mechanism" | "sasl_mechanism" => {
                mechanism = Some(SaslMechanism::parse(&v).ok_or_else(|| {
                    Error::invalid("url", format!("SASL mechanism \"{v}\" is not known"))
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
        .and_then(validate::split_host_port)
        .map(|(h, _)| first_label(h))
        .unwrap_or_default();
    Ok(Pasted {
        spec: Spec::Kafka(KafkaSpec {
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
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pasted_postgres_url_without_sslmode_requires_tls() {
        let p = super::parse("postgres://app@db.internal/orders").unwrap();
        let crate::model::Spec::Database(d) = p.spec else {
            panic!("not a database")
        };
        assert_eq!(d.ssl_mode, crate::model::SslMode::Require);
    }

    use super::*;

    #[test]
    fn a_postgres_url_fills_the_database_form_without_its_password() {
        let p =
            parse("postgresql://app:s%40cret@db.internal:6543/orders?sslmode=verify-full").unwrap();
        let Spec::Database(d) = &p.spec else { panic!() };
        assert_eq!(
            (
                d.host.as_str(),
                d.port,
                d.database.as_str(),
                d.username.as_str()
            ),
            ("db.internal", 6543, "orders", "app")
        );
        assert_eq!(d.ssl_mode, SslMode::VerifyFull);
        assert!(p.has_password);
        assert!(!serde_json::to_string(&p).unwrap().contains("cret"));
        assert_eq!(p.suggested_name, "orders");
    }

    #[test]
    fn mysql_s3_and_kafka_urls_fill_their_forms() {
        let Spec::Database(d) = parse("mysql://root@10.0.0.5/shop").unwrap().spec else {
            panic!()
        };
        assert_eq!((d.engine, d.port), (DbEngine::Mysql, 3306));
        let Spec::Storage(s) = parse("http://127.0.0.1:9000").unwrap().spec else {
            panic!()
        };
        assert!(s.allow_http);
        assert_eq!(s.endpoint_url.as_deref(), Some("http://127.0.0.1:9000"));
        let Spec::Storage(s) = parse("https://s3.eu-west-1.amazonaws.com").unwrap().spec else {
            panic!()
        };
        assert_eq!(
            (s.region.as_str(), s.endpoint_url.clone()),
            ("eu-west-1", None)
        );
        let Spec::Kafka(k) = parse("kafka://alice:pw@k1:9093,k2:9093?security.protocol=SASL_SSL&sasl.mechanism=SCRAM-SHA-256").unwrap().spec else { panic!() };
        assert_eq!(
            (k.bootstrap_servers.as_str(), k.sasl_username.as_deref()),
            ("k1:9093,k2:9093", Some("alice"))
        );
        assert_eq!(k.sasl_mechanism, Some(SaslMechanism::ScramSha256));
        let Spec::Kafka(k) = parse("b1:9092, b2:9092").unwrap().spec else {
            panic!()
        };
        assert_eq!(k.security_protocol, SecurityProtocol::Plaintext);
    }

    #[test]
    fn a_url_patchbay_does_not_know_is_refused_with_what_it_does_know() {
        assert!(parse("redis://x")
            .unwrap_err()
            .to_string()
            .contains("postgres://"));
        assert!(parse("").is_err());
        assert!(parse("just words").is_err());
    }
}
