//! The window's import: a source read into the core and held there (its secrets never cross to
//! the web view), its preview answered, then saved with the rows the user kept. The CLI reads
//! and imports in one call (`import.rs`); the window looks first, then chooses.

use serde::Serialize;
use ts_rs::TS;

use super::import::{check_choice, Candidate, Imported, OnConflict};
use super::Desk;
use crate::error::{Error, Result};
use crate::foreign::Env;
use crate::import::{self, Reading, Source};

/// What a source holds, for the list of sources to import from.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SourceFound {
    pub source: Source,
    pub label: String,
    pub files: Vec<String>,
    /// Connections found (importable or not).
    pub found: usize,
}

/// The preview of the import the window holds. Never holds a secret's value.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportPreview {
    pub source: Source,
    pub label: String,
    pub files: Vec<String>,
    pub problems: Vec<String>,
    pub rows: Vec<Candidate>,
    /// Named secrets that come with it (a Patchbay bundle's).
    pub secrets: Vec<String>,
}

fn files(r: &Reading) -> Vec<String> {
    r.files.iter().map(|f| f.display().to_string()).collect()
}

impl Desk {
    /// Every source at its default places, with how many connections each holds.
    pub fn import_sources(&self, env: &Env) -> Vec<SourceFound> {
        import::scan(env)
            .iter()
            .map(|r| SourceFound {
                source: r.source,
                label: r.source.label().to_string(),
                files: files(r),
                found: r.found.len(),
            })
            .collect()
    }

    /// Holds `reading` as the window's import (replacing one held before) and previews it.
    pub fn stage_import(&self, reading: Reading, on_conflict: OnConflict) -> Result<ImportPreview> {
        let preview = self.preview_of(&reading, on_conflict)?;
        *self.staged.lock().unwrap_or_else(|p| p.into_inner()) = Some(reading);
        Ok(preview)
    }

    /// The held import's preview again (another choice for taken names).
    pub fn staged_preview(&self, on_conflict: OnConflict) -> Result<ImportPreview> {
        let staged = self.staged.lock().unwrap_or_else(|p| p.into_inner());
        let r = staged.as_ref().ok_or_else(nothing_held)?;
        self.preview_of(r, on_conflict)
    }

    /// Saves the rows of the held import named in `only`, as one transaction; the import is
    /// let go when it is saved (and kept when it fails, to try again).
    pub fn commit_staged(&self, only: &[String], on_conflict: OnConflict) -> Result<Imported> {
        let mut staged = self.staged.lock().unwrap_or_else(|p| p.into_inner());
        let r = staged.take().ok_or_else(nothing_held)?;
        let rows = self.import_preview(&r.found, on_conflict)?;
        if let Err(e) = check_choice(&rows, only) {
            *staged = Some(r);
            return Err(e);
        }
        if only.is_empty() {
            *staged = Some(r);
            return Err(Error::invalid(
                "only",
                "choose at least one connection to import",
            ));
        }
        self.import(r.found, r.named, Some(only), on_conflict)
    }

    /// Lets go of the held import (the dialog was closed).
    pub fn drop_staged(&self) {
        *self.staged.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    fn preview_of(&self, r: &Reading, on_conflict: OnConflict) -> Result<ImportPreview> {
        Ok(ImportPreview {
            source: r.source,
            label: r.source.label().to_string(),
            files: files(r),
            problems: r.problems.clone(),
            rows: self.import_preview(&r.found, on_conflict)?,
            secrets: r.named.iter().map(|n| n.name.clone()).collect(),
        })
    }
}

fn nothing_held() -> Error {
    Error::invalid("import", "nothing is being imported: choose a source first")
}
