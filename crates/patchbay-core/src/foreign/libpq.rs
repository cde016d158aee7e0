//! libpq's own files: the password file (`PGPASSFILE`, `~/.pgpass`) and the connection service
//! file (`PGSERVICEFILE`, `~/.pg_service.conf`, `PGSYSCONFDIR/pg_service.conf`), read as libpq
//! reads them: `#` comments, `\` escapes in every pgpass field, `*` wildcards, the first
//! matching line wins, a missing host is `localhost` and a missing port 5432.

use std::path::PathBuf;

use super::ini::{self, Dialect, Section};
use super::{Bad, Env};
use crate::secret::SecretString;

/// One line of a password file.
#[derive(Debug, Clone)]
pub struct PgpassEntry {
    pub line: usize,
    pub host: String,
    pub port: String,
    pub database: String,
    pub user: String,
    pub password: SecretString,
}

impl PgpassEntry {
    /// A line with a `*` in any of its first four fields matches many connections: it cannot
    /// become one.
    pub fn is_wildcard(&self) -> bool {
        [&self.host, &self.port, &self.database, &self.user]
            .iter()
            .any(|f| *f == "*")
    }

    /// Whether libpq would take this line's password for a connection with these fields.
    pub fn matches(&self, host: &str, port: &str, database: &str, user: &str) -> bool {
        let field = |mine: &str, theirs: &str| mine == "*" || mine == theirs;
        field(&self.host, host)
            && field(&self.port, port)
            && field(&self.database, database)
            && field(&self.user, user)
    }
}

/// The password file's entries and the lines libpq skips (fewer than five fields).
pub fn parse_pgpass(text: &str) -> (Vec<PgpassEntry>, Vec<Bad>) {
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let mut fields = Vec::with_capacity(5);
        let mut cur = String::new();
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => cur.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut cur)),
                c => cur.push(c),
            }
        }
        if fields.len() < 4 {
            bad.push(Bad {
                line: i + 1,
                why: "fewer than five ':'-separated fields (libpq skips it)".into(),
            });
            continue;
        }
        let mut f = fields.into_iter();
        let mut next = || f.next().unwrap_or_default();
        entries.push(PgpassEntry {
            line: i + 1,
            host: next(),
            port: next(),
            database: next(),
            user: next(),
            password: SecretString::new(cur),
        });
    }
    (entries, bad)
}

/// The entry libpq would take a password from: the first that matches (a missing host is
/// `localhost`, as libpq looks it up for a Unix socket too; a missing port 5432).
pub fn password_for<'a>(
    entries: &'a [PgpassEntry],
    host: &str,
    port: &str,
    database: &str,
    user: &str,
) -> Option<&'a PgpassEntry> {
    let host = if host.is_empty() || host.starts_with('/') {
        "localhost"
    } else {
        host
    };
    let port = if port.is_empty() { "5432" } else { port };
    entries
        .iter()
        .find(|e| e.matches(host, port, database, user))
}

/// Where libpq reads the password file.
pub fn pgpass_path(env: &Env) -> Option<PathBuf> {
    env.var("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".pgpass")))
}

/// Where libpq reads service files, the user's first (its sections win over the system's).
pub fn service_paths(env: &Env) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    match env.var("PGSERVICEFILE") {
        Some(p) => paths.push(PathBuf::from(p)),
        None => paths.extend(env.home().map(|h| h.join(".pg_service.conf"))),
    }
    if let Some(dir) = env.var("PGSYSCONFDIR") {
        paths.push(PathBuf::from(dir).join("pg_service.conf"));
    }
    paths
}

/// A service file's sections (libpq: `key=value`, `#` comments, no quoting).
pub fn parse_services(text: &str) -> (Vec<Section>, Vec<Bad>) {
    let (sections, _, bad) = ini::parse(text, Dialect::Libpq);
    (sections, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_read_in_every_field_and_the_first_matching_line_wins() {
        let text =
            "# comment\ndb\\:1:5432:orders:app:pa\\:ss\\\\w\n*:*:*:app:fallback\nshort:line\n";
        let (e, bad) = parse_pgpass(text);
        assert_eq!(e[0].host, "db:1");
        assert_eq!(e[0].password.expose(), "pa:ss\\w");
        assert!(!e[0].is_wildcard() && e[1].is_wildcard());
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![4]);
        let hit = |h, p, d, u| password_for(&e, h, p, d, u).map(|e| e.line);
        assert_eq!(hit("db:1", "", "orders", "app"), Some(2));
        assert_eq!(hit("other", "6432", "x", "app"), Some(3));
        assert_eq!(hit("other", "6432", "x", "bob"), None);
    }

    #[test]
    fn a_password_may_hold_colons_unescaped_after_the_fourth() {
        let (e, _) = parse_pgpass("h:1:d:u:a:b:c\n");
        assert_eq!(e[0].password.expose(), "a:b:c");
    }
}
