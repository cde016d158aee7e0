//! Joining a team with the logins pipelines and CI systems use: an AppRole (role id and secret
//! id) and a JWT signed by a key pair the engine trusts (made by the test servers; the test signs
//! with its private key). A wrong secret id and a JWT for another audience are refused by field,
//! and nothing is kept.

use std::process::Command;

use crate::common::{servers, text, Env, Servers};
use crate::teams::{join_as, json_err};

/// A JWT for `audience`, signed RS256 with the key the engine trusts.
fn jwt(srv: &Servers, audience: &str) -> String {
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let o = Command::new(py)
        .args(["-c", "import jwt, sys, time; k = open(sys.argv[1]).read(); t = int(time.time()); print(jwt.encode({'sub': 'ci-job', 'aud': sys.argv[2], 'iat': t, 'nbf': t - 5, 'exp': t + 300}, k, algorithm='RS256'))"])
        .args([&srv["PB_BAO_JWT_KEY"], audience])
        .output()
        .unwrap();
    assert!(o.status.success(), "sign: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
#[ignore = "needs the test servers (OpenBao) and the OS keychain"]
fn a_pipeline_joins_with_an_approle_a_ci_job_with_a_jwt_and_wrong_credentials_are_refused_by_field()
{
    let srv = servers();
    let role_id = srv["PB_BAO_APPROLE_ROLE_ID"].clone();
    let e = Env::new();
    let o = join_as(
        &e,
        &srv,
        &["--auth", "approle", "--role-id", &role_id],
        "not-the-secret-id",
    );
    assert_eq!(
        (o.status.code(), json_err(&o)["error"]["field"].as_str()),
        (Some(1), Some("secret_id")),
        "{}",
        text(&o)
    );
    assert_eq!(
        String::from_utf8_lossy(&e.run(&["--json", "team", "list"]).stdout).trim(),
        "[]"
    );
    let o = join_as(
        &e,
        &srv,
        &["--auth", "approle", "--role-id", &role_id],
        &srv["PB_BAO_APPROLE_SECRET_ID"],
    );
    assert!(o.status.success(), "approle: {}", text(&o));
    let o = e.run(&["--json", "team", "ls", "data-eng"]);
    assert!(o.status.success(), "ls as the AppRole: {}", text(&o));

    let ci = Env::new();
    let o = join_as(
        &ci,
        &srv,
        &["--auth", "jwt", "--role", "ci"],
        &jwt(&srv, "someone-else"),
    );
    let err = json_err(&o);
    assert_eq!(
        (o.status.code(), err["error"]["field"].as_str()),
        (Some(1), Some("jwt")),
        "{err}"
    );
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("jwt: the engine refused the token (JWT) for role ci ("),
        "{err}"
    );
    let o = join_as(
        &ci,
        &srv,
        &["--auth", "jwt", "--role", "ci"],
        &jwt(&srv, "patchbay"),
    );
    assert!(o.status.success(), "jwt: {}", text(&o));
    let o = ci.run(&["--json", "team", "ls", "data-eng"]);
    assert!(o.status.success(), "ls as the CI job: {}", text(&o));
}

#[test]
#[ignore = "needs the test servers (OpenBao, PostgreSQL) and the OS keychain"]
fn a_team_in_a_namespace_works_through_it_and_an_unknown_namespace_is_named() {
    let srv = servers();
    let ns = crate::teams::unique("ns");
    crate::teams::bao(&srv, &["namespace", "create", &ns]);
    crate::teams::bao(
        &srv,
        &[
            "secrets",
            "enable",
            &format!("-namespace={ns}"),
            "-path=secret",
            "kv-v2",
        ],
    );
    let e = Env::new();
    let root = srv["PB_BAO_ROOT_TOKEN"].clone();
    let o = join_as(
        &e,
        &srv,
        &["--auth", "token", "--namespace", "no-such-namespace"],
        &root,
    );
    let err = json_err(&o);
    assert_eq!(
        (
            err["error"]["code"].as_str(),
            err["error"]["message"].as_str()
        ),
        (
            Some("engine"),
            Some("the engine does not know namespace no-such-namespace: check --namespace")
        ),
        "{}",
        text(&o)
    );
    let o = join_as(&e, &srv, &["--auth", "token", "--namespace", &ns], &root);
    assert!(o.status.success(), "join in {ns}: {}", text(&o));
    let name = crate::teams::unique("in-ns");
    e.add_verified_db(&srv, "postgres", &name);
    let o = e.run(&["share", &name, "--team", "data-eng"]);
    assert!(o.status.success(), "share: {}", text(&o));
    let o = e.run(&["--json", "test", &name, "--team", "data-eng"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
