//! Database checks through a real OpenSSH bastion (tests/servers/ssh): the bastion lives in a
//! network namespace of its own where PostgreSQL is 127.0.0.1:5432 and MariaDB :3306 — ports
//! nothing listens on from here, so a check that passes went through the tunnel. Logins by
//! ed25519 key, encrypted RSA key (the server takes rsa-sha2-512 only), password and agent;
//! host keys unknown, accepted and changed; each failure named at its SSH step.

use std::process::Command;

use patchbay_core::check::{StepName, Verdict};
use patchbay_core::kinds;
use patchbay_core::model::*;
use patchbay_core::ssh::host_keys::HostKeys;
use patchbay_core::SecretString;

use crate::checks::{assert_failed, env, saved, steps, T};

pub(crate) const SSH_STEPS: [StepName; 5] = [
    StepName::SshTcp,
    StepName::SshHandshake,
    StepName::SshHostKey,
    StepName::SshAuth,
    StepName::SshForward,
];

/// The bastion's host key fingerprint, as `ssh-keygen -lf` prints it.
pub(crate) fn bastion_fingerprint() -> String {
    patchbay_testkit::ssh_fingerprint(&env("PB_SSH_HOST_KEY"))
}

/// Host keys where the bastion is known (a known_hosts file `ssh-keyscan` wrote).
pub(crate) fn known(dir: &std::path::Path) -> HostKeys {
    let file = dir.join("known_hosts");
    let o = Command::new("ssh-keyscan")
        .args(["-p", &env("PB_SSH_PORT"), "127.0.0.1"])
        .output()
        .unwrap();
    std::fs::write(&file, &o.stdout).unwrap();
    HostKeys {
        files: vec![file],
        own: None,
        accepted: None,
    }
}

/// A PostgreSQL (or MariaDB) connection to the database as the bastion sees it.
pub(crate) fn tunnelled(
    engine: DbEngine,
    db_port: u32,
    auth: SshAuth,
    key_file: Option<String>,
) -> ConnectionDraft {
    let (user, password) = match engine {
        DbEngine::Postgresql => ("app", env("PB_PG_PASSWORD")),
        DbEngine::Mysql => ("app", env("PB_MY_PASSWORD")),
    };
    ConnectionDraft::new(
        "behind-bastion",
        Spec::Database(DatabaseSpec {
            engine,
            host: "127.0.0.1".into(),
            port: db_port,
            database: "app".into(),
            username: user.into(),
            ssl_mode: SslMode::VerifyFull,
            ca_cert: crate::checks::pem("PB_CA_CERT"),
            ssh: Some(SshTunnel {
                host: "127.0.0.1".into(),
                port: env("PB_SSH_PORT").parse().unwrap(),
                user: env("PB_SSH_USER"),
                auth,
                key_file,
                jump: Vec::new(),
            }),
        }),
    )
    .with_secret(SecretField::Password, SecretString::new(password))
}

