//! `patchbay`: manage saved connections from the shell and hand their credentials to other
//! programs by name (`url`, `env`, `exec`). This file parses the command line and dispatches it;
//! `args/` is its shape, `commands/` runs it through the core's application layer (`Desk`),
//! `out.rs` prints results (text or `--json`). Errors go to stderr (as `{code, message, field}`
//! with `--json`) with a non-zero exit code.

mod args;
mod check;
mod child;
mod commands;
mod fields;
mod handoff;
mod input;
mod out;
mod show;
mod words;

use std::process::ExitCode;

use patchbay_core::keys;

fn main() -> ExitCode {
    // Before anything else (no thread or child exists yet): the key variables leave the
    // environment, so `exec`'s command never inherits the key to every secret.
    keys::take_env();
    patchbay_core::process::harden();
    // Like other Unix tools, end quietly when the reader of our output has gone
    // (`patchbay list | head -1`) instead of panicking on a broken pipe.
    // SAFETY: restoring the default action of one signal before any thread exists.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let cli = match args::parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json = cli.json;
    let result = match commands::run(cli) {
        // A role asks for an MFA code and none was given: on a terminal, ask it and run the
        // command again with it.
        Err(patchbay_core::Error::MfaNeeded(why)) if !json => match input::mfa_code(&why) {
            Ok(Some(code)) => match args::parse() {
                Ok(mut again) => {
                    again.mfa_code = Some(code.expose().to_string());
                    commands::run(again)
                }
                Err(e) => return usage_error(e),
            },
            Ok(None) => Err(patchbay_core::Error::MfaNeeded(why)),
            Err(e) => Err(e),
        },
        other => other,
    };
    for note in keys::take_notices() {
        eprintln!("patchbay: note: {note}");
    }
    match result {
        Ok(code) => code,
        Err(e) => {
            let e = words::error(e);
            if json {
                eprintln!("{}", serde_json::json!({ "error": e }));
            } else {
                eprintln!("patchbay: {}", e);
            }
            ExitCode::from(1)
        }
    }
}

/// The async runtime a command's network work runs on (checks, tunnels, listings).
fn runtime() -> patchbay_core::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| patchbay_core::Error::Io(format!("cannot start the async runtime: {e}")))
}

/// A command line clap refused. With `--json` anywhere on it, the error arrives as JSON like
/// every other error (`code` "usage", `field` the form field of the option when one is at
/// fault); otherwise clap prints it. Help and version go to stdout as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let asked_json = std::env::args_os().any(|a| a == "--json");
    if !asked_json || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit();
    }
    let field = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => Some(fields::field_of_option(arg)),
        _ => None,
    };
    let message = e.render().to_string();
    let message = message
        .trim()
        .trim_start_matches("error: ")
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    eprintln!(
        "{}",
        serde_json::json!({ "error": { "code": "usage", "message": message, "field": field } })
    );
    ExitCode::from(2)
}
