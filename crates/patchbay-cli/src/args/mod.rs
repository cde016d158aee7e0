//! The command line's shape: every command, option and enumeration `patchbay` accepts, as clap
//! types. Enumerations are `ValueEnum`s, so "use one of" lists and completions are generated.
//! Nothing here runs anything; `commands/` does.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::{fields, input};

mod help;
mod store;
mod teams;
mod values;
pub use help::{command, parse};
pub use store::{KeyCommand, SecretCommand};
pub use teams::{TeamCommand, TeamJoin};
pub use values::{kind, EnvFormat, ExportFormatArg, KindArg};

#[derive(Parser, Debug)]
#[command(
    name = "patchbay",
    version,
    about = "Saved credentials for databases, object stores and Kafka, handed to programs by name"
)]
pub struct Cli {
    /// Where the store lives (default: your data directory; or PATCHBAY_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR", env = "PATCHBAY_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// The code your MFA device shows, for an S3 connection whose role asks for one (test,
    /// exec, env, ls, aws-credentials): the session it mints is kept until it expires.
    #[arg(long, global = true, value_name = "CODE", value_parser = input::Utf8)]
    pub mfa_code: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Args, Debug)]
pub struct Target {
    /// The connection's name.
    #[arg(value_parser = input::Utf8)]
    pub name: String,
    /// Needed only when the name exists in several kinds.
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Save a new connection (its help names the kinds: args/help.rs).
    Add {
        #[arg(value_name = "TYPE")]
        kind: String,
        #[arg(value_parser = input::Utf8)]
        name: String,
        /// Save it in this team's engine (patchbay team add), not in this store.
        #[arg(long, value_parser = input::Utf8)]
        team: Option<String>,
        #[command(flatten)]
        fields: fields::FieldArgs,
    },
    /// Change fields of a saved connection (unchanged secrets are kept).
    Edit {
        #[command(flatten)]
        target: Target,
        /// Also rename it.
        #[arg(long, value_name = "NEW_NAME")]
        rename: Option<String>,
        /// Keep the saved secrets although the host, port, URL or TLS settings change (they are
        /// then sent to the new settings); without it such an edit asks for the secret again.
        #[arg(long)]
        keep_secrets: bool,
        /// A connection of this team: saved over the version read, a teammate's change since
        /// then is a conflict (nothing is written).
        #[arg(long, value_parser = input::Utf8, conflicts_with = "rename")]
        team: Option<String>,
        #[command(flatten)]
        fields: fields::FieldArgs,
    },
    /// Show one connection (secrets only as set / not set).
    Show {
        #[command(flatten)]
        target: Target,
    },
    /// List saved connections (also `patchbay ls` without a name).
    List {
        /// Only this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// This team's connections as last listed (no engine is asked: team ls reads it again).
        #[arg(long, value_parser = input::Utf8)]
        team: Option<String>,
    },
    /// Delete a connection and the secrets it owns.
    #[command(alias = "rm")]
    Remove {
        #[command(flatten)]
        target: Target,
    },
    /// Pin a connection as a favourite: first in the window's list and the tray menu.
    Pin {
        #[command(flatten)]
        target: Target,
    },
    /// Unpin a favourite.
    Unpin {
        #[command(flatten)]
        target: Target,
    },
    /// Rename a connection.
    Rename {
        #[command(flatten)]
        target: Target,
        new_name: String,
    },
    /// Print one secret field of a connection (e.g. password).
    Reveal {
        #[command(flatten)]
        target: Target,
        /// password, secret_access_key, sasl_password, client_key or schema_registry_password.
        field: Option<String>,
    },
    /// Print the connection's driver URL (password omitted unless --with-password).
    Url {
        #[command(flatten)]
        target: Target,
        /// A connection of this team (read from its engine), not a saved one.
        #[arg(long, value_parser = input::Utf8)]
        team: Option<String>,
        #[arg(long)]
        with_password: bool,
        /// Write the connection's CA certificate to FILE and name it in the URL (a URL cannot
        /// carry the certificate itself; PostgreSQL's sslrootcert).
        #[arg(long, value_name = "FILE", value_parser = input::Utf8)]
        ca_file: Option<String>,
    },
    /// Print the environment variables its tools read (secrets omitted unless --with-password).
    Env {
        #[command(flatten)]
        target: Target,
        /// A connection of this team (read from its engine), not a saved one.
        #[arg(long, value_parser = input::Utf8)]
        team: Option<String>,
        #[arg(long)]
        with_password: bool,
        /// How to print them (properties: Kafka clients' configuration).
        #[arg(long, value_enum, default_value_t = EnvFormat::Shell)]
        format: EnvFormat,
    },
    /// Run a command with the connection's variables (secrets included) in its environment.
    Exec {
        #[command(flatten)]
        target: Target,
        /// A connection of this team (read from its engine), not a saved one.
        #[arg(long, value_parser = input::Utf8)]
        team: Option<String>,
        /// Trust an SSH bastion not yet known by this host key fingerprint (SHA256:…).
        #[arg(long, value_name = "FINGERPRINT", value_parser = input::Utf8)]
        accept_host_key: Option<String>,
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// Open a database connection's SSH tunnel and keep it open until Ctrl+C: prints the local
    /// address (a fresh port) and the URL that reaches the database through it.
    Tunnel {
        #[arg(value_parser = input::Utf8)]
        name: String,
        /// Trust an SSH bastion not yet known by this host key fingerprint (SHA256:…).
        #[arg(long, value_name = "FINGERPRINT", value_parser = input::Utf8)]
        accept_host_key: Option<String>,
    },
    /// List what an object store holds: its buckets, or the prefixes and objects at
    /// NAME:bucket/prefix/ (every page, names shown safely; --json gives them whole). Without a
    /// name: the saved connections, as `list`.
    Ls {
        /// NAME, NAME:bucket or NAME:bucket/prefix/.
        #[arg(value_name = "NAME[:BUCKET[/PREFIX]]", value_parser = input::Utf8)]
        target: Option<String>,
        /// Which kind NAME means, when the name exists in several.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Time, size and storage class before each name.
        #[arg(long, short = 'l')]
        long: bool,
        /// Entries asked of the store per request (1 to 5000).
        #[arg(long, value_name = "N")]
        page_size: Option<u32>,
        /// Stop after N entries; how to go on is printed to stderr.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        max: Option<u64>,
        /// Start where an earlier listing stopped (the token it printed).
        #[arg(long, value_name = "TOKEN", value_parser = input::Utf8)]
        after: Option<String>,
    },
    /// Print a saved S3 connection's credentials as AWS `credential_process` JSON, for
    /// `credential_process = patchbay aws-credentials NAME` in ~/.aws/config.
    AwsCredentials {
        #[arg(value_parser = input::Utf8)]
        name: String,
        /// The endpoint the AWS profile sends these keys to; required (and must match) when
        /// the connection was saved for an endpoint of its own (MinIO, moto, a private S3).
        #[arg(long, value_parser = input::Utf8, value_name = "URL")]
        endpoint: Option<String>,
    },
    /// Sign in to IAM Identity Center (SSO) for an S3 connection by an SSO profile: approve the
    /// sign-in in a browser; the token is kept where the AWS CLI keeps it (aws sso login's cache).
    Login {
        #[arg(value_parser = input::Utf8)]
        name: String,
        /// Only print where to approve it; do not open a browser.
        #[arg(long)]
        no_browser: bool,
    },
    /// Drop the AWS session Patchbay keeps for an S3 connection (by profile or role): the next
    /// use mints a new one. An IAM Identity Center sign-in is the AWS CLI's: aws sso logout.
    Logout {
        #[arg(value_parser = input::Utf8)]
        name: String,
    },
    /// Print a code snippet (Python) that uses the connection through `patchbay exec`: it reads
    /// every credential from the environment, none is written into it. Without ID, list them.
    Snippet {
        #[command(flatten)]
        target: Target,
        /// Which one (psycopg, sqlalchemy, pymysql, boto3, polars, azure-storage-blob,
        /// google-cloud-storage, confluent-kafka).
        #[arg(long, value_parser = input::Utf8)]
        id: Option<String>,
        /// An S3 object (BUCKET/path/to/file) for the snippet to read (ids polars, duckdb).
        #[arg(long, value_name = "BUCKET/KEY", value_parser = input::Utf8)]
        object: Option<String>,
        /// A connection of this team (its snippets run with exec --team).
        #[arg(long, value_parser = input::Utf8, conflicts_with = "object")]
        team: Option<String>,
    },
    /// Bring connections in from the files of the tools you used before: a preview first,
    /// then (when you agree, or with --yes) one transaction.
    Import {
        /// The file to read (without it: the source's own places, e.g. ~/.pgpass).
        #[arg(value_parser = input::Utf8)]
        path: Option<String>,
        /// What to read: pgpass, pg-service, my-cnf, mylogin, aws, airflow, airflow-env, dotenv,
        /// gcs-key, dbeaver, datagrip, rclone, kafka-properties, patchbay.
        #[arg(long, value_name = "SOURCE", value_parser = input::Utf8)]
        from: Option<String>,
        /// Look in every source's default places and say what each holds; saves nothing.
        #[arg(long, conflicts_with_all = ["path", "from", "yes", "only"])]
        scan: bool,
        /// Import only these, by the name the preview shows (repeat, or separate with commas).
        #[arg(long, value_name = "NAME", value_delimiter = ',', value_parser = input::Utf8)]
        only: Vec<String>,
        /// A taken name gets a suffix (-2, -3…) instead of being skipped.
        #[arg(long, conflicts_with = "replace")]
        rename: bool,
        /// A taken name: the saved connection is replaced, secrets included.
        #[arg(long)]
        replace: bool,
        /// Import what the preview shows without asking.
        #[arg(long)]
        yes: bool,
        /// A bundle's passphrase, read from stdin (else asked on the terminal).
        #[arg(long)]
        passphrase_stdin: bool,
        /// The age identity file that opens a bundle encrypted to age keys.
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
    },
    /// Write saved connections out (all, or NAMES): Patchbay's document, Airflow's or DBeaver's,
    /// without secrets unless --with-secrets (then only to stdout); or, with --bundle, an
    /// encrypted bundle with every secret, to move them to another machine.
    Export {
        #[arg(value_parser = input::Utf8)]
        names: Vec<String>,
        /// patchbay (its own document), airflow-json, airflow-env or dbeaver.
        #[arg(long, value_enum, default_value_t = ExportFormatArg::Patchbay)]
        format: ExportFormatArg,
        /// Put the secrets' values in (printed to stdout only: a file gets a bundle).
        #[arg(long)]
        with_secrets: bool,
        /// Write to FILE instead of stdout.
        #[arg(long, value_name = "FILE", conflicts_with = "with_secrets")]
        out: Option<PathBuf>,
        /// Write an age-encrypted bundle with every secret to FILE (never over an existing one).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["out", "with_secrets"])]
        bundle: Option<PathBuf>,
        /// Encrypt the bundle to this age public key (age1…) instead of a passphrase; repeat.
        #[arg(long, value_name = "AGE_PUBLIC_KEY", requires = "bundle")]
        recipient: Vec<String>,
        /// Read the bundle's passphrase from stdin (else asked twice on the terminal).
        #[arg(long, requires = "bundle")]
        passphrase_stdin: bool,
    },
    /// Manage named secrets (the Secrets tab).
    #[command(subcommand)]
    Secret(SecretCommand),
    /// The master key: status, generate, rotate.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Check that a connection works (or every one with --all): which step fails and why.
    Test {
        /// The connection to check.
        #[arg(required_unless_present = "all")]
        name: Option<String>,
        /// Only this kind (with --all), or which one the name means.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Check every saved connection (of --kind, if given) concurrently.
        #[arg(long, conflicts_with = "name")]
        all: bool,
        /// Seconds before a check gives up.
        #[arg(long, default_value_t = 10.0)]
        timeout: f64,
        /// How many checks run at once with --all.
        #[arg(long, default_value_t = patchbay_core::check::DEFAULT_PARALLELISM)]
        parallel: usize,
        /// Trust an SSH bastion not yet known by this host key fingerprint (SHA256:…, as the
        /// failed check named it); the key is then remembered.
        #[arg(long, value_name = "FINGERPRINT", value_parser = input::Utf8)]
        accept_host_key: Option<String>,
        /// A connection of this team (read from its engine), not a saved one.
        #[arg(long, value_parser = input::Utf8, conflicts_with = "all")]
        team: Option<String>,
    },
    /// Teams: connections kept in a team's secrets engine (OpenBao / HashiCorp Vault), in the
    /// layout Airflow's VaultBackend reads.
    #[command(subcommand)]
    Team(TeamCommand),
    /// Share a saved connection with a team (written to its engine; a name already there is a
    /// conflict, never overwritten).
    Share {
        #[arg(value_parser = input::Utf8)]
        name: String,
        #[arg(long, value_parser = input::Utf8)]
        team: String,
        /// Remove the local one once the team has it (on a terminal, without --copy or --move,
        /// Patchbay asks).
        #[arg(long = "move", conflicts_with = "copy")]
        moving: bool,
        /// Keep the local one too.
        #[arg(long)]
        copy: bool,
    },
    /// The versions of a team connection (the engine keeps them).
    History {
        #[arg(value_parser = input::Utf8)]
        name: String,
        #[arg(long, value_parser = input::Utf8)]
        team: String,
    },
    /// Make an earlier version of a team connection the current one again.
    Restore {
        #[arg(value_parser = input::Utf8)]
        name: String,
        #[arg(long, value_parser = input::Utf8)]
        team: String,
        #[arg(long)]
        version: u64,
    },
    /// Print the completion script for SHELL (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (patchbay.1 and one per command) into DIR.
    Man {
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
    /// Re-encrypt every secret under a new master key (same as `key rotate`).
    RotateKey {
        /// With PATCHBAY_MASTER_KEY: read the new key from stdin.
        #[arg(long)]
        new_key_stdin: bool,
    },
}
