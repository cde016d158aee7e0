//! `patchbay secret …`: named secrets (the Secrets tab) from the shell.

use std::path::PathBuf;

use patchbay_core::model::SecretInfo;
use patchbay_core::Result;

use super::open;
use crate::args::SecretCommand;
use crate::out::Out;
use crate::{input, show};

pub fn run(cmd: SecretCommand, dir: &Option<PathBuf>, out: Out) -> Result<()> {
    let desk = open(dir)?;
    let said = |info: &SecretInfo, verb: &str| {
        out.show(info, |i| println!("{verb} secret \"{}\"", i.name));
    };
    match cmd {
        SecretCommand::Set {
            name,
            value_stdin,
            description,
            team,
        } => {
            let value = if value_stdin {
                input::from_stdin("value")?
            } else {
                input::prompt(&format!("value of secret \"{name}\""))?
            };
            if let Some(t) = team {
                let v = crate::runtime()?.block_on(desk.team_secret_set(&t, &name, &value))?;
                out.show(
                    &serde_json::json!({ "name": name, "team": t, "version": v }),
                    |_| {
                        println!("saved secret \"{name}\" in team {t} (version {v})");
                    },
                );
                return Ok(());
            }
            said(
                &desk.put_secret(&name, &value, description.as_deref())?,
                "saved",
            );
        }
        SecretCommand::Describe { name, description } => {
            said(&desk.describe_secret(&name, &description)?, "updated");
        }
        SecretCommand::List { team: Some(t) } => {
            let names = crate::runtime()?.block_on(desk.team_secrets(&t))?;
            out.show(&names, |l| l.iter().for_each(|n| println!("{n}")));
        }
        SecretCommand::List { team: None } => out.show(&desk.secrets()?, |l| show::secret_table(l)),
        SecretCommand::Show {
            name,
            reveal: true,
            team: Some(t),
        } => {
            let value = crate::runtime()?.block_on(desk.team_secret_reveal(&t, &name))?;
            out.value("value", value.expose());
        }
        SecretCommand::Show {
            name, reveal: true, ..
        } => {
            out.value("value", desk.reveal_secret(&name)?.expose());
        }
        SecretCommand::Show { name, .. } => out.show(&desk.secret_info(&name)?, show::secret),
        SecretCommand::Rename { name, new_name } => {
            let info = desk.rename_secret(&name, &new_name)?;
            out.show(&info, |i| println!("renamed secret to \"{}\"", i.name));
        }
        SecretCommand::Remove { name } => said(&desk.delete_secret(&name)?, "removed"),
    }
    Ok(())
}
