//! Google Cloud Storage connections against fake-gcs-server behind the stand-in of Google's
//! authentication (https with the test CA; only the tokens of the one service account it trusts
//! get through, `gcs_auth.rs` shows the refusals): each auth mode checked, a missing bucket
//! named, and the hand-off used by the real Python SDK.

use crate::common::{text, Env};

pub(crate) const EMAIL: &str = "checker@pb-test-project.iam.gserviceaccount.com";

pub(crate) struct Gcs {
    srv: std::collections::HashMap<String, String>,
    key_file: tempfile::NamedTempFile,
}

impl Gcs {
    /// With a copy of the key of the service account the stand-in trusts.
    pub(crate) fn new() -> Gcs {
        let srv = crate::common::servers();
        assert_eq!(srv["PB_GCS_SA_EMAIL"], EMAIL);
        let key_file = tempfile::NamedTempFile::new().unwrap();
        std::fs::copy(&srv["PB_GCS_SA_KEY"], key_file.path()).unwrap();
        Gcs { srv, key_file }
    }

    /// With the key of an account of the same name that the stand-in does not trust (its
    /// token_uri is the stand-in's too: nothing leaves 127.0.0.1).
    pub(crate) fn untrusted() -> Gcs {
        let (key, _) = patchbay_testkit::service_account_key("pb-test-project", EMAIL);
        let g = Gcs::new();
        let trusted: serde_json::Value =
            serde_json::from_slice(&std::fs::read(g.key_path()).unwrap()).unwrap();
        let mut key: serde_json::Value = serde_json::from_str(&key).unwrap();
        key["token_uri"] = trusted["token_uri"].clone();
        std::fs::write(g.key_file.path(), key.to_string()).unwrap();
        g
    }

    pub(crate) fn key_path(&self) -> &str {
        self.key_file.path().to_str().unwrap()
    }

    pub(crate) fn add(&self, e: &Env, name: &str, extra: &[&str], stdin: &str) {
        let mut args = vec![
            "add",
            "gcs",
            name,
            "--endpoint-url",
            &self.srv["PB_GCS_ENDPOINT"],
            "--ca-cert",
            &self.srv["PB_CA_CERT"],
        ];
        args.extend_from_slice(extra);
        e.ok(&args, stdin);
    }
}

fn check(e: &Env, name: &str) -> (Option<i32>, String) {
    let o = e.run(&["test", name]);
    (o.status.code(), text(&o))
}

#[test]
#[ignore = "needs the test servers (fake-gcs-server) and tests/run's Python with google-cloud-storage"]
fn a_service_account_key_is_checked_and_handed_to_the_python_sdk_as_a_private_file() {
    let g = Gcs::new();
    let e = Env::new();
    g.add(&e, "lake", &["--service-account-key", g.key_path()], "");
    let shown = e.ok(&["show", "lake"], "");
    assert!(
        shown.contains(EMAIL) && shown.contains("pb-test-project"),
        "{shown}"
    );
    let (code, out) = check(&e, "lake");
    assert_eq!(code, Some(0), "{out}");
    // fake-gcs-server answers every bucket whatever maxResults asks.
    assert!(
        out.contains("credentials accepted; 2 bucket(s) listed (at most 1 asked for)"),
        "{out}"
    );

    e.ok(&["edit", "lake", "--bucket", "reports"], "");
    let (code, out) = check(&e, "lake");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("bucket reports listed (1 object(s)"), "{out}");

    // The SDK finds the key through GOOGLE_APPLICATION_CREDENTIALS: an owner-only file that is
    // gone once the child exits.
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let o = e
        .cmd(["exec", "lake", "--", &py, "-c"])
        .arg(concat!(
            "import os, json; from google.cloud import storage\n",
            "p = os.environ['GOOGLE_APPLICATION_CREDENTIALS']\n",
            "print(p); print(oct(os.stat(p).st_mode & 0o777)); print(json.load(open(p))['client_email'])\n",
            "c = storage.Client(project=os.environ['GOOGLE_CLOUD_PROJECT'])\n",
            "print(','.join(sorted(b.name for b in c.list_buckets())))\n",
            "print(','.join(o.name for o in c.bucket(os.environ['GCS_BUCKET']).list_blobs()))\n",
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        &lines[1..],
        ["0o600", EMAIL, "browse,reports", "q4.csv"],
        "{out}"
    );
    assert!(
        !std::path::Path::new(lines[0]).exists(),
        "the key file outlived the child: {}",
        lines[0]
    );

    // A bucket that is not there is named.
    e.ok(&["edit", "lake", "--bucket", "no-such-bucket"], "");
    let (code, out) = check(&e, "lake");
    assert_eq!(code, Some(3), "{out}");
    assert!(
        out.contains("failed at request: bucket no-such-bucket does not exist"),
        "{out}"
    );
}

