//! The teams this store belongs to (where each one's engine is; never its token, which is in the
//! OS keychain) and the last list of each team's connections — names, kinds, fields, versions,
//! never a secret — shown when the engine cannot be reached, marked with when it was read.

use rusqlite::{params, OptionalExtension};

use super::Catalog;
use crate::error::{Error, Result};
use crate::model::{Kind, Spec};
use crate::team::Team;

/// A team connection as last listed.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct TeamRow {
    pub team: String,
    pub name: String,
    pub kind: Kind,
    pub env_tag: Option<String>,
    pub spec: Spec,
    /// The engine's version of it.
    #[ts(type = "number")]
    pub version: u64,
    /// Whether this member's policies let them change it.
    pub may_edit: bool,
    /// When the list was read from the engine (ms since the epoch).
    #[ts(type = "number")]
    pub listed_at: i64,
}

impl Catalog {
    /// Saves `team` (a new one, or the same name again with new settings).
    pub fn save_team(&mut self, team: &Team) -> Result<()> {
        let json = serde_json::to_string(team).map_err(|e| Error::Storage(e.to_string()))?;
        self.db.execute(
            "INSERT INTO teams (name, settings, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET settings = excluded.settings",
            params![team.name, json, crate::clock::now_ms()],
        )?;
        Ok(())
    }

    /// Every team, by name.
    pub fn teams(&self) -> Result<Vec<Team>> {
        let mut q = self
            .db
            .prepare("SELECT settings FROM teams ORDER BY name")?;
        let rows = q.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(
                serde_json::from_str(&json?).map_err(|e| {
                    Error::Storage(format!("a team's settings cannot be read: {e}"))
                })?,
            );
        }
        Ok(out)
    }

    /// The team `name`.
    pub fn team(&self, name: &str) -> Result<Team> {
        let json: Option<String> = self
            .db
            .query_row("SELECT settings FROM teams WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        let json = json.ok_or_else(|| Error::NotFound {
            what: "team".into(),
            name: name.into(),
            hint: ": add it with patchbay team add".into(),
        })?;
        serde_json::from_str(&json)
            .map_err(|e| Error::Storage(format!("team {name}'s settings cannot be read: {e}")))
    }

    /// Forgets the team and its listed connections; whether it was there.
    pub fn remove_team(&mut self, name: &str) -> Result<bool> {
        let tx = self.db.transaction()?;
        tx.execute("DELETE FROM team_rows WHERE team = ?1", [name])?;
        let n = tx.execute("DELETE FROM teams WHERE name = ?1", [name])?;
        tx.commit()?;
        Ok(n > 0)
    }

    /// Keeps `rows` as the team's list, in place of the one before.
    pub fn keep_team_rows(&mut self, team: &str, rows: &[TeamRow]) -> Result<()> {
        let tx = self.db.transaction()?;
        tx.execute("DELETE FROM team_rows WHERE team = ?1", [team])?;
        {
            let mut ins = tx.prepare(
                "INSERT INTO team_rows (team, name, kind, env_tag, spec, version, may_edit, listed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for r in rows {
                let spec =
                    serde_json::to_string(&r.spec).map_err(|e| Error::Storage(e.to_string()))?;
                ins.execute(params![
                    team,
                    r.name,
                    r.kind.as_str(),
                    r.env_tag,
                    spec,
                    r.version as i64,
                    r.may_edit,
                    r.listed_at
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The team's connections as last listed.
    pub fn team_rows(&self, team: &str) -> Result<Vec<TeamRow>> {
        let mut q = self.db.prepare(
            "SELECT name, kind, env_tag, spec, version, may_edit, listed_at FROM team_rows WHERE team = ?1 ORDER BY name",
        )?;
        let rows = q.query_map([team], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, i64>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, kind, env_tag, spec, version, may_edit, listed_at) = row?;
            let kind = Kind::from_column(&kind).ok_or_else(|| {
                Error::Storage(format!(
                    "team {team}'s connection {name} has an unknown kind"
                ))
            })?;
            let spec = serde_json::from_str(&spec).map_err(|e| {
                Error::Storage(format!(
                    "team {team}'s connection {name} cannot be read: {e}"
                ))
            })?;
            out.push(TeamRow {
                team: team.into(),
                name,
                kind,
                env_tag,
                spec,
                version: version as u64,
                may_edit,
                listed_at,
            });
        }
        Ok(out)
    }
}
