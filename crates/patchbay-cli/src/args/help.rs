//! The command line's help where it names the kinds: written from the kinds' own words
//! (`kinds::words`), so adding a kind changes `add --help` too, and parsing with it.

use clap::{CommandFactory as _, FromArgMatches as _};
use patchbay_core::kinds::words;
use patchbay_core::model::Kind;

use super::Cli;

/// What `add --help` says TYPE is: each kind and the words that name it.
pub fn add_types() -> String {
    let kinds: Vec<String> = Kind::ALL
        .iter()
        .map(|k| format!("  {:<10} {}", k.short_label(), words(*k).join(", ")))
        .collect();
    format!(
        "Save a new connection. TYPE names its kind, one of:\n{}",
        kinds.join("\n")
    )
}

/// The whole command line, with the help the kinds write.
pub fn command() -> clap::Command {
    let short = format!(
        "Save a new connection: TYPE is {}",
        Kind::ALL
            .map(|k| words(k)
                .iter()
                .take(2)
                .copied()
                .collect::<Vec<_>>()
                .join("/"))
            .join(", ")
    );
    Cli::command().mut_subcommand("add", |add| add.about(short).long_about(add_types()))
}

/// The command line of this process, parsed.
pub fn parse() -> Result<Cli, clap::Error> {
    Cli::from_arg_matches(&command().try_get_matches()?)
}
