//! Running a parsed command line: each command is a thin adapter that opens the store through
//! the core's application layer (`Desk`), calls one operation and renders its answer with `Out`.
//! `connections.rs` (add, edit, show, list, remove, rename, reveal), `import.rs`, `secrets.rs`,
//! `keys.rs`, `tunnels.rs` (SSH tunnels for exec and `patchbay tunnel`), `browse.rs` (`ls`),
//! `teams.rs`, `docs.rs` (completions, manual pages);
//! hand-offs live in `handoff.rs` and checks in `check.rs` beside this folder.

mod browse;
mod connections;
mod docs;
mod export;
mod import;
mod keys;
mod secrets;
mod teams;
mod tunnels;

use std::path::PathBuf;
use std::process::ExitCode;

use patchbay_core::desk::OnConflict;
use patchbay_core::keys::KeySource;
use patchbay_core::{Desk, Error, Result};

use crate::args::{kind, Cli, Command, KeyCommand};
use crate::out::Out;
use crate::{check, handoff, input};

/// The key source the environment asks for (or the key file chosen for this store in the
/// window); a key file without its passphrase asks on the terminal when there is one.
fn key_source(dir: &std::path::Path) -> Result<KeySource> {
    let source = KeySource::for_store(dir)?;
    if let KeySource::KeyFile {
        path,
        passphrase: None,
    } = &source
    {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            let passphrase = input::prompt(&format!("passphrase for {}", path.display()))?;
            return Ok(KeySource::KeyFile {
                path: path.clone(),
                passphrase: Some(passphrase),
            });
        }
    }
    Ok(source)
}

