//! `patchbay key …`: where the master key is (the same `KeyStatus` the window shows), a new
//! key, a backup of it, and rotation.

use std::path::PathBuf;

use patchbay_core::keys::KeySource;
use patchbay_core::{MasterKey, Result};

use super::open;
use crate::args::KeyCommand;
use crate::input;
use crate::out::Out;

pub fn run(cmd: KeyCommand, dir: &Option<PathBuf>, out: Out) -> Result<()> {
    match cmd {
        KeyCommand::Generate => out.value("key", MasterKey::generate()?.expose()),
        KeyCommand::Status => {
            let desk = open(dir)?;
            let status = desk.key_status();
            out.show(&status, |s| {
                println!("store              {}", s.store);
                println!("key source         {}", s.source);
                println!("encrypted values   {}", s.encrypted_values);
                match s.keychain_self_test {
                    Some(true) => println!("keychain test      ok (write, read back, delete)"),
                    Some(false) => println!(
                        "keychain test      {}",
                        s.error.as_ref().map_or("failed", |e| e.message.as_str())
                    ),
                    None => {}
                }
                match (&s.error, s.unlocked) {
                    (_, true) => println!("key                opens this store"),
                    (Some(e), false) => println!("key                {}", e.message),
                    (None, false) => println!("key                cannot be used"),
                }
                match (&s.backup, s.remind_backup) {
                    (Some(b), _) => println!(
                        "backup             {} ({})",
                        b.path,
                        patchbay_core::clock::rfc3339(b.at)
                    ),
                    (None, true) => println!(
                        "backup             none: the keychain alone holds this key; run `patchbay key backup --out FILE`"
                    ),
                    (None, false) => {}
                }
            });
            if !status.unlocked {
                // Exit as the failed unlock itself would, with its own code.
                desk.unlock()?;
            }
        }
        KeyCommand::Backup {
            out: file,
            passphrase_stdin,
        } => {
            let desk = open(dir)?;
            let file = std::path::absolute(&file).map_err(|e| {
                patchbay_core::Error::invalid("out", format!("{}: {e}", file.display()))
            })?;
            let passphrase = if passphrase_stdin {
                input::from_stdin("passphrase")?
            } else {
                let first = input::prompt("Passphrase for the backup")?;
                let again = input::prompt("The same passphrase again")?;
                if first.expose() != again.expose() {
                    return Err(patchbay_core::Error::invalid(
                        "passphrase",
                        "the two passphrases differ; nothing was written",
                    ));
                }
                first
            };
            let b = desk.backup_key(&file.display().to_string(), passphrase)?;
            out.show(&b, |b| {
                println!("backed up the master key to {} (sealed with your passphrase)", b.path);
                println!("keep the file and its passphrase apart from this computer; to open this store with it: PATCHBAY_KEY_FILE={}", b.path);
            });
        }
        KeyCommand::Rotate { new_key_stdin } => {
            let desk = open(dir)?;
            let new_key = if new_key_stdin {
                Some(MasterKey::parse(
                    input::from_stdin("new key")?.expose(),
                    "the new key on stdin",
                )?)
            } else {
                None
            };
            let r = desk.rotate_key(new_key)?;
            let source = desk.key_source();
            out.show(&r, |r| {
                println!(
                    "re-encrypted {} secret(s) under a new key kept in {}",
                    r.secrets_reencrypted,
                    source.describe()
                );
                if let KeySource::Given { origin, .. } = &source {
                    println!("now set {origin} to the new key");
                }
            });
        }
    }
    Ok(())
}
