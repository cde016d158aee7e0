//! A stored name as a person may see it. Object stores take almost any bytes in a name: a
//! control character could move a terminal's cursor or ring its bell, a right-to-left override
//! could make `gnp.exe` read as `exe.png`, and a 1 KiB name would push everything else off the
//! line. Such characters are shown escaped (`\u{202e}`), and a long name is cut in its middle.

/// The most characters a shown name keeps (the first and last parts of a longer one).
pub const MAX_SHOWN: usize = 160;

/// Whether `c` changes how the text around it is drawn rather than being drawn itself.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}')
}

/// `name` with invisible and control characters escaped and, when longer than `MAX_SHOWN`
/// characters, its middle replaced by "…".
pub fn shown(name: &str) -> String {
    let mut escaped: Vec<String> = Vec::new();
    for c in name.chars() {
        if invisible(c) {
            escaped.push(format!("\\u{{{:x}}}", c as u32));
        } else {
            escaped.push(c.to_string());
        }
    }
    if escaped.len() <= MAX_SHOWN {
        return escaped.concat();
    }
    let keep = (MAX_SHOWN - 1) / 2;
    let head = escaped[..keep].concat();
    let tail = escaped[escaped.len() - keep..].concat();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_are_shown_escaped() {
        assert_eq!(shown("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(shown("report\u{202e}gnp.exe"), "report\\u{202e}gnp.exe");
        assert_eq!(shown("tab\there\n"), "tab\\u{9}here\\u{a}");
        assert_eq!(shown("日本語/データ.csv"), "日本語/データ.csv");
    }

    #[test]
    fn a_long_name_is_cut_in_its_middle() {
        let long = format!("start-{}-end.csv", "x".repeat(1024));
        let s = shown(&long);
        assert_eq!(s.chars().count(), 159);
        assert!(s.starts_with("start-xx"));
        assert!(s.ends_with("x-end.csv"));
        assert_eq!(s.matches('…').count(), 1);
    }
}
