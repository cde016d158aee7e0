//! A team's settings are checked by field before anything is asked of its engine: AWS Secrets
//! Manager needs a region and an access key (and takes its region's endpoint when no address is
//! given), OpenBao / Vault takes none of AWS's login methods.

use patchbay_core::team::{validate, EngineKind, Team, TeamAuth};

fn aws(region: Option<&str>, auth: TeamAuth) -> Team {
    Team {
        name: "lake".into(),
        engine: EngineKind::AwsSecretsManager,
        address: String::new(),
        region: region.map(str::to_string),
        mount: "secret".into(),
        path: "airflow".into(),
        namespace: Some("ignored".into()),
        ca_cert: None,
        auth,
        login_name: Some("AKIAEXAMPLE".into()),
        token_expires: None,
    }
}

fn refused(t: &Team) -> (String, String) {
    let e = validate(t).unwrap_err();
    (e.field().unwrap_or_default().to_string(), e.message())
}

#[test]
fn a_secrets_manager_team_takes_its_regions_endpoint_and_no_mount_or_namespace() {
    let t = validate(&aws(Some("eu-west-1"), TeamAuth::AwsKeys)).unwrap();
    assert_eq!(
        (
            t.address.as_str(),
            t.mount.as_str(),
            t.namespace,
            t.region.as_deref()
        ),
        (
            "https://secretsmanager.eu-west-1.amazonaws.com",
            "",
            None,
            Some("eu-west-1")
        )
    );
}

#[test]
fn a_secrets_manager_team_without_a_region_or_an_access_key_is_refused_by_field() {
    assert_eq!(
        refused(&aws(None, TeamAuth::AwsKeys)),
        (
            "region".into(),
            "AWS Secrets Manager needs the team's region (--region), like eu-west-1".into()
        )
    );
    assert_eq!(
        refused(&aws(Some("EU West"), TeamAuth::AwsKeys)),
        ("region".into(), "is an AWS region, like eu-west-1".into())
    );
    assert_eq!(
        refused(&aws(Some("eu-west-1"), TeamAuth::Userpass)),
        (
            "auth".into(),
            "AWS Secrets Manager is used with an access key (--auth aws-keys)".into()
        )
    );
    let mut vault = aws(None, TeamAuth::AwsKeys);
    vault.engine = EngineKind::Vault;
    vault.address = "https://bao.internal:8200".into();
    assert_eq!(
        refused(&vault),
        (
            "auth".into(),
            "OpenBao / Vault logs in with token, userpass, approle or jwt".into()
        )
    );
}
