//! The tray menu as data: favourites and recently used connections first, then one submenu per
//! kind (favourites, then production ones, first), production ones marked, each connection with
//! its last check and its actions (open in a terminal, test, copy URL, copy environment, open in
//! the window, and a database's SSH tunnel), the tunnels held open first, then one submenu per
//! team (`teams.rs`), plus "Open Patchbay" and "Quit". The desktop shell renders this model; tests
//! read it directly.

pub mod teams;

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::{CheckSummary, Usage};
use crate::kinds::is_production;
use crate::model::{Connection, Kind};

/// What a tray entry does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TrayAction {
    Test {
        kind: Kind,
        name: String,
    },
    CopyUrl {
        kind: Kind,
        name: String,
    },
    CopyEnv {
        kind: Kind,
        name: String,
    },
    Terminal {
        kind: Kind,
        name: String,
    },
    Open {
        kind: Kind,
        name: String,
    },
    /// Open (or show) a database's SSH tunnel, held until closed.
    OpenTunnel {
        name: String,
    },
    CloseTunnel {
        name: String,
    },
    /// The URL that reaches the database through its open tunnel.
    CopyTunnelUrl {
        name: String,
    },
    /// A team connection's action (the connection is read from the team's engine when used).
    Team {
        team: String,
        name: String,
        verb: teams::TeamVerb,
    },
    OpenApp,
    Quit,
}

impl TrayAction {
    /// The menu item id that carries this action ("test:database/orders").
    pub fn id(&self) -> String {
        match self {
            TrayAction::Test { kind, name } => format!("test:{kind}/{name}"),
            TrayAction::CopyUrl { kind, name } => format!("copy-url:{kind}/{name}"),
            TrayAction::CopyEnv { kind, name } => format!("copy-env:{kind}/{name}"),
            TrayAction::Terminal { kind, name } => format!("terminal:{kind}/{name}"),
            TrayAction::Open { kind, name } => format!("open:{kind}/{name}"),
            TrayAction::OpenTunnel { name } => format!("tunnel:database/{name}"),
            TrayAction::CloseTunnel { name } => format!("tunnel-close:database/{name}"),
            TrayAction::CopyTunnelUrl { name } => format!("tunnel-url:database/{name}"),
            TrayAction::Team { team, name, verb } => teams::id(team, name, *verb),
            TrayAction::OpenApp => "open-app".into(),
            TrayAction::Quit => "quit".into(),
        }
    }

    /// Reads a menu item id back.
    pub fn parse(id: &str) -> Option<TrayAction> {
        match id {
            "open-app" => return Some(TrayAction::OpenApp),
            "quit" => return Some(TrayAction::Quit),
            _ => {}
        }
        if let Some(team) = teams::parse(id) {
            return Some(team);
        }
        let (verb, rest) = id.split_once(':')?;
        let (kind, name) = rest.split_once('/')?;
        let (kind, name) = (Kind::from_column(kind)?, name.to_string());
        Some(match verb {
            "test" => TrayAction::Test { kind, name },
            "copy-url" => TrayAction::CopyUrl { kind, name },
            "copy-env" => TrayAction::CopyEnv { kind, name },
            "terminal" => TrayAction::Terminal { kind, name },
            "open" => TrayAction::Open { kind, name },
            "tunnel" if kind == Kind::Database => TrayAction::OpenTunnel { name },
            "tunnel-close" if kind == Kind::Database => TrayAction::CloseTunnel { name },
            "tunnel-url" if kind == Kind::Database => TrayAction::CopyTunnelUrl { name },
            _ => return None,
        })
    }
}

/// One connection in the tray.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrayEntry {
    pub label: String,
    pub production: bool,
    /// "last check: ok, 42 ms" or "last check: failed at auth".
    pub status: Option<String>,
    pub actions: Vec<(String, TrayAction)>,
}

/// A kind's submenu.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrayGroup {
    pub title: String,
    pub entries: Vec<TrayEntry>,
    /// Connections of this kind left out of the menu (they are in the window).
    pub more: usize,
}

/// How many connections of one kind its submenu shows: favourites first, then production ones,
/// then the most recently used. A menu of a thousand submenus is neither usable nor cheap (each
/// is a native widget).
pub const PER_KIND: usize = 12;
/// How many favourites and recently used connections the top of the menu shows.
pub const FAVOURITES: usize = 8;
pub const RECENT: usize = 5;

/// The whole menu: favourites and recently used connections at the top, then one submenu per
/// kind, then the footer. At most `FAVOURITES + RECENT + kinds + 2` entries at the top level,
/// so it fits a small screen whatever the number of connections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrayMenu {
    /// SSH tunnels held open (first: they are running), each with its address.
    pub tunnels: Vec<TrayEntry>,
    pub favourites: Vec<TrayEntry>,
    /// Recently used connections that are not favourites, most recent first.
    pub recent: Vec<TrayEntry>,
    pub groups: Vec<TrayGroup>,
    /// One submenu per team, its connections as last listed.
    pub teams: Vec<TrayGroup>,
    pub footer: Vec<(String, TrayAction)>,
}

impl TrayMenu {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.teams.is_empty()
    }
}

