//! `patchbay`: manage saved connections from the shell and hand their credentials to other
//! programs by name (`url`, `env`, `exec`). Errors go to stderr (as `{code, message, field}` with
//! `--json`) with a non-zero exit code.

mod check;
mod child;
mod fields;
mod handoff;
mod input;
mod show;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use patchbay_core::keys::{self, KeySource};
use patchbay_core::model::*;
use patchbay_core::{Catalog, Error, MasterKey, Result};

#[derive(Parser, Debug)]
#[command(
    name = "patchbay",
    version,
    about = "Saved credentials for databases, object stores and Kafka, handed to programs by name"
)]
struct Cli {
    /// Where the store lives (default: your data directory; or PATCHBAY_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR", env = "PATCHBAY_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug)]
struct Target {
    /// The connection's name.
    #[arg(value_parser = input::Utf8)]
    name: String,
    /// database, storage or kafka (needed only when the name exists in several kinds).
    #[arg(long)]
    kind: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Save a new connection: TYPE is postgres, mysql, s3 or kafka.
    Add {
        #[arg(value_name = "TYPE")]
        kind: String,
        #[arg(value_parser = input::Utf8)]
        name: String,
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
        #[command(flatten)]
        fields: fields::FieldArgs,
    },
    /// Show one connection (secrets only as set / not set).
    Show {
        #[command(flatten)]
        target: Target,
    },
    /// List saved connections.
    #[command(alias = "ls")]
    List {
        /// Only this kind: database, storage or kafka.
        #[arg(long)]
        kind: Option<String>,
    },
    /// Delete a connection and the secrets it owns.
    #[command(alias = "rm")]
    Remove {
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
        #[arg(long)]
        with_password: bool,
    },
    /// Print the environment variables its tools read (secrets omitted unless --with-password).
    Env {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        with_password: bool,
        /// shell, dotenv, json, or (Kafka) properties.
        #[arg(long, default_value = "shell")]
        format: String,
    },
    /// Run a command with the connection's variables (secrets included) in its environment.
    Exec {
        #[command(flatten)]
        target: Target,
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<String>,
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
        /// database, storage or kafka.
        #[arg(long)]
        kind: Option<String>,
        /// Check every saved connection (of --kind, if given) concurrently.
        #[arg(long, conflicts_with = "name")]
        all: bool,
        /// Seconds before a check gives up.
        #[arg(long, default_value_t = 10.0)]
        timeout: f64,
        /// How many checks run at once with --all.
        #[arg(long, default_value_t = patchbay_core::probe::DEFAULT_PARALLELISM)]
        parallel: usize,
    },
    /// Re-encrypt every secret under a new master key (same as `key rotate`).
    RotateKey {
        /// With PATCHBAY_MASTER_KEY: read the new key from stdin.
        #[arg(long)]
        new_key_stdin: bool,
    },
}

#[derive(Subcommand, Debug)]
enum SecretCommand {
    /// Create a secret or replace its value (read from a prompt, or stdin with --value-stdin).
    Set {
        name: String,
        #[arg(long)]
        value_stdin: bool,
        #[arg(long)]
        description: Option<String>,
    },
    /// Change a secret's description.
    Describe { name: String, description: String },
    /// List secrets (names and users only).
    #[command(alias = "ls")]
    List,
    /// Show a secret's metadata; --reveal prints its value.
    Show {
        name: String,
        #[arg(long)]
        reveal: bool,
    },
    /// Rename a secret (connections using it follow).
    Rename { name: String, new_name: String },
    /// Delete a secret (refused while a connection uses it).
    #[command(alias = "rm")]
    Remove { name: String },
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
    /// Where the key lives and whether it opens this store.
    Status,
    /// Print a new random Fernet key (for PATCHBAY_MASTER_KEY).
    Generate,
    /// Re-encrypt every secret under a new key.
    Rotate {
        #[arg(long)]
        new_key_stdin: bool,
    },
}

fn main() -> ExitCode {
    // Before anything else (no thread or child exists yet): the key variables leave the
    // environment, so `exec`'s command never inherits the key to every secret.
    keys::take_env();
    patchbay_core::process::harden();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let json = cli.json;
    let result = run(cli);
    for note in keys::take_notices() {
        eprintln!("patchbay: note: {note}");
    }
    match result {
        Ok(code) => code,
        Err(e) => {
            if json {
                eprintln!("{}", serde_json::json!({ "error": e }));
            } else {
                eprintln!("patchbay: {}", e);
            }
            ExitCode::from(1)
        }
    }
}

/// A command line clap refused. With `--json` anywhere on it, the error arrives as JSON like
/// every other error (`code` "usage", `field` the form field of the option when one is at
/// fault); otherwise clap prints it. Help and version go to stdout as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let asked_json = std::env::args_os().any(|a| a == "--json");
    if !asked_json || matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        e.exit();
    }
    let field = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(arg)) => Some(fields::field_of_option(arg)),
        _ => None,
    };
    let message = e.render().to_string();
    let message = message
        .trim()
        .trim_start_matches("error: ")
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    eprintln!(
        "{}",
        serde_json::json!({ "error": { "code": "usage", "message": message, "field": field } })
    );
    ExitCode::from(2)
}

