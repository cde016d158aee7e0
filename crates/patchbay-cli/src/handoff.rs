//! `url`, `env` and `exec`: how other programs get a saved connection's credentials at run time.
//! `exec` passes secrets to the child through its environment only, and PEM material through
//! private temporary files that are removed when the child exits (signals are forwarded to the
//! child meanwhile: see `child.rs`).

use std::process::Command;

use patchbay_core::handoff::{self, Handoff, OptionVar, Value};
use patchbay_core::model::{Connection, DbEngine, Spec};
use patchbay_core::{Error, Resolved, Result};

use crate::args::EnvFormat;
use crate::out::Out;

/// Prints `export NAME='value'` lines (or a JSON object), noting withheld secrets on stderr.
pub fn print_env(r: &Resolved, with_secrets: bool, out: Out, format: EnvFormat) -> Result<()> {
    let h = patchbay_core::kinds::env(r, with_secrets);
    // --json means JSON variables, except for the formats made for one tool (storage options are
    // JSON already; a DuckDB statement is SQL, its errors JSON).
    let format = match format {
        EnvFormat::StorageOptions | EnvFormat::Duckdb => format,
        _ if out.json => EnvFormat::Json,
        _ => format,
    };
    match format {
        EnvFormat::Json => {
            let mut map = serde_json::Map::new();
            for (k, v) in &h.vars {
                match v {
                    Value::Plain(s) => map.insert(k.clone(), s.clone().into()),
                    Value::Secret(s) => map.insert(k.clone(), s.expose().into()),
                    Value::PemFile(_) | Value::OptionDir { .. } | Value::SecretFile { .. } => {
                        continue
                    }
                };
            }
            println!("{}", serde_json::Value::Object(map));
        }
        EnvFormat::Properties | EnvFormat::JavaProperties => {
            let props = if format == EnvFormat::Properties {
                patchbay_core::kinds::kafka::properties::librdkafka(r, with_secrets)
            } else {
                patchbay_core::kinds::kafka::properties::java(r, with_secrets)
            };
            if props.is_empty() {
                return Err(Error::invalid(
                    "format",
                    "properties output is for Kafka connections",
                ));
            }
            for (k, v) in props {
                let key = handoff::properties_escape(&k, true);
                match v {
                    Value::Plain(s) => println!("{key}={}", handoff::properties_escape(&s, false)),
                    Value::Secret(s) => {
                        println!("{key}={}", handoff::properties_escape(s.expose(), false))
                    }
                    Value::PemFile(_) | Value::OptionDir { .. } | Value::SecretFile { .. } => {}
                }
            }
        }
        EnvFormat::Shell => {
            for line in h.shell_lines(false) {
                println!("{line}");
            }
        }
        EnvFormat::Dotenv => {
            for line in h.dotenv_lines()? {
                println!("{line}");
            }
        }
        EnvFormat::StorageOptions => {
            let o = patchbay_core::store_formats::storage_options(r, with_secrets)?;
            let mut map = serde_json::Map::new();
            for (k, v) in &o.vars {
                let v = match v {
                    Value::Plain(s) => s.clone(),
                    Value::Secret(s) => s.expose().to_string(),
                    Value::PemFile(_) | Value::OptionDir { .. } | Value::SecretFile { .. } => {
                        continue
                    }
                };
                map.insert(k.clone(), v.into());
            }
            println!(
                "{}",
                zeroize::Zeroizing::new(serde_json::Value::Object(map).to_string()).as_str()
            );
            if !o.withheld.is_empty() {
                eprintln!(
                    "note: {} withheld; add --with-password to include secrets",
                    o.withheld.join(", ")
                );
            }
            return Ok(());
        }
        EnvFormat::Duckdb => {
            let sql = patchbay_core::store_formats::duckdb_secret(r, with_secrets)?;
            println!("{}", sql.expose());
            return Ok(());
        }
    }
    if !h.withheld.is_empty() {
        eprintln!(
            "note: {} withheld; add --with-password to include secrets",
            h.withheld.join(", ")
        );
    }
    if let patchbay_core::model::Spec::Database(d) = &r.connection.spec {
        if d.engine == patchbay_core::model::DbEngine::Mysql {
            eprintln!(
                "note: the mariadb/mysql clients and mariadb-dump do not read MYSQL_USER or MYSQL_DATABASE; run them as `patchbay exec {} -- mariadb`, which hands them an option file (MYSQL_HOME)",
                r.connection.name
            );
        }
    }
    Ok(())
}

