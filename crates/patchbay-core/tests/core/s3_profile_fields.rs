//! The hostile-input corpus as an S3 connection's AWS profile name: every spoiled S3 text of the
//! corpus (control characters, direction marks, brackets, a megabyte…) put where the profile
//! goes is refused naming the profile, or saved as typed when it is a name the AWS files could
//! hold; a profile connection refuses keys by their field; nothing is saved on a refusal.

use patchbay_core::model::*;
use patchbay_core::SecretString;
use patchbay_testkit::corpus::{self, Raw};
use patchbay_testkit::*;

fn by_profile(profile: &str) -> ConnectionDraft {
    ConnectionDraft::new(
        "by-profile",
        Spec::S3(S3Spec {
            access_key_id: String::new(),
            region: "eu-west-1".into(),
            endpoint_url: None,
            verify_ssl: true,
            allow_http: false,
            ca_cert: None,
            session_expires: None,
            profile: Some(profile.into()),
            role: None,
        }),
    )
}

/// What the AWS CLI's files can name a profile: printable ASCII, no brackets, no comment mark.
fn could_be_a_profile(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && v.len() <= 128
        && v.chars()
            .all(|c| c.is_ascii_graphic() && !"[]#;".contains(c))
}

#[test]
fn every_spoiled_profile_name_is_refused_naming_the_profile_and_nothing_is_saved() {
    let mut s = store();
    let before = s.snapshot();
    let (mut refused, mut wrong) = (0, Vec::new());
    for case in corpus::cases().iter().filter(|c| c.kind == Kind::S3) {
        let Raw::Text(v) = &case.value else { continue };
        if v.trim().is_empty() || could_be_a_profile(v) {
            continue;
        }
        match s.catalog.create(by_profile(v)) {
            Ok(c) => wrong.push(format!("{}: saved as {:?}", case.label, c.spec)),
            Err(e) if e.field() == Some("profile") => refused += 1,
            Err(e) => wrong.push(format!("{}: {e}", case.label)),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(refused > 20, "{refused}");
    assert_eq!(s.snapshot(), before, "the store changed");
}

#[test]
fn a_profile_connection_saves_no_keys_and_refuses_them_by_field() {
    let mut s = store();
    let c = s.catalog.create(by_profile("team-reader")).unwrap();
    let Spec::S3(spec) = &c.spec else { panic!() };
    assert_eq!(
        (spec.profile.as_deref(), spec.access_key_id.as_str()),
        (Some("team-reader"), "")
    );
    assert!(c.secrets.is_empty());

    let before = s.snapshot();
    let with_key =
        by_profile("other").with_secret(SecretField::SecretAccessKey, SecretString::new("s3cr3t"));
    let e = s.catalog.create(with_key).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("invalid", Some("secret_access_key")),
        "{e}"
    );
    let mut with_id = by_profile("other");
    let Spec::S3(spec) = &mut with_id.spec else {
        panic!()
    };
    spec.access_key_id = "AKIDEXAMPLE".into();
    let e = s.catalog.create(with_id).unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("invalid", Some("access_key_id")),
        "{e}"
    );
    assert_eq!(s.snapshot(), before, "the store changed");
}