fn key_source() -> Result<KeySource> {
    let source = KeySource::from_env()?;
    if let KeySource::KeyFile {
        path,
        passphrase: None,
    } = &source
    {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            let passphrase = input::prompt(&format!("passphrase for {}", path.display()))?;
            return Ok(KeySource::KeyFile {
                path: path.clone(),
                passphrase: Some(passphrase),
            });
        }
    }
    Ok(source)
}

fn open(cli_dir: &Option<PathBuf>) -> Result<Catalog> {
    let dir = match cli_dir {
        Some(d) => d.clone(),
        None => patchbay_core::paths::data_dir()?,
    };
    Catalog::open_in(&dir, key_source()?)
}

fn kind_of(kind: &Option<String>) -> Result<Option<Kind>> {
    kind.as_deref()
        .map(|k| {
            Kind::parse(k).ok_or_else(|| {
                Error::invalid(
                    "kind",
                    format!("\"{k}\" is not a kind; use database, storage or kafka"),
                )
            })
        })
        .transpose()
}

fn print_json<T: serde::Serialize>(v: &T) {
    println!("{}", serde_json::to_string_pretty(v).expect("serialisable"));
}

fn run(cli: Cli) -> Result<ExitCode> {
    let json = cli.json;
    let done = |c: &Connection, verb: &str| {
        if json {
            print_json(c);
        } else {
            println!("{verb} {} \"{}\"", c.kind.label(), c.name);
        }
    };
    match cli.command {
        Command::Add { kind, name, fields } => {
            let mut spec = fields::blank_spec(&kind)?;
            fields.apply(&mut spec)?;
            let mut draft = ConnectionDraft::new(name, spec);
            draft.env_tag = fields.env_tag.clone();
            fields.secrets(&mut draft)?;
            let mut cat = open(&cli.data_dir)?;
            let c = cat.create(draft)?;
            done(&c, "saved");
        }
        Command::Edit {
            target,
            rename,
            keep_secrets,
            fields,
        } => {
            let mut cat = open(&cli.data_dir)?;
            let current = cat.get(kind_of(&target.kind)?, &target.name)?;
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
            let c = cat
                .update(Some(current.kind), &current.name, draft)
                .map_err(|e| match e {
                    Error::SecretWouldMove { field, message } => Error::SecretWouldMove {
                        message: format!(
                            "{message} (on the command line: give it again with {}, or add --keep-secrets)",
                            stdin_option(&field)
                        ),
                        field,
                    },
                    other => other,
                })?;
            done(&c, "updated");
        }
        Command::Show { target } => {
            let cat = open(&cli.data_dir)?;
            let c = cat.get(kind_of(&target.kind)?, &target.name)?;
            if json {
                print_json(&c);
            } else {
                show::connection(&c);
            }
        }
        Command::List { kind } => {
            let cat = open(&cli.data_dir)?;
            let list = cat.list(kind_of(&kind)?)?;
            if json {
                print_json(&list);
            } else {
                show::connection_table(&list);
            }
        }
        Command::Remove { target } => {
            let mut cat = open(&cli.data_dir)?;
            let c = cat.remove(kind_of(&target.kind)?, &target.name)?;
            done(&c, "removed");
        }
        Command::Rename { target, new_name } => {
            let mut cat = open(&cli.data_dir)?;
            let c = cat.rename(kind_of(&target.kind)?, &target.name, &new_name)?;
            done(&c, "renamed");
        }
        Command::Reveal { target, field } => {
            let cat = open(&cli.data_dir)?;
            let kind = kind_of(&target.kind)?;
            let c = cat.get(kind, &target.name)?;
            let field = match field {
                Some(f) => SecretField::parse(&f).ok_or_else(|| {
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
            let v = cat.reveal(Some(c.kind), &c.name, field)?;
            println!("{}", v.expose());
        }
        Command::Url {
            target,
            with_password,
        } => {
            let cat = open(&cli.data_dir)?;
            let kind = kind_of(&target.kind)?;
            let r = if with_password {
                cat.resolve(kind, &target.name)?
            } else {
                without_secrets(&cat, kind, &target.name)?
            };
            println!("{}", patchbay_core::handoff::url(&r, with_password));
        }
        Command::Env {
            target,
            with_password,
            format,
        } => {
            let cat = open(&cli.data_dir)?;
            let kind = kind_of(&target.kind)?;
            let r = if with_password {
                cat.resolve(kind, &target.name)?
            } else {
                without_secrets(&cat, kind, &target.name)?
            };
            handoff::print_env(&r, with_password, if json { "json" } else { &format })?;
        }
        Command::Exec { target, command } => {
            let cat = open(&cli.data_dir)?;
            let r = cat.resolve(kind_of(&target.kind)?, &target.name)?;
            drop(cat);
            let code = handoff::exec(&r, &command)?;
            return Ok(ExitCode::from(code.clamp(0, 255) as u8));
        }
        Command::Test {
            name,
            kind,
            all: _,
            timeout,
            parallel,
        } => {
            if !(timeout > 0.0 && timeout <= 600.0) {
                return Err(Error::invalid(
                    "timeout",
                    "use a number of seconds between 0 and 600",
                ));
            }
            let mut cat = open(&cli.data_dir)?;
            let ok = check::run(
                &mut cat,
                name.as_deref(),
                kind_of(&kind)?,
                std::time::Duration::from_secs_f64(timeout),
                parallel,
                json,
            )?;
            return Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(3)
            });
        }
        Command::Secret(cmd) => secret(cmd, &cli.data_dir, json)?,
        Command::Key(cmd) => key(cmd, &cli.data_dir, json)?,
        Command::RotateKey { new_key_stdin } => {
            key(KeyCommand::Rotate { new_key_stdin }, &cli.data_dir, json)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The option that sets a secret field again.
fn stdin_option(field: &str) -> &'static str {
    match field {
        "secret_access_key" => "--secret-key-stdin",
        "sasl_password" => "--sasl-password-stdin",
        "schema_registry_password" => "--schema-registry-password-stdin",
        "client_key" => "--client-key FILE",
        _ => "--password-stdin",
    }
}

/// A resolved view with placeholders for secrets: enough for `url`/`env` without a password,
/// and it does not need the key.
fn without_secrets(
    cat: &Catalog,
    kind: Option<Kind>,
    name: &str,
) -> Result<patchbay_core::Resolved> {
    let connection = cat.get(kind, name)?;
    let secrets = connection
        .secrets
        .iter()
        .map(|s| (s.field, patchbay_core::SecretString::new("")))
        .collect();
    Ok(patchbay_core::Resolved {
        connection,
        secrets,
    })
}

fn secret(cmd: SecretCommand, dir: &Option<PathBuf>, json: bool) -> Result<()> {
    let mut cat = open(dir)?;
    match cmd {
        SecretCommand::Set {
            name,
            value_stdin,
            description,
        } => {
            let value = if value_stdin {
                input::from_stdin("value")?
            } else {
                input::prompt(&format!("value of secret \"{name}\""))?
            };
            let info = cat.put_secret(&name, &value, description.as_deref())?;
            if json {
                print_json(&info)
            } else {
                println!("saved secret \"{}\"", info.name)
            }
        }
        SecretCommand::Describe { name, description } => {
            let info = cat.describe_secret(&name, &description)?;
            if json {
                print_json(&info)
            } else {
                println!("updated secret \"{}\"", info.name)
            }
        }
        SecretCommand::List => {
            let list = cat.list_secrets()?;
            if json {
                print_json(&list)
            } else {
                show::secret_table(&list)
            }
        }
        SecretCommand::Show { name, reveal } => {
            if reveal {
                println!("{}", cat.reveal_secret(&name)?.expose());
            } else {
                let info = cat.secret_info(&name)?;
                if json {
                    print_json(&info);
                } else {
                    println!("{}", info.name);
                    println!(
                        "  description   {}",
                        info.description.as_deref().unwrap_or("-")
                    );
                    println!(
                        "  used by       {}",
                        if info.used_by.is_empty() {
                            "-".into()
                        } else {
                            info.used_by.join(", ")
                        }
                    );
                    println!(
                        "  created       {}",
                        patchbay_core::clock::rfc3339(info.created_at)
                    );
                    println!(
                        "  updated       {}",
                        patchbay_core::clock::rfc3339(info.updated_at)
                    );
                }
            }
        }
        SecretCommand::Rename { name, new_name } => {
            let info = cat.rename_secret(&name, &new_name)?;
            if json {
                print_json(&info)
            } else {
                println!("renamed secret to \"{}\"", info.name)
            }
        }
        SecretCommand::Remove { name } => {
            let info = cat.remove_secret(&name)?;
            if json {
                print_json(&info)
            } else {
                println!("removed secret \"{}\"", info.name)
            }
        }
    }
    Ok(())
}

fn key(cmd: KeyCommand, dir: &Option<PathBuf>, json: bool) -> Result<()> {
    match cmd {
        KeyCommand::Generate => {
            println!("{}", MasterKey::generate()?.expose());
        }
        KeyCommand::Status => {
            let cat = open(dir)?;
            let source = cat.key_source().describe();
            let keychain =
                matches!(cat.key_source(), KeySource::Keychain).then(keys::keychain_self_test);
            let unlock = cat.vault().map(|_| ());
            let status = serde_json::json!({
                "store": cat.path().display().to_string(),
                "key_source": source,
                "encrypted_values": cat.encrypted_values()?,
                "keychain_self_test": keychain.as_ref().map(|r| r.as_ref().map(|_| "ok").map_err(|e| e.to_string())),
                "unlocked": unlock.is_ok(),
                "error": unlock.as_ref().err(),
            });
            if json {
                print_json(&status);
            } else {
                println!("store              {}", cat.path().display());
                println!("key source         {source}");
                println!("encrypted values   {}", cat.encrypted_values()?);
                if let Some(r) = &keychain {
                    println!(
                        "keychain test      {}",
                        match r {
                            Ok(()) => "ok (write, read back, delete)".to_string(),
                            Err(e) => e.to_string(),
                        }
                    );
                }
                match &unlock {
                    Ok(()) => println!("key                opens this store"),
                    Err(e) => println!("key                {e}"),
                }
            }
            unlock?;
        }
        KeyCommand::Rotate { new_key_stdin } => {
            let mut cat = open(dir)?;
            let new_key = if new_key_stdin {
                Some(MasterKey::parse(
                    input::from_stdin("new key")?.expose(),
                    "the new key on stdin",
                )?)
            } else {
                None
            };
            let r = cat.rotate_key(new_key)?;
            if json {
                print_json(&r);
            } else {
                println!(
                    "re-encrypted {} secret(s) under a new key kept in {}",
                    r.secrets_reencrypted,
                    cat.key_source().describe()
                );
                if let KeySource::Given { origin, .. } = cat.key_source() {
                    println!("now set {origin} to the new key");
                }
            }
        }
    }
    Ok(())
}
