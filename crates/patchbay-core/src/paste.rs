//! Pasting a connection URL to fill a form: `postgres://user@host:5432/db?sslmode=require`,
//! `mysql://…`, an S3 endpoint (`https://minio.local:9000`), or a Kafka bootstrap list
//! (`kafka://a:9092,b:9092` or just `a:9092,b:9092`). The result never carries the password: the
//! form keeps what the user pasted; this only says whether one was there.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::kinds;
use crate::model::*;

/// What a pasted URL fills in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Pasted {
    pub spec: Spec,
    /// A name to suggest (the database, or the host's first label).
    pub suggested_name: String,
    /// Whether the URL carried a password (the form takes it from the pasted text itself).
    pub has_password: bool,
    /// Where a secret stands in the pasted text (an account key in a connection string, a SAS
    /// in a URL), for the form to take from the text it holds; never the value itself.
    pub secret: Option<PastedSecret>,
}

/// A secret's place in the pasted text (trimmed), in UTF-16 code units as the window counts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PastedSecret {
    pub field: SecretField,
    pub start: u32,
    pub end: u32,
}

pub(crate) fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A name to suggest for a host: its first label (`db` for db.internal), or for an address the
/// whole of it (`127-0-0-1`, never just `127`).
pub(crate) fn first_label(host: &str) -> String {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => return bare.replace('.', "-"),
        Ok(std::net::IpAddr::V6(_)) => {
            return format!("ipv6-{}", bare.replace(':', "-").trim_matches('-'))
        }
        Err(_) => {}
    }
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
    if kinds::azure_paste::is_connection_string(t) {
        return kinds::azure_paste::connection_string(t);
    }
    let scheme = t.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    let azure_host = url::Url::parse(t)
        .ok()
        .and_then(|u| u.host_str().map(kinds::azure_paste::is_azure_host))
        .unwrap_or(false);
    match scheme.as_deref() {
        Some("postgres" | "postgresql" | "mysql" | "mariadb") => kinds::database::paste(t),
        Some("http" | "https") if azure_host => kinds::azure_paste::url(t),
        Some("abfs" | "abfss" | "wasb" | "wasbs") => kinds::azure_paste::url(t),
        Some("http" | "https") => kinds::storage::paste(t),
        Some("gs") => kinds::gcs::paste(t),
        Some("s3") => Err(Error::invalid("url", "an s3:// URL names a bucket, not an endpoint; paste the endpoint (https://…) instead")),
        Some("kafka") => kinds::kafka::paste(t.split_once("://").map(|(_, r)| r).unwrap_or(t)),
        Some(other) => Err(Error::invalid("url", format!("\"{other}://\" is not a URL Patchbay knows; use postgres://, mysql://, https:// (S3, Azure), abfss://, gs://, an Azure connection string or kafka://"))),
        None => kinds::kafka::paste(t),
    }
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
        let json = serde_json::to_string(&p).unwrap();
        assert!(
            !json.contains("s%40cret") && !json.contains("s@cret"),
            "{json}"
        );
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
    fn an_address_is_proposed_whole_as_a_name_and_a_host_by_its_first_label() {
        assert_eq!(parse("127.0.0.1:9092").unwrap().suggested_name, "127-0-0-1");
        assert_eq!(
            parse("https://[::1]:9000").unwrap().suggested_name,
            "ipv6-1"
        );
        assert_eq!(
            parse("k1.example.com:9092,k2.example.com:9092")
                .unwrap()
                .suggested_name,
            "k1"
        );
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
