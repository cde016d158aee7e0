//! Hand-offs dispatched to each kind: the driver URL and the environment variables (the
//! mechanisms — `Handoff`, `EnvBuilder`, quoting — are `crate::handoff`'s).

use super::{azure, database, gcs, kafka, s3};
use crate::handoff::{EnvBuilder, Handoff};
use crate::model::Resolved;
use crate::model::{SecretField, Spec};

/// The driver URL of a connection (each kind's own). The password is included only
/// with `with_password`.
pub fn url(r: &Resolved, with_password: bool) -> String {
    let secret = |f: SecretField| {
        with_password
            .then(|| r.secret(f))
            .flatten()
            .map(|s| s.expose())
    };
    match &r.connection.spec {
        Spec::Database(d) => database::url(d, secret(SecretField::Password)),
        Spec::S3(s) => s3::url(s),
        Spec::Azure(a) => azure::url(a, secret(SecretField::SasToken)),
        Spec::Gcs(g) => gcs::url(g),
        Spec::Kafka(k) => kafka::url(k, secret(SecretField::SaslPassword)),
    }
}

/// The environment variables for a connection (each kind's own).
pub fn env(r: &Resolved, with_secrets: bool) -> Handoff {
    let mut b = EnvBuilder::new(r, with_secrets);
    match &r.connection.spec {
        Spec::Database(d) => database::env(&mut b, d),
        Spec::S3(s) => s3::env(&mut b, s),
        Spec::Azure(a) => azure::env(&mut b, a),
        Spec::Gcs(g) => gcs::env(&mut b, g),
        Spec::Kafka(k) => kafka::env(&mut b, k),
    }
    b.finish()
}
