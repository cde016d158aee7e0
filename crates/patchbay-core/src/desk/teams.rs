//! Teams at the desk: joining one (logging in to its engine, the token to the keychain), sharing
//! a saved connection with it, listing its connections (cached without secrets; the cache shown,
//! marked stale, when the engine cannot be reached), using one (resolved from the engine at each
//! use, never written to disk), changing one with check-and-set, its history and a restore. The
//! mapping between a kind and Airflow's fields is the kinds' own (`kinds::to_airflow`, `kinds::from_airflow`).

use super::team_conflicts::explained;
use super::team_layout::{definition_for, key, read_connection, write};
use super::Desk;
use crate::catalog::teams::TeamRow;
use crate::error::{Error, Result};
use crate::keys::team_tokens;
use crate::kinds;
use crate::model::*;
use crate::secret::SecretString;
use crate::team::engine::{Engine, Version};
use crate::team::{self, Team, TeamAuth, CONNECTIONS, DEFINITIONS};

/// A team's list as the desk shows it: the connections, and why they may be old.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct TeamList {
    pub rows: Vec<TeamRow>,
    /// Set when the engine could not be asked: the cached list is shown, and this says why.
    pub stale: Option<String>,
    /// Connections the member may read that Patchbay cannot use (another tool's type, a field
    /// its kind refuses), each with why. Ones the member may not read are not listed at all.
    pub left_out: Vec<LeftOut>,
}

/// A team connection left out of the list, and why.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
pub struct LeftOut {
    pub name: String,
    pub why: String,
}

/// How close to its expiry a team's token is renewed.
const RENEW_WITHIN_MS: i64 = 10 * 60 * 1000;

/// How many of a team's connections are read at once.
const READ_AT_ONCE: usize = 32;

impl Desk {
    /// Joins `draft` (logs in with `secret`: the token itself, or the user's password) and
    /// keeps the team; its token goes to the OS keychain.
    pub async fn team_add(&self, draft: Team, secret: SecretString) -> Result<Team> {
        let mut t = team::validate(&draft)?;
        let who = match (t.auth, &t.login_name) {
            (TeamAuth::Token, _) => String::new(),
            (_, Some(who)) => who.clone(),
            (auth, None) => {
                let (field, what) = match auth {
                    TeamAuth::Userpass => ("user", "the user name (--user)"),
                    TeamAuth::Approle => ("role_id", "the AppRole's role id (--role-id)"),
                    TeamAuth::Jwt | TeamAuth::Token => ("role", "the JWT role (--role)"),
                    TeamAuth::AwsKeys => ("access_key_id", "the access key id (--access-key-id)"),
                };
                return Err(Error::invalid(
                    field,
                    format!("this login method needs {what}"),
                ));
            }
        };
        let (engine, token, info) = team::log_in(&t, &who, &secret, self.timeout).await?;
        t.token_expires = expiry(info.ttl);
        // The team's folder answers (or is empty): the mount, the path and the policies hold.
        engine.list(CONNECTIONS).await?;
        let store = self.cat().store_id()?;
        team_tokens::keep(&store, &t.name, &token)?;
        self.cat().save_team(&t)?;
        Ok(t)
    }

    /// Logs in to the team `name` again with its saved settings (`secret`: a new token, or the
    /// user's password); the new token replaces the old one in the keychain.
    pub async fn team_login(&self, name: &str, secret: SecretString) -> Result<Team> {
        let t = self.cat().team(name)?;
        self.team_add(t, secret).await
    }

    /// The team's connections as last listed, without asking its engine.
    pub fn team_rows_kept(&self, name: &str) -> Result<Vec<TeamRow>> {
        self.lists().team(name)?;
        self.lists().team_rows(name)
    }

    /// Every team this store belongs to.
    pub fn teams(&self) -> Result<Vec<Team>> {
        self.lists().teams()
    }

    /// Leaves the team: its settings, its cached list and its token go.
    pub fn team_remove(&self, name: &str) -> Result<bool> {
        let store = self.cat().store_id()?;
        team_tokens::forget(&store, name)?;
        self.cat().remove_team(name)
    }

