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
    read_connection_at(t, e, name, None).await
}

/// Version `version` of the team connection `name` (the current one when None), and its number.
pub(super) async fn read_connection_at(
    t: &Team,
    e: &Engine,
    name: &str,
    version: Option<u64>,
) -> Result<(Resolved, u64)> {
    let fields = e
        .read_version(&key(CONNECTIONS, name), version)
        .await?
        .ok_or_else(|| Error::NotFound {
            what: format!("connection in team {}", t.name),
            name: name.into(),
            hint: format!("; `patchbay team ls {}` shows the team's", t.name),
        })?;
    let def = definition_for(e, name, fields.version).await;
    let def = def.and_then(|d| serde_json::from_value::<Definition>(Value::Object(d)).ok());
    let r = match def {
        Some(d) => from_definition(name, &d)?,
        None => from_airflow_fields(t, name, &fields.data)?,
    };
    Ok((r, fields.version))
}

/// Patchbay's definition written with version `version` of the connection `name` (the current
/// definition, or an earlier one of its own versions), if there is one.
pub(super) async fn definition_for(
    e: &Engine,
    name: &str,
    version: u64,
) -> Option<Map<String, Value>> {
    let def = key(DEFINITIONS, name);
    let describes =
        |d: &Map<String, Value>| d.get("for_version").and_then(Value::as_u64) == Some(version);
    let current = e.read(&def).await.ok().flatten()?;
    if describes(&current.data) {
        return Some(current.data);
    }
    for v in e.versions(&def).await.unwrap_or_default().iter().rev() {
        if let Ok(Some(d)) = e.read_version(&def, Some(v.version)).await {
            if describes(&d.data) {
                return Some(d.data);
            }
        }
    }
    None
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
            (Error::Conflict(_), 0) => Error::Duplicate {
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
            Error::invalid(
                "connection",
                format!(
                    "team {}'s connection {name} is not an Airflow connection: it {why}",
                    t.name
                ),
            )
        })?;
    let found = kinds::from_airflow(&conn);
    let draft = found.draft.map_err(|why| {
        Error::invalid(
            "connection",
            format!("team {}'s connection {name} cannot be used: {why}", t.name),
        )
    })?;
    let spec = kinds::validate(&draft.spec).map_err(|e| {
        Error::invalid(
            "connection",
            format!("team {}'s connection {name} cannot be used: {e}", t.name),
        )
    })?;
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
