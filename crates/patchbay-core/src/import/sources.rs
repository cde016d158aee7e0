//! Reading each source: where its files are, and which kind turns each record into a draft (the
//! database sources in `databases.rs`).

use std::path::{Path, PathBuf};

use super::files::{bad_lines, chosen, exposed, take};
use super::{databases, Reading, Source};
use crate::error::Result;
use crate::foreign::{self, airflow, aws, Env};
use crate::kinds;

pub(super) fn read(source: Source, path: Option<&Path>, env: &Env) -> Result<Reading> {
    let mut r = Reading::new(source);
    match source {
        Source::Pgpass => databases::pgpass(&mut r, path, env)?,
        Source::PgService => databases::services(&mut r, path, env)?,
        Source::MyCnf => databases::my_cnf(&mut r, path, env)?,
        Source::MyLogin => databases::my_login(&mut r, path, env)?,
        Source::Aws => aws_profiles(&mut r, path, env)?,
        Source::Airflow => airflow_file(&mut r, path)?,
        Source::Dotenv => dotenv_file(&mut r, path)?,
        Source::KafkaProperties => kafka_properties(&mut r, path, env)?,
        Source::Dbeaver => dbeaver(&mut r, path, env)?,
        Source::GcsKey => gcs_key(&mut r, path, env)?,
        Source::Datagrip => datagrip(&mut r, path)?,
        Source::Rclone => rclone(&mut r, path, env)?,
        Source::Patchbay => match path {
            Some(p) => return super::patchbay::read(p, None),
            None => return Ok(r), // exports have no default place
        },
        Source::AirflowEnv => {
            let (conns, unread) = airflow::from_env(env);
            r.found = conns.iter().map(kinds::from_airflow).collect();
            r.problems
                .extend(unread.into_iter().map(|(v, why)| format!("{v} {why}")));
        }
    }
    Ok(r)
}

fn aws_profiles(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let (creds, config) = aws::paths(env);
    // A file given is the credentials file, or the config when it is named so.
    let (creds, config) = match path {
        Some(p) if p.file_name().is_some_and(|n| n == "config") => (None, Some(p.to_path_buf())),
        Some(p) => (Some(p.to_path_buf()), None),
        None => (
            creds.filter(|p| p.is_file()),
            config.filter(|p| p.is_file()),
        ),
    };
    let creds_text = creds.as_deref().map(|p| take(r, p)).transpose()?;
    let config_text = config.as_deref().map(|p| take(r, p)).transpose()?;
    let (profiles, bad) = aws::profiles(
        creds.as_deref().zip(creds_text.as_deref()),
        config.as_deref().zip(config_text.as_deref()),
    );
    for (file, b) in bad {
        r.problems.push(format!("{file}:{}: {}", b.line, b.why));
    }
    for p in creds.iter().chain(config.iter()) {
        exposed(r, p, profiles.iter().any(|p| p.secret_access_key.is_some()));
    }
    r.found = profiles
        .iter()
        .map(kinds::s3::foreign::from_aws_profile)
        .collect();
    Ok(())
}

fn airflow_file(r: &mut Reading, path: Option<&Path>) -> Result<()> {
    let Some(path) = path else {
        return Ok(()); // exports have no default place
    };
    let text = take(r, path)?;
    let origin = path.display().to_string();
    let json =
        path.extension().is_some_and(|e| e == "json") || text.trim_start().starts_with(['{', '[']);
    let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
    let unreadable = |why: String| crate::error::Error::invalid("path", format!("{origin} {why}"));
    let (conns, unread) = if json {
        airflow::from_json(&text, &origin).map_err(unreadable)?
    } else if yaml {
        airflow::from_yaml(&text, &origin).map_err(unreadable)?
    } else {
        airflow::from_env_file(&text, &origin)
    };
    exposed(r, path, conns.iter().any(|c| c.password.is_some()));
    r.found = conns.iter().map(kinds::from_airflow).collect();
    r.problems.extend(
        unread
            .into_iter()
            .map(|(id, why)| format!("{origin}: {id} {why}")),
    );
    Ok(())
}

fn dotenv_file(r: &mut Reading, path: Option<&Path>) -> Result<()> {
    let Some(path) = chosen(path, Some(PathBuf::from(".env"))) else {
        return Ok(());
    };
    let text = take(r, &path)?;
    let (vars, bad) = foreign::dotenv::parse(&text);
    bad_lines(r, &path, bad);
    let mut holds = false;
    for (name, value, line) in vars {
        let lower = value.trim_start().to_ascii_lowercase();
        let is_db = ["postgres://", "postgresql://", "mysql://", "mariadb://"]
            .iter()
            .any(|s| lower.starts_with(s));
        let is_azure = kinds::azure::paste::is_connection_string(value.trim());
        if !(is_db || is_azure) {
            continue; // not a connection
        }
        let label = name.to_ascii_lowercase();
        let label = label
            .trim_end_matches("_url")
            .trim_end_matches("_connection_string")
            .replace('_', "-");
        let f = kinds::from_pasted(&format!("{}:{line} {name}", path.display()), &label, &value);
        holds |= f.draft.as_ref().is_ok_and(|d| !d.secrets.is_empty());
        r.found.push(f);
    }
    exposed(r, &path, holds);
    Ok(())
}