/// A URL cannot carry a CA certificate. For a connection that verifies against one: with
/// `ca_file`, writes it there and names it in the URL (`sslrootcert=`, PostgreSQL's); without,
/// returns a note saying so. None when there is nothing to say.
pub fn url_ca(c: &Connection, url: &mut String, ca_file: Option<&str>) -> Result<Option<String>> {
    let Spec::Database(d) = &c.spec else {
        return Ok(None);
    };
    let Some(ca) = d.ca_cert.as_deref().filter(|_| d.ssl_mode.verifies()) else {
        if ca_file.is_some() {
            return Err(Error::invalid(
                "ca_file",
                format!(
                    "\"{}\" has no CA certificate to write (it does not verify against one)",
                    c.name
                ),
            ));
        }
        return Ok(None);
    };
    match (ca_file, d.engine) {
        (Some(path), DbEngine::Postgresql) => {
            std::fs::write(path, ca)
                .map_err(|e| Error::invalid("ca_file", format!("cannot write {path}: {e}")))?;
            // Percent-encoded as libpq decodes URIs (a space is %20, not +).
            let encoded: String = url::form_urlencoded::byte_serialize(path.as_bytes())
                .collect::<String>()
                .replace('+', "%20");
            url.push_str("&sslrootcert=");
            url.push_str(&encoded);
            Ok(None)
        }
        (Some(_), DbEngine::Mysql) => Err(Error::invalid(
            "ca_file",
            "MySQL URLs have no standard way to name a CA file; use `patchbay exec`, which hands the clients their CA",
        )),
        (None, _) => Ok(Some(format!(
            "{} verifies the server against a CA certificate that a URL cannot carry: add --ca-file PATH to write it and name it in the URL, or use `patchbay exec`",
            c.name
        ))),
    }
}

/// Runs `argv` with the connection's variables (through the SSH tunnel at `tunnel`, when the
/// connection has one), returning its exit code.
pub fn exec(r: &Resolved, argv: &[String], tunnel: Option<std::net::SocketAddr>) -> Result<i32> {
    let Some((program, args)) = argv.split_first() else {
        return Err(Error::invalid(
            "command",
            "name the command to run after --, e.g. patchbay exec NAME -- psql",
        ));
    };
    crate::child::remove_stale_temp_dirs();
    let h: Handoff = match tunnel {
        Some(local) => patchbay_core::kinds::database::tunnel::env_through(r, local, true),
        None => patchbay_core::kinds::env(r, true),
    };
    // A command that names its own option file has chosen what it reads.
    if !args.iter().any(|a| a.contains("--defaults-file")) {
        for w in &h.warnings {
            eprintln!("patchbay: warning: {w}");
        }
    }
    let mut cmd = Command::new(program);
    cmd.args(args);
    // The child gets the user's own umask and core-dump limit, not patchbay's hardened ones.
    // SAFETY: restore_for_child makes only async-signal-safe system calls.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(
            &mut cmd,
            patchbay_core::process::restore_for_child,
        );
    }
    // The child gets exactly this connection: none of the caller's variables of its ecosystem
    // (libpq's PG*, MYSQL_*, AWS_*, KAFKA_*) that Patchbay does not set, and no team engine's
    // token (BAO_TOKEN, VAULT_TOKEN: the fallback a team's token may be read from).
    let names: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .collect();
    for k in h.to_remove(names.iter().map(String::as_str)) {
        cmd.env_remove(k);
    }
    for k in patchbay_core::keys::TEAM_TOKEN_VARIABLES {
        cmd.env_remove(k);
    }
    let mut temp_dir = None;
    for (k, v) in &h.vars {
        match v {
            Value::Plain(s) => {
                cmd.env(k, s);
            }
            Value::Secret(s) => {
                cmd.env(k, s.expose());
            }
            Value::PemFile(pem) => {
                let dir = match &temp_dir {
                    Some(d) => d,
                    None => temp_dir.insert(crate::child::private_temp_dir()?),
                };
                let path = dir.join(format!("{}.pem", k.to_ascii_lowercase()));
                patchbay_core::paths::write_private_atomically(&path, pem.as_bytes())?;
                cmd.env(k, &path);
            }
            Value::SecretFile { name, content } => {
                let dir = match &temp_dir {
                    Some(d) => d,
                    None => temp_dir.insert(crate::child::private_temp_dir()?),
                };
                let path = dir.join(name);
                patchbay_core::paths::write_private_atomically(&path, content.expose().as_bytes())?;
                cmd.env(k, &path);
            }
            Value::OptionDir {
                name,
                content,
                files,
                paths,
                var,
            } => {
                let dir = match &temp_dir {
                    Some(d) => d,
                    None => temp_dir.insert(crate::child::private_temp_dir()?),
                };
                let home = dir.join(k.to_ascii_lowercase());
                patchbay_core::paths::ensure_private_dir(&home)?;
                for (file, text) in files {
                    patchbay_core::paths::write_private_atomically(
                        &home.join(file),
                        text.expose().as_bytes(),
                    )?;
                }
                let mut text = zeroize::Zeroizing::new(content.expose().to_string());
                for (line, file) in paths {
                    text.push_str(&format!("{line}{}\n", home.join(file).display()));
                }
                let file = home.join(name);
                patchbay_core::paths::write_private_atomically(&file, text.as_bytes())?;
                match var {
                    OptionVar::Dir => cmd.env(k, &home),
                    OptionVar::File => cmd.env(k, &file),
                };
            }
        }
    }
    let status = crate::child::run(&mut cmd, program);
    if let Some(d) = temp_dir {
        let _ = std::fs::remove_dir_all(d);
    }
    Ok(crate::child::exit_code(status?))
}
