//! S3 connections by an IAM Identity Center (SSO) profile, against a stand-in for Identity
//! Center (moto has none; its role credentials are minted at moto, so they work on moto's S3)
//! with profiles the real aws CLI writes: a check before any sign-in names the missing login and
//! the command; `patchbay login` runs the device sign-in (the person's approval is a GET of the
//! URL it prints) and keeps the token in the AWS CLI's own cache, which the real aws CLI then
//! uses; the check and `exec` run as the role; an expired sign-in is named as such.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::common::{servers, text, Env};

struct Sso {
    home: tempfile::TempDir,
    aws: PathBuf,
    stand_in: String,
    moto: String,
}

impl Sso {
    fn new() -> Sso {
        let srv = servers();
        let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
        let s = Sso {
            home: tempfile::tempdir().unwrap(),
            aws: std::path::Path::new(&py).with_file_name("aws"),
            stand_in: format!("http://127.0.0.1:{}", srv["PB_SSO_STANDIN_PORT"]),
            moto: format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"]),
        };
        for (k, v) in [
            ("sso_start_url", "https://corp.example/start"),
            ("sso_region", "us-east-1"),
            ("sso_account_id", "123456789012"),
            ("sso_role_name", "reader"),
            ("region", "us-east-1"),
        ] {
            let o = s
                .env(&mut Command::new(&s.aws))
                .args(["configure", "set", k, v, "--profile", "dev"])
                .output()
                .unwrap();
            assert!(o.status.success(), "aws configure set: {}", text(&o));
        }
        s
    }

    /// The environment both the aws CLI and Patchbay run in: a home of their own (the SSO
    /// cache), the config file, and Identity Center's endpoints at the stand-in.
    fn env<'a>(&self, c: &'a mut Command) -> &'a mut Command {
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("AWS_")) {
            c.env_remove(k);
        }
        c.env("HOME", self.home.path())
            .env("AWS_CONFIG_FILE", self.home.path().join("config"))
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.home.path().join("credentials"),
            )
            .env("AWS_ENDPOINT_URL_SSO_OIDC", &self.stand_in)
            .env("AWS_ENDPOINT_URL_SSO", &self.stand_in)
    }

    fn patchbay(&self, e: &Env, args: &[&str]) -> std::process::Output {
        self.env(&mut e.cmd(args)).output().unwrap()
    }
}

/// What a person does in the browser: opens the sign-in URL (plain HTTP to the stand-in).
fn approve(url: &str) {
    let rest = url.strip_prefix("http://").expect("the stand-in's URL");
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(s, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.0 200"), "{answer}");
}

fn verdict(s: &Sso, e: &Env) -> (Option<i32>, serde_json::Value) {
    let o = s.patchbay(e, &["--json", "test", "dev"]);
    (
        o.status.code(),
        serde_json::from_slice(&o.stdout).unwrap_or_default(),
    )
}

#[test]
#[ignore = "needs the test servers (moto, the Identity Center stand-in) and the aws CLI"]
fn an_sso_profile_signs_in_with_patchbay_login_shares_the_aws_clis_cache_and_names_an_expired_login(
) {
    let s = Sso::new();
    let e = Env::new();
    let o = s.patchbay(
        &e,
        &[
            "add",
            "s3",
            "dev",
            "--profile",
            "dev",
            "--endpoint-url",
            &s.moto,
            "--allow-http",
        ],
    );
    assert!(o.status.success(), "add: {}", text(&o));

    let (code, v) = verdict(&s, &e);
    assert_eq!(
        (code, v["failed_step"].as_str()),
        (Some(3), Some("sso_login")),
        "{v}"
    );
    assert_eq!(
        v["message"],
        "profile dev signs in with IAM Identity Center, and nobody has signed in with it on this machine yet"
    );
    assert_eq!(
        v["hint"],
        "sign in: patchbay login dev (or aws sso login --profile dev)"
    );

    // patchbay login: it prints where to approve, waits, and keeps the token.
    let mut login = s
        .env(&mut e.cmd(["login", "dev", "--no-browser"]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    BufReader::new(login.stderr.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    let url = said.split_whitespace().nth(2).expect("the URL").to_string();
    assert!(said.contains("and check that it shows the code "), "{said}");
    approve(&url);
    let o = login.wait_with_output().unwrap();
    assert!(o.status.success(), "login: {}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("signed in for dev until "));

    // The token is where the AWS CLI keeps it, readable by its owner only, and the real aws
    // CLI signs in with it.
    let cache = s.home.path().join(".aws/sso/cache");
    let file = std::fs::read_dir(&cache)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let o = s
        .env(&mut Command::new(&s.aws))
        .args([
            "sts",
            "get-caller-identity",
            "--profile",
            "dev",
            "--endpoint-url",
            &s.moto,
            "--query",
            "Arn",
            "--output",
            "text",
        ])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "aws with Patchbay's sign-in: {}",
        text(&o)
    );
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "arn:aws:sts::123456789012:assumed-role/reader/sso"
    );

    let (code, v) = verdict(&s, &e);
    assert_eq!(code, Some(0), "{v}");
    let principal = v["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == "principal")
        .unwrap();
    assert_eq!(
        principal["value"],
        "arn:aws:sts::123456789012:assumed-role/reader/sso"
    );

    // An expired sign-in with nothing to renew it: named, with the command.
    let mut cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    cached["expiresAt"] = "2026-01-01T00:00:00Z".into();
    cached.as_object_mut().unwrap().remove("refreshToken");
    std::fs::write(&file, cached.to_string()).unwrap();
    // The session the check minted is still kept (and good): logout drops it.
    let (code, _) = verdict(&s, &e);
    assert_eq!(code, Some(0), "a kept session is used while it is good");
    let o = s.patchbay(&e, &["logout", "dev"]);
    assert!(o.status.success(), "logout: {}", text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "dropped the session kept for dev"
    );
    let (code, v) = verdict(&s, &e);
    assert_eq!(
        (code, v["failed_step"].as_str()),
        (Some(3), Some("sso_login")),
        "{v}"
    );
    let message = v["message"].as_str().unwrap();
    assert!(
        message
            .starts_with("profile dev signs in with IAM Identity Center, and its sign-in expired ")
            && message.ends_with(" ago"),
        "{message}"
    );
}
