//! Every connection is sealed, and the seal covers which named secret each field uses: a
//! reference pointed elsewhere in SQLite, an endpoint edited on a connection without secrets
//! (whose check sends ambient credentials), or a row INSERTed behind Patchbay's back is refused
//! before anything is sent — and `test --all` reports that one and checks the others. Each test
//! performs the experiment of the second security audit against a listener that counts who
//! connects.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use patchbay_core::check::StepName;
use patchbay_core::desk::Desk;
use patchbay_core::model::*;
use patchbay_core::SecretString;
use patchbay_testkit::*;

/// A listener on 127.0.0.1 that counts the connections made to it (and answers nothing).
async fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = l.accept().await {
            c.fetch_add(1, Ordering::SeqCst);
            drop(sock);
        }
    });
    (port, count)
}

fn azure(name: &str, auth: AzureAuth, endpoint_port: u16, authority_port: u16) -> ConnectionDraft {
    ConnectionDraft::new(
        name,
        Spec::Azure(AzureSpec {
            account: "devstoreaccount1".into(),
            auth,
            container: None,
            endpoint_url: Some(format!(
                "https://127.0.0.1:{endpoint_port}/devstoreaccount1"
            )),
            allow_http: false,
            ca_cert: None,
            tenant_id: (auth == AzureAuth::ServicePrincipal)
                .then(|| "72f988bf-86f1-41af-91ab-2d7cd011db47".into()),
            client_id: (auth == AzureAuth::ServicePrincipal)
                .then(|| "04b07795-8ddb-461a-bbee-02f9e1bf7b46".into()),
            authority_host: (auth == AzureAuth::ServicePrincipal)
                .then(|| format!("https://127.0.0.1:{authority_port}")),
            sas_expires: None,
        }),
    )
}

fn desk(s: &Store) -> Desk {
    Desk::new(s.reopen_with(s.key.clone()))
}

#[tokio::test]
async fn a_field_pointed_at_another_named_secret_in_sqlite_is_refused_before_the_secret_is_sent() {
    let s = store();
    let (port, contacted) = counting_listener().await;
    let d = desk(&s);
    d.put_secret("orders-db-password", &SecretString::new("db-pw-7731"), None)
        .unwrap();
    d.put_secret("sp-secret", &SecretString::new("sp-secret-value"), None)
        .unwrap();
    let mut sp = azure("sp", AzureAuth::ServicePrincipal, closed_port(), port);
    sp.secrets.insert(
        SecretField::ClientSecret,
        SecretInput::Secret {
            name: "sp-secret".into(),
        },
    );
    d.save(sp, None).unwrap();
    drop(d);
    // The audit's experiment: the database password's row attached to the service principal's
    // client_secret, by SQL.
    s.raw()
        .execute(
            "UPDATE secret_refs SET secret_id = (SELECT id FROM secrets WHERE name = 'orders-db-password')",
            [],
        )
        .unwrap();
    let d = desk(&s);
    let e = d.test_saved(Kind::Azure, "sp").await.unwrap_err();
    assert_eq!(e.code(), "tampered", "{e}");
    assert_eq!(
        contacted.load(Ordering::SeqCst),
        0,
        "the token endpoint was contacted"
    );
    let e = d.resolve(Kind::Azure, "sp").unwrap_err();
    assert_eq!(e.code(), "tampered", "{e}");
    let e = d
        .reveal_field(Some(Kind::Azure), "sp", SecretField::ClientSecret)
        .unwrap_err();
    assert_eq!(e.code(), "tampered", "{e}");
    // A copy of it would carry the redirected reference into a freshly sealed connection.
    let e = d.duplicate(Some(Kind::Azure), "sp", "sp-copy").unwrap_err();
    assert_eq!(e.code(), "tampered", "{e}");
    // Put back, it is the connection Patchbay saved.
    s.raw()
        .execute(
            "UPDATE secret_refs SET secret_id = (SELECT id FROM secrets WHERE name = 'sp-secret')",
            [],
        )
        .unwrap();
    let r = desk(&s).resolve(Kind::Azure, "sp").unwrap();
    assert_eq!(
        r.secret(SecretField::ClientSecret).unwrap().expose(),
        "sp-secret-value"
    );
}

