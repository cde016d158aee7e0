//! A team's connections as last listed stand beside the local ones without asking the engine:
//! in the window's one list (each with its team, version and whether the member may change it)
//! and in the tray (a submenu per team whose actions name the team, never a local connection).

use patchbay_core::catalog::teams::TeamRow;
use patchbay_core::desk::Desk;
use patchbay_core::team::{Team, TeamAuth};
use patchbay_core::tray::teams::TeamVerb;
use patchbay_core::tray::TrayAction;
use patchbay_core::Spec;
use patchbay_testkit::*;

fn team_row(name: &str, tag: Option<&str>, may_edit: bool) -> TeamRow {
    let Spec::Database(mut spec) = postgres(name, "unused").spec else {
        unreachable!()
    };
    spec.host = "db.team.internal".into();
    TeamRow {
        team: "data-eng".into(),
        name: name.into(),
        kind: patchbay_core::Kind::Database,
        env_tag: tag.map(str::to_string),
        spec: Spec::Database(spec),
        version: 3,
        may_edit,
        listed_at: 1_700_000_000_000,
    }
}

/// A store with one local connection, "orders", and a team that last listed two of its own,
/// one of them also called "orders" and one the member may only use.
fn desk_with_a_team() -> (Store, Desk) {
    let mut s = store();
    s.catalog.create(postgres("orders", "pw")).unwrap();
    let team = Team {
        name: "data-eng".into(),
        engine: Default::default(),
        region: None,
        address: "https://bao.internal:8200".into(),
        mount: "secret".into(),
        path: "data-eng".into(),
        namespace: None,
        ca_cert: None,
        auth: TeamAuth::Token,
        login_name: None,
        token_expires: None,
    };
    s.catalog.save_team(&team).unwrap();
    let rows = [
        team_row("orders", None, true),
        team_row("ledger", Some("prod"), false),
    ];
    s.catalog.keep_team_rows("data-eng", &rows).unwrap();
    let d = Desk::new(s.reopen_with(s.key.clone()));
    (s, d)
}

/// A row as the list shows it: its name, its team mark (team, version, may edit), its target.
type Listed = (String, Option<(String, u64, bool)>, String);

#[test]
fn the_one_list_holds_the_local_connections_and_each_teams_with_its_team_and_version() {
    let (_s, d) = desk_with_a_team();
    let rows: Vec<Listed> = d
        .list_everywhere()
        .unwrap()
        .into_iter()
        .map(|r| {
            let mark = r.team.map(|t| (t.team, t.version, t.may_edit));
            (r.connection.name, mark, r.target)
        })
        .collect();
    let team = |may: bool| Some(("data-eng".to_string(), 3, may));
    assert_eq!(
        rows,
        [
            ("orders".into(), None, "127.0.0.1:5432/app".into()),
            (
                "ledger".into(),
                team(false),
                "db.team.internal:5432/app".into()
            ),
            (
                "orders".into(),
                team(true),
                "db.team.internal:5432/app".into()
            ),
        ]
    );
}

#[test]
fn the_tray_has_a_submenu_per_team_whose_actions_name_the_team() {
    let (_s, d) = desk_with_a_team();
    let menu = d.tray_menu().unwrap();
    assert_eq!(menu.teams.len(), 1);
    let g = &menu.teams[0];
    assert_eq!(g.title, "Team data-eng");
    let labels: Vec<&str> = g.entries.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "● ledger [PROD] (DB) — db.team.internal:5432/app",
            "orders (DB) — db.team.internal:5432/app"
        ]
    );
    assert_eq!(
        g.entries[0].status.as_deref(),
        Some("read-only: your role may use it, not change it")
    );
    let copy = g.entries[1]
        .actions
        .iter()
        .find(|(label, _)| label == "Copy URL")
        .map(|(_, a)| a.clone())
        .unwrap();
    assert_eq!(copy.id(), "team-copy-url:data-eng/orders");
    assert_eq!(
        TrayAction::parse(&copy.id()),
        Some(TrayAction::Team {
            team: "data-eng".into(),
            name: "orders".into(),
            verb: TeamVerb::CopyUrl
        })
    );
    // The local "orders" stays in the kinds' submenus, with its own actions.
    let local: Vec<String> = menu.groups[0]
        .entries
        .iter()
        .map(|e| e.actions[2].1.id())
        .collect();
    assert_eq!(local, ["copy-url:database/orders"]);
}
