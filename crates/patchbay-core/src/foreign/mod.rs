//! Files other tools keep connections in, read exactly as those tools read them: libpq's
//! password and service files (`libpq.rs`), MySQL/MariaDB option files (`option_files.rs`) and
//! MySQL's login path file (`mylogin.rs`), the
//! AWS CLI's credentials and config (`aws.rs`), Airflow's connections (`airflow.rs`), DBeaver's
//! (`dbeaver.rs`) and DataGrip's (`datagrip.rs`), rclone's remotes (`rclone.rs`), `.env`
//! files (`dotenv.rs`), Kafka clients' properties (`properties.rs`) and the INI dialects under
//! them (`ini.rs`). Nothing here names a Patchbay kind: each kind maps these
//! records onto its own fields (`kinds/*/foreign.rs`), and `crate::import` finds the files.
//! A value read here may be a secret: records hold those as `SecretString`, and no `Debug` of
//! a record shows one.

pub mod airflow;
pub mod aws;
pub mod datagrip;
pub mod dbeaver;
pub mod dotenv;
pub mod ini;
pub mod libpq;
pub mod mylogin;
pub mod option_files;
pub mod properties;
pub mod rclone;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A line the file's own tool would skip or refuse, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bad {
    pub line: usize,
    pub why: String,
}

/// The environment variables and home directory that move the files (the process's own, or a
/// test's).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: std::collections::BTreeMap<String, String>,
    home: Option<PathBuf>,
}

impl Env {
    /// This process's environment and home directory.
    pub fn current() -> Env {
        Env {
            vars: std::env::vars().collect(),
            home: dirs::home_dir(),
        }
    }

    /// A given set of variables and home directory.
    pub fn of(vars: &[(&str, &str)], home: Option<&Path>) -> Env {
        Env {
            vars: vars
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            home: home.map(Path::to_path_buf),
        }
    }

    /// A variable's value, when set and not empty.
    pub fn var(&self, name: &str) -> Option<String> {
        self.vars.get(name).filter(|v| !v.is_empty()).cloned()
    }

    /// Every variable whose name starts with `prefix`, in name order.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.vars
            .iter()
            .filter(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }
}

/// The most a connection file may hold: anything larger is not one.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A file's bytes, at most `max` of them, or an error naming the file and what is wrong.
pub fn read_bytes(path: &Path, max: u64) -> Result<Vec<u8>> {
    let shown = path.display();
    let meta =
        std::fs::metadata(path).map_err(|e| Error::invalid("path", format!("{shown}: {e}")))?;
    if meta.is_dir() {
        return Err(Error::invalid(
            "path",
            format!("{shown} is a directory; name a file"),
        ));
    }
    if meta.len() > max {
        return Err(Error::invalid(
            "path",
            format!(
                "{shown} is {} MiB; a connection file is at most {} MiB — is this the right file?",
                meta.len() / (1024 * 1024),
                max / (1024 * 1024)
            ),
        ));
    }
    std::fs::read(path).map_err(|e| Error::invalid("path", format!("{shown}: {e}")))
}

/// A file's text, or an error naming the file and what is wrong with it.
pub fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read_bytes(path, MAX_FILE_BYTES)?).map_err(|_| {
        Error::invalid(
            "path",
            format!(
                "{} is not text (not UTF-8): is this the right file?",
                path.display()
            ),
        )
    })
}

/// The first `n` bytes of the file at `path` (fewer for a shorter file, none for one that cannot
/// be read): enough to tell what a file is by its content.
pub fn head(path: &Path, n: u64) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(n).read_to_end(&mut out);
    }
    out
}

/// The CA certificate a record names by its file (`sslrootcert`, `ssl-ca`, `ssl.ca.location`),
/// read into the connection (Patchbay keeps the PEM itself); a file that cannot be read or is not
/// a PEM certificate is left out with a note.
pub fn ca_file(path: Option<String>, notes: &mut Vec<String>) -> Option<String> {
    let path = path.filter(|p| !p.is_empty())?;
    match std::fs::read_to_string(&path) {
        Ok(pem) if pem.contains("-----BEGIN CERTIFICATE-----") => Some(pem),
        Ok(_) => {
            notes.push(format!("{path} is not a PEM certificate: CA left out"));
            None
        }
        Err(e) => {
            notes.push(format!("CA file {path} cannot be read ({e}): CA left out"));
            None
        }
    }
}

/// Whether users other than the owner may read or write `path` (libpq then ignores a password
/// file; every secret-holding file should be 0600).
pub fn open_to_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

/// One connection found in a foreign file, as its kind read it: the draft to save, or why it
/// cannot become a connection; notes say what the user should know (a default taken, a file
/// others can read).
#[derive(Debug)]
pub struct Found {
    /// Where: `file:line`, `file:ID` or the variable.
    pub origin: String,
    /// The name proposed (before conflicts are resolved).
    pub name: String,
    pub draft: std::result::Result<crate::model::ConnectionDraft, String>,
    pub notes: Vec<String>,
    /// Pinned as a favourite (Patchbay's own exports).
    pub favourite: bool,
}

impl Found {
    /// A connection found.
    pub fn of(origin: impl Into<String>, draft: crate::model::ConnectionDraft) -> Found {
        Found {
            origin: origin.into(),
            name: draft.name.clone(),
            draft: Ok(draft),
            notes: Vec::new(),
            favourite: false,
        }
    }

    /// Something found that cannot become a connection, and why.
    pub fn skipped(
        origin: impl Into<String>,
        name: impl Into<String>,
        why: impl Into<String>,
    ) -> Found {
        Found {
            origin: origin.into(),
            name: name.into(),
            draft: Err(why.into()),
            notes: Vec::new(),
            favourite: false,
        }
    }

    /// The connection a kind read from connection text found in a file (`pasted`, the form that
    /// text fills), with the secret the text carries: the one `pasted` points at, else a URL's
    /// password.
    pub fn of_pasted(origin: &str, name: &str, text: &str, pasted: crate::paste::Pasted) -> Found {
        use crate::model::{ConnectionDraft, SecretField};
        use crate::secret::SecretString;
        let t = text.trim();
        let mut draft = ConnectionDraft::new(name, pasted.spec);
        if let Some(s) = &pasted.secret {
            let units: Vec<u16> = t.encode_utf16().collect();
            let value = String::from_utf16_lossy(
                units.get(s.start as usize..s.end as usize).unwrap_or(&[]),
            );
            draft = draft.with_secret(s.field, SecretString::new(value));
        } else if pasted.has_password {
            if let Some(p) = url::Url::parse(t)
                .ok()
                .and_then(|u| u.password().map(str::to_string))
            {
                let p = percent_encoding::percent_decode_str(&p)
                    .decode_utf8_lossy()
                    .into_owned();
                draft = draft.with_secret(SecretField::Password, SecretString::new(p));
            }
        }
        Found::of(origin, draft)
    }

    pub fn note(mut self, note: impl Into<String>) -> Found {
        self.notes.push(note.into());
        self
    }
}

/// A name for a connection made of `parts` (the first non-empty), in the characters a name
/// may hold.
pub fn name_of(parts: &[&str]) -> String {
    let raw = parts
        .iter()
        .find(|p| !p.trim().is_empty())
        .copied()
        .unwrap_or("imported");
    let name: String = raw.trim().chars().take(64).collect();
    name
}
