//! The mechanisms of handing a connection to another program, naming no kind: `Handoff` (the
//! variables, what a child must not inherit), `EnvBuilder` (what each kind's module calls),
//! quoting for shells, `.env` files and Java properties, URL pieces. Which variables a kind
//! sets is the kind's (`kinds/`). Secrets are included only when asked for (`with_secrets`); a
//! `Handoff` built with them redacts them in Debug.

use std::collections::BTreeMap;

use crate::secret::SecretString;

mod builder;
pub use builder::EnvBuilder;

/// A variable's value: plain, or a secret that is only exposed when written to a child process.
#[derive(Debug, Clone)]
pub enum Value {
    Plain(String),
    Secret(SecretString),
    /// PEM text that tools want as a file path; `exec` writes it to a private temporary file.
    PemFile(String),
    /// A client option file that tools find through a variable (MariaDB's `MYSQL_HOME/my.cnf`,
    /// kcat's `KCAT_CONFIG`): `exec` writes `files` and then `name`: `content`, followed by one
    /// line per entry of `paths` — its text, then the full path of the file it names (the
    /// private directory is known only then; nothing in `content` is rewritten), so they belong
    /// to `content`'s last group — and sets the variable to that directory or, with
    /// `OptionVar::File`, to the file itself. It may hold a password, so it is only made for
    /// `exec`.
    OptionDir {
        name: &'static str,
        content: SecretString,
        files: Vec<(&'static str, SecretString)>,
        paths: Vec<(&'static str, &'static str)>,
        var: OptionVar,
    },
    /// A secret that tools read from a file named by the variable (a service account's JSON
    /// key): `exec` writes it as `name` in its private directory, removed when the child exits.
    /// Only made for `exec`.
    SecretFile {
        name: &'static str,
        content: SecretString,
    },
}

/// What the variable of an option file names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionVar {
    /// The private directory holding it (MariaDB's `MYSQL_HOME`).
    Dir,
    /// The file itself (kcat's `KCAT_CONFIG`).
    File,
}

/// The variables a consumer needs, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Handoff {
    pub vars: BTreeMap<String, Value>,
    /// Secret variables left out because secrets were not requested.
    pub withheld: Vec<String>,
    /// Variables a child must not inherit, because they would mix in other credentials.
    pub unset: Vec<String>,
    /// Prefixes of the connection's ecosystem (`PG`, `MYSQL_`, `AWS_`, `KAFKA_`…): a child gets
    /// none of the caller's variables with them except those Patchbay sets, so nothing in the
    /// caller's environment redirects or overrides the connection it was given.
    pub ecosystem: Vec<&'static str>,
    /// What the user should know before a child uses these variables (a file of theirs that
    /// would override the connection), said by `exec` on stderr.
    pub warnings: Vec<String>,
}

/// A value for a `.env` file, or why it cannot be one. A `.env` file is read by python-dotenv,
/// by docker compose's `env_file`, and very often sourced by a POSIX shell (`set -a; . .env`):
/// the value is written in single quotes, which all three read literally, and a value those
/// readers would read differently is refused — it must never run code in the shell, nor come
/// back changed (python-dotenv 1.2 reads `\\` and `\'` as escapes inside single quotes, so a
/// trailing backslash swallows the closing quote and the next variable, and expands `${NAME}`
/// even there).
pub fn dotenv_quote(v: &str) -> std::result::Result<String, &'static str> {
    let why = if v.contains('\'') {
        Some("a single quote")
    } else if v.contains('\n') || v.contains('\r') {
        Some("a line break")
    } else if v.contains("${") {
        Some("\"${\", which python-dotenv expands")
    } else if v.contains("\\\\") || v.ends_with('\\') {
        Some("a backslash that python-dotenv reads as an escape")
    } else {
        None
    };
    match why {
        Some(why) => Err(why),
        None => Ok(format!("'{v}'")),
    }
}

/// Escapes a Java `.properties` key or value as `java.util.Properties.load` reads it back:
/// `\\`, line breaks and tabs as escapes, `=`/`:`/`#`/`!` and spaces where they would end a key
/// or be trimmed, and everything outside printable ASCII as `\uXXXX` (UTF-16).
pub fn properties_escape(v: &str, key: bool) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0c' => out.push_str("\\f"),
            ' ' if key || i == 0 => out.push_str("\\ "),
            '=' | ':' if key => {
                out.push('\\');
                out.push(c);
            }
            '#' | '!' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04X}"));
                }
            }
        }
    }
    out
}

impl Handoff {
    /// The variables as `.env` lines (`NAME='value'`), read back exactly by python-dotenv and
    /// docker compose, and inert when sourced by a shell; a value that cannot be written so is
    /// refused, naming its variable (see [`dotenv_quote`]).
    pub fn dotenv_lines(&self) -> crate::error::Result<Vec<String>> {
        self.vars
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    Value::Plain(s) => s.as_str(),
                    Value::Secret(s) => s.expose(),
                    Value::PemFile(_) | Value::OptionDir { .. } | Value::SecretFile { .. } => {
                        return Ok(format!("# {k} is set by `patchbay exec` (a temporary file)"))
                    }
                };
                let quoted = dotenv_quote(value).map_err(|why| {
                    crate::error::Error::invalid(
                        k.as_str(),
                        format!(
                            "holds {why}: a .env file cannot carry it so that a shell, python-dotenv and docker compose read it the same; use --format shell or --format json"
                        ),
                    )
                })?;
                Ok(format!("{k}={quoted}"))
            })
            .collect()
    }

    /// The caller's variables (`names`) that `exec` removes from the child: those of the
    /// connection's ecosystem that Patchbay does not set, and the explicit `unset` ones.
    pub fn to_remove<'a>(&'a self, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
        let mut out: Vec<&str> = names
            .filter(|n| {
                self.ecosystem.iter().any(|p| n.starts_with(p)) && !self.vars.contains_key(*n)
            })
            .collect();
        out.extend(self.unset.iter().map(String::as_str));
        out
    }
}

/// Percent-encodes a URL user-info component.
pub(crate) fn userinfo(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub(crate) fn host_for_url(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Quotes a value for POSIX shells.
pub fn shell_quote(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

impl Handoff {
    /// The variables as `export NAME='value'` lines (`dotenv`: without `export` and `unset`).
    /// PEM material becomes a comment: only `patchbay exec` can hand it over, as a file.
    pub fn shell_lines(&self, dotenv: bool) -> Vec<String> {
        let prefix = if dotenv { "" } else { "export " };
        let mut out: Vec<String> = self
            .vars
            .iter()
            .map(|(k, v)| match v {
                Value::Plain(s) => format!("{prefix}{k}={}", shell_quote(s)),
                Value::Secret(s) => format!("{prefix}{k}={}", shell_quote(s.expose())),
                Value::PemFile(_) => {
                    format!("# {k} is set by `patchbay exec` (a temporary file holding the PEM)")
                }
                Value::SecretFile { name, .. } => {
                    format!("# {k} is set by `patchbay exec` (a temporary file holding the {name})")
                }
                Value::OptionDir { name, var, .. } => match var {
                    OptionVar::Dir => format!(
                        "# {k} is set by `patchbay exec` (a temporary directory with its {name})"
                    ),
                    OptionVar::File => {
                        format!("# {k} is set by `patchbay exec` (a temporary {name})")
                    }
                },
            })
            .collect();
        if !dotenv {
            out.extend(self.unset.iter().map(|k| format!("unset {k}")));
        }
        out
    }
}
