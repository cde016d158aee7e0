//! The tray menu model follows the catalog: every saved connection, grouped by kind, production
//! ones marked, with its last check and its actions (open in a terminal first).

use patchbay_core::kinds;
use patchbay_core::tray::{self, TrayAction};
use patchbay_core::Kind;
use patchbay_testkit::*;

#[tokio::test]
async fn the_tray_lists_every_connection_grouped_by_kind_with_its_last_check() {
    let mut s = store();
    let mut prod = postgres("orders", "pw");
    prod.env_tag = Some("prod".into());
    s.catalog.create(prod).unwrap();
    s.catalog.create(mysql("reports", "pw")).unwrap();
    s.catalog.create(kafka("events", "pw")).unwrap();

    // A real check of a closed port, recorded as the connection's last check.
    let port = closed_port();
    let mut d = mysql("reports", "pw");
    if let patchbay_core::Spec::Database(db) = &mut d.spec {
        db.port = port as u32;
    }
    s.catalog.update(None, "reports", d).unwrap();
    let r = s.catalog.resolve(None, "reports").unwrap();
    let v = kinds::check(&r, std::time::Duration::from_secs(2), &Default::default()).await;
    s.catalog.record_check(r.connection.id, &v).unwrap();

    let menu = tray::menu(
        &s.catalog.list(None).unwrap(),
        &s.catalog.last_checks().unwrap(),
        &s.catalog.usage().unwrap(),
    );
    let titles: Vec<&str> = menu.groups.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(titles, ["Databases", "Kafka"]);
    let dbs = &menu.groups[0].entries;
    assert_eq!(dbs.len(), 2);
    let orders = dbs.iter().find(|e| e.label.contains("orders")).unwrap();
    assert!(
        orders.production && orders.label.starts_with("● orders [PROD]"),
        "{orders:?}"
    );
    let reports = dbs.iter().find(|e| e.label.contains("reports")).unwrap();
    assert_eq!(reports.status.as_deref(), Some("last check: failed at tcp"));
    let labels: Vec<&str> = reports.actions.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Open in terminal",
            "Test",
            "Copy URL",
            "Copy environment",
            "Open in Patchbay"
        ]
    );
    assert_eq!(
        reports.actions[0].1,
        TrayAction::Terminal {
            kind: Kind::Database,
            name: "reports".into()
        }
    );
    // Each action's menu id reads back as the same action.
    for (_, a) in &reports.actions {
        assert_eq!(TrayAction::parse(&a.id()).as_ref(), Some(a));
    }
    assert_eq!(
        menu.footer
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>(),
        ["Open Patchbay", "Quit"]
    );

    // It follows changes: a removed connection leaves the menu.
    s.catalog.remove(None, "events").unwrap();
    let menu = tray::menu(
        &s.catalog.list(None).unwrap(),
        &s.catalog.last_checks().unwrap(),
        &s.catalog.usage().unwrap(),
    );
    assert_eq!(menu.groups.len(), 1);
}

#[test]
fn a_duplicate_gets_its_own_copy_of_owned_secrets_and_shares_shared_ones() {
    let mut s = store();
    s.catalog
        .put_secret("team", &"shared".into(), None)
        .unwrap();
    s.catalog
        .create(
            kafka("events", "sasl-pw")
                .with_secret_ref(patchbay_core::SecretField::SchemaRegistryPassword, "team"),
        )
        .unwrap();
    let copy = s.catalog.duplicate(None, "events", "events-copy").unwrap();
    assert_eq!(copy.spec, s.catalog.get(None, "events").unwrap().spec);
    let r = s.catalog.resolve(None, "events-copy").unwrap();
    assert_eq!(
        r.secret(patchbay_core::SecretField::SaslPassword)
            .unwrap()
            .expose(),
        "sasl-pw"
    );
    s.catalog.remove(None, "events").unwrap();
    let r = s.catalog.resolve(None, "events-copy").unwrap();
    assert_eq!(
        r.secret(patchbay_core::SecretField::SaslPassword)
            .unwrap()
            .expose(),
        "sasl-pw",
        "the copy owns its own secret"
    );
    assert_eq!(
        s.catalog.secret_info("team").unwrap().used_by,
        ["kafka/events-copy"]
    );
}

