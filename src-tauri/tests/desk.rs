//! What the window's commands send back to the web view: metadata, verdicts and confirmations,
//! never a secret's plaintext, except through the explicit reveal commands.

use patchbay_core::desk::{Desk, Editing};
use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource, MasterKey};

const PW: &str = "FORM-ENTERED-pw-4c1e";
const SK: &str = "FORM-ENTERED-sk-77a0";
const USER_SECRET: &str = "FORM-ENTERED-secret-19bb";

fn desk() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let key = MasterKey::generate().unwrap();
    let cat = Catalog::open_in(
        dir.path(),
        KeySource::Given {
            key,
            origin: "test".into(),
        },
    )
    .unwrap();
    (dir, Desk::new(cat))
}

fn pg(port: u32) -> ConnectionDraft {
    ConnectionDraft::new(
        "orders",
        Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: "127.0.0.1".into(),
            port,
            database: "app".into(),
            username: "app".into(),
            ssl_mode: SslMode::Prefer,
            ca_cert: None,
            ssh: None,
        }),
    )
    .with_secret(SecretField::Password, PW)
}

fn closed_port() -> u32 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port() as u32
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[tokio::test]
async fn no_ipc_response_carries_a_secret_entered_in_a_form_except_reveal() {
    let (_dir, d) = desk();
    let port = closed_port();
    let mut responses: Vec<(&str, String)> = Vec::new();

    responses.push(("save_connection", json(&d.save(pg(port), None).unwrap())));
    let s3 = ConnectionDraft::new(
        "lake",
        Spec::S3(S3Spec {
            access_key_id: "AK".into(),
            region: "us-east-1".into(),
            endpoint_url: Some(format!("http://127.0.0.1:{port}")),
            verify_ssl: true,
            allow_http: true,
            ca_cert: None,
            session_expires: None,
            profile: None,
            role: None,
        }),
    )
    .with_secret(SecretField::SecretAccessKey, SK);
    responses.push(("save_connection (s3)", json(&d.save(s3, None).unwrap())));
    responses.push((
        "save_secret",
        json(
            &d.save_secret(
                "team",
                Some(USER_SECRET.into()),
                Some("shared".into()),
                None,
            )
            .unwrap(),
        ),
    ));
    responses.push(("list_connections", json(&d.list().unwrap())));
    responses.push((
        "get_connection",
        json(&d.get(Kind::Database, "orders").unwrap()),
    ));
    responses.push(("list_secrets", json(&d.secrets().unwrap())));
    responses.push((
        "test_saved",
        json(&d.test_saved(Kind::Database, "orders").await.unwrap()),
    ));
    responses.push((
        "test_draft",
        json(&d.test_draft(pg(port), None).await.unwrap()),
    ));
    let mut keep = pg(port);
    keep.secrets
        .insert(SecretField::Password, SecretInput::Keep);
    responses.push((
        "test_draft (keep)",
        json(
            &d.test_draft(keep.clone(), Some(Editing::of(Kind::Database, "orders")))
                .await
                .unwrap(),
        ),
    ));
    responses.push(("test_all", json(&d.test_all(None).await.unwrap())));
    responses.push((
        "save_connection (edit, keep)",
        json(
            &d.save(keep, Some(Editing::of(Kind::Database, "orders")))
                .unwrap(),
        ),
    ));
    responses.push((
        "copy_connection url",
        json(&d.copy_text(Kind::Database, "orders", "url").unwrap().1),
    ));
    responses.push((
        "copy_connection url_with_password",
        json(
            &d.copy_text(Kind::Database, "orders", "url_with_password")
                .unwrap()
                .1,
        ),
    ));
    responses.push((
        "copy_connection env_with_secrets",
        json(&d.copy_text(Kind::S3, "lake", "env_with_secrets").unwrap().1),
    ));
    responses.push(("key_status", json(&d.key_status())));
    responses.push((
        "parse_url",
        json(
            &d.parse_url(&format!("postgres://app:{PW}@db:5432/app"))
                .unwrap(),
        ),
    ));
    let bad = d.save(pg(0), None).unwrap_err();
    responses.push(("save_connection (error)", json(&bad)));
    let mut copy_form = pg(port);
    copy_form.name = "orders-copy".into();
    copy_form.secrets.clear();
    responses.push((
        "save_connection (copy)",
        json(
            &d.save(
                copy_form,
                Some(Editing {
                    copy: true,
                    ..Editing::of(Kind::Database, "orders")
                }),
            )
            .unwrap(),
        ),
    ));
    let gone = d.delete_undoable(Kind::Database, "orders-copy").unwrap();
    responses.push(("delete_connection", json(&gone)));
    responses.push(("undo_delete", json(&d.undo_delete(gone.undo).unwrap())));

    for (command, body) in &responses {
        for secret in [PW, SK, USER_SECRET] {
            assert!(!body.contains(secret), "{command} leaked a secret: {body}");
        }
    }
    // The explicit reveals are the way out, and they work.
    assert_eq!(
        d.reveal_field(Some(Kind::Database), "orders", SecretField::Password)
            .unwrap()
            .expose(),
        PW
    );
    assert_eq!(d.reveal_secret("team").unwrap().expose(), USER_SECRET);
    // The copied text itself (which goes to the clipboard from Rust) has the secret when asked.
    assert!(d
        .copy_text(Kind::Database, "orders", "url_with_password")
        .unwrap()
        .0
        .contains(PW));
    assert!(!d
        .copy_text(Kind::Database, "orders", "url")
        .unwrap()
        .0
        .contains(PW));
}

