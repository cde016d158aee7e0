//! INI-shaped files as each tool reads its own: libpq's `pg_service.conf`, the AWS CLI's
//! `credentials`/`config` (configparser: `;`/`#` comments, indented lines nesting under the key
//! above them) and MySQL/MariaDB option files (quotes and escapes, trailing comments, keys where
//! `-` and `_` are one, bare keys). Includes (`!include`) are the option files' reader's.

use super::Bad;

/// Whose rules a file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Libpq,
    Aws,
    MySql,
}

/// One `[section]` with its entries in file order.
#[derive(Clone, PartialEq, Eq)]
pub struct Section {
    pub name: String,
    /// The line of `[name]`, 1-based.
    pub line: usize,
    /// Key, value and line; a nested AWS key is `parent.child`.
    pub entries: Vec<(String, String, usize)>,
}

impl std::fmt::Debug for Section {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be passwords: only the keys are shown.
        let keys: Vec<&str> = self.entries.iter().map(|(k, _, _)| k.as_str()).collect();
        write!(f, "Section({} at line {}: {keys:?})", self.name, self.line)
    }
}

impl Section {
    /// The last value of `key` (a later line overrides an earlier one, as every reader does).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, _)| v.as_str())
    }
}

/// Reads `text`: its sections (entries before the first section are dropped, as the tools do),
/// the directive lines (`!include …`, MySQL only) with their line, and the bad lines.
pub fn parse(text: &str, dialect: Dialect) -> (Vec<Section>, Vec<(String, usize)>, Vec<Bad>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut directives = Vec::new();
    let mut bad = Vec::new();
    let mut parent: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let indented = raw.starts_with([' ', '\t']);
        let line = raw.trim();
        if line.is_empty()
            || line.starts_with('#')
            || (dialect != Dialect::Libpq && line.starts_with(';'))
        {
            continue;
        }
        if dialect == Dialect::MySql && line.starts_with('!') {
            directives.push((line.to_string(), line_no));
            continue;
        }
        if line.starts_with('[') {
            match line.find(']') {
                Some(end) => {
                    sections.push(Section {
                        name: line[1..end].trim().to_string(),
                        line: line_no,
                        entries: Vec::new(),
                    });
                    parent = None;
                }
                None => bad.push(Bad {
                    line: line_no,
                    why: "a section header without ']'".into(),
                }),
            }
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let (key, value) = match line.split_once('=') {
            Some((k, v)) => (k.trim(), v.trim()),
            None if dialect == Dialect::MySql => (line, ""),
            None => {
                bad.push(Bad {
                    line: line_no,
                    why: "a line that is neither a [section] nor key=value".into(),
                });
                continue;
            }
        };
        let key = match dialect {
            Dialect::MySql => key.replace('_', "-").to_ascii_lowercase(),
            Dialect::Aws => key.to_ascii_lowercase(),
            Dialect::Libpq => key.to_string(),
        };
        let value = match dialect {
            Dialect::MySql => mysql_value(value),
            _ => value.to_string(),
        };
        if dialect == Dialect::Aws && indented {
            if let Some(p) = &parent {
                section.entries.push((format!("{p}.{key}"), value, line_no));
                continue;
            }
        }
        if dialect == Dialect::Aws {
            parent = value.is_empty().then(|| key.clone());
        }
        section.entries.push((key, value, line_no));
    }
    (sections, directives, bad)
}

/// An option file's value: quoted (`'…'` or `"…"`, with MySQL's escapes) or bare up to a `#`.
fn mysql_value(v: &str) -> String {
    let mut chars = v.chars();
    match chars.next() {
        Some(q @ ('"' | '\'')) => {
            let mut out = String::new();
            while let Some(c) = chars.next() {
                match c {
                    c if c == q => return out,
                    '\\' => match chars.next() {
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('r') => out.push('\r'),
                        Some('b') => out.push('\u{8}'),
                        Some('s') => out.push(' '),
                        Some(c) => out.push(c),
                        None => out.push('\\'),
                    },
                    c => out.push(c),
                }
            }
            // An unclosed quote: the reader keeps the quote character itself.
            v.to_string()
        }
        _ => match v.find(" #").or_else(|| v.find("\t#")) {
            Some(at) => v[..at].trim_end().to_string(),
            None => v.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_files_nest_indented_keys_and_take_both_comment_marks() {
        let text = "; top\n[profile lake]\nregion = eu-west-1\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n# note\nAWS_Access_Key_ID=AKIA1\n";
        let (s, _, bad) = parse(text, Dialect::Aws);
        assert!(bad.is_empty());
        assert_eq!(s[0].name, "profile lake");
        assert_eq!(s[0].get("s3.endpoint_url"), Some("http://127.0.0.1:9000"));
        assert_eq!(s[0].get("aws_access_key_id"), Some("AKIA1"));
        assert_eq!(s[0].get("region"), Some("eu-west-1"));
    }

    #[test]
    fn option_files_unquote_unescape_and_drop_trailing_comments() {
        let text = "[client]\npassword=\"p\\\"w#1\"\nuser = app # the app\nssl_ca='/a b/ca.pem'\nskip-ssl\n!includedir /etc/mysql/conf.d/\n";
        let (s, d, _) = parse(text, Dialect::MySql);
        assert_eq!(s[0].get("password"), Some("p\"w#1"));
        assert_eq!(s[0].get("user"), Some("app"));
        assert_eq!(s[0].get("ssl-ca"), Some("/a b/ca.pem"));
        assert_eq!(s[0].get("skip-ssl"), Some(""));
        assert_eq!(d, vec![("!includedir /etc/mysql/conf.d/".to_string(), 6)]);
    }

    #[test]
    fn libpq_keeps_semicolons_and_reports_lines_it_cannot_read() {
        let (s, _, bad) = parse("[orders]\npassword=a;b\nnonsense\n[x\n", Dialect::Libpq);
        assert_eq!(s[0].get("password"), Some("a;b"));
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), vec![3, 4]);
        assert!(!format!("{:?}", s[0]).contains("a;b"));
    }
}
