//! The `patchbay team …` subcommands: join a team's secrets engine, list the teams, leave one,
//! list a team's connections.

use clap::Subcommand;

use crate::input;

#[derive(Subcommand, Debug)]
pub enum TeamCommand {
    /// Join a team: log in to its engine (OpenBao / HashiCorp Vault, KV v2) and keep the token in
    /// the OS keychain. The token (--auth token) or the password (--auth userpass) is asked on
    /// the terminal, or read from stdin with --secret-stdin.
    Add {
        #[arg(value_parser = input::Utf8)]
        name: String,
        /// The engine's address, e.g. https://bao.internal:8200.
        #[arg(long, value_parser = input::Utf8)]
        address: String,
        /// The KV version 2 mount.
        #[arg(long, default_value = "secret", value_parser = input::Utf8)]
        mount: String,
        /// The team's folder under the mount (connections/ and variables/ go under it).
        #[arg(long, value_parser = input::Utf8)]
        path: String,
        /// The engine's namespace, where it has them.
        #[arg(long, value_parser = input::Utf8)]
        namespace: Option<String>,
        /// The CA certificate (PEM file) that signs the engine's certificate.
        #[arg(long, value_name = "FILE", value_parser = input::Utf8)]
        ca_cert: Option<String>,
        /// token or userpass.
        #[arg(long, default_value = "token", value_parser = input::Utf8)]
        auth: String,
        /// The user name (userpass).
        #[arg(long, value_parser = input::Utf8)]
        user: Option<String>,
        /// Read the token or password from stdin.
        #[arg(long)]
        secret_stdin: bool,
    },
    /// Log in to a team's engine again (its token expired or was revoked), with its saved
    /// settings: the token or password is asked, or read from stdin with --secret-stdin.
    Login {
        #[arg(value_parser = input::Utf8)]
        name: String,
        #[arg(long)]
        secret_stdin: bool,
    },
    /// The teams this store belongs to, and until when each one's token works.
    List,
    /// Leave a team (its settings, its cached list and its token go; the engine keeps all).
    Remove {
        #[arg(value_parser = input::Utf8)]
        name: String,
    },
    /// A team's connections, read from its engine (the last list when it cannot be reached).
    Ls {
        #[arg(value_parser = input::Utf8)]
        name: String,
    },
}
