//! The `patchbay team …` subcommands: join a team's secrets engine, list the teams, leave one,
//! list a team's connections.

use clap::{Args, Subcommand};

use crate::input;

#[derive(Subcommand, Debug)]
pub enum TeamCommand {
    /// Join a team: log in to its engine (OpenBao / HashiCorp Vault KV v2, or AWS Secrets Manager
    /// with --engine aws-secrets-manager) and keep the token in the OS keychain. The token (--auth
    /// token), the password (userpass), the secret id (approle), the JWT (jwt) or the secret
    /// access key (aws-keys) is asked on the terminal, or read from stdin with --secret-stdin.
    Add(Box<TeamJoin>),
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

/// How `team add` joins: where the engine and the team's folder are, and how to log in.
#[derive(Args, Debug)]
pub struct TeamJoin {
    #[arg(value_parser = input::Utf8)]
    pub name: String,
    /// vault (OpenBao or HashiCorp Vault, KV v2) or aws-secrets-manager.
    #[arg(long, default_value = "vault", value_parser = input::Utf8)]
    pub engine: String,
    /// The engine's address, e.g. https://bao.internal:8200 (AWS Secrets Manager: its region's
    /// endpoint when not given).
    #[arg(long, default_value = "", value_parser = input::Utf8)]
    pub address: String,
    /// The AWS region (aws-secrets-manager).
    #[arg(long, value_parser = input::Utf8)]
    pub region: Option<String>,
    /// The KV version 2 mount.
    #[arg(long, default_value = "secret", value_parser = input::Utf8)]
    pub mount: String,
    /// The team's folder under the mount (connections/ and variables/ go under it); for AWS
    /// Secrets Manager the names' prefix (Airflow's default is "airflow").
    #[arg(long, value_parser = input::Utf8)]
    pub path: String,
    /// The engine's namespace, where it has them.
    #[arg(long, value_parser = input::Utf8)]
    pub namespace: Option<String>,
    /// The CA certificate (PEM file) that signs the engine's certificate.
    #[arg(long, value_name = "FILE", value_parser = input::Utf8)]
    pub ca_cert: Option<String>,
    /// token, userpass, approle, jwt, or aws-keys (AWS Secrets Manager).
    #[arg(long, default_value = "token", value_parser = input::Utf8)]
    pub auth: String,
    /// The user name (userpass).
    #[arg(long, value_parser = input::Utf8, conflicts_with_all = ["role_id", "role"])]
    pub user: Option<String>,
    /// The AppRole's role id (approle; not a secret: the secret id is).
    #[arg(long, value_parser = input::Utf8, conflicts_with = "role")]
    pub role_id: Option<String>,
    /// The JWT method's role (jwt).
    #[arg(long, value_parser = input::Utf8)]
    pub role: Option<String>,
    /// The AWS access key id (aws-keys; its secret access key is the secret).
    #[arg(long, value_parser = input::Utf8, conflicts_with_all = ["user", "role_id", "role"])]
    pub access_key_id: Option<String>,
    /// Read the token or password from stdin.
    #[arg(long)]
    pub secret_stdin: bool,
}
