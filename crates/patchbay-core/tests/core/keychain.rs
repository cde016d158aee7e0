//! The OS keychain, for real: these tests need a running Secret Service (tests/run starts
//! gnome-keyring under dbus-run-session). They are ignored by a plain `cargo test` and run with
//! `--include-ignored` by the test command.

use patchbay_core::keys::{self, KeySource};
use patchbay_core::model::SecretField;
use patchbay_core::Catalog;
use patchbay_testkit::*;

const NEEDS: &str = "needs a Secret Service: run tests/run";

fn entry(store_id: &str, pending: bool) -> keyring::Entry {
    let account = if pending {
        format!("master-key-pending/{store_id}")
    } else {
        format!("master-key/{store_id}")
    };
    keyring::Entry::new(keys::KEYCHAIN_SERVICE, &account).unwrap()
}

#[test]
#[ignore = "needs a Secret Service: run tests/run"]
fn the_keychain_round_trip_self_test_passes() {
    let _ = NEEDS;
    keys::keychain_self_test().unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/run"]
fn a_new_store_keeps_its_master_key_in_the_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    c.create(postgres("pg", "kc-pw")).unwrap();
    let id = c.store_id().unwrap();
    let key = entry(&id, false).get_password().unwrap();
    assert_eq!(key.len(), 44, "a Fernet key is in the keychain");
    drop(c);

    let c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "kc-pw"
    );
    keys::forget_keychain_key(&id).unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/run"]
fn a_key_deleted_behind_the_apps_back_is_not_silently_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    c.create(postgres("pg", "kc-pw")).unwrap();
    let id = c.store_id().unwrap();
    let key = entry(&id, false).get_password().unwrap();
    drop(c);
    entry(&id, false).delete_credential().unwrap();

    let c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    let e = c.resolve(None, "pg").unwrap_err();
    assert_eq!(e.code(), "key_missing", "{e}");
    assert!(e.to_string().contains("will not create a new key"), "{e}");
    assert!(
        matches!(
            entry(&id, false).get_password(),
            Err(keyring::Error::NoEntry)
        ),
        "no new key was created"
    );

    // Put the key back: everything is readable again.
    entry(&id, false).set_password(&key).unwrap();
    let c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "kc-pw"
    );
    keys::forget_keychain_key(&id).unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/run"]
fn rotation_in_the_keychain_replaces_the_key_and_recovers_from_an_interrupted_promotion() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    c.create(postgres("pg", "kc-pw")).unwrap();
    let id = c.store_id().unwrap();
    let old = entry(&id, false).get_password().unwrap();
    c.rotate_key(None).unwrap();
    let new = entry(&id, false).get_password().unwrap();
    assert_ne!(old, new);
    assert!(
        matches!(
            entry(&id, true).get_password(),
            Err(keyring::Error::NoEntry)
        ),
        "no pending key is left"
    );
    drop(c);

    // A crash between re-encrypting the store and promoting the key leaves the old key in the
    // main entry and the new one pending; the next start must promote it.
    entry(&id, false).set_password(&old).unwrap();
    entry(&id, true).set_password(&new).unwrap();
    let c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "kc-pw"
    );
    assert_eq!(entry(&id, false).get_password().unwrap(), new);
    keys::forget_keychain_key(&id).unwrap();
}

#[test]
#[ignore = "needs a Secret Service: run tests/run"]
fn a_foreign_key_in_the_keychain_is_reported_as_the_wrong_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Catalog::open_in(dir.path(), KeySource::Keychain).unwrap();
    c.create(postgres("pg", "kc-pw")).unwrap();
    let id = c.store_id().unwrap();
    drop(c);
    let original = entry(&id, false).get_password().unwrap();
    entry(&id, false)
        .set_password(patchbay_core::MasterKey::generate().unwrap().expose())
        .unwrap();
    let e = Catalog::open_in(dir.path(), KeySource::Keychain)
        .unwrap()
        .resolve(None, "pg")
        .unwrap_err();
    assert_eq!(e.code(), "wrong_key", "{e}");
    entry(&id, false).set_password(&original).unwrap();
    keys::forget_keychain_key(&id).unwrap();
}
