//! A team's code snippets (as a saved connection's, run with `exec NAME --team TEAM`), and its
//! named secrets: Airflow's variables, `<path>/variables/<name>` with `value`, so a
//! DAG's `Variable.get(name)` reads what a member set. Set with check-and-set over the version
//! read (a teammate's change in between is a conflict), listed by name, revealed on request.

use serde_json::{Map, Value};

use super::Desk;
use crate::error::{Error, Result};
use crate::secret::SecretString;
use crate::team::VARIABLES;

impl Desk {
    /// Sets the team's secret `name` to `value` (a new one, or a new version of it).
    pub async fn team_secret_set(
        &self,
        team: &str,
        name: &str,
        value: &SecretString,
    ) -> Result<u64> {
        let name = crate::validate::name("name", name)?;
        crate::validate::secret_value("value", value.expose())?;
        let (_, e) = self.engine(team).await?;
        let at = format!("{VARIABLES}/{name}");
        let base = e.read(&at).await?.map(|r| r.version).unwrap_or(0);
        let mut data = Map::new();
        data.insert("value".into(), Value::String(value.expose().to_string()));
        e.write(&at, &data, base).await
    }

    /// The names of the team's secrets.
    pub async fn team_secrets(&self, team: &str) -> Result<Vec<String>> {
        let (_, e) = self.engine(team).await?;
        let all = e.list(VARIABLES).await?;
        Ok(all.into_iter().filter(|n| !n.ends_with('/')).collect())
    }

    /// The code snippets of the team connection `name` (run with `exec NAME --team TEAM`).
    pub async fn team_snippets(
        &self,
        team: &str,
        name: &str,
    ) -> Result<Vec<crate::snippets::Snippet>> {
        let (r, _) = self.team_read(team, name).await?;
        let choices = crate::kinds::snippet_choices(&r.connection.spec);
        Ok(crate::snippets::for_team_connection(
            &r.connection,
            team,
            choices,
        ))
    }

    /// The value of the team's secret `name`.
    pub async fn team_secret_reveal(&self, team: &str, name: &str) -> Result<SecretString> {
        let (_, e) = self.engine(team).await?;
        let r = e.read(&format!("{VARIABLES}/{name}")).await?;
        let value = r.and_then(|r| {
            r.data
                .get("value")
                .and_then(Value::as_str)
                .map(SecretString::new)
        });
        value.ok_or_else(|| Error::NotFound {
            what: format!("secret in team {team}"),
            name: name.into(),
            hint: format!("; `patchbay secret list --team {team}` shows the team's"),
        })
    }
}
