//! Listing what an object store holds: the one dispatch to each object-store kind's listing
//! (`kinds/<kind>/listing.rs`), with the saved secrets of the connection; other kinds hold no
//! buckets.

use std::time::Duration;

use super::{azure, gcs, s3};
use crate::error::{Error, Result};
use crate::listing::{Ask, Page, Place, Uri};
use crate::model::{Kind, Resolved, SecretField, Spec};

/// One page of `ask` in the store `r` names, each request bounded by `timeout`.
pub async fn list(r: &Resolved, ask: &Ask, timeout: Duration) -> Result<Page> {
    let secret = |f: SecretField| r.secret(f).map(|s| s.expose());
    let c = &r.connection;
    match &c.spec {
        Spec::S3(s) if s3::session::mints(s) => {
            // The session it signs with (kept by the caller, or minted for this listing as for
            // a hand-off).
            let (keyed, _) = s3::session::minted(r.clone(), timeout, None).await?;
            Box::pin(list(&keyed, ask, timeout)).await
        }
        Spec::S3(s) => {
            let keys = s3::listing::Keys {
                secret: secret(SecretField::SecretAccessKey),
                session_token: secret(SecretField::SessionToken),
            };
            s3::listing::list(s, &keys, ask, timeout).await
        }
        Spec::Azure(a) => {
            let secrets = azure::proof::AzureSecrets {
                account_key: secret(SecretField::AccountKey),
                sas: secret(SecretField::SasToken),
                client_secret: secret(SecretField::ClientSecret),
            };
            azure::listing::list(a, &secrets, ask, timeout).await
        }
        Spec::Gcs(g) => {
            let (key, hmac) = (SecretField::ServiceAccountKey, SecretField::HmacSecret);
            gcs::listing::list(g, secret(key), secret(hmac), ask, timeout).await
        }
        Spec::Database(_) | Spec::Kafka(_) => Err(Error::invalid(
            "name",
            format!(
                "{} is {}: only object stores (S3, Azure Blob, Google Cloud Storage) hold buckets to list",
                c.name,
                c.kind.a_label()
            ),
        )),
    }
}

/// Whether connections of `kind` hold buckets (containers) to list.
pub fn holds_buckets(kind: Kind) -> bool {
    match kind {
        Kind::S3 | Kind::Azure | Kind::Gcs => true,
        Kind::Database | Kind::Kafka => false,
    }
}

/// Whether connections of `kind` are saved with a bucket (container) of their own to start in.
pub fn holds_a_default_bucket(kind: Kind) -> bool {
    match kind {
        Kind::Azure | Kind::Gcs => true,
        Kind::S3 | Kind::Database | Kind::Kafka => false,
    }
}

/// `spec` with `bucket` as the bucket (container) it is saved with; None for a kind without one.
pub fn with_bucket(spec: &Spec, bucket: &str) -> Option<Spec> {
    let mut spec = spec.clone();
    match &mut spec {
        Spec::Azure(a) => a.container = Some(bucket.to_string()),
        Spec::Gcs(g) => g.bucket = Some(bucket.to_string()),
        Spec::S3(_) | Spec::Database(_) | Spec::Kafka(_) => return None,
    }
    Some(spec)
}

/// The bucket (container) a connection is saved with, where its kind has one.
pub fn saved_bucket(spec: &Spec) -> Option<&str> {
    match spec {
        Spec::Azure(a) => a.container.as_deref(),
        Spec::Gcs(g) => g.bucket.as_deref(),
        Spec::S3(_) | Spec::Database(_) | Spec::Kafka(_) => None,
    }
}

/// The place's URIs in the forms the kind's tools take (none for the store's buckets).
pub fn uris(spec: &Spec, place: &Place) -> Vec<Uri> {
    match spec {
        Spec::S3(_) => s3::listing::uris(place, "s3"),
        Spec::Azure(a) => azure::listing::uris(a, place),
        Spec::Gcs(_) => s3::listing::uris(place, "gs"),
        Spec::Database(_) | Spec::Kafka(_) => Vec::new(),
    }
}