    pub(super) async fn engine(&self, name: &str) -> Result<(Team, Engine)> {
        let t = self.cat().team(name)?;
        let store = self.cat().store_id()?;
        // The keychain answers over D-Bus and may take its time: not on the async workers, which
        // the window's other commands (a check, its Stop) are waiting for.
        let (team_name, missing) = (
            name.to_string(),
            format!("there is no token for team {name}: log in again (patchbay team login {name})"),
        );
        let kept = tokio::task::spawn_blocking(move || team_tokens::get(&store, &team_name))
            .await
            .map_err(|e| Error::Engine(format!("reading the team's token stopped: {e}")))?;
        let token = kept?.ok_or(Error::Engine(missing))?;
        let e = team::connect(&t, token, self.timeout)?;
        // A token in its last ten minutes is renewed (where the engine allows it), as the
        // engines' own agents do; one that cannot be is used as it is until it runs out.
        let now = crate::clock::now_ms();
        if let Some(at) = t
            .token_expires
            .filter(|at| *at > now && *at - now < RENEW_WITHIN_MS)
        {
            if let Ok(info) = e.renew().await {
                let mut renewed = t.clone();
                renewed.token_expires = expiry(info.ttl).or(Some(at));
                self.cat().save_team(&renewed)?;
                return Ok((renewed, e));
            }
        }
        Ok((t, e))
    }