/// Builds the menu from the saved connections, their last checks and their marks.
pub fn menu(
    connections: &[Connection],
    last: &HashMap<i64, CheckSummary>,
    usage: &HashMap<i64, Usage>,
) -> TrayMenu {
    let mark = |c: &Connection| usage.get(&c.id).copied().unwrap_or_default();
    let favourites: Vec<TrayEntry> = connections
        .iter()
        .filter(|c| mark(c).favourite)
        .take(FAVOURITES)
        .map(|c| entry(c, last, true))
        .collect();
    let mut used: Vec<&Connection> = connections
        .iter()
        .filter(|c| !mark(c).favourite && mark(c).used_at.is_some())
        .collect();
    used.sort_by_key(|c| std::cmp::Reverse(mark(c).used_at));
    let recent = used
        .into_iter()
        .take(RECENT)
        .map(|c| entry(c, last, true))
        .collect();
    let mut groups = Vec::new();
    for kind in Kind::ALL {
        let mut of_kind: Vec<&Connection> = connections.iter().filter(|c| c.kind == kind).collect();
        // Stable: otherwise in list order.
        of_kind.sort_by_key(|c| {
            let m = mark(c);
            (
                !m.favourite,
                !is_production(c.env_tag.as_deref()),
                std::cmp::Reverse(m.used_at),
            )
        });
        let more = of_kind.len().saturating_sub(PER_KIND);
        let entries: Vec<TrayEntry> = of_kind
            .into_iter()
            .take(PER_KIND)
            .map(|c| entry(c, last, false))
            .collect();
        if !entries.is_empty() {
            let title = crate::kinds::menu_title(kind);
            groups.push(TrayGroup {
                title: title.to_string(),
                entries,
                more,
            });
        }
    }
    TrayMenu {
        tunnels: Vec::new(),
        favourites,
        recent,
        groups,
        teams: Vec::new(),
        footer: vec![
            ("Open Patchbay".into(), TrayAction::OpenApp),
            ("Quit".into(), TrayAction::Quit),
        ],
    }
}

/// One connection's entry; outside its kind's submenu (`with_kind`) the label names the kind.
fn entry(c: &Connection, last: &HashMap<i64, CheckSummary>, with_kind: bool) -> TrayEntry {
    let production = is_production(c.env_tag.as_deref());
    let tag = c
        .env_tag
        .as_deref()
        .map(|t| format!(" [{}]", t.to_uppercase()))
        .unwrap_or_default();
    let marker = if production { "● " } else { "" };
    let checked = last.get(&c.id).map(|s| match &s.failed_step {
        None => format!("last check: ok, {:.0} ms", s.total_ms),
        Some(step) => format!("last check: failed at {step}"),
    });
    // Expiring credentials show on the entry itself and first in its submenu.
    let warning = c.credential_warning.as_ref().map(|w| format!("⚠ {w}"));
    let status = match (&warning, checked) {
        (Some(w), Some(s)) => Some(format!("{w} · {s}")),
        (w, s) => w.clone().or(s),
    };
    let flag = if warning.is_some() { " ⚠" } else { "" };
    let kind = if with_kind {
        format!(" ({})", c.kind.short_label())
    } else {
        String::new()
    };
    let (k, n) = (c.kind, c.name.clone());
    let tunnelled = matches!(&c.spec, crate::model::Spec::Database(d) if d.ssh.is_some());
    let act = |label: &str, a: TrayAction| (label.to_string(), a);
    TrayEntry {
        label: format!(
            "{marker}{}{tag}{flag}{kind} — {}",
            c.name,
            crate::kinds::target(&c.spec)
        ),
        production,
        status,
        actions: vec![
            act(
                "Open in terminal",
                TrayAction::Terminal {
                    kind: k,
                    name: n.clone(),
                },
            ),
            act(
                "Test",
                TrayAction::Test {
                    kind: k,
                    name: n.clone(),
                },
            ),
            act(
                "Copy URL",
                TrayAction::CopyUrl {
                    kind: k,
                    name: n.clone(),
                },
            ),
            act(
                "Copy environment",
                TrayAction::CopyEnv {
                    kind: k,
                    name: n.clone(),
                },
            ),
            act(
                "Open in Patchbay",
                TrayAction::Open {
                    kind: k,
                    name: n.clone(),
                },
            ),
        ]
        .into_iter()
        .chain(tunnelled.then(|| act("Open SSH tunnel", TrayAction::OpenTunnel { name: n })))
        .collect(),
    }
}

/// An open tunnel's entry: where it listens, its URL, and Close.
pub fn tunnel_entry(name: &str, local: std::net::SocketAddr) -> TrayEntry {
    let n = name.to_string();
    TrayEntry {
        label: format!("⇄ {name} — {local}"),
        production: false,
        status: None,
        actions: vec![
            (
                "Copy URL through the tunnel".into(),
                TrayAction::CopyTunnelUrl { name: n.clone() },
            ),
            ("Close tunnel".into(), TrayAction::CloseTunnel { name: n }),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_read_back_as_the_same_action() {
        for a in [
            TrayAction::Test {
                kind: Kind::Database,
                name: "orders/eu".into(),
            },
            TrayAction::CopyEnv {
                kind: Kind::Kafka,
                name: "events".into(),
            },
            TrayAction::OpenTunnel {
                name: "orders/eu".into(),
            },
            TrayAction::CloseTunnel { name: "o".into() },
            TrayAction::CopyTunnelUrl { name: "o".into() },
            TrayAction::Team {
                team: "data-eng".into(),
                name: "orders/eu:1".into(),
                verb: teams::TeamVerb::CopyEnv,
            },
            TrayAction::OpenApp,
            TrayAction::Quit,
        ] {
            assert_eq!(TrayAction::parse(&a.id()), Some(a));
        }
        assert_eq!(TrayAction::parse("test:nope/x"), None);
        assert_eq!(TrayAction::parse("tunnel:kafka/x"), None);
    }
}
