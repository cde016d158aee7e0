//! S3 connections that assume an IAM role, against moto (IAM, STS and S3, SigV4 checked; trust
//! policies and `sts:ExternalId` conditions enforced): with the connection's own keys, with
//! another saved connection's credentials (and a chain of them), with an external ID, and with
//! an MFA device whose code is asked once per session — the session kept sealed in the store
//! until it expires, dropped when the role's fields change. A wrong MFA code comes from a
//! stand-in for STS (moto takes any code).

use crate::common::{servers, stderr, text, Env, Servers};

pub(crate) fn moto(srv: &Servers) -> String {
    format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"])
}

/// `patchbay add s3 NAME` at moto with `extra` options; keys read from stdin when given.
fn add(e: &Env, name: &str, keys: Option<(&str, &str)>, extra: &[&str]) {
    let srv = servers();
    let endpoint = moto(&srv);
    let mut args = vec![
        "add",
        "s3",
        name,
        "--endpoint-url",
        &endpoint,
        "--allow-http",
    ];
    let stdin = match keys {
        Some((id, secret)) => {
            args.extend(["--access-key-id", id, "--secret-key-stdin"]);
            secret
        }
        None => "",
    };
    args.extend(extra);
    let o = e.run_with_stdin(&args, stdin);
    assert!(o.status.success(), "add {name}: {}", text(&o));
}

fn alice(srv: &Servers) -> (&str, &str) {
    (&srv["PB_MOTO_KEY_ID"], &srv["PB_MOTO_KEY_SECRET"])
}

/// `patchbay --json test NAME [ARGS]`: exit code and verdict.
fn verdict(e: &Env, name: &str, more: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut args = vec!["--json", "test", name];
    args.extend(more);
    let o = e.run(&args);
    let v = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    (o.status.code(), v)
}

/// `patchbay test NAME` fails at assume_role, naming `role` as one these credentials may not assume.
fn refused_role(e: &Env, name: &str, role: &str) {
    let (code, v) = verdict(e, name, &[]);
    assert_eq!(
        (code, v["failed_step"].as_str()),
        (Some(3), Some("assume_role")),
        "{v}"
    );
    assert_eq!(
        v["message"].as_str().unwrap(),
        format!("role {role} may not be assumed with these credentials (AccessDenied)")
    );
}

/// The exit status and the error a `--json` command printed on stderr.
fn json_error(e: &Env, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let o = e.run(args);
    let printed: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    (o.status.code(), printed["error"].clone())
}

fn steps(v: &serde_json::Value) -> Vec<&str> {
    let all = v["steps"].as_array().unwrap();
    all.iter().map(|s| s["name"].as_str().unwrap()).collect()
}

