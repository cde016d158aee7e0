//! Import: what was found (`crate::import`) shown before anything is saved — each row's name,
//! kind, target, which secrets came with it (never their values), a proposed environment, and
//! why a row cannot be imported — then the chosen rows saved as one transaction. A name that
//! is taken is never overwritten silently: the row is skipped, renamed with a suffix, or
//! replaces the saved connection, as the caller says.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Desk;
use crate::catalog::{NamedSaving, Saving};
use crate::error::{Error, Result};
use crate::foreign::Found;
use crate::kinds;
use crate::model::{Connection, Kind, SecretField};

/// What to do with a row whose name is taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum OnConflict {
    #[default]
    Skip,
    Rename,
    Replace,
}

/// What importing a row would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Saved as a new connection under `name`.
    New,
    /// Saved under `name`, a suffix added because its own name is taken.
    Renamed,
    /// Replaces the saved connection called `name`.
    Replaces,
    /// Not imported: the name is taken (choose rename or replace).
    Conflict,
    /// Not imported: `reason` says why.
    Skipped,
}

/// One row of an import's preview. Never holds a secret's value.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Candidate {
    /// Where it was found.
    pub origin: String,
    /// The name it was found under.
    pub found_as: String,
    /// The name it is saved under.
    pub name: String,
    pub kind: Option<Kind>,
    /// The list's type word (postgresql, s3, …).
    pub type_word: Option<String>,
    pub target: String,
    /// The secret fields that came with it.
    pub secrets: Vec<SecretField>,
    pub env_tag: Option<String>,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub notes: Vec<String>,
}

/// What an import saved.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Imported {
    pub saved: Vec<Connection>,
    /// Rows found but not saved (skipped, in conflict, or not chosen).
    pub left: usize,
    /// Named secrets saved (a Patchbay bundle's).
    pub secrets: Vec<String>,
    /// Named secrets already saved under the same name, whose saved value was kept.
    pub kept_secrets: Vec<String>,
}

impl Desk {
    /// The preview of importing `found`.
    pub fn import_preview(
        &self,
        found: &[Found],
        on_conflict: OnConflict,
    ) -> Result<Vec<Candidate>> {
        let cat = self.lists();
        let mut taken: BTreeSet<(Kind, String)> = cat
            .list(None)?
            .into_iter()
            .map(|c| (c.kind, c.name.to_lowercase()))
            .collect();
        let saved = taken.clone();
        let mut rows = Vec::with_capacity(found.len());
        for f in found {
            let mut row = Candidate {
                origin: f.origin.clone(),
                found_as: f.name.clone(),
                name: f.name.trim().to_string(),
                kind: None,
                type_word: None,
                target: String::new(),
                secrets: Vec::new(),
                env_tag: None,
                outcome: Outcome::Skipped,
                reason: None,
                notes: f.notes.clone(),
            };
            let draft = match &f.draft {
                Ok(d) => d,
                Err(why) => {
                    row.reason = Some(why.clone());
                    rows.push(row);
                    continue;
                }
            };
            let kind = draft.spec.kind();
            row.kind = Some(kind);
            row.type_word = Some(kinds::type_word(&draft.spec).to_string());
            row.target = kinds::target(&draft.spec);
            row.secrets = draft.secrets.keys().copied().collect();
            row.env_tag = draft.env_tag.clone().or_else(|| {
                crate::import::guess_env(&[&row.name, &row.target]).map(str::to_string)
            });
            if let Err(e) = cat.check_draft(draft) {
                row.reason = Some(e.to_string());
                rows.push(row);
                continue;
            }
            let key = |n: &str| (kind, n.to_lowercase());
            row.outcome = if !taken.contains(&key(&row.name)) {
                Outcome::New
            } else {
                match on_conflict {
                    OnConflict::Skip => Outcome::Conflict,
                    OnConflict::Replace if saved.contains(&key(&row.name)) => Outcome::Replaces,
                    // Taken by another row of this import: only a new name helps.
                    OnConflict::Replace | OnConflict::Rename => {
                        row.name = free_name(&row.name, |n| taken.contains(&key(n)));
                        Outcome::Renamed
                    }
                }
            };
            if row.outcome == Outcome::Conflict {
                row.reason = Some(if saved.contains(&key(&row.name)) {
                    format!(
                        "{} named \"{}\" is already saved (rename or replace it)",
                        kind.a_label(),
                        row.name
                    )
                } else {
                    format!(
                        "another {} found here is named \"{}\" too",
                        kind.label(),
                        row.name
                    )
                });
            } else {
                taken.insert(key(&row.name));
            }
            rows.push(row);
        }
        Ok(rows)
    }