#[tokio::test]
async fn an_ambient_connection_whose_endpoint_was_edited_in_sqlite_is_refused_before_any_token_is_sent(
) {
    let s = store();
    let (port, contacted) = counting_listener().await;
    let d = desk(&s);
    d.save(azure("ambient", AzureAuth::Ambient, closed_port(), 0), None)
        .unwrap();
    drop(d);
    s.raw()
        .execute(
            "UPDATE connections SET spec = json_set(spec, '$.endpoint_url', ?1)",
            [format!("https://127.0.0.1:{port}/devstoreaccount1")],
        )
        .unwrap();
    let d = desk(&s);
    let e = d.test_saved(Kind::Azure, "ambient").await.unwrap_err();
    assert_eq!(e.code(), "tampered", "{e}");
    let e = d
        .environment(Some(Kind::Azure), "ambient", true)
        .unwrap_err();
    assert_eq!(e.code(), "tampered", "exec's variables: {e}");
    assert_eq!(contacted.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_row_inserted_by_sql_is_reported_by_test_all_and_the_others_are_still_checked() {
    let s = store();
    let d = desk(&s);
    let mut pg = postgres("a-first", "pw");
    if let Spec::Database(db) = &mut pg.spec {
        db.port = closed_port().into();
    }
    d.save(pg, None).unwrap();
    let mut last = postgres("z-last", "pw");
    if let Spec::Database(db) = &mut last.spec {
        db.port = closed_port().into();
    }
    d.save(last, None).unwrap();
    drop(d);
    let (port, contacted) = counting_listener().await;
    s.raw()
        .execute(
            "INSERT INTO connections (kind, name, spec, created_at, updated_at, uid)
             SELECT kind, 'm-inserted', json_set(spec, '$.port', ?1), 0, 0, 'inserted-uid'
             FROM connections WHERE name = 'a-first'",
            [port],
        )
        .unwrap();
    let d = desk(&s);
    let verdicts = d.test_all(None).await.unwrap();
    let by_name = |n: &str| verdicts.iter().find(|v| v.name == n).unwrap();
    let inserted = by_name("m-inserted");
    assert!(!inserted.ok);
    assert_eq!(inserted.failed_step, Some(StepName::Seal));
    assert!(
        inserted.message.contains("changed outside Patchbay"),
        "{}",
        inserted.message
    );
    for other in ["a-first", "z-last"] {
        assert_eq!(
            by_name(other).failed_step,
            Some(StepName::Tcp),
            "{other} was checked"
        );
    }
    assert_eq!(
        verdicts.iter().map(|v| v.name.as_str()).collect::<Vec<_>>(),
        ["a-first", "m-inserted", "z-last"],
        "in list order"
    );
    assert_eq!(contacted.load(Ordering::SeqCst), 0);
    // Its row shows the refusal as its last check.
    let row = d
        .list()
        .unwrap()
        .into_iter()
        .find(|r| r.connection.name == "m-inserted")
        .unwrap();
    assert_eq!(
        row.last_check.and_then(|c| c.failed_step).as_deref(),
        Some("seal")
    );
}

#[test]
fn a_named_secret_given_a_new_value_keeps_the_connections_that_use_it_usable() {
    let s = store();
    let d = desk(&s);
    d.put_secret("shared", &SecretString::new("v1"), None)
        .unwrap();
    let pg = postgres_using("pg", "shared");
    d.save(pg, None).unwrap();
    d.put_secret("shared", &SecretString::new("v2"), None)
        .unwrap();
    let pw = |d: &Desk| {
        d.resolve(Kind::Database, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose()
            .to_string()
    };
    assert_eq!(pw(&d), "v2");
    d.save_secret(
        "shared",
        Some(SecretString::new("v3")),
        None,
        Some("shared".into()),
    )
    .unwrap();
    assert_eq!(pw(&d), "v3");
}

#[test]
fn a_connection_changed_outside_patchbay_stays_refused_after_a_key_rotation_or_a_new_secret_value()
{
    let mut s = store();
    s.catalog
        .put_secret("shared", &SecretString::new("v1"), None)
        .unwrap();
    let pg = postgres_using("pg", "shared");
    s.catalog.create(pg).unwrap();
    s.raw()
        .execute(
            "UPDATE connections SET spec = json_set(spec, '$.host', 'attacker.example')",
            [],
        )
        .unwrap();
    let mut cat = s.reopen_with(s.key.clone());
    cat.put_secret("shared", &SecretString::new("v2"), None)
        .unwrap();
    assert_eq!(cat.resolve(None, "pg").unwrap_err().code(), "tampered");
    let new_key = patchbay_core::MasterKey::generate().unwrap();
    cat.rotate_key(Some(new_key.clone())).unwrap();
    let cat = s.reopen_with(new_key);
    assert_eq!(cat.resolve(None, "pg").unwrap_err().code(), "tampered");
}

#[test]
fn editing_a_changed_connection_keeps_nothing_from_it_until_its_secrets_are_entered_again() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw-1")).unwrap();
    s.raw()
        .execute(
            "UPDATE connections SET spec = json_set(spec, '$.port', 6543)",
            [],
        )
        .unwrap();
    let mut cat = s.reopen_with(s.key.clone());
    // The form shows the connection as it is now (port 6543) and keeps its password.
    let mut keep = postgres("pg", "unused");
    keep.secrets.clear();
    if let Spec::Database(db) = &mut keep.spec {
        db.port = 6543;
    }
    let e = cat.update(None, "pg", keep).unwrap_err();
    assert_eq!(e.code(), "tampered", "{e}");
    cat.update(None, "pg", postgres("pg", "pw-2")).unwrap();
    assert_eq!(
        cat.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "pw-2"
    );
}

#[test]
fn a_store_sealed_in_format_2_is_resealed_with_every_connection_and_its_references() {
    let mut s = store();
    s.catalog
        .put_secret("shared", &SecretString::new("shared-v"), None)
        .unwrap();
    s.catalog
        .put_secret("other", &SecretString::new("other-v"), None)
        .unwrap();
    let pg = postgres_using("pg", "shared");
    s.catalog.create(pg).unwrap();
    let mut plain = postgres("plain", "unused");
    plain.secrets.clear();
    s.catalog.create(plain).unwrap();
    // Rewrite the seals as format 2 did: MACs over the fields only, none on a connection
    // without secrets, a v2 key check.
    let v = patchbay_core::Vault::new(s.key.clone());
    let raw = s.raw();
    let store_id: String = raw
        .query_row("SELECT value FROM meta WHERE key = 'store_id'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let rows: Vec<(String, String, String, String)> = raw
        .prepare("SELECT name, uid, kind, spec FROM connections")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, uid, kind, spec) in rows {
        let mac = (name == "pg")
            .then(|| v.mac(&format!("{store_id}\u{1f}{uid}\u{1f}{kind}\u{1f}{spec}")));
        raw.execute(
            "UPDATE connections SET mac = ?2 WHERE name = ?1",
            rusqlite::params![name, mac],
        )
        .unwrap();
    }
    raw.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'key_check'",
        [v.key_check_v2()],
    )
    .unwrap();
    raw.execute("UPDATE meta SET value = '2' WHERE key = 'seal_format'", [])
        .unwrap();

    let cat = s.reopen_with(s.key.clone());
    assert_eq!(
        cat.resolve(None, "pg")
            .unwrap()
            .secret(SecretField::Password)
            .unwrap()
            .expose(),
        "shared-v"
    );
    cat.resolve(None, "plain").unwrap();
    drop(cat);
    let check: String = raw
        .query_row("SELECT value FROM meta WHERE key = 'key_check'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(v.format_of(&check), Some(3), "the key check says format 3");
    // From now on a redirected reference and an edited connection without secrets are caught.
    raw.execute(
        "UPDATE secret_refs SET secret_id = (SELECT id FROM secrets WHERE name = 'other')",
        [],
    )
    .unwrap();
    raw.execute(
        "UPDATE connections SET spec = json_set(spec, '$.host', 'attacker.example') WHERE name = 'plain'",
        [],
    )
    .unwrap();
    let cat = s.reopen_with(s.key.clone());
    assert_eq!(cat.resolve(None, "pg").unwrap_err().code(), "tampered");
    assert_eq!(cat.resolve(None, "plain").unwrap_err().code(), "tampered");
    // A forged format hint does not bring the old rules back.
    raw.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'key_check'",
        [v.key_check_v2()],
    )
    .unwrap();
    raw.execute("UPDATE meta SET value = '3' WHERE key = 'seal_format'", [])
        .unwrap();
    let cat = s.reopen_with(s.key.clone());
    assert_eq!(cat.resolve(None, "pg").unwrap_err().code(), "tampered");
}
