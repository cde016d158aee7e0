//! Key rotation keeps every secret readable and retires the old key — with a given key, a key
//! file, a catalog left open in another process, a commit lost after the new key was promoted —
//! and leaves no old ciphertext in the WAL.

use patchbay_core::model::*;
use patchbay_core::{Catalog, MasterKey};
use patchbay_testkit::*;

use crate::key_sources::key_file_source;

#[test]
fn rotation_keeps_every_secret_readable_and_retires_the_old_key() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw-pg")).unwrap();
    s.catalog.create(kafka("k", "pw-k")).unwrap();
    s.catalog.put_secret("tok", &"t".into(), None).unwrap();
    let new_key = MasterKey::generate().unwrap();
    let r = s.catalog.rotate_key(Some(new_key.clone())).unwrap();
    assert_eq!(r.secrets_reencrypted, 4);

    let reopened = s.reopen_with(new_key);
    assert_eq!(
        reopened
            .resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw-pg"
    );
    assert_eq!(
        reopened
            .resolve(None, "k")
            .unwrap()
            .secret(SecretField::SaslPassword)
            .unwrap()
            .expose(),
        "pw-k"
    );
    assert_eq!(reopened.reveal_secret("tok").unwrap().expose(), "t");
    assert_eq!(
        s.reopen_with(s.key.clone())
            .resolve(None, "pg")
            .unwrap_err()
            .code(),
        "wrong_key"
    );
}

#[test]
fn rotation_with_a_given_key_asks_for_the_new_key() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    let e = s.catalog.rotate_key(None).unwrap_err();
    assert!(e.to_string().contains("--new-key-stdin"), "{e}");
}

#[test]
fn a_damaged_secret_stops_rotation_before_anything_changes() {
    let mut s = store();
    s.catalog.create(postgres("good", "pw")).unwrap();
    s.catalog.create(postgres("bad", "pw")).unwrap();
    s.raw()
        .execute("UPDATE secrets SET ciphertext = 'garbage' WHERE owner_id = (SELECT id FROM connections WHERE name = 'bad')", [])
        .unwrap();
    let mut c = s.reopen_with(s.key.clone());
    let e = c
        .rotate_key(Some(MasterKey::generate().unwrap()))
        .unwrap_err();
    assert!(e.to_string().contains("\"bad\""), "{e}");
    assert_eq!(
        s.reopen_with(s.key.clone())
            .resolve(None, "good")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw"
    );
}

#[test]
fn rotation_with_a_key_file_rewrites_the_file_and_survives_an_interrupted_promotion() {
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("master.key");
    let store = dir.path().join("store");
    let mut c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    c.create(postgres("pg", "pw")).unwrap();
    let before = std::fs::read(&kf).unwrap();
    c.rotate_key(None).unwrap();
    assert_ne!(
        std::fs::read(&kf).unwrap(),
        before,
        "the key file holds the new key"
    );
    drop(c);
    let c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw"
    );

    // Simulate a crash after the store was re-encrypted but before the new key file replaced
    // the old one: the new key waits in master.key.pending.
    let current = std::fs::read(&kf).unwrap();
    std::fs::write(&kf, &before).unwrap(); // an old key file
    std::fs::write(dir.path().join("master.key.pending"), &current).unwrap();
    let c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw"
    );
    assert_eq!(
        std::fs::read(&kf).unwrap(),
        current,
        "the pending key was promoted"
    );
}

#[test]
fn a_catalog_left_open_follows_a_key_rotated_by_another_process() {
    // The app keeps its catalog open for hours; the CLI rotates the key meanwhile.
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("master.key");
    let store = dir.path().join("store");
    let mut app = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    app.create(postgres("before", "pw-before")).unwrap();
    app.resolve(None, "before").unwrap(); // the app has its key in memory now

    let mut cli = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    cli.rotate_key(None).unwrap();
    drop(cli);

    // The app's next write is sealed under the new key, and its reads still work.
    app.create(postgres("after", "pw-after")).unwrap();
    app.put_secret("shared", &"pw-shared".into(), None).unwrap();
    assert_eq!(
        app.resolve(None, "before")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw-before"
    );
    drop(app);
    let fresh = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    for (name, pw) in [("before", "pw-before"), ("after", "pw-after")] {
        assert_eq!(
            fresh
                .resolve(None, name)
                .unwrap()
                .secret(SecretField::Password)
                .unwrap()
                .expose(),
            pw,
            "{name} opens with the key in the key file"
        );
    }
    assert_eq!(fresh.reveal_secret("shared").unwrap().expose(), "pw-shared");
}

