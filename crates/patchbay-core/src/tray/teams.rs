//! The tray's team submenus: one per team, its connections as the team last listed them
//! (production ones first, at most `PER_KIND`), each with what works on a team connection from
//! the tray — Open in terminal, Test, Copy URL, Copy environment — read from the team's engine
//! when chosen. Their menu ids name the team: `team-test:data-eng/orders`.

use serde::Serialize;

use super::{TrayAction, TrayEntry, TrayGroup, PER_KIND};
use crate::catalog::teams::TeamRow;
use crate::kinds::is_production;

/// What a team connection's tray entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TeamVerb {
    Terminal,
    Test,
    CopyUrl,
    CopyEnv,
}

const VERBS: [(TeamVerb, &str, &str); 4] = [
    (TeamVerb::Terminal, "terminal", "Open in terminal"),
    (TeamVerb::Test, "test", "Test"),
    (TeamVerb::CopyUrl, "copy-url", "Copy URL"),
    (TeamVerb::CopyEnv, "copy-env", "Copy environment"),
];

/// The menu id of `verb` on the team connection `name` (a team's name has no "/" or ":").
pub(super) fn id(team: &str, name: &str, verb: TeamVerb) -> String {
    let word = VERBS.iter().find(|v| v.0 == verb).map_or("test", |v| v.1);
    format!("team-{word}:{team}/{name}")
}

/// A team action read back from its menu id.
pub(super) fn parse(id: &str) -> Option<TrayAction> {
    let (word, rest) = id.strip_prefix("team-")?.split_once(':')?;
    let verb = VERBS.iter().find(|v| v.1 == word)?.0;
    let (team, name) = rest.split_once('/')?;
    Some(TrayAction::Team {
        team: team.to_string(),
        name: name.to_string(),
        verb,
    })
}

/// One submenu per team (in the order given), from the rows each team last listed.
pub fn groups(rows: &[TeamRow]) -> Vec<TrayGroup> {
    let mut teams: Vec<&str> = rows.iter().map(|r| r.team.as_str()).collect();
    teams.dedup();
    teams
        .into_iter()
        .map(|team| {
            let mut of_team: Vec<&TeamRow> = rows.iter().filter(|r| r.team == team).collect();
            of_team.sort_by_key(|r| !is_production(r.env_tag.as_deref()));
            let more = of_team.len().saturating_sub(PER_KIND);
            TrayGroup {
                title: format!("Team {team}"),
                entries: of_team.into_iter().take(PER_KIND).map(entry).collect(),
                more,
            }
        })
        .collect()
}

fn entry(r: &TeamRow) -> TrayEntry {
    let production = is_production(r.env_tag.as_deref());
    let tag = r
        .env_tag
        .as_deref()
        .map(|t| format!(" [{}]", t.to_uppercase()))
        .unwrap_or_default();
    TrayEntry {
        label: format!(
            "{}{}{tag} ({}) — {}",
            if production { "● " } else { "" },
            r.name,
            r.kind.short_label(),
            crate::kinds::target(&r.spec)
        ),
        production,
        status: (!r.may_edit).then(|| "read-only: your role may use it, not change it".into()),
        actions: VERBS
            .iter()
            .map(|(verb, _, label)| {
                let action = TrayAction::Team {
                    team: r.team.clone(),
                    name: r.name.clone(),
                    verb: *verb,
                };
                (label.to_string(), action)
            })
            .collect(),
    }
}
