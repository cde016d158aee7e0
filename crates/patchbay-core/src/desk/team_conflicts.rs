//! A lost check-and-set race on a team connection, said as a teammate's change: the version the
//! edit started from, the version there now and when it was written, and which fields changed
//! between them — a secret by its name only, never its value.

use serde_json::Value;

use super::team_layout::{key, read_connection_at};
use crate::error::Error;
use crate::model::Resolved;
use crate::team::engine::Engine;
use crate::team::{Team, CONNECTIONS};

/// `err` as the user should see it: a conflict of an edit based on version `base` of `name`
/// names what changed since; any other error is returned as it is.
pub(super) async fn explained(t: &Team, e: &Engine, name: &str, base: u64, err: Error) -> Error {
    if !matches!(err, Error::Conflict(_)) || base == 0 {
        return err;
    }
    let (Ok((before, _)), Ok((now, version))) = (
        read_connection_at(t, e, name, Some(base)).await,
        read_connection_at(t, e, name, None).await,
    ) else {
        return err;
    };
    let when = e
        .versions(&key(CONNECTIONS, name))
        .await
        .ok()
        .and_then(|vs| vs.into_iter().find(|v| v.version == version))
        .map(|v| {
            // "2026-12-05T09:21:18.034499303Z" as "2026-12-05 09:21:18 UTC".
            let seconds = v.created.split('.').next().unwrap_or_default();
            format!(
                " at {} UTC",
                seconds.trim_end_matches('Z').replace('T', " ")
            )
        })
        .unwrap_or_default();
    let changed = changes(&before, &now);
    let what = match changed.is_empty() {
        true => "nothing Patchbay shows changed (its version did)".to_string(),
        false => format!("{} changed", changed.join(", ")),
    };
    Error::Conflict(format!(
        "{name} in team {} was changed by someone else since you read it (you started from version {base}; version {version} was written{when}): {what}. Nothing was written: open it again and redo your change",
        t.name
    ))
}

/// The fields that differ between two versions of a connection: its settings by their names,
/// its environment tag, its secrets by their labels.
pub(super) fn changes(before: &Resolved, now: &Resolved) -> Vec<String> {
    let flat = |r: &Resolved| {
        let mut out = std::collections::BTreeMap::new();
        flatten(
            "",
            &serde_json::to_value(&r.connection.spec).unwrap_or_default(),
            &mut out,
        );
        out
    };
    let (a, b) = (flat(before), flat(now));
    let mut out: Vec<String> = a
        .keys()
        .chain(b.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| k.replace('_', " "))
        .collect();
    if before.connection.env_tag != now.connection.env_tag {
        out.push("environment".into());
    }
    let mut fields: Vec<_> = before.secrets.keys().chain(now.secrets.keys()).collect();
    fields.sort_by_key(|f| f.as_str());
    fields.dedup();
    for f in fields {
        if before.secret(*f).map(|v| v.expose()) != now.secret(*f).map(|v| v.expose()) {
            out.push(f.label().to_string());
        }
    }
    out
}

/// Nested settings as `outer.inner` keys (the kind's tag left out).
fn flatten(prefix: &str, v: &Value, out: &mut std::collections::BTreeMap<String, Value>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if prefix.is_empty() && k == "kind" {
                    continue;
                }
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, x, out);
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}
