//! The subcommands of the store itself: named secrets (`patchbay secret …`) and the master key
//! (`patchbay key …`).

use clap::Subcommand;

use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum SecretCommand {
    /// Create a secret or replace its value (read from a prompt, or stdin with --value-stdin).
    Set {
        name: String,
        #[arg(long)]
        value_stdin: bool,
        #[arg(long, conflicts_with = "team")]
        description: Option<String>,
        /// A secret of this team (an Airflow variable in its engine), not of this store.
        #[arg(long)]
        team: Option<String>,
    },
    /// Change a secret's description.
    Describe { name: String, description: String },
    /// List secrets (names and users only).
    #[command(alias = "ls")]
    List {
        /// This team's secrets (names only).
        #[arg(long)]
        team: Option<String>,
    },
    /// Show a secret's metadata; --reveal prints its value.
    Show {
        name: String,
        #[arg(long)]
        reveal: bool,
        /// A secret of this team (with --reveal).
        #[arg(long, requires = "reveal")]
        team: Option<String>,
    },
    /// Rename a secret (connections using it follow).
    Rename { name: String, new_name: String },
    /// Delete a secret (refused while a connection uses it).
    #[command(alias = "rm")]
    Remove { name: String },
}

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Where the key lives and whether it opens this store.
    Status,
    /// Print a new random Fernet key (for PATCHBAY_MASTER_KEY).
    Generate,
    /// Re-encrypt every secret under a new key.
    Rotate {
        #[arg(long)]
        new_key_stdin: bool,
    },
    /// Back the master key up to a new key file sealed with a passphrase (what PATCHBAY_KEY_FILE
    /// and the window's "Use a key file…" open)
    Backup {
        /// The key file to write (never an existing one)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Read the passphrase from stdin instead of asking twice on the terminal
        #[arg(long)]
        passphrase_stdin: bool,
    },
}
