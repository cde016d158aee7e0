//! An S3 connection's role fields: each malformed one (role ARN, external ID, session name,
//! duration, MFA device) is refused naming its field and saves nothing; a role assumed with
//! another saved connection's credentials saves no keys of its own and refuses them by field;
//! a well-formed role is saved trimmed, as typed; a role source is not removed or renamed from
//! under the roles that start from it.

use patchbay_core::model::*;
use patchbay_core::SecretString;
use patchbay_testkit::*;

const ARN: &str = "arn:aws:iam::123456789012:role/analyst";

fn role(f: impl FnOnce(&mut AssumeRole)) -> AssumeRole {
    let mut r = AssumeRole {
        role_arn: ARN.into(),
        external_id: None,
        session_name: None,
        duration_seconds: None,
        mfa_serial: None,
        source: None,
    };
    f(&mut r);
    r
}

fn draft(key_id: &str, r: AssumeRole) -> ConnectionDraft {
    let mut d = ConnectionDraft::new(
        "as-role",
        Spec::S3(S3Spec {
            access_key_id: key_id.into(),
            region: "eu-west-1".into(),
            endpoint_url: None,
            verify_ssl: true,
            allow_http: false,
            ca_cert: None,
            session_expires: None,
            profile: None,
            role: Some(r),
        }),
    );
    if !key_id.is_empty() {
        d.secrets.insert(
            SecretField::SecretAccessKey,
            SecretInput::Value {
                value: SecretString::new("an-example-secret"),
            },
        );
    }
    d
}

#[test]
fn each_malformed_role_field_is_refused_by_its_name_and_nothing_is_saved() {
    let mut s = store();
    let before = s.snapshot();
    let cases: Vec<(&str, AssumeRole)> = vec![
        ("role_arn", role(|r| r.role_arn = "analyst".into())),
        (
            "role_arn",
            role(|r| r.role_arn = "arn:aws:iam::12345:role/analyst".into()),
        ),
        (
            "role_arn",
            role(|r| r.role_arn = "arn:aws:s3:::bucket".into()),
        ),
        (
            "role_arn",
            role(|r| r.role_arn = "arn:aws:iam::123456789012:role/".into()),
        ),
        ("external_id", role(|r| r.external_id = Some("x".into()))),
        (
            "external_id",
            role(|r| r.external_id = Some("has space".into())),
        ),
        (
            "session_name",
            role(|r| r.session_name = Some("a\u{202e}b".into())),
        ),
        (
            "session_name",
            role(|r| r.session_name = Some("n".repeat(65))),
        ),
        ("duration_seconds", role(|r| r.duration_seconds = Some(899))),
        (
            "duration_seconds",
            role(|r| r.duration_seconds = Some(43_201)),
        ),
        ("mfa_serial", role(|r| r.mfa_serial = Some("123".into()))),
        (
            "mfa_serial",
            role(|r| r.mfa_serial = Some("arn:aws:iam::1:mfa/a b".into())),
        ),
    ];
    for (field, r) in cases {
        let shown = format!("{r:?}");
        let e = s.catalog.create(draft("AKIAEXAMPLE", r)).unwrap_err();
        assert_eq!(e.field(), Some(field), "{shown}: {e}");
    }
    assert_eq!(s.snapshot(), before, "the store changed");
}

#[test]
fn a_role_assumed_with_another_connection_saves_no_keys_and_refuses_them_by_field() {
    let mut s = store();
    let borrowed = role(|r| r.source = Some(" team-keys ".into()));
    let c = s.catalog.create(draft("", borrowed.clone())).unwrap();
    let Spec::S3(saved) = &c.spec else { panic!() };
    assert_eq!(
        saved.role.as_ref().unwrap().source.as_deref(),
        Some("team-keys")
    );
    assert!(c.secrets.is_empty());

    let mut with_keys = draft("AKIAEXAMPLE", borrowed);
    with_keys.name = "as-role-2".into();
    let e = s.catalog.create(with_keys).unwrap_err();
    assert_eq!(e.field(), Some("role_source"), "{e}");
}

#[test]
fn a_well_formed_role_is_saved_trimmed() {
    let mut s = store();
    let r = role(|r| {
        r.role_arn = format!("  {ARN} ");
        r.external_id = Some(" pb-ext-7 ".into());
        r.session_name = Some("nightly.load".into());
        r.duration_seconds = Some(900);
        r.mfa_serial = Some("arn:aws:iam::123456789012:mfa/alice".into());
    });
    let c = s.catalog.create(draft("AKIAEXAMPLE", r)).unwrap();
    let Spec::S3(saved) = &c.spec else { panic!() };
    let saved = saved.role.clone().unwrap();
    assert_eq!(
        (
            saved.role_arn.as_str(),
            saved.external_id.as_deref(),
            saved.duration_seconds
        ),
        (ARN, Some("pb-ext-7"), Some(900))
    );
}

#[test]
fn a_role_source_is_not_removed_or_renamed_from_under_the_roles_that_start_from_it() {
    let mut s = store();
    s.catalog.create(s3("Team-Keys", "sk")).unwrap();
    for name in ["writer", "reader"] {
        let mut d = draft("", role(|r| r.source = Some("team-keys".into())));
        d.name = name.into();
        s.catalog.create(d).unwrap();
    }
    let before = s.snapshot();
    let refused = |e: patchbay_core::Error| {
        assert_eq!(e.code(), "source_in_use");
        assert_eq!(
            e.to_string(),
            "connection \"Team-Keys\" is the role source of reader, writer: they assume their roles with its credentials; give them another role source, or remove them first"
        );
    };
    refused(s.catalog.remove(Some(Kind::S3), "team-keys").unwrap_err());
    refused(
        s.catalog
            .rename(Some(Kind::S3), "team-keys", "keys")
            .unwrap_err(),
    );
    refused(
        s.catalog
            .update(Some(Kind::S3), "team-keys", s3("keys", "sk"))
            .unwrap_err(),
    );
    assert_eq!(s.snapshot(), before, "nothing was changed");
    // A change of case keeps them (names are caseless); once none starts from it, it goes.
    s.catalog
        .rename(Some(Kind::S3), "team-keys", "TEAM-KEYS")
        .unwrap();
    for name in ["reader", "writer", "team-keys"] {
        s.catalog.remove(Some(Kind::S3), name).unwrap();
    }
}
