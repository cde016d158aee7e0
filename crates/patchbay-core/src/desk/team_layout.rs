//! A team connection in the team's layout: read (Patchbay's definition when it describes the
//! current version of Airflow's fields, else those fields through the kinds' Airflow mapping)
//! and written (Airflow's fields with check-and-set, then the definition naming their version).

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::foreign::airflow;
use crate::kinds;
use crate::model::*;
use crate::secret::SecretString;
use crate::team::engine::Engine;
use crate::team::{Definition, Team, CONNECTIONS, DEFINITIONS};

/// A secret's key under the team's path.
pub(super) fn key(folder: &str, name: &str) -> String {
    format!("{folder}/{name}")
}

/// The team connection `name` as its engine has it now, and its version.
pub(super) async fn read_connection(t: &Team, e: &Engine, name: &str) -> Result<(Resolved, u64)> {
    let fields = e
        .read(&key(CONNECTIONS, name))
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("connection in team {}", t.name),
            name: name.into(),
            hint: format!("; `patchbay team ls {}` shows the team's", t.name),
        })?;
    let def = match e.read(&key(DEFINITIONS, name)).await {
        Ok(Some(d)) => serde_json::from_value::<Definition>(Value::Object(d.data)).ok(),
        _ => None,
    };
    let r = match def.filter(|d| d.for_version == fields.version) {
        Some(d) => from_definition(name, &d)?,
        None => from_airflow_fields(t, name, &fields.data)?,
    };
    Ok((r, fields.version))
}

/// Writes `r` in the team's layout over version `base` (0: only if new), then its definition.
pub(super) async fn write(e: &Engine, team: &str, r: &Resolved, base: u64) -> Result<u64> {
    let c = &r.connection;
    let (conn, _) = kinds::to_airflow(&c.name, &c.spec, Some(&r.secrets)).map_err(|why| {
        Error::invalid(
            "name",
            format!("{} cannot go to a team in Airflow's layout: {why}", c.name),
        )
    })?;
    let Value::Object(fields) = airflow::to_fields(&conn) else {
        unreachable!("an object")
    };
    let fields: Map<String, Value> = fields.into_iter().filter(|(_, v)| !v.is_null()).collect();
    let version = e
        .write(&key(CONNECTIONS, &c.name), &fields, base)
        .await
        .map_err(|err| match (err, base) {
            (Error::Engine(m), 0) if m.contains("check-and-set") => Error::Duplicate {
                kind: format!("connection in team {team}"),
                name: c.name.clone(),
            },
            (err, _) => err,
        })?;
    let secrets: BTreeMap<String, String> = r
        .secrets
        .iter()
        .map(|(f, v)| (f.as_str().to_string(), v.expose().to_string()))
        .collect();
    let def = Definition {
        kind: c.kind,
        spec: c.spec.clone(),
        env_tag: c.env_tag.clone(),
        secrets,
        for_version: version,
    };
    let Value::Object(data) = serde_json::to_value(&def).unwrap_or_default() else {
        unreachable!("an object")
    };
    let now = e
        .read(&key(DEFINITIONS, &c.name))
        .await?
        .map(|d| d.version)
        .unwrap_or(0);
    e.write(&key(DEFINITIONS, &c.name), &data, now).await?;
    Ok(version)
}

/// A team connection from Patchbay's own definition.
fn from_definition(name: &str, d: &Definition) -> Result<Resolved> {
    let spec = kinds::validate(&d.spec)?;
    let mut secrets = HashMap::new();
    for (f, v) in &d.secrets {
        if let Some(field) = SecretField::parse(f) {
            secrets.insert(field, SecretString::new(v.as_str()));
        }
    }
    Ok(resolved(name, d.env_tag.clone(), spec, secrets))
}

/// A team connection someone wrote in Airflow's layout, read as the kinds read Airflow's.
fn from_airflow_fields(t: &Team, name: &str, data: &Map<String, Value>) -> Result<Resolved> {
    let origin = format!("team {}", t.name);
    let conn =
        airflow::from_fields(name, &Value::Object(data.clone()), &origin).map_err(|why| {
            Error::Engine(format!(
                "team {}'s connection {name} is not an Airflow connection: it {why}",
                t.name
            ))
        })?;
    let found = kinds::from_airflow(&conn);
    let draft = found.draft.map_err(|why| {
        Error::Engine(format!(
            "team {}'s connection {name} cannot be used: {why}",
            t.name
        ))
    })?;
    let spec = kinds::validate(&draft.spec)?;
    let secrets = draft
        .secrets
        .iter()
        .filter_map(|(f, s)| match s {
            SecretInput::Value { value } => Some((*f, value.clone())),
            _ => None,
        })
        .collect();
    Ok(resolved(name, draft.env_tag.clone(), spec, secrets))
}

pub(super) fn resolved(
    name: &str,
    env_tag: Option<String>,
    spec: Spec,
    secrets: HashMap<SecretField, SecretString>,
) -> Resolved {
    let now = crate::clock::now_ms();
    let slots = secrets
        .keys()
        .map(|f| SecretSlot {
            field: *f,
            source: SecretSource::Owned,
        })
        .collect();
    let connection = Connection {
        id: 0,
        name: name.to_string(),
        kind: spec.kind(),
        env_tag,
        transport_warning: kinds::transport_warning(&spec),
        credential_warning: kinds::credential_warning(&spec, now),
        spec,
        secrets: slots,
        created_at: 0,
        updated_at: 0,
    };
    Resolved::new(connection, secrets)
}
