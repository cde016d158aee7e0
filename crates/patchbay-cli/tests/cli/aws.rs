//! AWS temporary credentials against moto (IAM, STS and S3 with SigV4 and session tokens
//! checked): saved from what `aws sts assume-role` prints, checked, handed to the aws CLI by
//! `exec` and by `credential_process = patchbay aws-credentials NAME`, and refused when expired.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{text, Env};

pub(crate) struct Moto {
    srv: std::collections::HashMap<String, String>,
    aws: PathBuf,
}

impl Moto {
    pub(crate) fn new() -> Moto {
        let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
        Moto {
            srv: crate::common::servers(),
            aws: Path::new(&py).with_file_name("aws"),
        }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.srv["PB_MOTO_PORT"])
    }

    /// The aws CLI with no ambient credentials or configuration at all.
    fn aws(&self) -> Command {
        let mut c = Command::new(&self.aws);
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") {
                c.env_remove(k);
            }
        }
        c.env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .args(["--endpoint-url", &self.endpoint()]);
        c
    }

    /// What `aws sts assume-role` prints for a fresh session of the test role (as JSON).
    fn assume_role(&self) -> String {
        let o = self
            .aws()
            .env("AWS_ACCESS_KEY_ID", &self.srv["PB_MOTO_KEY_ID"])
            .env("AWS_SECRET_ACCESS_KEY", &self.srv["PB_MOTO_KEY_SECRET"])
            .args(["--output", "json", "sts", "assume-role", "--role-arn"])
            .arg(&self.srv["PB_MOTO_ROLE_ARN"])
            .args([
                "--role-session-name",
                "patchbay-test",
                "--duration-seconds",
                "3600",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "assume-role: {}", text(&o));
        String::from_utf8(o.stdout).unwrap()
    }

    /// Saves a fresh session as connection `name`.
    pub(crate) fn add(&self, e: &Env, name: &str) -> serde_json::Value {
        let sts = self.assume_role();
        let endpoint = self.endpoint();
        e.ok(
            &[
                "add",
                "s3",
                name,
                "--endpoint-url",
                &endpoint,
                "--allow-http",
                "--aws-credentials-stdin",
            ],
            &sts,
        );
        serde_json::from_str(&sts).unwrap()
    }
}

