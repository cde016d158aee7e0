//! A team connection used the ways a local one is, for the window and the tray: its row in the
//! one list (from the team's kept list, so the list is shown at once; the window then lists each
//! team again behind it), the form that edits it (read at a version, saved over that version,
//! tested with the secrets of that version), Copy and Open in terminal.

use serde::Serialize;
use ts_rs::TS;

use super::handoff::{
    copied, handoff_text, launch, nothing_saved_to_copy, pick_snippet, snippet_copy, HandoffKind,
};
use super::rows::{Row, TeamMark};
use super::team_layout::{key, read_connection_at};
use super::teams::save_over;
use super::{Copied, Desk, Opened};
use crate::catalog::teams::TeamRow;
use crate::check::Verdict;
use crate::error::Result;
use crate::kinds;
use crate::model::*;
use crate::team::CONNECTIONS;

/// A team connection opened in the form: its fields (no secret), the version read, and whether
/// this member's policies let them change it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TeamConnection {
    pub connection: Connection,
    pub team: String,
    #[ts(type = "number")]
    pub version: u64,
    pub may_edit: bool,
}

impl Desk {
    /// Every connection the window lists: the local ones, then each team's as last listed.
    pub fn list_everywhere(&self) -> Result<Vec<Row>> {
        let mut rows = self.list()?;
        let lists = self.lists();
        for t in lists.teams()? {
            rows.extend(lists.team_rows(&t.name)?.into_iter().map(team_row));
        }
        Ok(rows)
    }

    /// The team connection `name` for the form, read from the engine now.
    pub async fn team_connection(&self, team: &str, name: &str) -> Result<TeamConnection> {
        let (t, e) = self.engine(team).await?;
        let (r, version) = read_connection_at(&t, &e, name, None).await?;
        let k = key(CONNECTIONS, name);
        let may = e.may(std::slice::from_ref(&k)).await?;
        let may_edit = may.get(&k).is_some_and(|m| m.change);
        Ok(TeamConnection {
            connection: r.connection.clone(),
            team: t.name,
            version,
            may_edit,
        })
    }

    /// Saves the form `draft` over version `base` of the team connection it edits: a teammate's
    /// change since is a conflict naming what changed, and nothing is written.
    pub async fn team_save_form(
        &self,
        team: &str,
        draft: ConnectionDraft,
        name: &str,
        base: u64,
    ) -> Result<u64> {
        let (t, e) = self.engine(team).await?;
        let (current, _) = read_connection_at(&t, &e, name, Some(base)).await?;
        let r = self.team_edited(draft, &current)?;
        save_over(&t, &e, &r, base).await
    }

    /// Checks the form `draft` of the team connection `name` (its secrets left as they were
    /// taken from version `base`); nothing is kept.
    pub async fn team_test_draft(
        &self,
        team: &str,
        draft: ConnectionDraft,
        name: &str,
        base: u64,
    ) -> Result<Verdict> {
        let (t, e) = self.engine(team).await?;
        let (current, _) = read_connection_at(&t, &e, name, Some(base)).await?;
        let r = self.team_form(draft, Some(&current))?;
        Ok(kinds::check(&r, self.timeout, &self.host_keys()).await)
    }

    /// The text of Copy for the team connection `name` (read from the engine now).
    pub async fn team_copy_text(
        &self,
        team: &str,
        name: &str,
        what: &str,
    ) -> Result<(String, Copied)> {
        if let Some(id) = what.strip_prefix("snippet:") {
            let all = self.team_snippets(team, name).await?;
            return Ok(snippet_copy(pick_snippet(all, name, id)?));
        }
        let what = HandoffKind::parse(what)?;
        let r = self.team_resolve(team, name).await?;
        if what.with_secrets() {
            nothing_saved_to_copy(&r.connection)?;
        }
        Ok((handoff_text(&r, what), copied(what)))
    }

    /// Opens the user's terminal running the team connection's client (`patchbay exec --team`).
    pub async fn team_open_in_terminal(&self, team: &str, name: &str) -> Result<Opened> {
        let r = self.team_resolve(team, name).await?;
        launch(Some(team), &r.connection)
    }
}

/// A team's kept row as a row of the one list.
fn team_row(r: TeamRow) -> Row {
    let now = crate::clock::now_ms();
    let connection = Connection {
        id: 0,
        name: r.name,
        kind: r.kind,
        env_tag: r.env_tag,
        transport_warning: kinds::transport_warning(&r.spec),
        credential_warning: kinds::credential_warning(&r.spec, now),
        spec: r.spec,
        secrets: Vec::new(),
        created_at: r.listed_at,
        updated_at: r.listed_at,
    };
    Row {
        target: kinds::target(&connection.spec),
        connection,
        last_check: None,
        usage: Default::default(),
        team: Some(TeamMark {
            team: r.team,
            version: r.version,
            may_edit: r.may_edit,
            listed_at: r.listed_at,
        }),
    }
}
