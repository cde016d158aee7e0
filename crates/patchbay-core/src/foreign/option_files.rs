//! MySQL/MariaDB option files as the `mariadb`/`mysql` client reads them: the groups it reads
//! (`[client]`, `[client-mariadb]`, `[mysql]`, `[mariadb-client]`) in file order, a later line
//! overriding an earlier one, `!include FILE` and `!includedir DIR` (its `*.cnf` files) followed
//! where they stand.

use std::path::{Path, PathBuf};

use super::ini::{self, Dialect};
use super::{read_text, Bad, Env};

/// The groups the command-line client reads.
pub const CLIENT_GROUPS: [&str; 4] = ["client", "client-mariadb", "mysql", "mariadb-client"];

/// The options a client would end up with, and where each came from.
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// Option name (`-`, lowercase), value, and `file:line`.
    pub options: Vec<(String, String, String)>,
    /// Lines the client would skip, by file.
    pub bad: Vec<(String, Bad)>,
    /// Files read, the first one given, then each include in order.
    pub files: Vec<PathBuf>,
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.options.iter().map(|(k, _, _)| k.as_str()).collect();
        write!(f, "ClientOptions({keys:?} from {:?})", self.files)
    }
}

impl ClientOptions {
    /// The value the client would use for `option`.
    pub fn get(&self, option: &str) -> Option<&str> {
        self.options
            .iter()
            .rev()
            .find(|(k, _, _)| k == option)
            .map(|(_, v, _)| v.as_str())
    }
}

/// The user's own option file.
pub fn user_file(env: &Env) -> Option<PathBuf> {
    env.home().map(|h| h.join(".my.cnf"))
}

/// Reads `path` and what it includes (at most 10 levels deep, as the server's reader allows).
pub fn read(path: &Path) -> crate::error::Result<ClientOptions> {
    let mut out = ClientOptions::default();
    let text = read_text(path)?;
    follow(path, &text, 0, &mut out);
    Ok(out)
}

fn follow(path: &Path, text: &str, depth: usize, out: &mut ClientOptions) {
    out.files.push(path.to_path_buf());
    let shown = path.display().to_string();
    let (sections, directives, bad) = ini::parse(text, Dialect::MySql);
    out.bad.extend(bad.into_iter().map(|b| (shown.clone(), b)));
    // Sections and directives in line order: an include's options land where it stands.
    let mut items: Vec<(usize, Option<&ini::Section>, Option<&str>)> = sections
        .iter()
        .map(|s| (s.line, Some(s), None))
        .chain(directives.iter().map(|(d, l)| (*l, None, Some(d.as_str()))))
        .collect();
    items.sort_by_key(|(l, _, _)| *l);
    for (line, section, directive) in items {
        if let Some(s) = section {
            if CLIENT_GROUPS.contains(&s.name.to_ascii_lowercase().as_str()) {
                for (k, v, l) in &s.entries {
                    out.options
                        .push((k.clone(), v.clone(), format!("{shown}:{l}")));
                }
            }
            continue;
        }
        let d = directive.unwrap_or("");
        let mut targets = Vec::new();
        if let Some(file) = d.strip_prefix("!includedir") {
            let dir = PathBuf::from(file.trim());
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "cnf"))
                .collect();
            files.sort();
            targets.extend(files);
        } else if let Some(file) = d.strip_prefix("!include") {
            targets.push(PathBuf::from(file.trim()));
        } else {
            out.bad.push((
                shown.clone(),
                Bad {
                    line,
                    why: format!("unknown directive {d}"),
                },
            ));
        }
        for t in targets {
            if depth >= 10 || out.files.contains(&t) {
                out.bad.push((
                    shown.clone(),
                    Bad {
                        line,
                        why: format!(
                            "{} is included again or too deeply; not read twice",
                            t.display()
                        ),
                    },
                ));
                continue;
            }
            match read_text(&t) {
                Ok(text) => follow(&t, &text, depth + 1, out),
                Err(e) => out.bad.push((
                    shown.clone(),
                    Bad {
                        line,
                        why: e.to_string(),
                    },
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_are_followed_where_they_stand_and_later_lines_win() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("conf.d")).unwrap();
        std::fs::write(d.join("conf.d/b.cnf"), "[client]\nport=3307\n").unwrap();
        std::fs::write(
            d.join("conf.d/a.cnf"),
            "[mysqld]\nport=1\n[client]\nhost=db1\n",
        )
        .unwrap();
        std::fs::write(d.join("conf.d/skip.txt"), "[client]\nhost=nope\n").unwrap();
        let main = d.join("my.cnf");
        std::fs::write(&main, format!("[client]\nhost=first\nuser=app\n!includedir {}\n[mysql]\ndatabase=shop\n!include {}\n", d.join("conf.d").display(), d.join("missing.cnf").display())).unwrap();
        let o = read(&main).unwrap();
        assert_eq!(o.get("host"), Some("db1"));
        assert_eq!(o.get("port"), Some("3307"));
        assert_eq!(o.get("database"), Some("shop"));
        assert_eq!(o.files.len(), 3);
        assert_eq!(o.bad.len(), 1, "{:?}", o.bad);
        assert!(o.bad[0].1.why.contains("missing.cnf"));
    }
}
