//! Secrets at rest: no plaintext reaches the SQLite file or its WAL; a wrong key or altered
//! ciphertext is reported with the connection's name, never as garbage; a value moved to
//! another row, field or store does not open, and fields edited behind Patchbay's back are
//! caught (the seal over every connection is `seals.rs`'s).

use patchbay_core::model::*;
use patchbay_core::{Catalog, MasterKey, SecretString};
use patchbay_testkit::*;

const MARKERS: [&str; 5] = [
    "PG-PLAINTEXT-7f3a9",
    "S3-PLAINTEXT-c81d2",
    "KAFKA-PLAINTEXT-0e4b5",
    "REGISTRY-PLAINTEXT-55aa1",
    "USER-SECRET-PLAINTEXT-9d9d9",
];

#[test]
fn no_secret_plaintext_reaches_the_sqlite_file_or_its_wal() {
    let mut s = store();
    s.catalog.create(postgres("pg", MARKERS[0])).unwrap();
    s.catalog.create(s3("s3", MARKERS[1])).unwrap();
    let k = ConnectionDraft::new("k", patchbay_core::Spec::Kafka(kafka_spec()))
        .with_secret(SecretField::SaslPassword, MARKERS[2])
        .with_secret(SecretField::SchemaRegistryPassword, MARKERS[3]);
    s.catalog.create(k).unwrap();
    s.catalog
        .put_secret("token", &SecretString::new(MARKERS[4]), None)
        .unwrap();
    // Edits write more pages and WAL frames.
    s.catalog
        .update(None, "pg", postgres("pg", &format!("{}-v2", MARKERS[0])))
        .unwrap();

    let base = s.file();
    let files = [
        base.clone(),
        base.with_extension("sqlite3-wal"),
        base.with_extension("sqlite3-shm"),
    ];
    let wal = std::fs::metadata(&files[1]).map(|m| m.len()).unwrap_or(0);
    assert!(
        wal > 0,
        "the WAL holds the recent writes, so it is really searched"
    );
    let search = || {
        for f in &files {
            let b = bytes(f);
            for m in MARKERS {
                assert!(!contains(&b, m), "{m} found in {}", f.display());
            }
        }
    };
    search();
    // A rotation rewrites every value (and then empties the WAL).
    s.catalog
        .rotate_key(Some(MasterKey::generate().unwrap()))
        .unwrap();
    search();
    // And after a checkpoint folds the WAL into the main file.
    s.raw()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let b = bytes(&base);
    for m in MARKERS {
        assert!(!contains(&b, m), "{m} found in the checkpointed file");
    }
    // The values are still there, encrypted.
    assert_eq!(
        s.catalog.reveal_secret("token").unwrap().expose(),
        MARKERS[4]
    );
}

#[test]
fn a_wrong_key_is_reported_and_nothing_is_decrypted() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    let other = s.reopen_with(MasterKey::generate().unwrap());
    assert!(other.list(None).is_ok(), "listing needs no key");
    let e = other.resolve(None, "pg").unwrap_err();
    assert_eq!(e.code(), "wrong_key");
    assert!(
        e.to_string()
            .contains("PATCHBAY_MASTER_KEY does not open this store"),
        "{e}"
    );
}

#[test]
fn a_tampered_ciphertext_is_reported_with_the_connection_name() {
    let mut s = store();
    s.catalog.create(postgres("orders-db", "pw")).unwrap();
    s.raw()
        .execute("UPDATE secrets SET ciphertext = substr(ciphertext, 1, 40) || 'AAAA' || substr(ciphertext, 45)", [])
        .unwrap();
    let e = s
        .reopen_with(s.key.clone())
        .resolve(None, "orders-db")
        .unwrap_err();
    assert_eq!(e.code(), "decrypt");
    assert!(
        e.to_string()
            .contains("the password of database connection \"orders-db\""),
        "{e}"
    );
}

