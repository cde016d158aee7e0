//! `patchbay export`: connections written out without secrets (to stdout or a file), with
//! secrets to stdout only when asked, or as an age-encrypted bundle that never overwrites.

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;

use patchbay_core::bundle::Lock;
use patchbay_core::desk::ExportFormat;
use patchbay_core::{Error, Result};

use super::open;
use crate::args::ExportFormatArg;
use crate::input;
use crate::out::Out;

pub struct Asked {
    pub names: Vec<String>,
    pub format: ExportFormatArg,
    pub with_secrets: bool,
    pub file: Option<PathBuf>,
    pub bundle: Option<PathBuf>,
    pub recipients: Vec<String>,
    pub passphrase_stdin: bool,
}

pub fn run(a: Asked, dir: &Option<PathBuf>, out: Out) -> Result<()> {
    let desk = open(dir)?;
    if let Some(path) = &a.bundle {
        if path.exists() {
            return Err(Error::invalid(
                "bundle",
                format!(
                    "{} exists; a bundle is never written over another file: choose a new name",
                    path.display()
                ),
            ));
        }
        let lock = if !a.recipients.is_empty() {
            Lock::Recipients(a.recipients.clone())
        } else if a.passphrase_stdin {
            Lock::Passphrase(input::from_stdin("passphrase")?)
        } else if std::io::stdin().is_terminal() {
            let p = input::prompt("passphrase for the bundle")?;
            if input::prompt("the same passphrase again")?.expose() != p.expose() {
                return Err(Error::invalid(
                    "passphrase",
                    "the two passphrases differ; nothing was written",
                ));
            }
            Lock::Passphrase(p)
        } else {
            return Err(Error::invalid("passphrase", "give the bundle's passphrase with --passphrase-stdin, or age public keys with --recipient"));
        };
        let sealed = desk.export_bundle(&a.names, &lock)?;
        write_new(path, &sealed)?;
        let n = desk.export_document(&a.names, false)?.connections.len();
        out.show(
            &serde_json::json!({ "bundle": path, "connections": n }),
            |_| {
                println!(
                    "wrote {n} connection(s) with their secrets to {} (age-encrypted)",
                    path.display()
                )
            },
        );
        return Ok(());
    }
    let format = match a.format {
        ExportFormatArg::Patchbay => ExportFormat::Patchbay,
        ExportFormatArg::AirflowJson => ExportFormat::AirflowJson,
        ExportFormatArg::AirflowEnv => ExportFormat::AirflowEnv,
        ExportFormatArg::Dbeaver => ExportFormat::Dbeaver,
    };
    let (text, left) = desk.export_text(&a.names, format, a.with_secrets)?;
    for (name, why) in &left {
        eprintln!("patchbay: note: \"{name}\": {why}");
    }
    match &a.file {
        Some(path) => {
            std::fs::write(path, text.as_bytes())
                .map_err(|e| Error::invalid("out", format!("{}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|_| stdout.flush())
                .map_err(|e| Error::Io(format!("cannot write: {e}")))?;
        }
    }
    Ok(())
}

/// Writes a new owner-only file; an existing one is refused, not replaced.
fn write_new(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::invalid("bundle", format!("{}: {e}", path.display())))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))
}
