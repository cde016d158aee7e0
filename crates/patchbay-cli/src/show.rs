//! Human-readable output of connections and secrets (the `--json` output is the serialised
//! records themselves): the layout here, what each kind shows is the kind's
//! (`kinds::details`). Secret fields show only whether they are set and where from.

use patchbay_core::clock::rfc3339;
use patchbay_core::kinds::shown::Shown;
use patchbay_core::model::*;

fn secret_state(c: &Connection, field: SecretField) -> String {
    match c.secrets.iter().find(|s| s.field == field) {
        None => "(not set)".into(),
        Some(SecretSlot {
            source: SecretSource::Owned,
            ..
        }) => "******** (saved)".into(),
        Some(SecretSlot {
            source: SecretSource::Shared { name },
            ..
        }) => format!("secret \"{name}\""),
    }
}

fn line(label: &str, value: impl std::fmt::Display) {
    println!("  {label:<26}{value}");
}

/// The full view of one connection.
pub fn connection(c: &Connection) {
    let tag = c
        .env_tag
        .as_deref()
        .map(|t| format!(" [{t}]"))
        .unwrap_or_default();
    println!("{} ({}){tag}", c.name, c.kind);
    // Each kind says what it shows (`kinds/`); secrets only as set or not, and where from.
    for (label, value) in patchbay_core::kinds::details(c) {
        match value {
            Shown::Text(t) => line(label, t),
            Shown::Secret(field) => line(label, secret_state(c, field)),
        }
    }
    if let Some(w) = &c.transport_warning {
        line("transport", format!("! {w}"));
    }
    if let Some(w) = &c.credential_warning {
        line("credentials", format!("! {w}"));
    }
    line("created", rfc3339(c.created_at));
    line("updated", rfc3339(c.updated_at));
}

/// The list's table, gathered as the store is read: every cell's text in one string and where
/// each line's cells end, padded when printed (once the widest name and tag are known). At
/// 10,000 connections a record, or even a string, per row was most of `patchbay list`'s time.
#[derive(Default)]
pub struct ConnectionTable {
    text: String,
    /// Per line: where its name, tag and target (with any warning) end in `text`, and its type.
    lines: Vec<(usize, usize, usize, &'static str)>,
    name_width: usize,
    tag_width: usize,
}

/// The width a terminal gives a text (CJK characters take two columns).
fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

impl ConnectionTable {
    pub fn push(&mut self, l: patchbay_core::desk::Line<'_>) {
        use std::fmt::Write as _;
        let tag = l.env_tag.unwrap_or("-");
        self.name_width = self.name_width.max(width(l.name));
        self.tag_width = self.tag_width.max(width(tag));
        self.text.push_str(l.name);
        let name_end = self.text.len();
        self.text.push_str(tag);
        let tag_end = self.text.len();
        self.text.push_str(&l.target);
        if let Some(warning) = &l.credential_warning {
            let _ = write!(self.text, "  ! {warning}");
        }
        self.lines
            .push((name_end, tag_end, self.text.len(), l.type_word));
    }

    /// One line per connection, under a header (one write for the whole table).
    pub fn print(self) {
        if self.lines.is_empty() {
            println!(
                "No saved connections. Add one with `patchbay add postgres NAME --host … --user …`."
            );
            return;
        }
        let (w, tw) = (self.name_width.max(4), self.tag_width.max(3));
        use std::io::Write as _;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let row = |out: &mut dyn std::io::Write, name: &str, kind: &str, tag: &str, rest: &str| {
            let pad = |s: &str, w: usize| w.saturating_sub(width(s));
            let _ = writeln!(
                out,
                "{name}{:np$}  {kind:<10} {tag}{:tp$} {rest}",
                "",
                "",
                np = pad(name, w),
                tp = pad(tag, tw)
            );
        };
        row(&mut out, "NAME", "KIND", "ENV", "TARGET");
        let mut start = 0;
        for &(name_end, tag_end, end, kind) in &self.lines {
            let t = &self.text;
            row(
                &mut out,
                &t[start..name_end],
                kind,
                &t[name_end..tag_end],
                &t[tag_end..end],
            );
            start = end;
        }
        let _ = out.flush();
    }
}

/// One line per user secret.
pub fn secret_table(list: &[SecretInfo]) {
    if list.is_empty() {
        println!("No saved secrets. Add one with `patchbay secret set NAME`.");
        return;
    }
    let w = list
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    println!("{:<w$}  {:<30} USED BY", "NAME", "DESCRIPTION");
    for s in list {
        let used = if s.used_by.is_empty() {
            "-".to_string()
        } else {
            s.used_by.join(", ")
        };
        println!(
            "{:<w$}  {:<30} {used}",
            s.name,
            s.description.as_deref().unwrap_or("-")
        );
    }
}

/// The metadata of one secret.
pub fn secret(info: &SecretInfo) {
    println!("{}", info.name);
    println!(
        "  description   {}",
        info.description.as_deref().unwrap_or("-")
    );
    println!(
        "  used by       {}",
        if info.used_by.is_empty() {
            "-".into()
        } else {
            info.used_by.join(", ")
        }
    );
    println!("  created       {}", rfc3339(info.created_at));
    println!("  updated       {}", rfc3339(info.updated_at));
}
