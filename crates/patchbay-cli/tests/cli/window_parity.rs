//! The command line and the window are one application layer (Desk): the same URL and
//! variables, the same key status, the same recent-use and favourite marks, the same last
//! checks.

use crate::common::*;

#[test]
fn the_cli_and_the_window_hand_over_the_same_url_and_environment_with_and_without_secrets() {
    let e = Env::new();
    e.add_pg("orders", "same-pw");
    let desk = desk_of(&e);
    for (what, args) in [
        ("url", vec!["url", "orders"]),
        (
            "url_with_password",
            vec!["url", "orders", "--with-password"],
        ),
        ("env", vec!["env", "orders"]),
        ("env_with_secrets", vec!["env", "orders", "--with-password"]),
    ] {
        let cli = e.ok(&args, "");
        let (window, copied) = desk
            .copy_text(patchbay_core::model::Kind::Database, "orders", what)
            .unwrap();
        assert_eq!(
            cli.trim_end(),
            window,
            "{what}: the CLI and the window differ"
        );
        assert_eq!(
            copied.includes_secrets,
            what.ends_with("password") || what.ends_with("secrets")
        );
    }
    // Without secrets: DATABASE_URL (without the password) is there, PGPASSWORD is not.
    let env = e.ok(&["env", "orders"], "");
    assert!(env.contains("DATABASE_URL='postgresql://app@"), "{env}");
    assert!(
        !env.contains("PGPASSWORD") && !env.contains("same-pw"),
        "{env}"
    );
}

#[test]
fn key_status_has_one_shape_in_the_cli_and_the_window() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    let cli: serde_json::Value =
        serde_json::from_str(&e.ok(&["--json", "key", "status"], "")).unwrap();
    let window = serde_json::to_value(desk_of(&e).key_status()).unwrap();
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&cli), keys(&window));
    assert_eq!(cli, window, "the same answer for the same store");
    assert_eq!(cli["unlocked"], true);
}

#[test]
fn exec_url_and_env_put_a_connection_among_the_recently_used_and_list_does_not() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    e.add_pg("reports", "pw");
    e.add_pg("billing", "pw");
    let used = || {
        let mut rows = desk_of(&e).list().unwrap();
        rows.retain(|r| r.usage.used_at.is_some());
        rows.sort_by_key(|r| r.usage.used_at);
        rows.into_iter()
            .map(|r| r.connection.name)
            .collect::<Vec<_>>()
    };
    e.ok(&["list"], "");
    e.ok(&["show", "orders"], "");
    assert!(used().is_empty(), "looking is not using: {:?}", used());
    let o = e.run(&["exec", "reports", "--", "true"]);
    assert!(o.status.success(), "{}", text(&o));
    std::thread::sleep(std::time::Duration::from_millis(5));
    e.ok(&["url", "billing"], "");
    assert_eq!(used(), ["reports", "billing"]);
}

#[test]
fn pin_and_unpin_mark_a_favourite_for_the_window_and_the_tray() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    e.add_pg("reports", "pw");
    assert!(e.ok(&["pin", "reports"], "").contains("pinned"));
    let favourites = || {
        desk_of(&e)
            .tray_menu()
            .unwrap()
            .favourites
            .iter()
            .map(|f| f.label.split(' ').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(favourites(), ["reports"]);
    e.ok(&["unpin", "reports"], "");
    assert!(favourites().is_empty());
    let o = e.run(&["pin", "nope"]);
    assert!(
        !o.status.success() && text(&o).contains("no connection named \"nope\""),
        "{}",
        text(&o)
    );
}

#[test]
fn a_form_test_of_an_unchanged_saved_connection_is_its_last_check_and_of_a_changed_one_is_not() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    let desk = desk_of(&e).with_check_limits(std::time::Duration::from_secs(3), 4);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let saved = desk
        .get(patchbay_core::model::Kind::Database, "orders")
        .unwrap();
    let editing = || {
        Some(patchbay_core::desk::Editing::of(
            patchbay_core::model::Kind::Database,
            "orders",
        ))
    };
    let last = || {
        desk.list().unwrap()[0]
            .last_check
            .as_ref()
            .map(|c| c.checked_at)
    };
    // Changed (another database): a check of the form, not of the saved connection.
    let mut changed = patchbay_core::model::ConnectionDraft::new("orders", saved.spec.clone());
    if let patchbay_core::model::Spec::Database(d) = &mut changed.spec {
        d.database = "reports".into();
    }
    rt.block_on(desk.test_draft(changed, editing())).unwrap();
    assert_eq!(last(), None, "a changed form is not the saved connection");
    // Unchanged, every secret kept: recorded.
    let same = patchbay_core::model::ConnectionDraft::new("orders", saved.spec.clone());
    let v = rt.block_on(desk.test_draft(same, editing())).unwrap();
    let recorded = desk.list().unwrap()[0]
        .last_check
        .clone()
        .expect("recorded");
    assert_eq!(
        (recorded.ok, recorded.failed_step),
        (v.ok, v.failed_step.map(|s| s.as_str().to_string()))
    );
}

#[test]
fn testing_the_rows_a_filter_shows_checks_and_records_only_those() {
    let e = Env::new();
    for name in ["orders-dev", "orders-staging", "billing-prod"] {
        e.add_pg(name, "pw");
    }
    let desk = desk_of(&e).with_check_limits(std::time::Duration::from_secs(3), 4);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let shown = ["orders-dev".to_string(), "orders-staging".to_string()];
    let verdicts = rt
        .block_on(desk.test_these(patchbay_core::model::Kind::Database, &shown))
        .unwrap();
    assert_eq!(verdicts.len(), 2);
    let checked: Vec<String> = desk
        .list()
        .unwrap()
        .into_iter()
        .filter(|r| r.last_check.is_some())
        .map(|r| r.connection.name)
        .collect();
    assert_eq!(checked, ["orders-dev", "orders-staging"]);
    // A name that is not saved (deleted meanwhile) fails before anything is contacted.
    let err = rt
        .block_on(desk.test_these(
            patchbay_core::model::Kind::Database,
            &["billing-prod".into(), "gone".into()],
        ))
        .unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    let prod = desk
        .list()
        .unwrap()
        .into_iter()
        .find(|r| r.connection.name == "billing-prod");
    assert!(
        prod.unwrap().last_check.is_none(),
        "billing-prod was checked"
    );
}
