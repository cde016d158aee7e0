//! Teams from the shell: `team add|list|remove|ls`, `share`, `history`, `restore`, and the
//! team connection a `--team` on test/exec/env/url names (read from the team's engine for
//! this one use).

use std::process::ExitCode;

use patchbay_core::model::Resolved;
use patchbay_core::team::{EngineKind, Team, TeamAuth};
use patchbay_core::{Desk, Error, Result, SecretString};

use crate::args::{TeamCommand, TeamJoin};
use crate::out::Out;

/// Runs a `patchbay team …` command.
pub fn run(desk: &Desk, command: TeamCommand, out: Out) -> Result<ExitCode> {
    let rt = crate::runtime()?;
    match command {
        TeamCommand::Add(join) => {
            let TeamJoin {
                name,
                engine,
                address,
                region,
                mount,
                path,
                namespace,
                ca_cert,
                auth,
                user,
                role_id,
                role,
                access_key_id,
                secret_stdin,
            } = *join;
            let engine = match engine.as_str() {
                "vault" | "openbao" => EngineKind::Vault,
                "aws-secrets-manager" => EngineKind::AwsSecretsManager,
                other => return Err(Error::invalid("engine", format!("\"{other}\" is not an engine Patchbay uses: vault (OpenBao, HashiCorp Vault) or aws-secrets-manager"))),
            };
            let auth = match auth.as_str() {
                "token" => TeamAuth::Token,
                "userpass" => TeamAuth::Userpass,
                "approle" => TeamAuth::Approle,
                "jwt" => TeamAuth::Jwt,
                "aws-keys" => TeamAuth::AwsKeys,
                other => return Err(Error::invalid("auth", format!("\"{other}\" is not a login method Patchbay uses with an engine: token, userpass, approle, jwt or aws-keys"))),
            };
            let secret = login_secret(auth, secret_stdin)?;
            let ca_cert = ca_cert
                .map(|p| crate::input::pem_file("ca_cert", &p))
                .transpose()?;
            let draft = Team {
                name,
                engine,
                address,
                region,
                mount,
                path,
                namespace,
                ca_cert,
                auth,
                login_name: user.or(role_id).or(role).or(access_key_id),
                token_expires: None,
            };
            let t = rt.block_on(desk.team_add(draft, secret))?;
            let until = t.token_expires.map(patchbay_core::clock::rfc3339);
            out.show(&serde_json::json!({ "team": t.name, "address": t.address, "token_expires": until }), |_| {
                let kept = if t.engine == EngineKind::AwsSecretsManager { "secret access key" } else { "token" };
                println!("joined team {} at {} ({}/{}); its {kept} is in the OS keychain{}", t.name, t.address, t.mount, t.path, match &until {
                    Some(at) => format!(" until {at}"),
                    None => String::new(),
                });
            });
        }
        TeamCommand::Login { name, secret_stdin } => {
            let t = desk.teams()?.into_iter().find(|t| t.name == name);
            let secret = login_secret(t.map_or(TeamAuth::Token, |t| t.auth), secret_stdin)?;
            let t = rt.block_on(desk.team_login(&name, secret))?;
            let until = t.token_expires.map(patchbay_core::clock::rfc3339);
            out.show(
                &serde_json::json!({ "team": t.name, "token_expires": until }),
                |_| {
                    println!(
                        "logged in to team {}{}",
                        t.name,
                        until
                            .as_deref()
                            .map(|u| format!(" until {u}"))
                            .unwrap_or_default()
                    );
                },
            );
        }
        TeamCommand::List => {
            let teams = desk.teams()?;
            let now = patchbay_core::clock::now_ms();
            out.show(&teams, |teams| {
                for t in teams {
                    let token = match t.token_expires {
                        Some(at) if at <= now => "token expired: patchbay team login".to_string(),
                        Some(at) => format!("token until {}", patchbay_core::clock::rfc3339(at)),
                        None => "token does not expire".to_string(),
                    };
                    println!(
                        "{:<16} {} {}/{}  ({token})",
                        t.name, t.address, t.mount, t.path
                    );
                }
            });
        }
        TeamCommand::Remove { name } => {
            let gone = desk.team_remove(&name)?;
            out.show(
                &serde_json::json!({ "team": name, "removed": gone }),
                |_| match gone {
                    true => println!("left team {name} (its token was removed from the keychain)"),
                    false => println!("no team named {name}"),
                },
            );
        }
        TeamCommand::Ls { name } => {
            let list = rt.block_on(desk.team_list(&name))?;
            if let Some(why) = &list.stale {
                eprintln!("patchbay: {why}");
            }
            for l in &list.left_out {
                eprintln!("patchbay: left out {}: {}", l.name, l.why);
            }
            out.show(&list, |l| {
                for r in &l.rows {
                    let ro = if r.may_edit { "" } else { "  (read-only)" };
                    println!("{:<24} {:<8} v{}{ro}", r.name, r.kind.as_str(), r.version);
                }
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The team connection `name` of `team`, read from the engine for one use.
pub fn resolve(desk: &Desk, team: &str, name: &str) -> Result<Resolved> {
    crate::runtime()?.block_on(desk.team_resolve(team, name))
}

/// `share`, `history` and `restore`: a connection's versions in a team.
pub fn versions(command: crate::args::Command, desk: &Desk, out: Out) -> Result<()> {
    use crate::args::Command;
    match command {
        Command::Share {
            name,
            team,
            moving,
            copy,
        } => {
            let moving = moving || (!copy && crate::input::asks_to_move(&name, &team)?);
            share(desk, &name, &team, moving, out)
        }
        Command::History { name, team } => history(desk, &name, &team, out),
        Command::Restore {
            name,
            team,
            version,
        } => restore(desk, &name, &team, version, out),
        _ => unreachable!("run() sends only share, history and restore here"),
    }
}

/// `patchbay share NAME --team TEAM [--move]`.
fn share(desk: &Desk, name: &str, team: &str, moving: bool, out: Out) -> Result<()> {
    let v = crate::runtime()?.block_on(desk.share(name, team, moving))?;
    out.show(
        &serde_json::json!({ "name": name, "team": team, "version": v }),
        |_| {
            let moved = if moving {
                "; the local one was removed"
            } else {
                ""
            };
            println!("shared {name} with team {team} (version {v}){moved}");
        },
    );
    Ok(())
}

/// `patchbay history NAME --team TEAM`.
fn history(desk: &Desk, name: &str, team: &str, out: Out) -> Result<()> {
    let all = crate::runtime()?.block_on(desk.team_history(team, name))?;
    out.show(&all, |all| {
        for v in all {
            let gone = match (v.destroyed, &v.deleted) {
                (true, _) => " (destroyed)",
                (false, Some(_)) => " (deleted)",
                (false, None) => "",
            };
            println!("v{:<4} {}{gone}", v.version, v.created);
        }
    });
    Ok(())
}

/// `patchbay restore NAME --team TEAM --version N`.
fn restore(desk: &Desk, name: &str, team: &str, version: u64, out: Out) -> Result<()> {
    let v = crate::runtime()?.block_on(desk.team_restore(team, name, version))?;
    out.show(
        &serde_json::json!({ "name": name, "team": team, "version": v }),
        |_| {
            println!("{name} in team {team} is version {version} again (as version {v})");
        },
    );
    Ok(())
}

/// The secret a login method asks for (the token, the password, the secret id, the JWT), from
/// stdin or asked on the terminal.
fn login_secret(auth: TeamAuth, stdin: bool) -> Result<SecretString> {
    let what = match auth {
        TeamAuth::Token => "token",
        TeamAuth::Userpass => "password",
        TeamAuth::Approle => "secret id",
        TeamAuth::Jwt => "JWT",
        TeamAuth::AwsKeys => "secret access key",
    };
    match stdin {
        true => crate::input::from_stdin(what),
        false => crate::input::prompt(what),
    }
}

/// `patchbay snippet NAME --team TEAM [--id ID]`: the snippets, or the one asked for.
pub fn snippets(desk: &Desk, team: &str, name: &str, id: Option<&str>, out: Out) -> Result<()> {
    let all = crate::runtime()?.block_on(desk.team_snippets(team, name))?;
    match id {
        Some(id) => print!("{}", patchbay_core::desk::pick_snippet(all, name, id)?.code),
        None => out.show(&all, |all| {
            all.iter()
                .for_each(|s| println!("{:<22} {}", s.id, s.label))
        }),
    }
    Ok(())
}