pub(crate) fn principal(v: &serde_json::Value) -> String {
    let facts = v["facts"].as_array().unwrap();
    let f = facts.iter().find(|f| f["label"] == "principal");
    f.map(|f| f["value"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

/// `aws sts get-caller-identity` run by `patchbay exec NAME` with no AWS files: the ARN the
/// child's credentials are.
fn exec_arn(e: &Env, name: &str) -> std::process::Output {
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let aws = std::path::Path::new(&py).with_file_name("aws");
    let script = format!("AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null {} sts get-caller-identity --query Arn --output text", aws.display());
    e.run(&["exec", name, "--", "sh", "-c", &script])
}

#[test]
#[ignore = "needs the test servers (moto) and tests/run's Python with the aws CLI"]
fn a_role_assumed_with_the_connections_keys_checks_as_the_role_and_hands_exec_its_session_only() {
    let srv = servers();
    let e = Env::new();
    let role = srv["PB_MOTO_ROLE_ARN"].clone();
    add(&e, "as-reader", Some(alice(&srv)), &["--role-arn", &role]);

    let (code, v) = verdict(&e, "as-reader", &[]);
    assert_eq!(code, Some(0), "{v}");
    let at = |n: &str| steps(&v).iter().position(|s| *s == n);
    assert!(
        at("assume_role").is_some() && at("assume_role") < at("identity"),
        "{v}"
    );
    assert_eq!(
        principal(&v),
        "arn:aws:sts::123456789012:assumed-role/reader/patchbay"
    );

    let o = exec_arn(&e, "as-reader");
    assert!(o.status.success(), "exec: {}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "arn:aws:sts::123456789012:assumed-role/reader/patchbay"
    );
    // The child got the role's session, not the keys that minted it.
    let o = e.run(&["exec", "as-reader", "--", "env"]);
    let env = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(!env.contains(&srv["PB_MOTO_KEY_SECRET"]), "the keys leaked");
    assert!(!env.contains(&srv["PB_MOTO_KEY_ID"]), "the key id leaked");
    assert!(env.contains("AWS_SESSION_TOKEN="), "{env}");
}

#[test]
#[ignore = "needs the test servers (moto) and tests/run's Python with the aws CLI"]
fn a_role_assumed_with_another_saved_connection_keeps_no_keys_and_roles_chain() {
    let srv = servers();
    let e = Env::new();
    let role = srv["PB_MOTO_ROLE_ARN"].clone();
    add(&e, "alice", Some(alice(&srv)), &[]);
    add(
        &e,
        "via-alice",
        None,
        &[
            "--role-arn",
            &role,
            "--role-source",
            "alice",
            "--role-session-name",
            "first",
        ],
    );
    let shown: serde_json::Value =
        serde_json::from_slice(&e.run(&["--json", "show", "via-alice"]).stdout).unwrap();
    assert_eq!(
        shown["secrets"],
        serde_json::json!([]),
        "nothing secret is saved"
    );
    assert_eq!(shown["spec"]["role"]["source"], "alice");

    let (code, v) = verdict(&e, "via-alice", &[]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(
        principal(&v),
        "arn:aws:sts::123456789012:assumed-role/reader/first"
    );

    // A role assumed with that role's session: "reader" may not assume roles, and STS says
    // so for the second link; "hop" may, and the chain of two runs as its last role.
    add(
        &e,
        "chained",
        None,
        &[
            "--role-arn",
            &role,
            "--role-source",
            "via-alice",
            "--role-session-name",
            "second",
        ],
    );
    refused_role(&e, "chained", &role);
    let hop = srv["PB_MOTO_HOP_ROLE_ARN"].clone();
    let o = e.run(&["edit", "via-alice", "--role-arn", &hop]);
    assert!(o.status.success(), "edit: {}", text(&o));
    let o = exec_arn(&e, "chained");
    assert!(o.status.success(), "exec: {}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "arn:aws:sts::123456789012:assumed-role/reader/second"
    );

    // The source is not taken from under the role that starts from it: remove and rename are
    // refused, naming it.
    for args in [
        &["--json", "remove", "alice"][..],
        &["--json", "rename", "alice", "al"],
    ] {
        let (code, err) = json_error(&e, args);
        assert_eq!(
            (code, &err["code"]),
            (Some(1), &serde_json::json!("source_in_use")),
            "{err}"
        );
        assert_eq!(err["message"], "connection \"alice\" is the role source of via-alice: they assume their roles with its credentials; give them another role source, or remove them first");
    }
    // A source gone all the same (a store from before that refusal, or edited outside Patchbay:
    // the row deleted by hand) is named, by field, when the role is used.
    let db = rusqlite::Connection::open(e.dir.path().join("patchbay.sqlite3")).unwrap();
    db.execute("DELETE FROM connections WHERE name = 'alice'", [])
        .unwrap();
    let (code, err) = json_error(&e, &["--json", "exec", "via-alice", "--", "true"]);
    assert_eq!(
        (code, &err["field"]),
        (Some(1), &serde_json::json!("role_source")),
        "{err}"
    );
    assert_eq!(err["message"], "role_source: via-alice assumes its role with the S3 connection alice, and there is none by that name: save it, or choose another source (patchbay edit via-alice --role-source NAME)");
}

#[test]
#[ignore = "needs the test servers (moto)"]
fn a_role_refused_by_its_trust_policy_is_named_at_assume_role_and_the_right_external_id_passes() {
    let srv = servers();
    let e = Env::new();
    let role = srv["PB_MOTO_EXTERNAL_ROLE_ARN"].clone();
    add(
        &e,
        "wrong-id",
        Some(alice(&srv)),
        &["--role-arn", &role, "--external-id", "not-it"],
    );
    refused_role(&e, "wrong-id", &role);

    // Bob may use S3 but not sts:AssumeRole: the same step, the same cause.
    let bob = (
        srv["PB_MOTO_BOB_KEY_ID"].as_str(),
        srv["PB_MOTO_BOB_KEY_SECRET"].as_str(),
    );
    add(
        &e,
        "bob",
        Some(bob),
        &["--role-arn", &role, "--external-id", "pb-ext-7"],
    );
    let (code, v) = verdict(&e, "bob", &[]);
    assert_eq!(
        (code, v["failed_step"].as_str()),
        (Some(3), Some("assume_role")),
        "{v}"
    );

    let o = e.run(&[
        "edit",
        "wrong-id",
        "--external-id",
        &srv["PB_MOTO_EXTERNAL_ID"],
    ]);
    assert!(o.status.success(), "edit: {}", text(&o));
    let (code, v) = verdict(&e, "wrong-id", &[]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(
        principal(&v),
        "arn:aws:sts::123456789012:assumed-role/analyst/patchbay"
    );
}

#[test]
#[ignore = "needs the test servers (moto) and tests/run's Python with the aws CLI"]
fn an_mfa_role_asks_for_the_code_once_and_keeps_the_session_sealed_until_its_fields_change() {
    let srv = servers();
    let e = Env::new();
    let role = srv["PB_MOTO_ROLE_ARN"].clone();
    let device = "arn:aws:iam::123456789012:mfa/alice";
    add(
        &e,
        "mfa",
        Some(alice(&srv)),
        &["--role-arn", &role, "--mfa-serial", device],
    );

    // No code: the check stops before STS, naming the device; a hand-off says the same by code.
    let (code, v) = verdict(&e, "mfa", &[]);
    assert_eq!(
        (code, v["failed_step"].as_str()),
        (Some(3), Some("mfa_code")),
        "{v}"
    );
    assert_eq!(
        v["message"].as_str().unwrap(),
        format!("role {role} asks for a code from MFA device {device}")
    );
    let o = e.run(&["--json", "ls", "mfa"]);
    let err: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(
        (o.status.code(), &err["error"]["code"]),
        (Some(1), &serde_json::json!("mfa_needed")),
        "{err}"
    );

    // A code that is not 6 digits is refused by field before anything is sent.
    let o = e.run(&["--json", "test", "mfa", "--mfa-code", "12ab"]);
    let err: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(err["error"]["field"], "mfa_code", "{err}");

    // With the code: minted, and kept — the next uses ask nothing.
    let (code, v) = verdict(&e, "mfa", &["--mfa-code", "123456"]);
    assert_eq!(code, Some(0), "{v}");
    let o = exec_arn(&e, "mfa");
    assert!(o.status.success(), "exec after the code: {}", text(&o));
    let o = e.run(&["ls", "mfa"]);
    assert!(o.status.success(), "ls after the code: {}", text(&o));
    let (code, v) = verdict(&e, "mfa", &[]);
    assert_eq!(code, Some(0), "{v}");
    let detail = v["steps"][0]["detail"].as_str().unwrap_or("");
    assert!(
        detail.starts_with("a session minted earlier, good until "),
        "{v}"
    );

    // credential_process gets the kept session; its secret is nowhere in the store's files.
    let endpoint = moto(&srv);
    let o = e.run(&["aws-credentials", "mfa", "--endpoint", &endpoint]);
    assert!(o.status.success(), "aws-credentials: {}", text(&o));
    let c: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let secret = c["SecretAccessKey"].as_str().unwrap();
    assert!(
        c["SessionToken"].is_string() && c["Expiration"].is_string(),
        "{c}"
    );
    for f in std::fs::read_dir(e.dir.path()).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "the session is in plaintext"
        );
    }

    // Another session name is another role definition: the kept session is not used for it.
    let o = e.run(&["edit", "mfa", "--role-session-name", "renamed"]);
    assert!(o.status.success(), "edit: {}", text(&o));
    let o = e.run(&["--json", "exec", "mfa", "--", "true"]);
    let err: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(err["error"]["code"], "mfa_needed", "{err}");
    let o = e.run(&["exec", "mfa", "--mfa-code", "654321", "--", "true"]);
    assert!(o.status.success(), "exec with a code: {}", text(&o));
}

#[test]
#[ignore = "needs the test servers (the STS stand-in)"]
fn a_refused_mfa_code_is_named_as_such_and_nothing_is_kept() {
    let srv = servers();
    let e = Env::new();
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_STS_MFA_STANDIN_PORT"]);
    let o = e.run_with_stdin(
        &[
            "add",
            "s3",
            "standin",
            "--endpoint-url",
            &endpoint,
            "--allow-http",
            "--access-key-id",
            "AKIAEXAMPLE",
            "--secret-key-stdin",
            "--role-arn",
            "arn:aws:iam::123456789012:role/reader",
            "--mfa-serial",
            "arn:aws:iam::123456789012:mfa/alice",
        ],
        "example-secret",
    );
    assert!(o.status.success(), "add: {}", text(&o));
    let (code, v) = verdict(&e, "standin", &["--mfa-code", "000000"]);
    assert_eq!(
        (code, v["failed_step"].as_str()),
        (Some(3), Some("assume_role")),
        "{v}"
    );
    assert_eq!(
        v["message"].as_str().unwrap(),
        "the MFA code was refused: wrong, already used, or expired"
    );
    let (_, v) = verdict(&e, "standin", &[]);
    assert_eq!(v["failed_step"], "mfa_code", "no session was kept: {v}");
}
