//! The tray menu as data: saved connections grouped by kind, production ones marked, each with
//! its last check and its actions (open in a terminal, test, copy URL, copy environment, open in
//! the window), plus
//! "Open Patchbay" and "Quit". The desktop shell renders this model; tests read it directly.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::CheckSummary;
use crate::kinds::is_production;
use crate::model::{Connection, Kind};

/// What a tray entry does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TrayAction {
    Test { kind: Kind, name: String },
    CopyUrl { kind: Kind, name: String },
    CopyEnv { kind: Kind, name: String },
    Terminal { kind: Kind, name: String },
    Open { kind: Kind, name: String },
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
        let (verb, rest) = id.split_once(':')?;
        let (kind, name) = rest.split_once('/')?;
        let (kind, name) = (Kind::from_column(kind)?, name.to_string());
        Some(match verb {
            "test" => TrayAction::Test { kind, name },
            "copy-url" => TrayAction::CopyUrl { kind, name },
            "copy-env" => TrayAction::CopyEnv { kind, name },
            "terminal" => TrayAction::Terminal { kind, name },
            "open" => TrayAction::Open { kind, name },
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

/// A kind's section of the menu.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrayGroup {
    pub title: &'static str,
    pub entries: Vec<TrayEntry>,
    /// Connections of this kind left out of the menu (they are in the window).
    pub more: usize,
}

/// How many connections of one kind the menu shows; production ones come first. A menu of a
/// thousand submenus is neither usable nor cheap (each is a native widget).
pub const PER_KIND: usize = 12;

/// The whole menu.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrayMenu {
    pub groups: Vec<TrayGroup>,
    pub footer: Vec<(String, TrayAction)>,
}

/// Builds the menu from the saved connections and their last checks.
pub fn menu(connections: &[Connection], last: &HashMap<i64, CheckSummary>) -> TrayMenu {
    let mut groups = Vec::new();
    for kind in Kind::ALL {
        let mut of_kind: Vec<&Connection> = connections.iter().filter(|c| c.kind == kind).collect();
        // Production first (stable: otherwise in list order).
        of_kind.sort_by_key(|c| !is_production(c.env_tag.as_deref()));
        let more = of_kind.len().saturating_sub(PER_KIND);
        let entries: Vec<TrayEntry> = of_kind
            .into_iter()
            .take(PER_KIND)
            .map(|c| {
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
                let (k, n) = (c.kind, c.name.clone());
                TrayEntry {
                    label: format!("{marker}{}{tag}{flag} — {}", c.name, c.target()),
                    production,
                    status,
                    actions: vec![
                        (
                            "Open in terminal".into(),
                            TrayAction::Terminal {
                                kind: k,
                                name: n.clone(),
                            },
                        ),
                        (
                            "Test".into(),
                            TrayAction::Test {
                                kind: k,
                                name: n.clone(),
                            },
                        ),
                        (
                            "Copy URL".into(),
                            TrayAction::CopyUrl {
                                kind: k,
                                name: n.clone(),
                            },
                        ),
                        (
                            "Copy environment".into(),
                            TrayAction::CopyEnv {
                                kind: k,
                                name: n.clone(),
                            },
                        ),
                        (
                            "Open in Patchbay".into(),
                            TrayAction::Open { kind: k, name: n },
                        ),
                    ],
                }
            })
            .collect();
        if !entries.is_empty() {
            let title = match kind {
                Kind::Database => "Databases",
                Kind::Storage => "Cloud Storage (S3)",
                Kind::Azure => "Cloud Storage (Azure)",
                Kind::Gcs => "Cloud Storage (Google)",
                Kind::Kafka => "Kafka",
            };
            groups.push(TrayGroup {
                title,
                entries,
                more,
            });
        }
    }
    TrayMenu {
        groups,
        footer: vec![
            ("Open Patchbay".into(), TrayAction::OpenApp),
            ("Quit".into(), TrayAction::Quit),
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
            TrayAction::OpenApp,
            TrayAction::Quit,
        ] {
            assert_eq!(TrayAction::parse(&a.id()), Some(a));
        }
        assert_eq!(TrayAction::parse("test:nope/x"), None);
    }
}
