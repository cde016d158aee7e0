//! MySQL/MariaDB `verify-ca` checks the chain but not the name, as PostgreSQL's verify-ca (and
//! psql) do, and `verify-full` checks both: the check upgrades the login's session to TLS itself
//! and verifies it once, by the mode's rules (sqlx alone checks the name in verify-ca too).
//! 127.0.0.2 reaches the test MariaDB under a name its certificate does not list.

use patchbay_core::check::StepName;
use patchbay_core::kinds;
use patchbay_core::model::*;

use crate::checks::{assert_failed, check, db, env, fact, pem, port, saved, T};

fn at(mode: SslMode, ca: Option<String>) -> ConnectionDraft {
    let mut d = db(DbEngine::Mysql, port("PB_MY_PORT"), "app", mode, ca)
        .with_secret(SecretField::Password, env("PB_MY_PASSWORD"));
    if let Spec::Database(db) = &mut d.spec {
        db.host = "127.0.0.2".into();
    }
    d
}

#[tokio::test]
#[ignore = "needs the test servers: run tests/run"]
async fn mysql_verify_ca_checks_the_chain_but_not_the_name_and_verify_full_checks_both() {
    let v = check(at(SslMode::VerifyCa, pem("PB_CA_CERT"))).await;
    assert!(v.ok, "verify-ca to a name not in the certificate: {v:#?}");
    assert!(
        fact(&v, "session tls") == "TLS 1.3",
        "the login's session is the verified TLS one: {v:#?}"
    );
    let v = check(at(SslMode::VerifyFull, pem("PB_CA_CERT"))).await;
    assert_failed(
        &v,
        StepName::Tls,
        "the server's certificate is not valid for \"127.0.0.2\"",
    );
    // Another CA: the chain does not verify, verify-ca or not.
    let v = check(at(SslMode::VerifyCa, Some(patchbay_testkit::a_real_ca()))).await;
    assert_eq!(v.failed_step, Some(StepName::Tls), "{v:#?}");
    // Checked with the others (test --all, one login each), too.
    let (_s, r) = saved(at(SslMode::VerifyCa, pem("PB_CA_CERT")));
    let all = kinds::check_all(vec![r], T, 4, &Default::default()).await;
    assert!(all[0].ok, "{:#?}", all[0]);
}