#[test]
#[ignore = "needs the test servers (fake-gcs-server)"]
fn application_default_credentials_are_used_only_when_chosen_and_their_absence_is_named() {
    let g = Gcs::new();
    let e = Env::new();
    g.add(
        &e,
        "adc",
        &[
            "--auth",
            "application-default",
            "--project",
            "pb-test-project",
        ],
        "",
    );
    let o = e
        .cmd(["test", "adc"])
        .env("GOOGLE_APPLICATION_CREDENTIALS", g.key_path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains(g.key_path()),
        "the verdict says which credentials: {}",
        text(&o)
    );

    let nowhere = tempfile::tempdir().unwrap();
    let missing = nowhere.path().join("none.json");
    let o = e
        .cmd(["test", "adc"])
        .env("GOOGLE_APPLICATION_CREDENTIALS", &missing)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        text(&o).contains(&format!(
            "no application default credentials at {}",
            missing.display()
        )),
        "{}",
        text(&o)
    );
}

#[test]
#[ignore = "needs the test servers (s3s-fs stands in for Google's S3-interoperable XML API)"]
fn an_hmac_key_is_checked_through_the_s3_interoperable_path() {
    let srv = crate::common::servers();
    let e = Env::new();
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_S3_HTTP_PORT"]);
    let add = |name: &str, secret: &str| {
        e.ok(
            &[
                "add",
                "gcs",
                name,
                "--auth",
                "hmac",
                "--project",
                "pb-test-project",
                "--hmac-access-id",
                &srv["PB_S3_ACCESS_KEY"],
                "--endpoint-url",
                &endpoint,
                "--allow-http",
                "--hmac-secret-stdin",
            ],
            secret,
        );
    };
    add("hmac", &srv["PB_S3_SECRET_KEY"]);
    let (code, out) = check(&e, "hmac");
    assert_eq!(code, Some(0), "{out}");
    add("wrong-hmac", "not-the-secret");
    let (code, out) = check(&e, "wrong-hmac");
    assert_eq!(code, Some(3), "{out}");
    assert!(out.contains("does not match access key id"), "{out}");
    let env = e.ok(&["env", "hmac", "--with-password"], "");
    assert!(
        env.contains(&format!("AWS_ACCESS_KEY_ID='{}'", srv["PB_S3_ACCESS_KEY"])),
        "{env}"
    );
    // The storage browser lists through the same XML API, and names the place as gs://.
    let o = e.run(&["--json", "ls", "hmac:browse/nested/"]);
    assert!(o.status.success(), "{}", text(&o));
    let page: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["nested/2026/", "nested/readme.txt"]);
    assert_eq!(page["uris"][0]["uri"], "gs://browse/nested/");
}

#[test]
fn malformed_google_values_are_refused_with_their_field() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let not_key = dir.path().join("not-a-key.json");
    std::fs::write(&not_key, r#"{"type": "authorized_user"}"#).unwrap();
    let not_key = not_key.to_str().unwrap();
    for (args, field) in [
        (
            vec!["--project", "My Project", "--auth", "application-default"],
            "project_id",
        ),
        (
            vec!["--bucket", "Bad Bucket", "--auth", "application-default"],
            "bucket",
        ),
        (
            vec!["--service-account-key", not_key],
            "service_account_key",
        ),
        (
            vec!["--auth", "hmac", "--project", "pb-test-project"],
            "hmac_access_id",
        ),
        (vec!["--auth", "application-default"], "project_id"),
        (vec!["--auth", "nope"], "auth"),
    ] {
        let mut all = vec!["--json", "add", "gcs", "x"];
        all.extend(args.iter());
        let o = e.run(&all);
        assert!(!o.status.success(), "{all:?}");
        let err = serde_json::from_slice::<serde_json::Value>(&o.stderr).unwrap()["error"].clone();
        assert_eq!(err["field"], field, "{all:?}: {err}");
    }
    assert!(e.ok(&["list"], "").starts_with("No saved connections"));
}