#[test]
fn a_catalog_holding_a_retired_given_key_refuses_to_write_instead_of_sealing_under_it() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    let new_key = MasterKey::generate().unwrap();
    let mut other = s.reopen_with(s.key.clone());
    other.rotate_key(Some(new_key.clone())).unwrap();

    let before = s
        .raw()
        .query_row("SELECT count(*) FROM secrets", [], |r| r.get::<_, i64>(0))
        .unwrap();
    let e = s.catalog.create(postgres("late", "pw-late")).unwrap_err();
    assert_eq!(e.code(), "wrong_key", "{e}");
    let e = s.catalog.resolve(None, "pg").unwrap_err();
    assert_eq!(e.code(), "wrong_key", "{e}");
    let after = s
        .raw()
        .query_row("SELECT count(*) FROM secrets", [], |r| r.get::<_, i64>(0))
        .unwrap();
    assert_eq!(before, after, "nothing was sealed under the retired key");
    assert!(s.reopen_with(new_key).resolve(None, "pg").is_ok());
}

/// The store files as they are on disk (database, WAL, shared memory), to put back later.
fn store_files(store: &std::path::Path) -> Vec<(std::path::PathBuf, Option<Vec<u8>>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let p = store.join(format!("{}{suffix}", patchbay_core::paths::CATALOG_FILE));
            let bytes = std::fs::read(&p).ok();
            (p, bytes)
        })
        .collect()
}

fn put_back(files: &[(std::path::PathBuf, Option<Vec<u8>>)]) {
    for (p, bytes) in files {
        match bytes {
            Some(b) => std::fs::write(p, b).unwrap(),
            None => {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

#[test]
fn a_rotation_whose_commit_was_lost_after_the_new_key_was_promoted_leaves_every_secret_readable() {
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("master.key");
    let store = dir.path().join("store");
    let mut c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    c.create(postgres("pg", "pw")).unwrap();
    c.put_secret("team", &"team-value".into(), None).unwrap();
    drop(c);
    // The disk as it was before the rotation: what a power cut that loses the rotation's
    // commit leaves behind, while the key file (written, synced and renamed) holds the new key.
    let before = store_files(&store);
    let mut c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    c.rotate_key(None).unwrap();
    drop(c);
    put_back(&before);

    let notices_before = patchbay_core::keys::take_notices();
    drop(notices_before);
    let c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    let pg = c.resolve(None, "pg").expect("the store still opens");
    assert_eq!(pg.secret(SecretField::Password).unwrap().expose(), "pw");
    assert_eq!(c.reveal_secret("team").unwrap().expose(), "team-value");
    let notices = patchbay_core::keys::take_notices();
    assert!(
        notices.iter().any(|n| n.contains("did not reach the disk")),
        "the user is told: {notices:?}"
    );
    drop(c);
    // The recovered key is the key file again: a later start needs nothing special.
    let c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    assert_eq!(
        c.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw"
    );
}

#[test]
fn after_a_rotation_the_wal_holds_no_old_ciphertext_and_the_previous_key_goes_once_the_new_one_opened_the_store(
) {
    let dir = tempfile::tempdir().unwrap();
    let kf = dir.path().join("master.key");
    let store = dir.path().join("store");
    let mut c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    c.create(postgres("pg", "pw")).unwrap();
    let old_token: String =
        rusqlite::Connection::open(store.join(patchbay_core::paths::CATALOG_FILE))
            .unwrap()
            .query_row("SELECT ciphertext FROM secrets", [], |r| r.get(0))
            .unwrap();
    c.rotate_key(None).unwrap();
    let wal = store.join(format!("{}-wal", patchbay_core::paths::CATALOG_FILE));
    let wal_bytes = std::fs::read(&wal).unwrap_or_default();
    assert!(
        !contains(&wal_bytes, &old_token),
        "the WAL still holds a ciphertext under the retired key ({} bytes)",
        wal_bytes.len()
    );
    let previous = dir.path().join("master.key.previous");
    assert!(
        previous.exists(),
        "the replaced key is kept until the new one has opened the store"
    );
    drop(c);
    let c = Catalog::open_in(&store, key_file_source(&kf, "passphrase-pp")).unwrap();
    c.resolve(None, "pg").unwrap();
    assert!(
        !previous.exists(),
        "a later start with the new key retired the previous one"
    );
}