    /// Imports the rows of `found` named in `chosen` (every row that can be, when None), as
    /// one transaction. A chosen row that cannot be imported fails the whole import.
    pub fn import(
        &self,
        found: Vec<Found>,
        named: Vec<NamedSaving>,
        chosen: Option<&[String]>,
        on_conflict: OnConflict,
    ) -> Result<Imported> {
        let rows = self.import_preview(&found, on_conflict)?;
        if let Some(names) = chosen {
            check_choice(&rows, names)?;
        }
        let picked_rows = chosen_rows(&rows, chosen.unwrap_or(&[]));
        let picked = |r: &Candidate| picked_rows.iter().any(|i| std::ptr::eq(&rows[*i], r));
        let mut batch = Vec::new();
        let mut left = 0;
        for (f, row) in found.into_iter().zip(&rows) {
            let importable = matches!(
                row.outcome,
                Outcome::New | Outcome::Renamed | Outcome::Replaces
            );
            let (true, Ok(mut draft)) = (importable && picked(row), f.draft) else {
                left += 1;
                continue;
            };
            draft.name = row.name.clone();
            draft.env_tag = row.env_tag.clone();
            batch.push(Saving {
                draft,
                replaces: (row.outcome == Outcome::Replaces).then(|| row.name.clone()),
                favourite: f.favourite,
            });
        }
        // A named secret already saved keeps its value unless the import replaces.
        let saved_names: Vec<String> = self
            .lists()
            .list_secrets()?
            .into_iter()
            .map(|s| s.name.to_lowercase())
            .collect();
        let (named, kept): (Vec<_>, Vec<_>) = named.into_iter().partition(|n| {
            on_conflict == OnConflict::Replace
                || !saved_names.contains(&n.name.trim().to_lowercase())
        });
        let secrets = named.iter().map(|n| n.name.trim().to_string()).collect();
        let kept_secrets = kept
            .into_iter()
            .map(|n| n.name.trim().to_string())
            .collect();
        let saved = self.cat().save_all_with(named, batch)?;
        Ok(Imported {
            saved,
            left,
            secrets,
            kept_secrets,
        })
    }
}

/// Whether every name of `names` is a row of `rows` that can be imported (a name is the one a
/// row was found under or the one it would be saved under).
pub fn check_choice(rows: &[Candidate], names: &[String]) -> Result<()> {
    for n in names {
        let row = row_named(rows, n).map(|i| &rows[i]).ok_or_else(|| {
            Error::invalid(
                "only",
                format!("nothing called \"{n}\" was found to import"),
            )
        })?;
        if matches!(row.outcome, Outcome::Skipped | Outcome::Conflict) {
            return Err(Error::invalid(
                "only",
                format!(
                    "\"{n}\" cannot be imported: {}",
                    row.reason.as_deref().unwrap_or("")
                ),
            ));
        }
    }
    Ok(())
}

/// The rows `only` names (every row when it is empty), each name read as `row_named` reads it.
pub fn chosen_rows(rows: &[Candidate], only: &[String]) -> Vec<usize> {
    if only.is_empty() {
        return (0..rows.len()).collect();
    }
    only.iter().filter_map(|n| row_named(rows, n)).collect()
}

/// The row a chosen name means: the one saved under that name, else the first found under it.
fn row_named(rows: &[Candidate], n: &str) -> Option<usize> {
    let n = n.trim();
    rows.iter()
        .position(|r| {
            r.name.eq_ignore_ascii_case(n)
                && !matches!(r.outcome, Outcome::Skipped | Outcome::Conflict)
        })
        .or_else(|| rows.iter().position(|r| r.found_as.eq_ignore_ascii_case(n)))
}

/// `name-2`, `name-3`, … : the first that is free.
fn free_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    (2..)
        .map(|i| {
            let suffix = format!("-{i}");
            let stem: String = name.chars().take(64 - suffix.len()).collect();
            format!("{stem}{suffix}")
        })
        .find(|n| !taken(n))
        .unwrap_or_else(|| name.to_string())
}
