//! Export: the saved connections as Patchbay's own document (stable order, no timestamps),
//! as Airflow's export formats, as DBeaver's `data-sources.json`, or as an encrypted bundle. Secrets are left out unless asked
//! for; a bundle always carries them and is always encrypted.

use std::collections::BTreeMap;

use serde::Deserialize;
use ts_rs::TS;
use zeroize::Zeroizing;

use super::Desk;
use crate::bundle::{self, Document, Entry, Lock, Named, Value};
use crate::error::{Error, Result};
use crate::foreign::{airflow, dbeaver};
use crate::kinds;
use crate::model::{Connection, SecretSource};

/// The text formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// Patchbay's own document (what a bundle holds).
    Patchbay,
    /// `airflow connections import` JSON.
    AirflowJson,
    /// `ID=URI` lines, as `airflow connections export --file-format env` writes them.
    AirflowEnv,
    /// DBeaver's `data-sources.json` (databases only; never a password).
    Dbeaver,
}

/// What an export could not hold, by connection name.
pub type ExportNote = (String, String);

impl Desk {
    /// The connections called `names` (every one when empty), in list order.
    fn chosen(&self, names: &[String]) -> Result<Vec<Connection>> {
        let cat = self.lists();
        if names.is_empty() {
            return cat.list(None);
        }
        let mut out: Vec<Connection> = Vec::new();
        for n in names {
            let c = cat.get(None, n)?;
            if !out.iter().any(|o| o.id == c.id) {
                out.push(c);
            }
        }
        let order: Vec<i64> = cat.list(None)?.iter().map(|c| c.id).collect();
        out.sort_by_key(|c| order.iter().position(|id| *id == c.id));
        Ok(out)
    }

    /// Patchbay's document of `names`, with the secrets' values when `with_secrets`.
    pub fn export_document(&self, names: &[String], with_secrets: bool) -> Result<Document> {
        let list = self.chosen(names)?;
        let usage = self.lists().usage()?;
        let mut shared_names: Vec<String> = Vec::new();
        let mut entries = Vec::with_capacity(list.len());
        for c in list {
            let resolved = if with_secrets {
                Some(self.cat().resolve(Some(c.kind), &c.name)?)
            } else {
                None
            };
            let mut secrets = BTreeMap::new();
            let mut shared = BTreeMap::new();
            for slot in &c.secrets {
                match &slot.source {
                    SecretSource::Shared { name } => {
                        shared.insert(slot.field, name.clone());
                        if !shared_names.contains(name) {
                            shared_names.push(name.clone());
                        }
                    }
                    SecretSource::Owned => {
                        if let Some(v) = resolved.as_ref().and_then(|r| r.secret(slot.field)) {
                            secrets.insert(slot.field, Value::new(v.expose()));
                        }
                    }
                }
            }
            entries.push(Entry {
                name: c.name.clone(),
                env_tag: c.env_tag.clone(),
                favourite: usage.get(&c.id).is_some_and(|u| u.favourite),
                spec: c.spec.clone(),
                secrets,
                shared,
            });
        }
        shared_names.sort();
        let mut named = Vec::new();
        for n in shared_names {
            let info = self.lists().secret_info(&n)?;
            let value = if with_secrets {
                Some(Value::new(self.cat().reveal_secret(&n)?.expose()))
            } else {
                None
            };
            named.push(Named {
                name: info.name,
                description: info.description,
                value,
            });
        }
        Ok(Document::new(entries, named))
    }

    /// The export of `names` in `format` (secrets only when `with_secrets`), and what the
    /// format could not hold, by connection (a connection left out, a CA certificate).
    pub fn export_text(
        &self,
        names: &[String],
        format: ExportFormat,
        with_secrets: bool,
    ) -> Result<(Zeroizing<String>, Vec<ExportNote>)> {
        if format == ExportFormat::Patchbay {
            return Ok((
                self.export_document(names, with_secrets)?.text(),
                Vec::new(),
            ));
        }
        if format == ExportFormat::Dbeaver {
            return self.export_dbeaver(names, with_secrets);
        }
        let mut conns = Vec::new();
        let mut left = Vec::new();
        for c in self.chosen(names)? {
            let r = if with_secrets {
                Some(self.cat().resolve(Some(c.kind), &c.name)?)
            } else {
                None
            };
            match kinds::to_airflow(&c.name, &c.spec, r.as_ref().map(|r| &r.secrets)) {
                Ok((a, notes)) => {
                    conns.push(a);
                    left.extend(notes.into_iter().map(|n| (c.name.clone(), n)));
                }
                Err(why) => left.push((c.name.clone(), format!("left out: {why}"))),
            }
        }
        conns.sort_by(|a, b| a.conn_id.cmp(&b.conn_id));
        let text = match format {
            ExportFormat::AirflowJson => {
                let all: serde_json::Map<String, serde_json::Value> = conns
                    .iter()
                    .map(|c| (c.conn_id.clone(), airflow::to_fields(c)))
                    .collect();
                let mut t = serde_json::to_string_pretty(&all).expect("serialisable");
                t.push('\n');
                t
            }
            _ => conns
                .iter()
                .map(|c| format!("{}={}\n", c.conn_id, airflow::to_uri(c)))
                .collect(),
        };
        Ok((Zeroizing::new(text), left))
    }

    /// DBeaver's `data-sources.json` of `names`: never with passwords, since the file DBeaver
    /// keeps them in is encrypted with a key everyone has.
    fn export_dbeaver(
        &self,
        names: &[String],
        with_secrets: bool,
    ) -> Result<(Zeroizing<String>, Vec<ExportNote>)> {
        if with_secrets {
            return Err(Error::invalid(
                "with_secrets",
                "DBeaver keeps passwords in a file encrypted with a key everyone has, so Patchbay does not write them: leave out --with-secrets and type them in DBeaver (or move them with --bundle)",
            ));
        }
        let mut conns = Vec::new();
        let mut left = Vec::new();
        for c in self.chosen(names)? {
            match kinds::to_dbeaver(&c.name, &c.spec, c.env_tag.as_deref()) {
                Ok((d, notes)) => {
                    conns.push(d);
                    left.extend(notes.into_iter().map(|n| (c.name.clone(), n)));
                }
                Err(why) => left.push((c.name.clone(), format!("left out: {why}"))),
            }
        }
        conns.sort_by(|a, b| a.name.cmp(&b.name));
        Ok((Zeroizing::new(dbeaver::write(&conns)), left))
    }

    /// An encrypted bundle of `names` (every connection when empty), secrets included.
    pub fn export_bundle(&self, names: &[String], lock: &Lock) -> Result<Vec<u8>> {
        let doc = self.export_document(names, true)?;
        if doc.connections.is_empty() {
            return Err(Error::invalid(
                "names",
                "there is nothing to export: no connection is saved",
            ));
        }
        bundle::seal(doc.text().as_bytes(), lock)
    }
}
