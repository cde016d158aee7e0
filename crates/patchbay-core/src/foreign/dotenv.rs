//! `.env` files as python-dotenv and shells read them: `KEY=value` lines, an optional `export `,
//! values in single quotes (as written) or double quotes (with `\n`, `\"`, `\\` escapes), a
//! bare value ending at ` #`, and `#` comment lines.

use super::Bad;

/// The variables of a `.env` text: name, value and line, in file order.
pub fn parse(text: &str) -> (Vec<(String, String, usize)>, Vec<Bad>) {
    let mut vars = Vec::new();
    let mut bad = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        let Some((name, value)) = line.split_once('=') else {
            bad.push(Bad {
                line: i + 1,
                why: "is not NAME=value".into(),
            });
            continue;
        };
        let name = name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        {
            bad.push(Bad {
                line: i + 1,
                why: format!("\"{name}\" is not a variable name"),
            });
            continue;
        }
        vars.push((name.to_string(), value_of(value.trim()), i + 1));
    }
    (vars, bad)
}

fn value_of(v: &str) -> String {
    if let Some(inner) = v
        .strip_prefix('\'')
        .and_then(|r| r.find('\'').map(|e| &r[..e]))
    {
        return inner.to_string();
    }
    if let Some(rest) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return out,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(c) => out.push(c),
                    None => {}
                },
                c => out.push(c),
            }
        }
        return v.to_string();
    }
    match v.find(" #") {
        Some(at) => v[..at].trim_end().to_string(),
        None => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn quotes_escapes_export_and_comments_read_as_python_dotenv_reads_them() {
        let (v, bad) =
            super::parse("# c\nexport A=1 # note\nB='x # y'\nC=\"p\\\"w\\n\"\nnot a line\n");
        let got: Vec<(&str, &str)> = v.iter().map(|(k, v, _)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("A", "1"), ("B", "x # y"), ("C", "p\"w\n")]);
        assert_eq!(bad.len(), 1);
    }
}