#[test]
fn a_bad_secret_edit_changes_nothing() {
    let (_dir, d) = desk();
    d.save_secret("team", Some("v1".into()), None, None)
        .unwrap();
    let e = d
        .save_secret(
            "renamed",
            Some(String::new().into()),
            None,
            Some("team".into()),
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("value"));
    let names: Vec<String> = d.secrets().unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["team"], "not renamed by the failed edit");
    assert_eq!(
        d.save_secret("team", Some("v2".into()), None, None)
            .unwrap_err()
            .code(),
        "duplicate"
    );
}

#[test]
fn the_tray_menu_lists_what_the_window_saved() {
    let (_dir, d) = desk();
    let mut draft = pg(5432);
    draft.env_tag = Some("prod".into());
    d.save(draft, None).unwrap();
    let menu = d.tray_menu().unwrap();
    assert_eq!(menu.groups[0].title, "Databases");
    assert!(menu.groups[0].entries[0]
        .label
        .starts_with("● orders [PROD]"));
}

#[tokio::test]
async fn the_windows_test_and_save_never_send_a_kept_password_to_a_changed_host() {
    let (_dir, d) = desk();
    let port = closed_port();
    d.save(pg(port), None).unwrap();
    let editing = || Some(Editing::of(Kind::Database, "orders"));
    // The form as the window sends it: password left blank ("keep"), host changed.
    let mut moved = pg(port);
    moved.secrets.clear();
    if let Spec::Database(db) = &mut moved.spec {
        db.host = "localhost".into();
    }
    let e = d.test_draft(moved.clone(), editing()).await.unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("secret_would_move", Some("password")),
        "{e}"
    );
    assert!(!json(&e).contains(PW));
    let e = d.save(moved.clone(), editing()).unwrap_err();
    assert_eq!(e.code(), "secret_would_move", "{e}");
    // `editing` that names a connection of another kind does not lend its secrets.
    let mut kafka_form = ConnectionDraft::new(
        "orders",
        Spec::Kafka(KafkaSpec {
            bootstrap_servers: format!("127.0.0.1:{port}"),
            security_protocol: SecurityProtocol::Plaintext,
            sasl_mechanism: None,
            sasl_username: None,
            ca_cert: None,
            client_cert: None,
            schema_registry_url: None,
            schema_registry_username: None,
            schema_registry_allow_http: false,
        }),
    );
    kafka_form.secrets.clear();
    let e = d.test_draft(kafka_form, editing()).await.unwrap_err();
    assert_eq!(e.field(), Some("kind"), "{e}");
    // Confirmed in the window: saved, and the password went along.
    moved.confirm_kept_secrets = true;
    d.save(moved, editing()).unwrap();
    assert_eq!(
        d.reveal_field(Some(Kind::Database), "orders", SecretField::Password)
            .unwrap()
            .expose(),
        PW
    );
}

#[test]
fn the_default_build_embeds_the_ui_and_loads_no_dev_server() {
    // Without custom-protocol the window loads tauri.conf.json's devUrl (a dev server) with
    // full IPC; tests/run builds the app with its default features only, so a default that
    // lost it does not even compile this test.
    const {
        assert!(
            cfg!(feature = "custom-protocol"),
            "the default build must embed the UI"
        )
    };
}