fn bucket_names(o: &Output) -> String {
    assert!(o.status.success(), "aws s3api list-buckets: {}", text(o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
#[ignore = "needs the test servers (moto) and tests/run's Python with the aws CLI"]
fn temporary_credentials_from_assume_role_are_saved_checked_and_used_by_exec_and_credential_process(
) {
    let m = Moto::new();
    let e = Env::new();
    let sts = m.add(&e, "session");
    let creds = &sts["Credentials"];

    // Saved as printed: key id and expiry in the open, secret and token sealed.
    let shown: serde_json::Value =
        serde_json::from_str(&e.ok(&["--json", "show", "session"], "")).unwrap();
    assert_eq!(shown["spec"]["access_key_id"], creds["AccessKeyId"]);
    let expires = shown["spec"]["session_expires"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        &expires[..19],
        &creds["Expiration"].as_str().unwrap()[..19],
        "{shown}"
    );
    let fields: Vec<&str> = shown["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["secret_access_key", "session_token"]);

    // The check signs with the token and moto accepts it.
    let o = e.run(&["test", "session"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    // exec hands the aws CLI the token with the key.
    let o = e
        .cmd(["exec", "session", "--"])
        .arg(&m.aws)
        .args([
            "s3api",
            "list-buckets",
            "--query",
            "Buckets[].Name",
            "--output",
            "text",
        ])
        .output()
        .unwrap();
    assert_eq!(bucket_names(&o), "reports");

    // credential_process: the aws CLI with no keys anywhere but Patchbay.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[profile saved]\ncredential_process = {} aws-credentials session --endpoint {}\n",
            env!("CARGO_BIN_EXE_patchbay"),
            m.endpoint()
        ),
    )
    .unwrap();
    let o = m
        .aws()
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_PROFILE", "saved")
        .env("PATCHBAY_DATA_DIR", e.dir.path())
        .env("PATCHBAY_MASTER_KEY", &e.key)
        .args([
            "s3api",
            "list-buckets",
            "--query",
            "Buckets[].Name",
            "--output",
            "text",
        ])
        .output()
        .unwrap();
    assert_eq!(bucket_names(&o), "reports");

    // What credential_process reads: version 1 with all four values.
    let out: serde_json::Value = serde_json::from_str(&e.ok(
        &["aws-credentials", "session", "--endpoint", &m.endpoint()],
        "",
    ))
    .unwrap();
    assert_eq!(out["Version"], 1);
    for k in ["AccessKeyId", "SecretAccessKey", "SessionToken"] {
        assert_eq!(out[k], creds[k], "{k}");
    }
    assert_eq!(out["Expiration"].as_str(), Some(expires.as_str()));
}

#[test]
#[ignore = "needs the test servers (moto)"]
fn a_wrong_or_missing_session_token_is_named_by_the_check() {
    let m = Moto::new();
    let e = Env::new();
    m.add(&e, "session");

    e.ok(
        &["edit", "session", "--session-token-stdin"],
        "FQoGZXIvYXdzEBYaDnot-the-token",
    );
    let o = e.run(&["test", "session"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        text(&o).contains("refused the session token"),
        "{}",
        text(&o)
    );

    e.ok(&["edit", "session", "--no-session-token"], "");
    let shown = e.ok(&["show", "session"], "");
    assert!(!shown.contains("expires"), "{shown}");
    let o = e.run(&["test", "session"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        text(&o).contains("is temporary (ASIA…) but no session token is saved"),
        "{}",
        text(&o)
    );
}

#[test]
#[ignore = "needs the test servers (moto)"]
fn expired_temporary_credentials_are_flagged_in_the_list_and_refused_to_credential_process() {
    let m = Moto::new();
    let e = Env::new();
    m.add(&e, "session");
    let list = e.ok(&["list"], "");
    assert!(!list.contains("expire"), "an hour is not soon: {list}");

    e.ok(
        &[
            "edit",
            "session",
            "--session-expires",
            "2020-01-01T00:00:00Z",
        ],
        "",
    );
    let list = e.ok(&["list"], "");
    assert!(list.contains("session token expired"), "{list}");
    let o = e.run(&[
        "--json",
        "aws-credentials",
        "session",
        "--endpoint",
        &m.endpoint(),
    ]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        o.stdout.is_empty(),
        "nothing for the SDK to use: {}",
        text(&o)
    );
    let err: serde_json::Value =
        serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"].clone();
    assert_eq!(err["field"], "session_expires");
    let msg = err["message"].as_str().unwrap();
    assert!(
        msg.contains("expired at 2020-01-01T00:00:00.000Z")
            && msg.contains("--aws-credentials-stdin"),
        "{msg}"
    );
}

#[test]
fn an_expiry_without_a_session_token_is_refused_at_the_expiry_field() {
    let e = Env::new();
    let o = e.run_with_stdin(
        &[
            "--json",
            "add",
            "s3",
            "keys",
            "--access-key-id",
            "AKIDEXAMPLE",
            "--session-expires",
            "2030-01-01T00:00:00Z",
            "--secret-key-stdin",
        ],
        "sk",
    );
    assert!(!o.status.success());
    let err: serde_json::Value =
        serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"].clone();
    assert_eq!(err["field"], "session_expires", "{err}");
    assert!(
        e.ok(&["list"], "").trim().lines().count() <= 1,
        "nothing saved"
    );
}

#[test]
fn credentials_json_that_is_not_what_aws_prints_is_refused_with_the_field() {
    let e = Env::new();
    for (stdin, says) in [
        ("not json", "is not JSON"),
        (
            r#"{"Credentials": {"SecretAccessKey": "x"}}"#,
            "has no AccessKeyId",
        ),
        (
            r#"{"AccessKeyId": "ASIA1", "SecretAccessKey": "x", "Expiration": "soon"}"#,
            "Expiration that is not a time",
        ),
    ] {
        let o = e.run_with_stdin(
            &["--json", "add", "s3", "tmp", "--aws-credentials-stdin"],
            stdin,
        );
        assert!(!o.status.success(), "{stdin}");
        let err: serde_json::Value =
            serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"].clone();
        assert_eq!(err["field"], "aws_credentials", "{err}");
        assert!(err["message"].as_str().unwrap().contains(says), "{err}");
    }
}

#[test]
fn keys_saved_for_an_endpoint_of_their_own_go_to_credential_process_only_for_that_endpoint() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "s3",
            "minio",
            "--access-key-id",
            "AKIAMINIO",
            "--endpoint-url",
            "https://minio.internal:9000",
            "--secret-key-stdin",
        ],
        "minio-secret",
    );
    // Without saying which endpoint the profile uses (AWS itself, unless it names one).
    let o = e.run(&["--json", "aws-credentials", "minio"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(o.stdout.is_empty(), "nothing for the SDK: {}", text(&o));
    let err = &serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"];
    assert_eq!(err["code"], "invalid", "{err}");
    assert_eq!(err["field"], "endpoint", "{err}");
    assert!(
        err["message"].as_str().unwrap().contains(
            "credential_process = patchbay aws-credentials minio --endpoint https://minio.internal:9000"
        ),
        "{err}"
    );
    // Another endpoint, or AWS's own, is refused as well.
    for other in ["https://s3.amazonaws.com", "https://minio.internal:9001"] {
        let o = e.run(&["aws-credentials", "minio", "--endpoint", other]);
        assert_eq!(o.status.code(), Some(1), "{other}: {}", text(&o));
        assert!(o.stdout.is_empty());
    }
    // The saved one (a trailing slash is the same URL) gets the keys.
    let out: serde_json::Value = serde_json::from_str(&e.ok(
        &[
            "aws-credentials",
            "minio",
            "--endpoint",
            "https://minio.internal:9000/",
        ],
        "",
    ))
    .unwrap();
    assert_eq!(out["SecretAccessKey"], "minio-secret");
}