fn kafka_properties(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let default = env
        .var("KCAT_CONFIG")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".config").join("kcat.conf")));
    let Some(path) = chosen(path, default) else {
        return Ok(());
    };
    let text = take(r, &path)?;
    let props = foreign::properties::parse(&text);
    let server = props
        .iter()
        .find(|(k, _, _)| k == "bootstrap.servers")
        .map(|(_, v, _)| {
            v.split(',')
                .next()
                .unwrap_or("")
                .trim()
                .rsplit_once(':')
                .map_or(v.as_str(), |(h, _)| h)
                .to_string()
        })
        .unwrap_or_default();
    let name = foreign::name_of(&[&crate::paste::first_label(&server), "kafka"]);
    let f = kinds::kafka::foreign::from_properties_file(&path.display().to_string(), &name, &props);
    exposed(
        r,
        &path,
        f.draft.as_ref().is_ok_and(|d| !d.secrets.is_empty()),
    );
    r.found.push(f);
    Ok(())
}

fn dbeaver(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let default = foreign::dbeaver::folder(env).map(|d| d.join("data-sources.json"));
    let Some(path) = chosen(path, default) else {
        return Ok(());
    };
    let text = take(r, &path)?;
    let creds_path = path.with_file_name("credentials-config.json");
    let creds = creds_path
        .exists()
        .then(|| foreign::read_bytes(&creds_path, foreign::MAX_FILE_BYTES))
        .transpose()?;
    if creds.is_some() {
        r.files.push(creds_path.clone());
    }
    let shown = path.display().to_string();
    let (conns, problems) = foreign::dbeaver::read(&text, creds.as_deref(), &shown)
        .map_err(|why| crate::error::Error::invalid("path", format!("{shown} {why}")))?;
    r.problems.extend(problems);
    exposed(r, &creds_path, conns.iter().any(|c| c.password.is_some()));
    r.found = conns
        .iter()
        .map(kinds::database::ides::from_dbeaver)
        .collect();
    Ok(())
}

fn rclone(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let Some(path) = chosen(path, foreign::rclone::path(env)) else {
        return Ok(());
    };
    let text = take(r, &path)?;
    let shown = path.display().to_string();
    let (remotes, bad) = foreign::rclone::remotes(&text)
        .map_err(|why| crate::error::Error::invalid("path", format!("{shown} {why}")))?;
    bad_lines(r, &path, bad);
    r.found = remotes
        .iter()
        .map(|s| kinds::from_rclone(&format!("{shown}:{}", s.line), s))
        .collect();
    exposed(
        r,
        &path,
        r.found
            .iter()
            .any(|f| f.draft.as_ref().is_ok_and(|d| !d.secrets.is_empty())),
    );
    Ok(())
}

/// Whether the file at `path` is a Google service account key (by its first bytes).
pub(super) fn is_service_account_key(path: &Path) -> bool {
    let head = foreign::head(path, 512);
    let head = String::from_utf8_lossy(&head);
    head.trim_start().starts_with('{') && head.contains("\"service_account\"")
}

fn gcs_key(r: &mut Reading, path: Option<&Path>, env: &Env) -> Result<()> {
    let default = env.var("GOOGLE_APPLICATION_CREDENTIALS").map(PathBuf::from);
    let Some(path) = chosen(path, default) else {
        return Ok(());
    };
    let text = take(r, &path)?;
    exposed(r, &path, true);
    r.found.push(kinds::gcs::foreign::from_key_file(
        &path.display().to_string(),
        &text,
    ));
    Ok(())
}

fn datagrip(r: &mut Reading, path: Option<&Path>) -> Result<()> {
    let Some(path) = chosen(path, Some(PathBuf::from(".idea/dataSources.xml"))) else {
        return Ok(());
    };
    let text = take(r, &path)?;
    let local_path = path.with_file_name("dataSources.local.xml");
    let local = foreign::read_text(&local_path).ok();
    if local.is_some() {
        r.files.push(local_path);
    }
    let shown = path.display().to_string();
    let sources = foreign::datagrip::read(&text, local.as_deref())
        .map_err(|why| crate::error::Error::invalid("path", format!("{shown} {why}")))?;
    r.found = sources
        .iter()
        .map(|d| kinds::database::ides::from_datagrip(&format!("{shown}:{}", d.uuid), d))
        .collect();
    Ok(())
}