/// Opens the store (`--data-dir`, `PATCHBAY_DATA_DIR` or the data directory).
pub(crate) fn open(dir: &Option<PathBuf>) -> Result<Desk> {
    let dir = match dir {
        Some(d) => d.clone(),
        None => patchbay_core::paths::data_dir()?,
    };
    Desk::open_in(&dir, key_source(&dir)?)
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let out = Out { json: cli.json };
    let dir = &cli.data_dir;
    let mfa_code = cli.mfa_code.as_deref();
    if let Some(code) = mfa_code {
        mint_first(dir, &cli.command, code)?;
    }
    match cli.command {
        Command::Exec {
            target,
            team,
            accept_host_key,
            command,
        } => {
            // As a hand-off: with its secrets, and noted as a use ("recently used").
            let desk = open(dir)?;
            let r = match &team {
                Some(t) => teams::resolve(&desk, t, &target.name)?,
                None => desk.handoff_source(kind(target.kind), &target.name, true)?,
            };
            // An AWS profile's credentials, minted for this child (it gets them, not the profile).
            let r = crate::runtime()?.block_on(desk.with_minted(r, None))?;
            // A tunnelled database: the tunnel lives as long as the child.
            let (_rt, tunnel) = tunnels::open(&desk, &r, accept_host_key.as_deref())?;
            let code = match handoff::exec(&r, &command, tunnel.as_ref().map(|t| t.local())) {
                Ok(code) => code,
                Err(e) => match crate::child::not_started_code(&e) {
                    // Said as a shell says it, with the shell's exit code.
                    Some(code) => {
                        let what = if code == 127 {
                            "command not found"
                        } else {
                            "not executable"
                        };
                        eprintln!("patchbay: {}: {what}", command[0]);
                        return Ok(ExitCode::from(code));
                    }
                    None => return Err(e),
                },
            };
            return Ok(ExitCode::from(code.clamp(0, 255) as u8));
        }
        Command::Url {
            target,
            team: Some(team),
            with_password,
            ..
        } => {
            let desk = open(dir)?;
            let r = teams::resolve(&desk, &team, &target.name)?;
            let url = patchbay_core::kinds::url(&r, with_password);
            out.show(&serde_json::json!({ "url": url }), |_| println!("{url}"));
        }
        Command::Url {
            target,
            team: None,
            with_password,
            ca_file,
        } => {
            let desk = open(dir)?;
            let c = desk.get(kind(target.kind), &target.name)?;
            let mut url = desk.url(Some(c.kind), &c.name, with_password)?;
            let ca_note = handoff::url_ca(&c, &mut url, ca_file.as_deref())?;
            let note = match (
                patchbay_core::kinds::database::tunnel::handoff_note(&c.name, &c.spec),
                ca_note,
            ) {
                (Some(t), Some(ca)) => Some(format!("{t}. Also: {ca}")),
                (t, ca) => t.or(ca),
            };
            if out.json {
                out.show(&serde_json::json!({ "url": url, "note": note }), |_| {});
            } else {
                println!("{url}");
                if let Some(n) = note {
                    eprintln!("note: {n}");
                }
            }
        }
        Command::Env {
            target,
            team,
            with_password,
            format,
        } => {
            let desk = open(dir)?;
            let mut r = match &team {
                Some(t) => teams::resolve(&desk, t, &target.name)?,
                None => desk.handoff_source(kind(target.kind), &target.name, with_password)?,
            };
            if with_password {
                r = crate::runtime()?.block_on(desk.with_minted(r, None))?;
            }
            handoff::print_env(&r, with_password, out, format)?;
            let c = &r.connection;
            if let Some(n) = patchbay_core::kinds::database::tunnel::handoff_note(&c.name, &c.spec)
            {
                eprintln!("note: {n}");
            }
        }
        Command::Tunnel {
            name,
            accept_host_key,
        } => tunnels::hold(&open(dir)?, &name, accept_host_key.as_deref(), out)?,
        Command::Test {
            name,
            kind: k,
            all: _,
            timeout,
            parallel,
            accept_host_key,
            team,
        } => {
            if !(timeout > 0.0 && timeout <= 600.0) {
                return Err(Error::invalid(
                    "timeout",
                    "use a number of seconds between 0 and 600",
                ));
            }
            let desk =
                open(dir)?.with_check_limits(std::time::Duration::from_secs_f64(timeout), parallel);
            if let Some(fp) = &accept_host_key {
                desk.accept_host_key(fp)?;
            }
            let ok = match (&team, &name) {
                (Some(t), Some(n)) => check::run_team(&desk, t, n, out)?,
                _ => check::run(&desk, name.as_deref(), kind(k), out, mfa_code)?,
            };
            return Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            });
        }
        Command::Snippet {
            target,
            id,
            team: Some(team),
            ..
        } => teams::snippets(&open(dir)?, &team, &target.name, id.as_deref(), out)?,
        Command::Snippet {
            target,
            id,
            object,
            team: None,
        } => {
            let desk = open(dir)?;
            let c = desk.get(kind(target.kind), &target.name)?;
            if let Some(object) = object {
                let (bucket, key) = object.split_once('/').unwrap_or((&object, ""));
                let place = patchbay_core::listing::Place {
                    bucket: Some(bucket.to_string()),
                    prefix: key.to_string(),
                };
                let ids = patchbay_core::snippets::objects::IDS;
                let id = id.ok_or_else(|| {
                    Error::invalid(
                        "id",
                        format!("choose one of {} for an object", ids.join(", ")),
                    )
                })?;
                print!(
                    "{}",
                    desk.object_snippet(c.kind, &c.name, &place, &id)?.code
                );
                return Ok(ExitCode::SUCCESS);
            }
            match id {
                Some(id) => print!("{}", desk.snippet(c.kind, &c.name, &id)?.code),
                None if out.json => out.show(&desk.snippets(c.kind, &c.name)?, |_| {}),
                None => {
                    for s in &desk.snippets(c.kind, &c.name)? {
                        println!("{:<22} {}", s.id, s.label);
                    }
                }
            }
        }
        Command::Ls {
            target,
            kind: k,
            long,
            page_size,
            max,
            after,
        } => match target {
            // Without a name: the saved connections, as `list`.
            None if long || page_size.is_some() || max.is_some() || after.is_some() => {
                return Err(Error::invalid(
                    "target",
                    "--long, --page-size, --max and --after list a store: name it (patchbay ls NAME[:bucket/prefix])",
                ));
            }
            None => connections::run(
                Command::List {
                    kind: k,
                    team: None,
                },
                dir,
                out,
            )?,
            Some(target) => {
                let ls = browse::Listing {
                    target: &target,
                    kind: kind(k),
                    long,
                    page_size,
                    max: max.map(|m| usize::try_from(m).unwrap_or(usize::MAX)),
                    after,
                };
                browse::run(&open(dir)?, ls, out)?;
            }
        },
        Command::Login { name, no_browser } => {
            let desk = open(dir)?;
            let rt = crate::runtime()?;
            let prompt = rt.block_on(desk.login(&name))?;
            if out.json {
                println!("{}", serde_json::to_string(&prompt).unwrap_or_default());
            }
            eprintln!(
                "patchbay: open {} and check that it shows the code {} (good for {} minutes); waiting for the sign-in…",
                prompt.url,
                prompt.user_code,
                prompt.expires_in / 60
            );
            if !no_browser {
                crate::child::open_browser(&prompt.url);
            }
            let expires = rt.block_on(desk.login_wait(&name))?;
            out.show(
                &serde_json::json!({ "name": name, "expires": expires }),
                |_| {
                    println!("signed in for {name} until {expires}");
                },
            );
        }
        Command::Team(c) => return teams::run(&open(dir)?, c, out),
        c @ (Command::Share { .. } | Command::History { .. } | Command::Restore { .. }) => {
            teams::versions(c, &open(dir)?, out)?
        }
        c @ (Command::Completions { .. } | Command::Man { .. }) => docs::run(c, out)?,
        Command::AwsCredentials { name, endpoint } => {
            // credential_process reads exactly this JSON from stdout (with or without --json).
            let desk = open(dir)?;
            let json = crate::runtime()?.block_on(desk.aws_credentials(
                &name,
                endpoint.as_deref(),
                None,
            ))?;
            println!("{}", json.as_str());
        }
        Command::Import {
            path,
            from,
            scan,
            only,
            rename,
            replace,
            yes,
            passphrase_stdin,
            identity,
        } => {
            let on_conflict = match (rename, replace) {
                (true, _) => OnConflict::Rename,
                (_, true) => OnConflict::Replace,
                _ => OnConflict::Skip,
            };
            let asked = import::Asked {
                path,
                from,
                scan,
                only,
                on_conflict,
                yes,
                passphrase_stdin,
                identity,
            };
            import::run(asked, dir, out)?
        }
        Command::Export {
            names,
            format,
            with_secrets,
            out: file,
            bundle,
            recipient,
            passphrase_stdin,
        } => {
            let asked = export::Asked {
                names,
                format,
                with_secrets,
                file,
                bundle,
                recipients: recipient,
                passphrase_stdin,
            };
            export::run(asked, dir, out)?
        }
        Command::Secret(cmd) => secrets::run(cmd, dir, out)?,
        Command::Key(cmd) => keys::run(cmd, dir, out)?,
        Command::RotateKey { new_key_stdin } => {
            keys::run(KeyCommand::Rotate { new_key_stdin }, dir, out)?
        }
        other => connections::run(other, dir, out)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `--mfa-code`: mints the session of the S3 connection the command uses and keeps it, so the
/// command uses it (a check gets the code itself, to show the step).
fn mint_first(dir: &Option<PathBuf>, command: &Command, code: &str) -> Result<()> {
    let name = match command {
        Command::Test { name: Some(_), .. } => return Ok(()),
        Command::Exec { target, .. } | Command::Env { target, .. } => target.name.as_str(),
        Command::Ls {
            target: Some(t), ..
        } => t.split_once(':').map_or(t.as_str(), |(n, _)| n),
        Command::AwsCredentials { name, .. } => name.as_str(),
        _ => {
            return Err(Error::invalid(
                "mfa_code",
                "is for test, exec, env, ls and aws-credentials of an S3 connection whose role asks for one",
            ))
        }
    };
    let desk = open(dir)?;
    crate::runtime()?.block_on(desk.mint_session(name, code))?;
    Ok(())
}
