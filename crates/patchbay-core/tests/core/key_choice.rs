//! Choosing a key file from the window when the key cannot be found where it was looked for:
//! a wrong passphrase changes nothing and names the passphrase; the right one opens the store at
//! once and is remembered for the store, so the CLI (and Open in terminal) find the key too. And
//! a store's first key seals the connections saved before it had one.

use patchbay_core::desk::Desk;
use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource, MasterKey, SecretString};
use patchbay_testkit::*;

#[test]
fn a_key_file_chosen_in_the_window_opens_the_store_and_is_remembered_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("patchbay.key");
    let with_file = |p: &str| KeySource::KeyFile {
        path: key_file.clone(),
        passphrase: Some(SecretString::new(p.to_string())),
    };
    // Saved under a key file; opened later with a key that is not this store's.
    let mut cat = Catalog::open_in(dir.path(), with_file("correct horse battery")).unwrap();
    cat.create(postgres("orders", "orders-pw")).unwrap();
    drop(cat);
    let d = Desk::open_in(dir.path(), given(MasterKey::generate().unwrap())).unwrap();
    assert!(!d.key_status().unlocked);

    let e = d
        .use_key_file(key_file.to_str().unwrap(), "wrong passphrase".into())
        .unwrap_err();
    assert_eq!(e.field(), Some("passphrase"), "{e}");
    assert!(!d.key_status().unlocked, "a failed choice changes nothing");
    assert!(!dir
        .path()
        .join(patchbay_core::keys::KEY_FILE_CHOICE)
        .exists());
    let e = d.use_key_file("patchbay.key", "x".into()).unwrap_err();
    assert_eq!(e.field(), Some("key_file"), "{e}");

    let status = d
        .use_key_file(key_file.to_str().unwrap(), "correct horse battery".into())
        .unwrap();
    assert!(status.unlocked, "{status:?}");
    assert!(status.source.contains("patchbay.key"), "{}", status.source);
    let r = d.resolve(Kind::Database, "orders").unwrap();
    assert_eq!(
        r.secret(SecretField::Password).unwrap().expose(),
        "orders-pw"
    );

    // Remembered for this store: what the CLI opens it with (its passphrase from the terminal
    // or PATCHBAY_PASSPHRASE), unless the environment asks for another source.
    match KeySource::for_store(dir.path()).unwrap() {
        KeySource::KeyFile { path, .. } => assert_eq!(path, key_file),
        other => panic!("{other:?}"),
    }
}

#[test]
fn connections_saved_before_the_store_had_a_key_are_sealed_by_its_first_key() {
    let mut s = store();
    let mut plain = postgres("plain", "unused");
    plain.secrets.clear();
    s.catalog.create(plain).unwrap();
    // As a store from before connections without secrets were sealed: no key, no seal.
    let raw = s.raw();
    raw.execute(
        "DELETE FROM meta WHERE key IN ('key_check', 'seal_format')",
        [],
    )
    .unwrap();
    raw.execute("UPDATE connections SET mac = NULL", [])
        .unwrap();
    let mut cat = s.reopen_with(s.key.clone());
    let mut other = postgres("other", "unused");
    other.secrets.clear();
    cat.create(other).unwrap(); // the store's first key
    cat.resolve(None, "plain").unwrap();
    drop(cat);
    // Sealed now: an edit behind Patchbay's back is caught.
    raw.execute(
        "UPDATE connections SET spec = json_set(spec, '$.host', 'attacker.example') WHERE name = 'plain'",
        [],
    )
    .unwrap();
    let cat = s.reopen_with(s.key.clone());
    assert_eq!(cat.resolve(None, "plain").unwrap_err().code(), "tampered");
}
