//! S3 connections by AWS profile against moto (IAM, STS and S3, SigV4 checked): profiles written
//! by the real aws CLI (`aws configure set`) — static keys, and a role assumed from a source
//! profile — resolved by the AWS SDK's own provider chain each time; the check says which
//! principal it ran as; `exec` hands a child the minted session, not the profile, so a child
//! without the files still works; a profile that is not in the files is named as such.

use std::path::Path;
use std::process::Command;

use crate::common::{servers, text, Env};

/// The aws CLI's two files in a folder of their own, written by the aws CLI.
struct Files {
    dir: tempfile::TempDir,
    aws: std::path::PathBuf,
}

impl Files {
    fn new() -> Files {
        let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
        Files {
            dir: tempfile::tempdir().unwrap(),
            aws: Path::new(&py).with_file_name("aws"),
        }
    }

    fn config(&self) -> std::path::PathBuf {
        self.dir.path().join("config")
    }

    fn credentials(&self) -> std::path::PathBuf {
        self.dir.path().join("credentials")
    }

    /// `aws configure set KEY VALUE --profile PROFILE`.
    fn set(&self, profile: &str, key: &str, value: &str) {
        let o = Command::new(&self.aws)
            .env("AWS_CONFIG_FILE", self.config())
            .env("AWS_SHARED_CREDENTIALS_FILE", self.credentials())
            .args(["configure", "set", key, value, "--profile", profile])
            .output()
            .unwrap();
        assert!(o.status.success(), "aws configure set: {}", text(&o));
    }

    /// `patchbay ARGS` reading these files (and no AWS_* of the test's own).
    fn patchbay(&self, e: &Env, args: &[&str]) -> std::process::Output {
        let mut c = e.cmd(args);
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") {
                c.env_remove(k);
            }
        }
        c.env("AWS_CONFIG_FILE", self.config())
            .env("AWS_SHARED_CREDENTIALS_FILE", self.credentials())
            .output()
            .unwrap()
    }
}

/// A base profile with alice's keys and a "reader" profile assuming the test role from it, both
/// at moto's endpoint.
fn profiles() -> Files {
    let srv = servers();
    let f = Files::new();
    let moto = format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"]);
    f.set("base", "aws_access_key_id", &srv["PB_MOTO_KEY_ID"]);
    f.set("base", "aws_secret_access_key", &srv["PB_MOTO_KEY_SECRET"]);
    f.set("base", "region", "us-east-1");
    f.set("base", "endpoint_url", &moto);
    f.set("reader", "role_arn", &srv["PB_MOTO_ROLE_ARN"]);
    f.set("reader", "source_profile", "base");
    f.set("reader", "role_session_name", "patchbay-check");
    f.set("reader", "endpoint_url", &moto);
    f
}

fn add(f: &Files, e: &Env, name: &str, profile: &str) {
    let moto = format!("http://127.0.0.1:{}", servers()["PB_MOTO_PORT"]);
    let args = [
        "add",
        "s3",
        name,
        "--profile",
        profile,
        "--endpoint-url",
        &moto,
        "--allow-http",
    ];
    let o = f.patchbay(e, &args);
    assert!(o.status.success(), "add: {}", text(&o));
}

/// `patchbay --json test NAME` as JSON, with its exit code.
fn verdict(f: &Files, e: &Env, name: &str) -> (Option<i32>, serde_json::Value) {
    let o = f.patchbay(e, &["--json", "test", name]);
    (
        o.status.code(),
        serde_json::from_slice(&o.stdout).unwrap_or_default(),
    )
}

