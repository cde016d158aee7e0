//! Google Cloud Storage service account keys: the self-signed token the check sends is a valid
//! RS256 JWT for Cloud Storage, verified here with the key's public half (fake-gcs-server
//! accepts any token, so this is where the signature is proven); keys are checked when saved and
//! name their service account and project.

use base64::Engine as _;
use patchbay_core::kinds::gcs::check::{self_signed_jwt, AUDIENCE};
use patchbay_core::model::*;
use patchbay_testkit::*;

const EMAIL: &str = "checker@pb-test-project.iam.gserviceaccount.com";

fn part(s: &str) -> serde_json::Value {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn the_self_signed_token_is_an_rs256_jwt_for_cloud_storage_that_the_public_key_verifies() {
    let (key, public) = service_account_key("pb-test-project", EMAIL);
    let now = 1_795_612_647;
    let jwt = self_signed_jwt(&key, now).unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header = part(parts[0]);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["kid"], "3f1c0a9e0000000000000000000000000000kid");
    let claims = part(parts[1]);
    assert_eq!(claims["iss"], EMAIL);
    assert_eq!(claims["sub"], EMAIL);
    assert_eq!(claims["aud"], AUDIENCE);
    assert_eq!(claims["iat"], now);
    assert_eq!(claims["exp"], now + 3600);

    let verifier = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        &public,
    );
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(parts[2])
        .unwrap();
    let signed = format!("{}.{}", parts[0], parts[1]);
    verifier
        .verify(signed.as_bytes(), &signature)
        .expect("the key's public half verifies the token");
    // Another token's claims under this signature do not verify.
    let other = self_signed_jwt(&key, now + 1).unwrap();
    let other_claims = other.split('.').nth(1).unwrap();
    let forged = format!("{}.{}", parts[0], other_claims);
    assert!(verifier.verify(forged.as_bytes(), &signature).is_err());
}

fn gcs(key: &str) -> ConnectionDraft {
    ConnectionDraft::new(
        "gcs",
        Spec::Gcs(GcsSpec {
            auth: GcsAuth::ServiceAccount,
            project_id: None,
            client_email: None,
            bucket: None,
            hmac_access_id: None,
            endpoint_url: None,
            allow_http: false,
            ca_cert: None,
        }),
    )
    .with_secret(SecretField::ServiceAccountKey, key)
}

#[test]
fn a_saved_key_names_its_service_account_and_project_and_a_bad_key_is_refused_at_its_field() {
    let (key, _) = service_account_key("pb-test-project", EMAIL);
    let mut s = store();
    let c = s.catalog.create(gcs(&key)).unwrap();
    let Spec::Gcs(g) = &c.spec else { panic!() };
    assert_eq!(g.client_email.as_deref(), Some(EMAIL));
    assert_eq!(g.project_id.as_deref(), Some("pb-test-project"));

    let user_login = r#"{"type": "authorized_user", "client_id": "x", "client_secret": "y", "refresh_token": "z"}"#;
    let bad_pem = key.replace("MII", "XXX");
    for (value, says) in [
        ("not json", "is not JSON"),
        (user_login, "is not a service account key"),
        (bad_pem.as_str(), "private_key"),
    ] {
        let mut d = gcs(value);
        d.name = "bad".into();
        let e = s.catalog.create(d).unwrap_err();
        assert_eq!(e.field(), Some("service_account_key"), "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
    assert_eq!(s.catalog.list(None).unwrap().len(), 1, "nothing half-saved");
}