pub(crate) async fn check_with(draft: ConnectionDraft, keys: &HostKeys) -> Verdict {
    let (_s, r) = saved(draft);
    kinds::check(&r, T, keys).await
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_database_only_the_bastion_reaches_passes_through_the_tunnel_with_an_ed25519_key() {
    // From here nothing listens where the bastion sees the database.
    assert!(
        std::net::TcpStream::connect("127.0.0.1:5432").is_err(),
        "5432 must be closed here"
    );
    let dir = tempfile::tempdir().unwrap();
    let d = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_KEY")),
    );
    let v = check_with(d, &known(dir.path())).await;
    assert!(v.ok, "{v:#?}");
    let mut want = SSH_STEPS.to_vec();
    want.extend([
        StepName::Tcp,
        StepName::Tls,
        StepName::Auth,
        StepName::Query,
    ]);
    assert_eq!(steps(&v), want);
    assert!(v.message.starts_with("PostgreSQL 15"), "{v:#?}");
    let m = tunnelled(DbEngine::Mysql, 3306, SshAuth::Key, Some(env("PB_SSH_KEY")));
    let v = check_with(m, &known(dir.path())).await;
    assert!(v.ok, "MariaDB through the tunnel: {v:#?}");
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn an_encrypted_rsa_key_opens_with_its_saved_passphrase_and_signs_with_rsa_sha2_512() {
    let dir = tempfile::tempdir().unwrap();
    let d = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_RSA_KEY")),
    );
    let v = check_with(d.clone(), &known(dir.path())).await;
    assert_failed(
        &v,
        StepName::SshAuth,
        &format!(
            "the key file {} is encrypted and no passphrase is saved",
            env("PB_SSH_RSA_KEY")
        ),
    );
    let right = d.clone().with_secret(
        SecretField::SshPassphrase,
        SecretString::new(env("PB_SSH_RSA_PASSPHRASE")),
    );
    let v = check_with(right, &known(dir.path())).await;
    assert!(v.ok, "{v:#?}");
    let wrong = d.with_secret(
        SecretField::SshPassphrase,
        SecretString::new("not-the-passphrase"),
    );
    let v = check_with(wrong, &known(dir.path())).await;
    assert_failed(
        &v,
        StepName::SshAuth,
        &format!(
            "the key file {} did not open with the saved passphrase",
            env("PB_SSH_RSA_KEY")
        ),
    );
    assert!(!format!("{v:?}").contains("not-the-passphrase"));
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_saved_key_a_password_and_a_key_the_bastion_does_not_know_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let keys = known(dir.path());
    let key_text = std::fs::read_to_string(env("PB_SSH_KEY")).unwrap();
    let saved_key = tunnelled(DbEngine::Postgresql, 5432, SshAuth::Key, None)
        .with_secret(SecretField::SshPrivateKey, SecretString::new(key_text));
    assert!(check_with(saved_key, &keys).await.ok);
    let pw = tunnelled(DbEngine::Postgresql, 5432, SshAuth::Password, None).with_secret(
        SecretField::SshPassword,
        SecretString::new(env("PB_SSH_PASSWORD")),
    );
    assert!(check_with(pw, &keys).await.ok);
    let wrong = tunnelled(DbEngine::Postgresql, 5432, SshAuth::Password, None)
        .with_secret(SecretField::SshPassword, SecretString::new("wrong-ssh-pw"));
    let v = check_with(wrong, &keys).await;
    assert_failed(
        &v,
        StepName::SshAuth,
        "the bastion refused patchbay-ssh's password",
    );
    assert!(!format!("{v:?}").contains("wrong-ssh-pw"));
    let other = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_OTHER_KEY")),
    );
    let v = check_with(other, &keys).await;
    assert_failed(
        &v,
        StepName::SshAuth,
        "the bastion refused patchbay-ssh's ssh-ed25519 key",
    );
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn an_unknown_bastion_is_refused_until_its_fingerprint_is_accepted_and_then_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let keys = HostKeys::standard(None, dir.path());
    let fp = bastion_fingerprint();
    let d = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_KEY")),
    );
    let v = check_with(d.clone(), &keys).await;
    assert_failed(
        &v,
        StepName::SshHostKey,
        &format!(
            "the bastion 127.0.0.1:{} is not known: its host key is {fp}",
            env("PB_SSH_PORT")
        ),
    );
    assert!(
        v.hint
            .as_deref()
            .unwrap()
            .ends_with(&format!("accept it: Trust host key {fp}")),
        "{v:#?}"
    );
    // Another fingerprint accepted does not let it in.
    let mut other = keys.clone();
    other.accepted = Some("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into());
    assert_eq!(
        check_with(d.clone(), &other).await.failed_step,
        Some(StepName::SshHostKey)
    );
    let mut accepting = keys.clone();
    accepting.accepted = Some(fp.clone());
    assert!(check_with(d.clone(), &accepting).await.ok);
    // Remembered in Patchbay's own list: known without accepting again.
    assert!(check_with(d, &keys).await.ok);
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn a_bastion_showing_another_key_than_the_recorded_one_is_a_hard_failure_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("known_hosts");
    let impostor = std::fs::read_to_string(format!("{}.pub", env("PB_SSH_OTHER_KEY"))).unwrap();
    let impostor_b64 = impostor.split_whitespace().nth(1).unwrap();
    std::fs::write(
        &file,
        format!(
            "[127.0.0.1]:{} ssh-ed25519 {impostor_b64}\n",
            env("PB_SSH_PORT")
        ),
    )
    .unwrap();
    let recorded = patchbay_testkit::ssh_fingerprint(&format!("{}.pub", env("PB_SSH_OTHER_KEY")));
    // Even with the new key's fingerprint accepted: a changed key is never accepted that way.
    let keys = HostKeys {
        files: vec![file.clone()],
        own: None,
        accepted: Some(bastion_fingerprint()),
    };
    let d = tunnelled(
        DbEngine::Postgresql,
        5432,
        SshAuth::Key,
        Some(env("PB_SSH_KEY")),
    );
    let v = check_with(d, &keys).await;
    assert_failed(&v, StepName::SshHostKey, &format!(
        "the bastion 127.0.0.1:{} shows another host key than the one recorded: {}, recorded {recorded} ({}:1)",
        env("PB_SSH_PORT"), bastion_fingerprint(), file.display()
    ));
}
