//! The database sources: libpq's password and service files, and MySQL's option and login path
//! files.

use std::path::{Path, PathBuf};

use super::files::{bad_lines, chosen, exposed, take};
use super::Reading;
use crate::error::Result;
use crate::foreign::{self, libpq, option_files, read_text, Env, Found};
use crate::kinds;

pub(super) fn pgpass(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let Some(path) = chosen(path, libpq::pgpass_path(env)) else {
        return Ok(());
    };
    let text = take(r, &path)?;
    if foreign::open_to_others(&path) {
        r.problems.push(format!(
            "{} holds secrets and other users can read it: libpq ignores it until you chmod 600 it",
            path.display()
        ));
    }
    let (entries, bad) = libpq::parse_pgpass(&text);
    bad_lines(r, &path, bad);
    for e in &entries {
        let origin = format!("{}:{}", path.display(), e.line);
        let name = if e.is_wildcard() {
            format!("line {}", e.line)
        } else {
            foreign::name_of(&[&e.database, &crate::paste::first_label(&e.host)])
        };
        if e.is_wildcard() {
            r.found.push(Found::skipped(origin, name, format!(
                "a wildcard entry ({}:{}:{}:{}) matches many connections: its password goes to the service-file connections it matches",
                e.host, e.port, e.database, e.user
            )));
            continue;
        }
        let get = |k: &str| match k {
            "host" => Some(e.host.clone()),
            "port" => Some(e.port.clone()),
            "dbname" => Some(e.database.clone()),
            "user" => Some(e.user.clone()),
            _ => None,
        };
        r.found.push(kinds::database::foreign::from_libpq(
            &origin,
            &name,
            &get,
            Some(e.password.clone()),
        ));
    }
    Ok(())
}

pub(super) fn services(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let paths: Vec<PathBuf> = match path {
        Some(p) => vec![p.to_path_buf()],
        None => libpq::service_paths(env)
            .into_iter()
            .filter(|p| p.is_file())
            .collect(),
    };
    // The passwords libpq would add: the user's password file, when it is there.
    let pgpass = libpq::pgpass_path(env)
        .filter(|p| p.is_file())
        .and_then(|p| read_text(&p).ok().map(|t| (p, libpq::parse_pgpass(&t).0)));
    let mut seen = Vec::new();
    for path in paths {
        let text = take(r, &path)?;
        let (sections, bad) = libpq::parse_services(&text);
        bad_lines(r, &path, bad);
        exposed(
            r,
            &path,
            sections.iter().any(|s| s.get("password").is_some()),
        );
        for s in sections {
            if seen.contains(&s.name) {
                continue; // the user's file comes first and wins, as in libpq
            }
            seen.push(s.name.clone());
            let origin = format!("{}:{}", path.display(), s.line);
            let get = |k: &str| s.get(k).filter(|v| !v.is_empty()).map(str::to_string);
            let mut note = None;
            let password = match s.get("password") {
                Some(p) => Some(crate::secret::SecretString::new(p)),
                None => pgpass.as_ref().and_then(|(file, entries)| {
                    let e = libpq::password_for(
                        entries,
                        &get("host").unwrap_or_default(),
                        &get("port").unwrap_or_default(),
                        &get("dbname").unwrap_or_default(),
                        &get("user").unwrap_or_default(),
                    )?;
                    note = Some(format!("password from {}:{}", file.display(), e.line));
                    Some(e.password.clone())
                }),
            };
            let mut f = kinds::database::foreign::from_libpq(&origin, &s.name, &get, password);
            f.notes.extend(note);
            r.found.push(f);
        }
    }
    Ok(())
}

pub(super) fn my_cnf(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let Some(path) = chosen(path, option_files::user_file(env)) else {
        return Ok(());
    };
    take(r, &path)?;
    let o = option_files::read(&path)?;
    for (file, b) in &o.bad {
        r.problems.push(format!("{file}:{}: {}", b.line, b.why));
    }
    r.files = o.files.clone();
    exposed(r, &path, o.get("password").is_some());
    if o.options.is_empty() {
        r.problems.push(format!(
            "{} has no [client] or [mysql] options",
            path.display()
        ));
        return Ok(());
    }
    let host = o.get("host").unwrap_or("localhost");
    let name = foreign::name_of(&[
        o.get("database").unwrap_or(""),
        &crate::paste::first_label(host),
    ]);
    r.found.push(kinds::database::foreign::from_client_options(
        &path.display().to_string(),
        &name,
        &o,
    ));
    Ok(())
}

pub(super) fn my_login(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let Some(path) = chosen(path, foreign::mylogin::path(env)) else {
        return Ok(());
    };
    let shown = path.display().to_string();
    let bytes = foreign::read_bytes(&path, foreign::MAX_FILE_BYTES)?;
    r.files.push(path.clone());
    let plain = foreign::mylogin::decrypt(&bytes)
        .map_err(|why| crate::error::Error::invalid("path", format!("{shown} {why}")))?;
    for (name, o) in foreign::mylogin::login_paths(&plain) {
        let label = if name == "client" {
            "mysql".to_string()
        } else {
            name.clone()
        };
        r.found.push(kinds::database::foreign::from_client_options(
            &format!("{shown} [{name}]"),
            &label,
            &o,
        ));
    }
    exposed(r, &path, true);
    Ok(())
}
