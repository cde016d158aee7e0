//! Google Cloud Storage authentication proven end to end: fake-gcs-server accepts any token, so
//! it runs behind a stand-in of Google's authentication (tests/servers/gcs_auth_standin.py) that
//! verifies the JWT-bearer grant and the self-signed tokens against the one trusted service
//! account's public key and refuses everything else. A check or an `exec`'d SDK that dropped the
//! Authorization header, or signed with another key, fails here.

use crate::common::{json_verdict as verdict, text, Env};
use crate::gcs::{Gcs, EMAIL};

/// Runs the Python SDK under `patchbay exec NAME`, listing the objects of bucket "reports";
/// `extra` are variables set on top of what exec hands over.
fn sdk_lists(e: &Env, name: &str, extra: &[(&str, &str)]) -> std::process::Output {
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let mut cmd = e.cmd(["exec", name, "--", "env"]);
    for (k, v) in extra {
        cmd.arg(format!("{k}={v}"));
    }
    cmd.args([&py, "-c"]).arg(concat!(
        "import os; from google.cloud import storage\n",
        "c = storage.Client(project=os.environ['GOOGLE_CLOUD_PROJECT'])\n",
        "print(','.join(o.name for o in c.bucket('reports').list_blobs()))\n",
    ));
    cmd.output().unwrap()
}

#[test]
#[ignore = "needs the test servers (fake-gcs-server behind Google's authentication stand-in)"]
fn the_check_passes_with_the_trusted_key_and_fails_at_auth_with_a_key_google_does_not_know() {
    let e = Env::new();
    Gcs::new().add(
        &e,
        "trusted",
        &["--service-account-key", Gcs::new().key_path()],
        "",
    );
    let (code, v) = verdict(&e, "trusted");
    assert_eq!((code, v["ok"].as_bool()), (Some(0), Some(true)), "{v}");

    let other = Gcs::untrusted();
    other.add(
        &e,
        "stranger",
        &["--service-account-key", other.key_path()],
        "",
    );
    let (code, v) = verdict(&e, "stranger");
    assert_eq!(code, Some(3), "{v}");
    assert_eq!(v["failed_step"], "auth", "{v}");
    assert_eq!(v["message"], format!("Google refused the token of {EMAIL}"));
    assert_eq!(v["error"], "HTTP 401 Invalid Credentials");
}

#[test]
#[ignore = "needs the test servers and tests/run's Python with google-cloud-storage"]
fn the_python_sdk_under_exec_authenticates_with_a_granted_token_and_without_one_is_refused() {
    let g = Gcs::new();
    let e = Env::new();
    g.add(
        &e,
        "lake",
        &[
            "--service-account-key",
            g.key_path(),
            "--project",
            "pb-test-project",
        ],
        "",
    );
    // Exec's hand-off: the SDK trades a JWT-bearer grant for a token at the key's token_uri
    // (the stand-in) and sends it with every request.
    let o = sdk_lists(&e, "lake", &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "q4.csv\n");

    // The hand-off Patchbay gave before, STORAGE_EMULATOR_HOST, makes the SDK send no
    // credentials: the stand-in refuses it, as Google would.
    let srv = crate::common::servers();
    let refusals = || {
        std::fs::read_to_string(&srv["PB_GCS_AUTH_LOG"])
            .unwrap()
            .matches(": no bearer token")
            .count()
    };
    let before = refusals();
    let o = sdk_lists(
        &e,
        "lake",
        &[("STORAGE_EMULATOR_HOST", &srv["PB_GCS_ENDPOINT"])],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("Anonymous credentials cannot be refreshed."),
        "the SDK went without credentials and got Google's 401: {}",
        text(&o)
    );
    assert!(
        refusals() > before,
        "the stand-in logged its refusal of a request without a token"
    );

    // A key of another account: the grant itself is refused, nothing is listed.
    let other = Gcs::untrusted();
    let e2 = Env::new();
    other.add(
        &e2,
        "stranger",
        &[
            "--service-account-key",
            other.key_path(),
            "--project",
            "pb-test-project",
        ],
        "",
    );
    let o = sdk_lists(&e2, "stranger", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("invalid_grant") && text(&o).contains("Invalid JWT Signature."),
        "{}",
        text(&o)
    );
    assert!(o.stdout.is_empty(), "{}", text(&o));
}
