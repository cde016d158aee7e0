//! What a package or a user installs beside the command: its shell completions
//! (`patchbay completions bash|zsh|fish|…`, on stdout) and its manual pages (`patchbay man
//! --dir DIR`: patchbay.1 and one page per command), both written from the same command line
//! definition as `--help` (`args::command`), so neither can go stale.

use patchbay_core::{Error, Result};

use crate::args::Command;
use crate::out::Out;

pub fn run(command: Command, out: Out) -> Result<()> {
    match command {
        Command::Completions { shell } => {
            let mut cmd = crate::args::command();
            clap_complete::generate(shell, &mut cmd, "patchbay", &mut std::io::stdout());
            Ok(())
        }
        Command::Man { dir } => {
            let failed = |e: std::io::Error| {
                Error::Io(format!(
                    "could not write the manual pages to {}: {e}",
                    dir.display()
                ))
            };
            std::fs::create_dir_all(&dir).map_err(failed)?;
            clap_mangen::generate_to(crate::args::command(), &dir).map_err(failed)?;
            let mut pages: Vec<String> = std::fs::read_dir(&dir)
                .map_err(failed)?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".1"))
                .collect();
            pages.sort();
            out.show(&pages, |p| {
                println!("wrote {} manual pages to {}", p.len(), dir.display())
            });
            Ok(())
        }
        _ => unreachable!("run() sends only completions and man here"),
    }
}
