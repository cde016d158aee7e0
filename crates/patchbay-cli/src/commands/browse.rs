//! `patchbay ls NAME[:bucket[/prefix]]`: what an object store holds — its buckets, or the
//! prefixes and objects under one place — page after page as the store gives them, names shown
//! safely; `--long` adds size, time and storage class, `--json` gives the pages as one.

use patchbay_core::listing::{Entry, EntryKind, Page, Place};
use patchbay_core::model::Kind;
use patchbay_core::{Desk, Error, Result};

use crate::out::Out;

/// What `ls` was asked.
pub struct Listing<'a> {
    pub target: &'a str,
    pub kind: Option<Kind>,
    pub long: bool,
    pub page_size: Option<u32>,
    pub max: Option<usize>,
    pub after: Option<String>,
}

/// `NAME[:bucket[/prefix]]` as a connection's name and a place in it.
fn split(target: &str) -> (&str, Place) {
    match target.split_once(':') {
        Some((name, place)) => (name, Place::parse(place)),
        None => (target, Place::default()),
    }
}

pub fn run(desk: &Desk, ls: Listing, out: Out) -> Result<()> {
    let (name, place) = split(ls.target);
    if ls
        .page_size
        .is_some_and(|n| n == 0 || n > patchbay_core::listing::MAX_PAGE)
    {
        return Err(Error::invalid(
            "page_size",
            format!(
                "use a number from 1 to {}",
                patchbay_core::listing::MAX_PAGE
            ),
        ));
    }
    let rt = crate::runtime()?;
    let mut after = ls.after.clone();
    let mut all: Option<Page> = None;
    let mut shown = 0usize;
    loop {
        // A page never goes past --max, so the next one starts right after the last shown.
        let size = ls.page_size.unwrap_or(patchbay_core::listing::DEFAULT_PAGE);
        let size = match ls.max {
            Some(m) => size.min(u32::try_from(m - shown).unwrap_or(u32::MAX)),
            None => size,
        };
        let page =
            rt.block_on(desk.browse(ls.kind, name, place.clone(), after.clone(), Some(size)))?;
        if !out.json {
            if let Some(note) = &page.note {
                eprintln!("note: {note}");
            }
            for e in &page.entries {
                println!("{}", line(e, ls.long));
            }
        }
        shown += page.entries.len();
        after = page.next.clone();
        let stop = after.is_none() || ls.max.is_some_and(|m| shown >= m);
        all = Some(match all {
            None => page,
            Some(mut a) => {
                a.entries.extend(page.entries);
                a.next = page.next;
                a
            }
        });
        if stop {
            break;
        }
    }
    let all = all.expect("one page at least");
    if out.json {
        out.show(&all, |_| {});
    } else if let Some(next) = &all.next {
        eprintln!("more: patchbay ls {} --after {next}", ls.target);
    }
    Ok(())
}

/// One entry as a line: its shown name (a prefix or bucket with "/"), or with `long` its time,
/// size and storage class first.
fn line(e: &Entry, long: bool) -> String {
    let name = match e.kind {
        EntryKind::Object => e.shown.clone(),
        EntryKind::Prefix | EntryKind::Bucket => format!("{}/", e.shown.trim_end_matches('/')),
    };
    if !long {
        return name;
    }
    let when = e
        .modified
        .as_deref()
        .map(|m| m.get(..19).unwrap_or(m).replace('T', " "))
        .unwrap_or_default();
    let size = match (e.kind, e.size) {
        (EntryKind::Prefix, _) => "PRE".to_string(),
        (_, Some(s)) => s.to_string(),
        (_, None) => String::new(),
    };
    let class = e.storage_class.as_deref().unwrap_or("");
    format!("{when:<19} {size:>12} {class:<12} {name}")
}
