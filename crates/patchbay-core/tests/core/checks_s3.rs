//! S3 checks against s3s-fs (which verifies SigV4): good keys list the buckets, a wrong secret
//! is told from an unknown key id, TLS and plain HTTP only as allowed.

use patchbay_core::check::StepName;
use patchbay_core::kinds;
use patchbay_core::model::*;

use crate::checks::*;
use patchbay_core::Resolved;
use patchbay_testkit::*;
use std::collections::HashMap;

pub(crate) fn s3_draft(
    endpoint: String,
    key_id: String,
    secret: String,
    verify: bool,
    allow_http: bool,
) -> ConnectionDraft {
    ConnectionDraft::new(
        "store",
        Spec::S3(S3Spec {
            access_key_id: key_id,
            region: "us-east-1".into(),
            endpoint_url: Some(endpoint),
            verify_ssl: verify,
            allow_http,
            ca_cert: None,
            session_expires: None,
            profile: None,
            role: None,
        }),
    )
    .with_secret(SecretField::SecretAccessKey, secret)
}

pub(crate) fn http_s3() -> String {
    format!("http://127.0.0.1:{}", env("PB_S3_HTTP_PORT"))
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn s3_with_good_credentials_lists_the_buckets() {
    let v = check(s3_draft(
        http_s3(),
        env("PB_S3_ACCESS_KEY"),
        env("PB_S3_SECRET_KEY"),
        true,
        true,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "buckets visible"), "3");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn s3_tells_a_wrong_secret_from_an_unknown_key_id() {
    let v = check(s3_draft(
        http_s3(),
        env("PB_S3_ACCESS_KEY"),
        "not-the-secret".into(),
        true,
        true,
    ))
    .await;
    assert_failed(
        &v,
        StepName::Auth,
        &format!(
            "the secret access key does not match access key id {}",
            env("PB_S3_ACCESS_KEY")
        ),
    );
    assert_says(&v, "wrong secret access key");
    let v = check(s3_draft(
        http_s3(),
        "AKUNKNOWN".into(),
        env("PB_S3_SECRET_KEY"),
        true,
        true,
    ))
    .await;
    assert_failed(
        &v,
        StepName::Auth,
        "the store does not know access key id AKUNKNOWN",
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn s3_over_https_needs_verify_off_for_an_untrusted_certificate() {
    let https = format!("https://127.0.0.1:{}", env("PB_S3_HTTPS_PORT"));
    let v = check(s3_draft(
        https.clone(),
        env("PB_S3_ACCESS_KEY"),
        env("PB_S3_SECRET_KEY"),
        true,
        false,
    ))
    .await;
    assert_failed(
        &v,
        StepName::Tls,
        "the server's certificate is not signed by a trusted CA",
    );
    assert_says(&v, "turn off \"verify SSL\"");
    let v = check(s3_draft(
        https,
        env("PB_S3_ACCESS_KEY"),
        env("PB_S3_SECRET_KEY"),
        false,
        false,
    ))
    .await;
    assert!(v.ok, "{v:#?}");
    assert_eq!(fact(&v, "tls"), "TLS 1.3");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn an_http_endpoint_is_not_contacted_unless_unsafe_http_is_allowed() {
    // The catalog refuses to save it; a check of such a form refuses too, before any traffic.
    let mut s = store();
    let e = s
        .catalog
        .create(s3_draft(
            http_s3(),
            env("PB_S3_ACCESS_KEY"),
            env("PB_S3_SECRET_KEY"),
            true,
            false,
        ))
        .unwrap_err();
    assert_eq!(e.field(), Some("endpoint_url"));
    let saved = s
        .catalog
        .create(s3_draft(
            http_s3(),
            env("PB_S3_ACCESS_KEY"),
            env("PB_S3_SECRET_KEY"),
            true,
            true,
        ))
        .unwrap();
    let mut r = Resolved::new(saved, HashMap::new());
    if let Spec::S3(st) = &mut r.connection.spec {
        st.allow_http = false;
    }
    let v = kinds::check(&r, T, &Default::default()).await;
    assert_failed(
        &v,
        StepName::Request,
        "the endpoint is http:// but unsafe HTTP is not allowed",
    );
    assert_says(&v, "allow unsafe HTTP");
    assert!(v.steps.is_empty(), "nothing was contacted: {v:#?}");
}