    /// The team's connections (read from its engine, and kept without secrets for when it
    /// cannot be reached).
    pub async fn team_list(&self, name: &str) -> Result<TeamList> {
        match self.team_rows_now(name).await {
            Ok((rows, left_out)) => {
                self.cat().keep_team_rows(name, &rows)?;
                Ok(TeamList {
                    rows,
                    stale: None,
                    left_out,
                })
            }
            Err(Error::Engine(why)) => {
                let rows = self.lists().team_rows(name)?;
                let at = rows.first().map(|r| crate::clock::rfc3339(r.listed_at));
                let stale = format!(
                    "{why}; shown as listed {}",
                    at.unwrap_or_else(|| "(never)".into())
                );
                Ok(TeamList {
                    rows,
                    stale: Some(stale),
                    left_out: Vec::new(),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// The team's rows read from its engine now: the names (one LIST), what the member may do
    /// with each (asked in batches), then each one the member may read, `READ_AT_ONCE` at a time.
    /// One Patchbay cannot use is left out, with why.
    async fn team_rows_now(&self, name: &str) -> Result<(Vec<TeamRow>, Vec<LeftOut>)> {
        let (t, e) = self.engine(name).await?;
        let names: Vec<String> = e
            .list(CONNECTIONS)
            .await?
            .into_iter()
            .filter(|n| !n.ends_with('/'))
            .collect();
        let keys: Vec<String> = names.iter().map(|n| key(CONNECTIONS, n)).collect();
        let may = e.may(&keys).await?;
        let caps = |n: &str| may.get(&key(CONNECTIONS, n)).copied().unwrap_or_default();
        let readable = |n: &str| caps(n).read;
        let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(READ_AT_ONCE));
        let mut reads = tokio::task::JoinSet::new();
        for (i, n) in names.iter().enumerate().filter(|(_, n)| readable(n)) {
            let (t, e, n, gate) = (t.clone(), e.clone(), n.clone(), gate.clone());
            reads.spawn(async move {
                let _permit = gate.acquire_owned().await.expect("the gate stays open");
                (i, read_connection(&t, &e, &n).await)
            });
        }
        let (mut read, mut left_out) = (Vec::with_capacity(names.len()), Vec::new());
        while let Some(done) = reads.join_next().await {
            let (i, r) = done.map_err(|e| {
                Error::Engine(format!("reading the team's connections stopped: {e}"))
            })?;
            match r {
                Ok(r) => read.push((i, r)),
                Err(Error::Invalid { message, .. }) => left_out.push((i, message)),
                Err(other) => return Err(other),
            }
        }
        read.sort_by_key(|(i, _)| *i);
        left_out.sort_by_key(|(i, _)| *i);
        let now = crate::clock::now_ms();
        let rows = read
            .into_iter()
            .map(|(_, (r, version))| {
                let c = r.connection;
                TeamRow {
                    may_edit: caps(&c.name).change,
                    team: t.name.clone(),
                    name: c.name,
                    kind: c.kind,
                    env_tag: c.env_tag,
                    spec: c.spec,
                    version,
                    listed_at: now,
                }
            })
            .collect();
        let left_out = left_out
            .into_iter()
            .map(|(i, why)| LeftOut {
                name: names[i].clone(),
                why,
            })
            .collect();
        Ok((rows, left_out))
    }

    /// The team connection `name`, with its secrets, read from the engine now.
    pub async fn team_resolve(&self, team: &str, name: &str) -> Result<Resolved> {
        let (t, e) = self.engine(team).await?;
        Ok(self.team_resolve_with(&t, &e, name).await?.0)
    }

    pub(super) async fn team_resolve_with(
        &self,
        t: &Team,
        e: &Engine,
        name: &str,
    ) -> Result<(Resolved, u64)> {
        read_connection(t, e, name).await
    }

    /// Checks the team connection `name` (read from the engine now; its verdict is not kept).
    pub async fn team_test(&self, team: &str, name: &str) -> Result<crate::check::Verdict> {
        let r = self.team_resolve(team, name).await?;
        Ok(kinds::check(&r, self.timeout, &self.host_keys()).await)
    }

    /// Shares the saved connection `name` with `team` (a new connection there: one of that name
    /// already there is a conflict, never overwritten); `moving` removes the local one after.
    pub async fn share(&self, name: &str, team: &str, moving: bool) -> Result<u64> {
        let r = self.cat().resolve(None, name)?;
        let (_, e) = self.engine(team).await?;
        let version = write(&e, team, &r, 0).await?;
        if moving {
            self.delete(r.connection.kind, &r.connection.name)?;
        }
        Ok(version)
    }

    /// Saves `r` (a team connection edited) over version `base` of it: a teammate's change
    /// since then is a conflict naming what changed, and nothing is written.
    pub async fn team_save(&self, team: &str, r: &Resolved, base: u64) -> Result<u64> {
        let (t, e) = self.engine(team).await?;
        save_over(&t, &e, r, base).await
    }

    /// The versions of the team connection `name`.
    pub async fn team_history(&self, team: &str, name: &str) -> Result<Vec<Version>> {
        let (_, e) = self.engine(team).await?;
        e.versions(&key(CONNECTIONS, name)).await
    }

    /// Makes version `version` of the team connection `name` the current one again.
    pub async fn team_restore(&self, team: &str, name: &str, version: u64) -> Result<u64> {
        let (_, e) = self.engine(team).await?;
        let k = key(CONNECTIONS, name);
        let old = e.read_version(&k, Some(version)).await?.ok_or_else(|| {
            Error::invalid(
                "version",
                format!("{name} has no version {version} in team {team}"),
            )
        })?;
        let now = e.read(&k).await?.map(|r| r.version).unwrap_or(0);
        let written = e.write(&k, &old.data, now).await?;
        // Patchbay's definition of that version (the definition has versions of its own): the
        // one written with it, now describing the restored fields.
        if let Some(mut d) = definition_for(&e, name, version).await {
            d.insert("for_version".into(), written.into());
            let def = key(DEFINITIONS, name);
            let current = e.read(&def).await?.map(|c| c.version).unwrap_or(0);
            e.write(&def, &d, current).await?;
        }
        Ok(written)
    }
}

/// Writes `r` to team `t` over version `base`; a lost race is the conflict that names what the
/// teammate changed.
pub(super) async fn save_over(t: &Team, e: &Engine, r: &Resolved, base: u64) -> Result<u64> {
    match write(e, &t.name, r, base).await {
        Err(err) => Err(explained(t, e, &r.connection.name, base, err).await),
        written => written,
    }
}

/// When a token with `ttl` seconds left expires (none for one that does not).
fn expiry(ttl: u64) -> Option<i64> {
    (ttl > 0).then(|| crate::clock::now_ms() + (ttl as i64) * 1000)
}