#[test]
fn the_data_version_moves_when_another_process_writes() {
    let s = store();
    let other = s.reopen_with(s.key.clone());
    let before = s.catalog.data_version().unwrap();
    let mut other = other;
    other.create(postgres("x", "pw")).unwrap();
    assert_ne!(s.catalog.data_version().unwrap(), before);
}

#[test]
fn a_long_list_shows_production_first_and_counts_the_rest() {
    let mut s = store();
    for i in 0..30 {
        let mut d = postgres(&format!("db-{i:02}"), "pw");
        if i == 29 {
            d.env_tag = Some("prod".into());
        }
        s.catalog.create(d).unwrap();
    }
    let menu = tray::menu(
        &s.catalog.list(None).unwrap(),
        &Default::default(),
        &Default::default(),
    );
    let g = &menu.groups[0];
    assert_eq!(g.entries.len(), tray::PER_KIND);
    assert_eq!(g.more, 30 - tray::PER_KIND);
    assert!(
        g.entries[0].label.contains("db-29 [PROD]"),
        "production first: {:?}",
        g.entries[0].label
    );
    assert!(g.entries[1].label.starts_with("db-00"));
}

#[test]
fn expiring_and_expired_session_tokens_are_flagged_on_their_tray_entries() {
    let mut s = store();
    let now = patchbay_core::clock::now_ms();
    for (name, expires) in [
        ("expired", Some(now - 3 * 60_000)),
        ("soon", Some(now + 10 * 60_000)),
        ("later", Some(now + 5 * 3_600_000)),
        ("plain", None),
    ] {
        let mut d = s3(name, "sk");
        if let Some(at) = expires {
            d = d.with_secret(patchbay_core::SecretField::SessionToken, "token");
            if let patchbay_core::Spec::S3(st) = &mut d.spec {
                st.session_expires = Some(patchbay_core::clock::rfc3339(at));
            }
        }
        s.catalog.create(d).unwrap();
    }
    let menu = tray::menu(
        &s.catalog.list(None).unwrap(),
        &Default::default(),
        &Default::default(),
    );
    let entry = |n: &str| {
        menu.groups[0]
            .entries
            .iter()
            .find(|e| e.label.starts_with(&format!("{n} ")))
            .unwrap()
            .clone()
    };
    assert!(entry("expired").label.starts_with("expired ⚠ —"));
    assert_eq!(
        entry("expired").status.as_deref(),
        Some("⚠ session token expired 3 min ago")
    );
    assert_eq!(
        entry("soon").status.as_deref(),
        Some("⚠ session token expires in 10 min")
    );
    for quiet in ["later", "plain"] {
        assert_eq!(entry(quiet).status, None, "{quiet}");
        assert!(!entry(quiet).label.contains('⚠'), "{quiet}");
    }
}

#[test]
fn three_hundred_connections_fit_a_short_menu_with_favourites_and_recent_ones_first() {
    let mut s = store();
    for i in 0..300 {
        let d = match i % 3 {
            0 => postgres(&format!("db-{i:03}"), "pw"),
            1 => s3(&format!("lake-{i:03}"), "sk"),
            _ => kafka(&format!("events-{i:03}"), "pw"),
        };
        s.catalog.create(d).unwrap();
    }
    s.catalog.set_favourite(None, "lake-298", true).unwrap();
    s.catalog.set_favourite(None, "db-150", true).unwrap();
    for name in ["events-002", "db-150", "db-003", "events-299"] {
        let id = s.catalog.get(None, name).unwrap().id;
        s.catalog.record_use(id).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(3));
    }
    let menu = tray::menu(
        &s.catalog.list(None).unwrap(),
        &s.catalog.last_checks().unwrap(),
        &s.catalog.usage().unwrap(),
    );
    let names = |entries: &[tray::TrayEntry]| {
        entries
            .iter()
            .map(|e| e.label.split(' ').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&menu.favourites), ["db-150", "lake-298"]);
    assert!(
        menu.favourites[1].label.contains("(S3)"),
        "the kind is named outside its submenu"
    );
    // Most recent first; a favourite is not repeated among the recent ones.
    assert_eq!(names(&menu.recent), ["events-299", "db-003", "events-002"]);
    // Top level: 2 headings, the entries, 3 kind submenus and the footer — whatever the count.
    let top = 2 + menu.favourites.len() + menu.recent.len() + menu.groups.len() + menu.footer.len();
    assert!(top <= 2 + tray::FAVOURITES + tray::RECENT + 5 + 2, "{top}");
    let dbs = &menu.groups[0];
    assert_eq!(dbs.entries.len() + dbs.more, 100);
    assert_eq!(
        names(&dbs.entries)[..2],
        ["db-150", "db-003"],
        "favourites, then the recently used, first in their kind"
    );
}

