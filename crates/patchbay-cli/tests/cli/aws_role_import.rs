//! An AWS profile that assumes its role with an MFA code, written by the real aws CLI, is imported
//! as an S3 connection that assumes that role with its source profile (the AWS SDK cannot be
//! given a code): Patchbay asks the code and the check runs as the role, against moto.

use crate::aws_role::{moto, principal};
use crate::common::{servers, text, Env};

#[test]
#[ignore = "needs the test servers (moto) and tests/run's Python with the aws CLI"]
fn an_aws_profile_that_assumes_its_role_with_mfa_is_imported_as_a_role_patchbay_asks_the_code_for()
{
    let srv = servers();
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let (config, credentials) = (dir.path().join("config"), dir.path().join("credentials"));
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let aws = std::path::Path::new(&py).with_file_name("aws");
    let endpoint = moto(&srv);
    let set = |profile: &str, key: &str, value: &str| {
        let o = std::process::Command::new(&aws)
            .env("AWS_CONFIG_FILE", &config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
            .args(["configure", "set", key, value, "--profile", profile])
            .output()
            .unwrap();
        assert!(o.status.success(), "aws configure set: {}", text(&o));
    };
    set("base", "aws_access_key_id", &srv["PB_MOTO_KEY_ID"]);
    set("base", "aws_secret_access_key", &srv["PB_MOTO_KEY_SECRET"]);
    set("base", "endpoint_url", &endpoint);
    set("mfa-admin", "role_arn", &srv["PB_MOTO_ROLE_ARN"]);
    set("mfa-admin", "source_profile", "base");
    set(
        "mfa-admin",
        "mfa_serial",
        "arn:aws:iam::123456789012:mfa/alice",
    );
    set("mfa-admin", "endpoint_url", &endpoint);
    let run = |args: &[&str]| {
        e.cmd(args)
            .env("AWS_CONFIG_FILE", &config)
            .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
            .output()
            .unwrap()
    };
    let o = run(&["import", "--from", "aws", "--only", "mfa-admin", "--yes"]);
    assert!(o.status.success(), "import: {}", text(&o));
    let shown: serde_json::Value =
        serde_json::from_slice(&run(&["--json", "show", "mfa-admin"]).stdout).unwrap();
    assert_eq!(
        (
            shown["spec"]["profile"].as_str(),
            shown["spec"]["role"]["mfa_serial"].as_str()
        ),
        (Some("base"), Some("arn:aws:iam::123456789012:mfa/alice"))
    );
    let o = run(&["--json", "test", "mfa-admin", "--mfa-code", "123456"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(
        principal(&v),
        "arn:aws:sts::123456789012:assumed-role/reader/patchbay"
    );
}