#[test]
fn a_ciphertext_copied_from_another_connection_is_refused() {
    let mut s = store();
    s.catalog.create(postgres("a", "pw-a")).unwrap();
    s.catalog.create(postgres("b", "pw-b")).unwrap();
    let raw = s.raw();
    let token: String = raw
        .query_row("SELECT s.ciphertext FROM secrets s JOIN connections c ON c.id = s.owner_id WHERE c.name = 'a'", [], |r| r.get(0))
        .unwrap();
    raw.execute(
        "UPDATE secrets SET ciphertext = ?1 WHERE owner_id = (SELECT id FROM connections WHERE name = 'b')",
        [token],
    )
    .unwrap();
    let e = s.reopen_with(s.key.clone()).resolve(None, "b").unwrap_err();
    assert_eq!(e.code(), "decrypt");
    assert!(e.to_string().contains("\"b\""), "{e}");
}

#[test]
fn a_host_edited_in_sqlite_behind_patchbays_back_is_reported_before_the_password_is_used() {
    let mut s = store();
    s.catalog.create(postgres("orders", "pw-orders")).unwrap();
    s.catalog.create(postgres("untouched", "pw-u")).unwrap();
    for (what, sql) in [
        ("host", "UPDATE connections SET spec = json_set(spec, '$.host', 'attacker.example') WHERE name = 'orders'"),
        ("port", "UPDATE connections SET spec = json_set(spec, '$.port', 6543) WHERE name = 'orders'"),
        ("ssl mode", "UPDATE connections SET spec = json_set(spec, '$.ssl_mode', 'disable') WHERE name = 'orders'"),
        ("the seal itself", "UPDATE connections SET mac = NULL WHERE name = 'orders'"),
    ] {
        let before: (String, Option<String>) = s
            .raw()
            .query_row("SELECT spec, mac FROM connections WHERE name = 'orders'", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        s.raw().execute(sql, []).unwrap();
        let cat = s.reopen_with(s.key.clone());
        let e = cat.resolve(None, "orders").unwrap_err();
        assert_eq!(e.code(), "tampered", "{what}: {e}");
        assert!(e.to_string().contains("changed outside Patchbay"), "{what}: {e}");
        assert!(e.to_string().contains("\"orders\""), "{what}: {e}");
        assert!(!e.to_string().contains("pw-orders"));
        let e = cat
            .reveal(None, "orders", SecretField::Password)
            .unwrap_err();
        assert_eq!(e.code(), "tampered", "{what}: reveal: {e}");
        // Other connections are not affected, and the list still shows it (no key needed).
        assert_eq!(
            cat.resolve(None, "untouched")
                .unwrap()
                .secret(SecretField::Password)
                .unwrap()
                .expose(),
            "pw-u"
        );
        assert_eq!(cat.list(None).unwrap().len(), 2);
        s.raw()
            .execute(
                "UPDATE connections SET spec = ?1, mac = ?2 WHERE name = 'orders'",
                rusqlite::params![before.0, before.1],
            )
            .unwrap();
    }
    // Put back as Patchbay sealed it, it opens again.
    let cat = s.reopen_with(s.key.clone());
    assert!(cat.resolve(None, "orders").is_ok());
}

#[test]
fn a_secret_moved_to_another_field_or_another_store_under_the_same_key_does_not_open() {
    let mut s = store();
    let k = ConnectionDraft::new("k", patchbay_core::Spec::Kafka(kafka_spec()))
        .with_secret(SecretField::SaslPassword, "sasl-pw")
        .with_secret(SecretField::SchemaRegistryPassword, "registry-pw");
    s.catalog.create(k).unwrap();
    // The SASL password and the registry password swap rows, each with its own uid and token
    // (row binding alone would accept that): the registry, another endpoint, would be sent the
    // SASL password.
    let raw = s.raw();
    let row = |field: &str| -> (String, String) {
        raw.query_row(
            "SELECT uid, ciphertext FROM secrets WHERE field = ?1",
            [field],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let (sasl, registry) = (row("sasl_password"), row("schema_registry_password"));
    raw.execute(
        "UPDATE secrets SET uid = 'tmp' WHERE field = 'sasl_password'",
        [],
    )
    .unwrap();
    raw.execute(
        "UPDATE secrets SET uid = ?1, ciphertext = ?2 WHERE field = 'schema_registry_password'",
        [&sasl.0, &sasl.1],
    )
    .unwrap();
    raw.execute(
        "UPDATE secrets SET uid = ?1, ciphertext = ?2 WHERE field = 'sasl_password'",
        [&registry.0, &registry.1],
    )
    .unwrap();
    let e = s.reopen_with(s.key.clone()).resolve(None, "k").unwrap_err();
    assert_eq!(e.code(), "decrypt", "{e}");

    // Another store with the same key (PATCHBAY_MASTER_KEY shared by two stores).
    let mut a = store();
    a.catalog.create(postgres("pg", "pw-from-a")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut b = Catalog::open_in(dir.path(), given(a.key.clone())).unwrap();
    b.create(postgres("pg", "pw-of-b")).unwrap();
    drop(b);
    let (uid, token, conn_uid): (String, String, String) = a
        .raw()
        .query_row(
            "SELECT s.uid, s.ciphertext, c.uid FROM secrets s JOIN connections c ON c.id = s.owner_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let raw_b =
        rusqlite::Connection::open(dir.path().join(patchbay_core::paths::CATALOG_FILE)).unwrap();
    raw_b
        .execute("UPDATE connections SET uid = ?1", [&conn_uid])
        .unwrap();
    raw_b
        .execute(
            "UPDATE secrets SET uid = ?1, ciphertext = ?2",
            [&uid, &token],
        )
        .unwrap();
    let b = Catalog::open_in(dir.path(), given(a.key.clone())).unwrap();
    let e = b.resolve(None, "pg").unwrap_err();
    assert!(
        matches!(e.code(), "decrypt" | "tampered"),
        "a value from another store does not open: {e}"
    );
}

#[test]
fn a_store_sealed_the_old_way_is_resealed_in_one_transaction_and_then_detects_tampering() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw-old")).unwrap();
    s.catalog
        .put_secret("team", &"team-old".into(), None)
        .unwrap();
    // Rewrite the store as Patchbay before sealing format 2 wrote it: values bound to their
    // row uid only, no MACs, a v1 key check.
    let v = patchbay_core::Vault::new(s.key.clone());
    let raw = s.raw();
    let rows: Vec<(i64, String, String)> = raw
        .prepare("SELECT id, uid, CASE WHEN owner_id IS NULL THEN 'team-old' ELSE 'pw-old' END FROM secrets")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (id, uid, value) in rows {
        raw.execute(
            "UPDATE secrets SET ciphertext = ?2 WHERE id = ?1",
            rusqlite::params![id, v.seal(&uid, &value)],
        )
        .unwrap();
    }
    raw.execute("UPDATE connections SET mac = NULL", [])
        .unwrap();
    raw.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'key_check'",
        [v.key_check_v1()],
    )
    .unwrap();
    raw.execute("DELETE FROM meta WHERE key = 'seal_format'", [])
        .unwrap();

    let cat = s.reopen_with(s.key.clone());
    assert_eq!(
        cat.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw-old"
    );
    assert_eq!(cat.reveal_secret("team").unwrap().expose(), "team-old");
    drop(cat);
    let (mac, check): (Option<String>, String) = raw
        .query_row(
            "SELECT (SELECT mac FROM connections), (SELECT value FROM meta WHERE key = 'key_check')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(mac.is_some(), "the connection got its MAC");
    assert_eq!(v.format_of(&check), Some(3), "the key check says format 3");
    // From now on a host edited in SQLite is caught.
    raw.execute(
        "UPDATE connections SET spec = json_set(spec, '$.host', 'attacker.example')",
        [],
    )
    .unwrap();
    let e = s
        .reopen_with(s.key.clone())
        .resolve(None, "pg")
        .unwrap_err();
    assert_eq!(e.code(), "tampered", "{e}");
}
