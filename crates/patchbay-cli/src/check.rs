//! `patchbay test`: connectivity checks from the shell, one connection or `--all` at once, printed
//! as a staged verdict (or JSON). Exit code 0 when every check passed, 3 when one failed.

use patchbay_core::check::Verdict;
use patchbay_core::model::Kind;
use patchbay_core::{Desk, Result};

use crate::out::Out;

/// Checks one connection or all of them (each verdict recorded as its last check); returns
/// whether all passed.
pub fn run(
    desk: &Desk,
    name: Option<&str>,
    kind: Option<Kind>,
    out: Out,
    mfa_code: Option<&str>,
) -> Result<bool> {
    let rt = crate::runtime()?;
    let verdicts = match name {
        Some(name) => {
            let mut v = rt.block_on(desk.test_with_code(kind, name, mfa_code))?;
            // A role that asks for an MFA code, on a terminal: ask it, and check again.
            if v.failed_step == Some(patchbay_core::check::StepName::MfaCode) && !out.json {
                if let Some(code) = crate::input::mfa_code(&v.message)? {
                    v = rt.block_on(desk.test_with_code(kind, name, Some(code.expose())))?;
                }
            }
            let v = crate::words::verdict(v);
            out.show(&v, print_full);
            vec![v]
        }
        None => {
            let list: Vec<Verdict> = rt
                .block_on(desk.test_all(kind))?
                .into_iter()
                .map(crate::words::verdict)
                .collect();
            out.show(&list, |l| print_summary(l));
            list
        }
    };
    Ok(verdicts.iter().all(|v| v.ok))
}

fn print_full(v: &Verdict) {
    let mark = if v.ok { "ok" } else { "FAILED" };
    println!(
        "{} ({}, {}) {mark} in {:.0} ms",
        v.name, v.kind, v.target, v.total_ms
    );
    if let Some(step) = v.failed_step {
        println!("  failed at {}: {}", step.as_str(), v.message);
    } else {
        println!("  {}", v.message);
    }
    if let Some(h) = &v.hint {
        println!("  hint: {h}");
    }
    if let Some(e) = &v.error {
        println!("  error: {e}");
    }
    println!("  steps:");
    for s in &v.steps {
        println!(
            "    {:<3} {:<13} {:>8.1} ms  {}",
            if s.ok { "ok" } else { "!!" },
            s.name.as_str(),
            s.ms,
            s.detail.as_deref().unwrap_or("")
        );
    }
    if !v.facts.is_empty() {
        println!("  facts:");
        for f in &v.facts {
            println!("    {:<18} {}", f.label, f.value);
        }
    }
}

fn print_summary(list: &[Verdict]) {
    if list.is_empty() {
        println!("No saved connections to check.");
        return;
    }
    let w = list
        .iter()
        .map(|v| v.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    for v in list {
        let what = match v.failed_step {
            None => v.message.clone(),
            Some(step) => format!(
                "{}: {}{}",
                step.as_str(),
                v.message,
                v.hint
                    .as_deref()
                    .map(|h| format!(" — {h}"))
                    .unwrap_or_default()
            ),
        };
        println!(
            "{:<6} {:<w$} {:<8} {:>7.0} ms  {what}",
            if v.ok { "ok" } else { "FAILED" },
            v.name,
            v.kind.as_str(),
            v.total_ms
        );
    }
    let failed = list.iter().filter(|v| !v.ok).count();
    println!(
        "{} checked, {} ok, {failed} failed",
        list.len(),
        list.len() - failed
    );
}

/// Checks the connection `name` of `team` (read from its engine now); whether it passed.
pub fn run_team(desk: &Desk, team: &str, name: &str, out: Out) -> Result<bool> {
    let v = crate::runtime()?.block_on(desk.team_test(team, name))?;
    let v = crate::words::verdict(v);
    out.show(&v, print_full);
    Ok(v.ok)
}