fn steps(v: &serde_json::Value) -> Vec<String> {
    v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

fn fact(v: &serde_json::Value, label: &str) -> String {
    v["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == label)
        .map(|f| f["value"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
#[ignore = "needs the test servers (moto) and tests/run's Python with the aws CLI"]
fn a_role_profile_is_resolved_by_the_aws_sdk_checked_as_the_assumed_role_and_handed_to_exec_as_a_session(
) {
    let f = profiles();
    let e = Env::new();
    add(&f, &e, "via-role", "reader");
    let shown: serde_json::Value =
        serde_json::from_slice(&f.patchbay(&e, &["--json", "show", "via-role"]).stdout).unwrap();
    assert_eq!(
        (
            shown["spec"]["profile"].as_str(),
            shown["spec"]["access_key_id"].as_str()
        ),
        (Some("reader"), Some(""))
    );
    assert_eq!(
        shown["secrets"],
        serde_json::json!([]),
        "nothing secret is saved"
    );

    let (code, v) = verdict(&f, &e, "via-role");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(steps(&v)[0], "credentials");
    assert!(steps(&v).contains(&"identity".to_string()), "{v}");
    assert!(
        fact(&v, "principal")
            .starts_with("arn:aws:sts::123456789012:assumed-role/reader/patchbay-check"),
        "{v}"
    );

    // The storage browser lists with the profile's session too.
    let o = f.patchbay(&e, &["ls", "via-role"]);
    assert!(o.status.success(), "ls: {}", text(&o));
    let buckets = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(buckets.lines().any(|b| b == "reports/"), "{buckets}");

    // exec: the child gets a session (key, secret, token), not the profile, and the aws CLI
    // uses it with no files of its own.
    let srv = servers();
    let aws = f.aws.to_str().unwrap().to_string();
    let o = f.patchbay(&e, &["exec", "via-role", "--", "sh", "-c", &format!("test -z \"$AWS_PROFILE\" && test -n \"$AWS_SESSION_TOKEN\" && AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null {aws} sts get-caller-identity --query Arn --output text")]);
    assert!(o.status.success(), "exec: {}", text(&o));
    let arn = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(
        arn.starts_with("arn:aws:sts::123456789012:assumed-role/reader/"),
        "{arn}"
    );
    assert!(
        !text(&o).contains(&srv["PB_MOTO_KEY_SECRET"]),
        "the source profile's secret leaked"
    );

    // credential_process: another profile of the same files gets the minted session from
    // `patchbay aws-credentials`, and the aws CLI runs as the assumed role with it.
    let moto = format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"]);
    let pb = env!("CARGO_BIN_EXE_patchbay");
    f.set(
        "via-patchbay",
        "credential_process",
        &format!("{pb} aws-credentials via-role --endpoint {moto}"),
    );
    let o = Command::new(&f.aws)
        .env("AWS_CONFIG_FILE", f.config())
        .env("AWS_SHARED_CREDENTIALS_FILE", f.credentials())
        .env("PATCHBAY_DATA_DIR", e.dir.path())
        .env("PATCHBAY_MASTER_KEY", &e.key)
        .args([
            "sts",
            "get-caller-identity",
            "--profile",
            "via-patchbay",
            "--endpoint-url",
            &moto,
            "--region",
            "us-east-1",
            "--query",
            "Arn",
            "--output",
            "text",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "credential_process: {}", text(&o));
    let arn = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert!(
        arn.starts_with("arn:aws:sts::123456789012:assumed-role/reader/patchbay-check"),
        "{arn}"
    );
}

#[test]
#[ignore = "needs the test servers (moto) and tests/run's Python with the aws CLI"]
fn a_profile_with_keys_checks_as_its_user_and_a_missing_profile_is_named_at_the_credentials_step() {
    let f = profiles();
    let e = Env::new();
    add(&f, &e, "as-alice", "base");
    let (code, v) = verdict(&f, &e, "as-alice");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(
        fact(&v, "principal"),
        "arn:aws:iam::123456789012:user/alice",
        "{v}"
    );

    add(&f, &e, "nowhere", "no-such-profile");
    let (code, v) = verdict(&f, &e, "nowhere");
    assert_eq!(code, Some(3), "{v}");
    assert_eq!(v["failed_step"], "credentials");
    assert_eq!(
        v["message"].as_str().unwrap(),
        format!("profile no-such-profile is not in the AWS CLI's files ({} and the credentials file beside it)", f.config().display())
    );
    // A role assumed with an MFA code (here through a chain): said at credentials, with what
    // to do, instead of the SDK's AccessDenied (moto would not even ask for the code).
    let srv = servers();
    f.set("mfa-role", "role_arn", &srv["PB_MOTO_ROLE_ARN"]);
    f.set("mfa-role", "source_profile", "base");
    f.set(
        "mfa-role",
        "mfa_serial",
        "arn:aws:iam::123456789012:mfa/alice",
    );
    f.set("through-mfa", "role_arn", &srv["PB_MOTO_ROLE_ARN"]);
    f.set("through-mfa", "source_profile", "mfa-role");
    add(&f, &e, "with-mfa", "through-mfa");
    let (code, v) = verdict(&f, &e, "with-mfa");
    assert_eq!(
        (code, v["failed_step"].as_str()),
        (Some(3), Some("credentials")),
        "{v}"
    );
    assert_eq!(
        v["message"].as_str().unwrap(),
        format!("profile mfa-role assumes role {} with an MFA code (mfa_serial arn:aws:iam::123456789012:mfa/alice), which Patchbay cannot give the AWS SDK yet", srv["PB_MOTO_ROLE_ARN"])
    );

    // A profile connection refuses keys, by field.
    let o = f.patchbay(&e, &["--json", "edit", "nowhere", "--secret-key-stdin"]);
    let err: serde_json::Value = serde_json::from_str(crate::common::stderr(&o).trim()).unwrap();
    assert_eq!(err["error"]["field"], "secret_access_key", "{err}");

    // The window's "Copy environment with secrets" has no saved secret to copy: it says what
    // hands the session over instead of copying an environment without keys.
    let desk = crate::common::desk_of(&e);
    let err = desk
        .copy_text(
            patchbay_core::model::Kind::S3,
            "as-alice",
            "env_with_secrets",
        )
        .unwrap_err();
    assert_eq!(
        (err.code(), err.field(), err.message()),
        ("invalid", Some("what"), "as-alice gets a session from AWS profile base each time it is used, so no secret is saved to copy: patchbay exec as-alice hands the session to a program".to_string())
    );
    assert!(desk
        .copy_text(patchbay_core::model::Kind::S3, "as-alice", "env")
        .is_ok());
}
