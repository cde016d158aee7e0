//! What every source does with its files: the one given or the default one, read and noted, a
//! file others can read said, the lines its tool would skip listed.

use std::path::{Path, PathBuf};

use super::Reading;
use crate::error::Result;
use crate::foreign::{self, read_text};

/// The file given, or the default one when it exists (None: nothing to read).
pub(super) fn chosen(path: Option<&Path>, default: Option<PathBuf>) -> Option<PathBuf> {
    match path {
        Some(p) => Some(p.to_path_buf()),
        None => default.filter(|p| p.is_file()),
    }
}

/// A file's text, noted as read.
pub(super) fn take(r: &mut Reading, path: &Path) -> Result<String> {
    let text = read_text(path)?;
    r.files.push(path.to_path_buf());
    Ok(text)
}

/// Says so when a file that holds secrets can be read by other users.
pub(super) fn exposed(r: &mut Reading, path: &Path, holds_secrets: bool) {
    if holds_secrets && foreign::open_to_others(path) {
        r.problems.push(format!(
            "{} holds secrets and other users can read it (chmod 600 it)",
            path.display()
        ));
    }
}

pub(super) fn bad_lines(r: &mut Reading, path: &Path, bad: Vec<foreign::Bad>) {
    for b in bad {
        r.problems
            .push(format!("{}:{}: {}", path.display(), b.line, b.why));
    }
}
