//! Pasted text to a form: which kind a connection URL, connection string or bootstrap list
//! belongs to, read by that kind (the pasted form itself is `crate::paste`'s).

use super::azure::paste as azure_paste;
use super::{database, gcs, kafka, s3};
use crate::error::{Error, Result};
use crate::paste::Pasted;

/// Reads a pasted connection URL.
pub fn paste(text: &str) -> Result<Pasted> {
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
    if azure_paste::is_connection_string(t) {
        return azure_paste::connection_string(t);
    }
    let scheme = t.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    let azure_host = url::Url::parse(t)
        .ok()
        .and_then(|u| u.host_str().map(azure_paste::is_azure_host))
        .unwrap_or(false);
    match scheme.as_deref() {
        Some("postgres" | "postgresql" | "mysql" | "mariadb") => database::paste(t),
        Some("http" | "https") if azure_host => azure_paste::url(t),
        Some("abfs" | "abfss" | "wasb" | "wasbs") => azure_paste::url(t),
        Some("http" | "https") => s3::paste(t),
        Some("gs") => gcs::paste(t),
        Some("s3") => Err(Error::invalid("url", "an s3:// URL names a bucket, not an endpoint; paste the endpoint (https://…) instead")),
        Some("kafka") => kafka::paste(t.split_once("://").map(|(_, r)| r).unwrap_or(t)),
        Some(other) => Err(Error::invalid("url", format!("\"{other}://\" is not a URL Patchbay knows; use postgres://, mysql://, https:// (S3, Azure), abfss://, gs://, an Azure connection string or kafka://"))),
        None => kafka::paste(t),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_pasted_postgres_url_without_sslmode_requires_tls() {
        let p = super::paste("postgres://app@db.internal/orders").unwrap();
        let crate::model::Spec::Database(d) = p.spec else {
            panic!("not a database")
        };
        assert_eq!(d.ssl_mode, crate::model::SslMode::Require);
    }

    use super::*;
    use crate::model::*;

    #[test]
    fn a_postgres_url_fills_the_database_form_without_its_password() {
        let p =
            paste("postgresql://app:s%40cret@db.internal:6543/orders?sslmode=verify-full").unwrap();
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
        let Spec::Database(d) = paste("mysql://root@10.0.0.5/shop").unwrap().spec else {
            panic!()
        };
        assert_eq!((d.engine, d.port), (DbEngine::Mysql, 3306));
        let Spec::S3(s) = paste("http://127.0.0.1:9000").unwrap().spec else {
            panic!()
        };
        assert!(s.allow_http);
        assert_eq!(s.endpoint_url.as_deref(), Some("http://127.0.0.1:9000"));
        let Spec::S3(s) = paste("https://s3.eu-west-1.amazonaws.com").unwrap().spec else {
            panic!()
        };
        assert_eq!(
            (s.region.as_str(), s.endpoint_url.clone()),
            ("eu-west-1", None)
        );
        let Spec::Kafka(k) = paste("kafka://alice:pw@k1:9093,k2:9093?security.protocol=SASL_SSL&sasl.mechanism=SCRAM-SHA-256").unwrap().spec else { panic!() };
        assert_eq!(
            (k.bootstrap_servers.as_str(), k.sasl_username.as_deref()),
            ("k1:9093,k2:9093", Some("alice"))
        );
        assert_eq!(k.sasl_mechanism, Some(SaslMechanism::ScramSha256));
        let Spec::Kafka(k) = paste("b1:9092, b2:9092").unwrap().spec else {
            panic!()
        };
        assert_eq!(k.security_protocol, SecurityProtocol::Plaintext);
    }

    #[test]
    fn an_address_is_proposed_whole_as_a_name_and_a_host_by_its_first_label() {
        assert_eq!(paste("127.0.0.1:9092").unwrap().suggested_name, "127-0-0-1");
        assert_eq!(
            paste("https://[::1]:9000").unwrap().suggested_name,
            "ipv6-1"
        );
        assert_eq!(
            paste("k1.example.com:9092,k2.example.com:9092")
                .unwrap()
                .suggested_name,
            "k1"
        );
    }

    #[test]
    fn a_url_patchbay_does_not_know_is_refused_with_what_it_does_know() {
        assert!(paste("redis://x")
            .unwrap_err()
            .to_string()
            .contains("postgres://"));
        assert!(paste("").is_err());
        assert!(paste("just words").is_err());
    }
}
