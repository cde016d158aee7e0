//! `patchbay import`: what a source holds, shown as a preview (never a secret's value), then
//! saved in one transaction when the user agrees (a prompt on a terminal, or `--yes`).

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use patchbay_core::desk::{Candidate, OnConflict, Outcome};
use patchbay_core::foreign::Env;
use patchbay_core::import::{self, Reading, Source};
use patchbay_core::{bundle, Error, Result};
use serde_json::json;

use super::open;
use crate::input;
use crate::out::Out;

pub struct Asked {
    pub path: Option<String>,
    pub from: Option<String>,
    pub scan: bool,
    pub only: Vec<String>,
    pub on_conflict: OnConflict,
    pub yes: bool,
    pub passphrase_stdin: bool,
    pub identity: Option<PathBuf>,
}

pub fn run(a: Asked, dir: &Option<PathBuf>, out: Out) -> Result<()> {
    let env = Env::current();
    let desk = open(dir)?;
    if a.scan {
        let readings = import::scan(&env);
        let mut shown = Vec::new();
        for r in &readings {
            shown.push((r, desk.import_preview(&r.found, a.on_conflict)?));
        }
        if out.json {
            let v: Vec<_> = shown
                .iter()
                .map(|(r, rows)| reading_json(r, rows))
                .collect();
            out.show(&json!({ "sources": v }), |_| {});
        } else if shown.is_empty() {
            println!("nothing found: no ~/.pgpass, pg_service.conf, ~/.my.cnf, AWS files or AIRFLOW_CONN_* variables");
        } else {
            for (r, rows) in &shown {
                print_reading(r, rows);
            }
            println!("\nnothing saved; import one with: patchbay import --from SOURCE [FILE]");
        }
        return Ok(());
    }
    let path = a.path.as_deref().map(Path::new);
    let source = match (&a.from, path) {
        (Some(w), _) => Source::of_word(w.trim()).ok_or_else(|| {
            let words: Vec<&str> = Source::ALL.iter().map(|s| s.word()).collect();
            Error::invalid(
                "from",
                format!("\"{w}\" is not a source; use one of {}", words.join(", ")),
            )
        })?,
        (None, Some(p)) => import::guess(p)?,
        (None, None) => {
            return Err(Error::invalid(
                "from",
                "say what to import: a FILE, --from SOURCE, or --scan to look everywhere",
            ))
        }
    };
    let reading = match (source, path) {
        (Source::Patchbay, Some(p)) => import::patchbay::read(p, bundle_key(p, &a)?.as_ref())?,
        _ => import::read(source, path, &env)?,
    };
    if reading.files.is_empty() && reading.found.is_empty() {
        return Err(Error::invalid(
            "path",
            format!(
                "no {} found in its usual places; give the file",
                source.label()
            ),
        ));
    }
    let rows = desk.import_preview(&reading.found, a.on_conflict)?;
    patchbay_core::desk::check_choice(&rows, &a.only)?;
    let importable = patchbay_core::desk::chosen_rows(&rows, &a.only)
        .into_iter()
        .filter(|i| {
            matches!(
                rows[*i].outcome,
                Outcome::New | Outcome::Renamed | Outcome::Replaces
            )
        })
        .count();
    if !out.json {
        print_reading(&reading, &rows);
    }
    let go = importable > 0
        && (a.yes || (!out.json && std::io::stdin().is_terminal() && confirm(importable)?));
    let only = (!a.only.is_empty()).then_some(a.only.as_slice());
    let imported = if go {
        Some(desk.import(reading.found, reading.named, only, a.on_conflict)?)
    } else {
        None
    };
    if out.json {
        let mut v = reading_json_of(source, &reading.files, &reading.problems, &rows);
        v["imported"] = match &imported {
            Some(i) => {
                json!({ "saved": i.saved.iter().map(|c| &c.name).collect::<Vec<_>>(), "left": i.left, "secrets": i.secrets, "kept_secrets": i.kept_secrets })
            }
            None => serde_json::Value::Null,
        };
        out.show(&v, |_| {});
    } else {
        match imported {
            Some(i) => {
                for n in &i.kept_secrets {
                    println!("named secret \"{n}\" is already saved: its saved value is kept (--replace takes the imported one)");
                }
                println!("imported {} connection(s); {} not imported", i.saved.len(), i.left)
            }
            None if importable == 0 => println!("nothing to import"),
            None => println!("nothing saved; run again with --yes to import the {importable} connection(s) above"),
        }
    }
    Ok(())
}

/// What opens the bundle at `path` (None for a file that is not encrypted).
fn bundle_key(path: &Path, a: &Asked) -> Result<Option<bundle::Key>> {
    if !bundle::is_age(&patchbay_core::foreign::head(path, 64)) {
        return Ok(None);
    }
    if let Some(id) = &a.identity {
        let text = std::fs::read_to_string(id)
            .map_err(|e| Error::invalid("identity", format!("{}: {e}", id.display())))?;
        return Ok(Some(bundle::Key::Identities(text.into())));
    }
    let passphrase = if a.passphrase_stdin {
        input::from_stdin("passphrase")?
    } else if std::io::stdin().is_terminal() {
        input::prompt(&format!("passphrase of {}", path.display()))?
    } else {
        return Err(Error::invalid("passphrase", format!("{} is an encrypted bundle: give its passphrase with --passphrase-stdin (or --identity for one encrypted to age keys)", path.display())));
    };
    Ok(Some(bundle::Key::Passphrase(passphrase)))
}

fn confirm(n: usize) -> Result<bool> {
    eprint!("import these {n} connection(s)? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| Error::Io(format!("cannot read the answer: {e}")))?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}

fn reading_json(r: &Reading, rows: &[Candidate]) -> serde_json::Value {
    reading_json_of(r.source, &r.files, &r.problems, rows)
}

fn reading_json_of(
    source: Source,
    files: &[PathBuf],
    problems: &[String],
    rows: &[Candidate],
) -> serde_json::Value {
    json!({ "source": source, "files": files, "problems": problems, "rows": rows })
}

fn print_reading(r: &Reading, rows: &[Candidate]) {
    let files: Vec<String> = r.files.iter().map(|f| f.display().to_string()).collect();
    let from = if files.is_empty() {
        "the environment".to_string()
    } else {
        files.join(", ")
    };
    println!("{} ({from}): {} found", r.source.label(), rows.len());
    for p in &r.problems {
        println!("  ! {p}");
    }
    for row in rows {
        let secrets: Vec<&str> = row.secrets.iter().map(|s| s.as_str()).collect();
        let what = match row.outcome {
            Outcome::New => "new".to_string(),
            Outcome::Renamed => format!("new, renamed from \"{}\"", row.found_as),
            Outcome::Replaces => "replaces the saved one".to_string(),
            Outcome::Conflict | Outcome::Skipped => {
                format!("skipped: {}", row.reason.as_deref().unwrap_or(""))
            }
        };
        println!(
            "  {:<24} {:<10} {:<36} {:<24} {:<8} {what}",
            row.name,
            row.type_word.as_deref().unwrap_or("-"),
            row.target,
            if secrets.is_empty() {
                "no secret".to_string()
            } else {
                secrets.join("+")
            },
            row.env_tag.as_deref().unwrap_or("-"),
        );
        for n in &row.notes {
            println!("      note: {n}");
        }
        println!("      from {}", row.origin);
    }
}
