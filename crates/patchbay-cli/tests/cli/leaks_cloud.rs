//! The leak audit of the cloud kinds against their real servers, as `leaks_checks.rs` does for
//! the others: Azure (account key, SAS, service principal against Azurite and the Entra ID
//! stand-in), Google Cloud Storage (a service account key, behind Google's authentication
//! stand-in) and AWS temporary credentials (a session from moto's STS). Each has a connection
//! that passes and one that fails at authentication; every check, in text and JSON and through
//! `test --all`, exits as it must and prints no secret, and the store's files (the WAL kept alive
//! by a second connection, so that it is really there to scan) hold none.

use crate::aws::Moto;
use crate::azure::Azurite;
use crate::common::{text, Env};
use crate::gcs::Gcs;
use crate::leaks_fixtures::*;

/// A wrong Azure account key that is well-formed (64 bytes of base64), so it is saved and sent.
const WRONG_AZ_KEY: &str =
    "LEAKwrongAzureAccountKey0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
const WRONG_SAS_SIG: &str = "LEAKforgedSig0e61";
const WRONG_CLIENT_SECRET: &str = "LEAK-wrong-client-secret-8c2d";
const WRONG_SESSION_TOKEN: &str = "FQoGZXIvYXdzLEAK-wrong-session-token-47a0";

/// 40 characters of a service account key's private key, to look for.
fn private_key_run(key_file: &str) -> String {
    let key: serde_json::Value = serde_json::from_slice(&std::fs::read(key_file).unwrap()).unwrap();
    let pem = key["private_key"].as_str().unwrap();
    let body = pem.lines().nth(3).expect("a PEM body line");
    body[..40].to_string()
}

#[test]
#[ignore = "needs the test servers (Azurite, the Entra ID and Google stand-ins, moto)"]
fn cloud_checks_that_pass_and_fail_against_real_servers_leak_no_secret() {
    let (az, gcs, stranger, moto) = (Azurite::new(), Gcs::new(), Gcs::untrusted(), Moto::new());
    let e = Env::new();
    // A second connection to the store for the whole test: the CLI's last close would otherwise
    // checkpoint and delete the WAL before it could be scanned.
    e.ok(&["list"], "");
    let held = crate::common::catalog_of(&e);

    az.add(
        &e,
        "az-key-ok",
        &["--account-key-stdin"],
        az.get("PB_AZ_KEY"),
    );
    az.add(&e, "az-key-wrong", &["--account-key-stdin"], WRONG_AZ_KEY);
    let sas = ["--auth", "sas", "--sas-stdin"];
    let good_sas = az.get("PB_AZ_ACCOUNT_SAS");
    let forged_sas = good_sas.replacen("sig=", &format!("sig={WRONG_SAS_SIG}"), 1);
    az.add(&e, "az-sas-ok", &sas, good_sas);
    az.add(&e, "az-sas-forged", &sas, &forged_sas);
    let sp = [
        "--auth",
        "service-principal",
        "--tenant-id",
        az.get("PB_AZ_TENANT"),
        "--client-id",
        az.get("PB_AZ_CLIENT"),
        "--authority-host",
        az.get("PB_AZ_AUTHORITY"),
        "--client-secret-stdin",
    ];
    az.add(&e, "az-sp-ok", &sp, az.get("PB_AZ_CLIENT_SECRET"));
    az.add(&e, "az-sp-wrong", &sp, WRONG_CLIENT_SECRET);
    gcs.add(&e, "gcs-ok", &["--service-account-key", gcs.key_path()], "");
    stranger.add(
        &e,
        "gcs-wrong",
        &["--service-account-key", stranger.key_path()],
        "",
    );
    let session = moto.add(&e, "aws-ok")["Credentials"].clone();
    moto.add(&e, "aws-wrong");
    e.ok(
        &["edit", "aws-wrong", "--session-token-stdin"],
        WRONG_SESSION_TOKEN,
    );

    let mut seen = String::new();
    let mut outcomes = Vec::new();
    for name in [
        "az-key-ok",
        "az-key-wrong",
        "az-sas-ok",
        "az-sas-forged",
        "az-sp-ok",
        "az-sp-wrong",
        "gcs-ok",
        "gcs-wrong",
        "aws-ok",
        "aws-wrong",
    ] {
        let o = run(&mut e.cmd(["test", name]), "");
        seen.push_str(&text(&o));
        let j = run(&mut e.cmd(["--json", "test", name]), "");
        seen.push_str(&text(&j));
        let v: serde_json::Value = serde_json::from_slice(&j.stdout).expect("a JSON verdict");
        assert_eq!(
            o.status.code(),
            j.status.code(),
            "{name}: text and JSON agree"
        );
        outcomes.push(format!("{name} {:?} {}", o.status.code(), v["failed_step"]));
    }
    // The checks really ran: each right secret passes, each wrong one fails at authentication.
    assert_eq!(
        outcomes,
        [
            "az-key-ok Some(0) null",
            "az-key-wrong Some(3) \"auth\"",
            "az-sas-ok Some(0) null",
            "az-sas-forged Some(3) \"auth\"",
            "az-sp-ok Some(0) null",
            "az-sp-wrong Some(3) \"auth\"",
            "gcs-ok Some(0) null",
            "gcs-wrong Some(3) \"auth\"",
            "aws-ok Some(0) null",
            "aws-wrong Some(3) \"auth\"",
        ],
        "{seen}"
    );
    for args in [vec!["test", "--all"], vec!["--json", "test", "--all"]] {
        let o = run(&mut e.cmd(&args), "");
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }

    let secret_key = session["SecretAccessKey"].as_str().unwrap().to_string();
    let token = session["SessionToken"].as_str().unwrap().to_string();
    let (gcs_key, stranger_key) = (
        private_key_run(gcs.key_path()),
        private_key_run(stranger.key_path()),
    );
    let az_key = az.get("PB_AZ_KEY");
    let good_sig = good_sas.split("sig=").nth(1).unwrap();
    let markers = [
        az_key,
        WRONG_AZ_KEY,
        good_sig,
        WRONG_SAS_SIG,
        az.get("PB_AZ_CLIENT_SECRET"),
        WRONG_CLIENT_SECRET,
        gcs_key.as_str(),
        stranger_key.as_str(),
        secret_key.as_str(),
        token.as_str(),
        WRONG_SESSION_TOKEN,
    ];
    for m in markers {
        assert!(
            !seen.contains(m),
            "{m} leaked into a check's output:\n{seen}"
        );
    }
    let wal = e
        .dir
        .path()
        .join(format!("{}-wal", patchbay_core::paths::CATALOG_FILE));
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(wal_len > 0, "the WAL is there to scan ({})", wal.display());
    assert_store_files_clean(e.dir.path(), &markers);
    drop(held);
}
