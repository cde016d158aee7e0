//! `add`, `edit`, `show`, `list`, `remove`, `rename` and `reveal`: saved connections from the
//! shell, through the application layer.

use std::path::PathBuf;

use patchbay_core::desk::Editing;
use patchbay_core::model::*;
use patchbay_core::{Error, Result};

use super::open;
use crate::args::{kind, Command};
use crate::out::Out;
use crate::{fields, show};

pub fn run(cmd: Command, dir: &Option<PathBuf>, out: Out) -> Result<()> {
    match cmd {
        Command::Add {
            kind: ty,
            name,
            team,
            fields,
        } => {
            let mut spec = fields::blank_spec(&ty)?;
            fields.apply(&mut spec)?;
            let mut draft = ConnectionDraft::new(name, spec);
            draft.env_tag = fields.env_tag.clone();
            fields.secrets(&mut draft)?;
            match team {
                Some(t) => {
                    let name = draft.name.clone();
                    let v = crate::runtime()?.block_on(open(dir)?.team_create(&t, draft))?;
                    team_saved(out, &name, &t, v, "saved");
                }
                None => out.done(&open(dir)?.save(draft, None)?, "saved"),
            }
        }
        Command::Edit {
            target,
            team: Some(team),
            keep_secrets,
            fields,
            ..
        } => {
            let desk = open(dir)?;
            let rt = crate::runtime()?;
            let (current, base) = rt.block_on(desk.team_read(&team, &target.name))?;
            let mut spec = current.connection.spec.clone();
            fields.apply(&mut spec)?;
            let mut draft = ConnectionDraft::new(current.connection.name.clone(), spec);
            draft.env_tag = fields
                .env_tag
                .clone()
                .or(current.connection.env_tag.clone());
            fields.secrets(&mut draft)?;
            draft.confirm_kept_secrets = keep_secrets;
            let v = rt.block_on(desk.team_edit(&team, draft, &current, base))?;
            team_saved(out, &target.name, &team, v, "updated");
        }
        Command::Edit {
            target,
            team: None,
            rename,
            keep_secrets,
            fields,
        } => {
            let desk = open(dir)?;
            let current = desk.get(kind(target.kind), &target.name)?;
            let mut spec = current.spec.clone();
            fields.apply(&mut spec)?;
            let mut draft =
                ConnectionDraft::new(rename.unwrap_or_else(|| current.name.clone()), spec);
            draft.env_tag = match &fields.env_tag {
                Some(t) => Some(t.clone()),
                None => current.env_tag.clone(),
            };
            fields.secrets(&mut draft)?;
            draft.confirm_kept_secrets = keep_secrets;
            let editing = Editing::of(current.kind, current.name.clone());
            let c = desk.save(draft, Some(editing)).map_err(|e| match e {
                Error::SecretWouldMove { field, message } => Error::SecretWouldMove {
                    message: format!(
                        "{message} (on the command line: give it again with {}, or add --keep-secrets)",
                        fields::secret_option(&field)
                    ),
                    field,
                },
                other => other,
            })?;
            out.done(&c, "updated");
        }
        Command::Show { target } => {
            let c = open(dir)?.get(kind(target.kind), &target.name)?;
            out.show(&c, show::connection);
        }
        Command::List {
            kind: k,
            team: Some(team),
        } => {
            let rows: Vec<_> = open(dir)?
                .team_rows_kept(&team)?
                .into_iter()
                .filter(|r| kind(k).is_none_or(|k| r.kind == k))
                .collect();
            out.show(&rows, |rows| {
                for r in rows {
                    let ro = if r.may_edit { "" } else { "  (read-only)" };
                    println!("{:<24} {:<8} v{}{ro}", r.name, r.kind.as_str(), r.version);
                }
                if let Some(r) = rows.first() {
                    let at = patchbay_core::clock::rfc3339(r.listed_at);
                    eprintln!("as listed at {at}; patchbay team ls {team} reads it again");
                }
            });
        }
        Command::List {
            kind: k,
            team: None,
        } => {
            let desk = open(dir)?;
            // The JSON is the connections as saved (as it always was), the table their lines
            // (read without building whole records: the table is the everyday call).
            if out.json {
                out.show(&desk.connections(kind(k))?, |_| ());
            } else {
                let mut table = show::ConnectionTable::default();
                desk.each_line(kind(k), |l| table.push(l))?;
                table.print();
            }
            if !out.json {
                for t in desk.teams()? {
                    let n = desk.team_rows_kept(&t.name)?.len();
                    eprintln!(
                        "team {}: {n} connection(s) as last listed (patchbay list --team {})",
                        t.name, t.name
                    );
                }
            }
        }
        Command::Logout { name } => {
            let dropped = open(dir)?.forget_session(&name)?;
            out.show(
                &serde_json::json!({ "name": name, "dropped": dropped }),
                |_| match dropped {
                    true => println!("dropped the session kept for {name}"),
                    false => println!("no session was kept for {name}"),
                },
            );
        }
        Command::Remove { target } => {
            let c = open(dir)?.delete(kind(target.kind), &target.name)?;
            out.done(&c, "removed");
        }
        Command::Pin { target } => {
            let c = open(dir)?.set_favourite(kind(target.kind), &target.name, true)?;
            out.done(&c, "pinned");
        }
        Command::Unpin { target } => {
            let c = open(dir)?.set_favourite(kind(target.kind), &target.name, false)?;
            out.done(&c, "unpinned");
        }
        Command::Rename { target, new_name } => {
            let c = open(dir)?.rename(kind(target.kind), &target.name, &new_name)?;
            out.done(&c, "renamed");
        }
        Command::Reveal { target, field } => {
            let desk = open(dir)?;
            let c = desk.get(kind(target.kind), &target.name)?;
            let field = match field {
                Some(f) => SecretField::parse(&f)
                    .filter(|f| c.kind.secret_fields().contains(f))
                    .ok_or_else(|| {
                        Error::invalid(
                            "field",
                            format!(
                                "\"{f}\" is not a secret field of a {}; use one of: {}",
                                c.kind.label(),
                                c.kind
                                    .secret_fields()
                                    .iter()
                                    .map(|f| f.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })?,
                None => c.kind.secret_fields()[0],
            };
            let v = desk.reveal_field(Some(c.kind), &c.name, field)?;
            out.value(field.as_str(), v.expose());
        }
        other => unreachable!("{other:?} is dispatched elsewhere"),
    }
    Ok(())
}

/// What a save in a team says.
fn team_saved(out: Out, name: &str, team: &str, version: u64, did: &str) {
    out.show(
        &serde_json::json!({ "name": name, "team": team, "version": version }),
        |_| {
            println!("{did} {name} in team {team} (version {version})");
        },
    );
}
