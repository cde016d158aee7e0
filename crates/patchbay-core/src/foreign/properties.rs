//! Java `.properties` files as `java.util.Properties.load` reads them (`=`, `:` or whitespace
//! between key and value, `#`/`!` comments, `\` line continuations, `\t \n \uXXXX` escapes), which
//! also reads librdkafka's and kcat's `key=value` files; and the username and password of a
//! Kafka `sasl.jaas.config` line.

/// The properties of `text`: key, value and the line it starts on, in file order.
pub fn parse(text: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, raw)) = lines.next() {
        let mut logical = raw.trim_start().to_string();
        if logical.is_empty() || logical.starts_with('#') || logical.starts_with('!') {
            continue;
        }
        // An odd number of trailing backslashes continues the line.
        while logical.chars().rev().take_while(|c| *c == '\\').count() % 2 == 1 {
            logical.pop();
            match lines.next() {
                Some((_, next)) => logical.push_str(next.trim_start()),
                None => break,
            }
        }
        let (key, value) = split(&logical);
        out.push((unescape(key), unescape(value), i + 1));
    }
    out
}

/// Key and value: the key ends at the first unescaped `=`, `:` or whitespace.
fn split(line: &str) -> (&str, &str) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' | b':' | b' ' | b'\t' => break,
            _ => i += 1,
        }
    }
    let i = i.min(bytes.len());
    let key = &line[..i];
    let rest = line[i..].trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix(['=', ':'])
        .unwrap_or(rest)
        .trim_start_matches([' ', '\t']);
    (key, rest)
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some(c) => out.push(c),
            None => {}
        }
    }
    out
}

/// `username="…"` and `password="…"` of a `sasl.jaas.config` value (JAAS quoting: `\"` and `\\`).
pub fn jaas_credentials(jaas: &str) -> (Option<String>, Option<String>) {
    let option = |name: &str| {
        let at = jaas.find(&format!("{name}="))? + name.len() + 1;
        let rest = jaas[at..].strip_prefix('"')?;
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => return Some(out),
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        None
    };
    (option("username"), option("password"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javas_separators_continuations_and_escapes_are_read() {
        let text = "# c\n! c\nbootstrap.servers = k1:9092,\\\n   k2:9092\nsasl.username:alice\nkey\\=with\\:seps value\\u0041\\t\n";
        let p = parse(text);
        let got: Vec<(&str, &str)> = p.iter().map(|(k, v, _)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            got,
            [
                ("bootstrap.servers", "k1:9092,k2:9092"),
                ("sasl.username", "alice"),
                ("key=with:seps", "valueA\t")
            ]
        );
        assert_eq!(p[1].2, 5);
    }

    #[test]
    fn jaas_options_unquote_their_values() {
        let jaas = r#"org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="p\"w\\1";"#;
        assert_eq!(
            jaas_credentials(jaas),
            (Some("alice".into()), Some("p\"w\\1".into()))
        );
    }
}