#[test]
fn a_favourite_mark_survives_an_edit_and_goes_with_its_connection() {
    let mut s = store();
    s.catalog.create(postgres("orders", "pw")).unwrap();
    s.catalog.set_favourite(None, "orders", true).unwrap();
    let mut edit = postgres("orders-eu", "pw");
    edit.secrets.clear();
    s.catalog.update(None, "orders", edit).unwrap();
    let id = s.catalog.get(None, "orders-eu").unwrap().id;
    assert!(s.catalog.usage().unwrap()[&id].favourite);
    s.catalog.remove(None, "orders-eu").unwrap();
    assert!(s.catalog.usage().unwrap().is_empty());
}

#[test]
fn handing_a_connection_over_puts_it_among_the_recent_ones() {
    let s = store();
    let d = patchbay_core::Desk::new(s.reopen_with(s.key.clone()));
    d.save(postgres("orders", "pw"), None).unwrap();
    d.save(postgres("reports", "pw"), None).unwrap();
    assert!(d.list().unwrap().iter().all(|r| r.usage.used_at.is_none()));
    d.environment(None, "reports", true).unwrap();
    let rows = d.list().unwrap();
    let used: Vec<&str> = rows
        .iter()
        .filter(|r| r.usage.used_at.is_some())
        .map(|r| r.connection.name.as_str())
        .collect();
    assert_eq!(used, ["reports"]);
    assert_eq!(
        d.tray_menu().unwrap().recent[0].label.split(' ').next(),
        Some("reports")
    );
}

#[test]
fn a_database_behind_a_bastion_offers_its_tunnel_in_the_tray_and_an_open_one_is_listed_first() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("id_ed25519");
    let made = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(made.success());
    let mut s = store();
    let mut d = postgres("behind", "pw");
    if let patchbay_core::Spec::Database(db) = &mut d.spec {
        db.ssh = Some(patchbay_core::SshTunnel {
            host: "bastion.example".into(),
            port: 22,
            user: "ops".into(),
            auth: patchbay_core::SshAuth::Key,
            key_file: Some(key.display().to_string()),
            jump: Vec::new(),
        });
    }
    s.catalog.create(d).unwrap();
    s.catalog.create(postgres("direct", "pw")).unwrap();
    let menu = tray::menu(
        &s.catalog.list(None).unwrap(),
        &Default::default(),
        &Default::default(),
    );
    let actions = |label: &str| -> Vec<TrayAction> {
        let e = menu.groups[0]
            .entries
            .iter()
            .find(|e| e.label.starts_with(label))
            .unwrap();
        e.actions.iter().map(|(_, a)| a.clone()).collect()
    };
    assert_eq!(
        actions("behind").last(),
        Some(&TrayAction::OpenTunnel {
            name: "behind".into()
        })
    );
    assert!(!actions("direct")
        .iter()
        .any(|a| matches!(a, TrayAction::OpenTunnel { .. })));
    let open = tray::tunnel_entry("behind", "127.0.0.1:40123".parse().unwrap());
    assert_eq!(open.label, "⇄ behind — 127.0.0.1:40123");
    let labels: Vec<(&str, TrayAction)> = open
        .actions
        .iter()
        .map(|(l, a)| (l.as_str(), a.clone()))
        .collect();
    assert_eq!(
        labels,
        [
            (
                "Copy URL through the tunnel",
                TrayAction::CopyTunnelUrl {
                    name: "behind".into()
                }
            ),
            (
                "Close tunnel",
                TrayAction::CloseTunnel {
                    name: "behind".into()
                }
            ),
        ]
    );
}
