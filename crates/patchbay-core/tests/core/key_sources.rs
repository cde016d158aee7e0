//! The explicit fallbacks for the master key: a key file sealed with a passphrase (a wrong one
//! refused, a missing file never replaced while the store holds secrets) and a given key (one
//! that is not Fernet refused, naming the variable).

use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource};
use patchbay_testkit::*;

pub(crate) fn key_file_source(path: &std::path::Path, passphrase: &str) -> KeySource {
    KeySource::KeyFile {
        path: path.to_path_buf(),
        passphrase: Some(passphrase.into()),
    }
}

#[test]
fn a_key_file_sealed_with_a_passphrase_opens_the_store_and_refuses_a_wrong_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("master.key");
    let mut c = Catalog::open_in(
        &dir.path().join("store"),
        key_file_source(&kf, "correct horse"),
    )
    .unwrap();
    c.create(postgres("pg", "pw")).unwrap();
    let text = std::fs::read_to_string(&kf).unwrap();
    assert!(text.contains("\"kdf\": \"scrypt\""));
    drop(c);

    let c = Catalog::open_in(
        &dir.path().join("store"),
        key_file_source(&kf, "correct horse"),
    )
    .unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw"
    );

    let c = Catalog::open_in(
        &dir.path().join("store"),
        key_file_source(&kf, "wrong passphrase"),
    )
    .unwrap();
    let e = c.resolve(None, "pg").unwrap_err();
    assert_eq!(e.code(), "wrong_key");
    assert!(
        e.to_string().contains("passphrase does not open key file"),
        "{e}"
    );
}

#[test]
fn a_missing_key_file_is_not_replaced_while_the_store_holds_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("master.key");
    let mut c = Catalog::open_in(
        &dir.path().join("store"),
        key_file_source(&kf, "passphrase-pp"),
    )
    .unwrap();
    c.create(postgres("pg", "pw")).unwrap();
    drop(c);
    let saved = std::fs::read(&kf).unwrap();
    std::fs::remove_file(&kf).unwrap();

    let c = Catalog::open_in(
        &dir.path().join("store"),
        key_file_source(&kf, "passphrase-pp"),
    )
    .unwrap();
    let e = c.resolve(None, "pg").unwrap_err();
    assert_eq!(e.code(), "key_missing");
    assert!(!kf.exists(), "no new key file was made");

    std::fs::write(&kf, saved).unwrap();
    let c = Catalog::open_in(
        &dir.path().join("store"),
        key_file_source(&kf, "passphrase-pp"),
    )
    .unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw",
        "readable again once the key is back"
    );
}

#[test]
fn a_given_key_that_is_not_fernet_is_refused_with_the_variable_named() {
    std::env::set_var("PATCHBAY_MASTER_KEY", "hunter2");
    let e = KeySource::from_env().unwrap_err();
    std::env::remove_var("PATCHBAY_MASTER_KEY");
    assert!(
        e.to_string()
            .contains("PATCHBAY_MASTER_KEY is not a Fernet key"),
        "{e}"
    );
    assert!(!e.to_string().contains("hunter2"));
}
