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

/// One line per connection.
pub fn connection_table(list: &[patchbay_core::desk::Row]) {
    if list.is_empty() {
        println!(
            "No saved connections. Add one with `patchbay add postgres NAME --host … --user …`."
        );
        return;
    }
    // Padded by the width the terminal gives each character (CJK names take two columns).
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let w = list
        .iter()
        .map(|r| width(&r.connection.name))
        .max()
        .unwrap_or(4)
        .max(4);
    let tw = list
        .iter()
        .map(|r| r.connection.env_tag.as_deref().map_or(1, width))
        .max()
        .unwrap_or(3)
        .max(3);
    // One write for the table, not one per row (10,000 rows were 10,000 write calls), and no
    // string made per cell: each is written with its padding straight into the buffer.
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let padded = |out: &mut dyn std::io::Write, s: &str, w: usize| {
        let _ = write!(out, "{s}{:1$}", "", w.saturating_sub(width(s)));
    };
    padded(&mut out, "NAME", w);
    let _ = write!(out, "  {:<10} ", "KIND");
    padded(&mut out, "ENV", tw);
    let _ = writeln!(out, " TARGET");
    for r in list {
        let c = &r.connection;
        padded(&mut out, &c.name, w);
        let _ = write!(out, "  {:<10} ", patchbay_core::kinds::type_word(&c.spec));
        padded(&mut out, c.env_tag.as_deref().unwrap_or("-"), tw);
        let _ = write!(out, " {}", r.target);
        if let Some(warning) = &c.credential_warning {
            let _ = write!(out, "  ! {warning}");
        }
        let _ = writeln!(out);
    }
    let _ = out.flush();
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
