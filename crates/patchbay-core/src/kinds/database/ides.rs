//! How the database IDEs' records become a Patchbay connection and back: DBeaver's
//! `data-sources.json` (its connection type as the environment, the TLS mode set as a driver
//! property, its SSH tunnel with the secret it saved) and DataGrip's data sources (JDBC URL and
//! user; the password stays in the IDE).

use super::foreign::found;
use crate::foreign::dbeaver::{DbeaverConn, DbeaverSsh};
use crate::foreign::{ca_file, Found};
use crate::model::*;
use crate::secret::SecretString;

/// A DBeaver connection (PostgreSQL, MySQL or MariaDB); its connection type (dev, test, prod)
/// becomes the environment tag.
pub fn from_dbeaver(c: &DbeaverConn) -> Found {
    let engine = match c.provider.as_str() {
        "postgresql" => DbEngine::Postgresql,
        "mysql" | "mariadb" => DbEngine::Mysql,
        other => return Found::skipped(&c.origin, &c.name, format!("DBeaver's {other} connections are not a kind Patchbay keeps (PostgreSQL, MySQL, MariaDB)")),
    };
    let mut spec = match jdbc_spec(
        engine,
        c.host.clone(),
        c.port.as_deref(),
        c.database.clone(),
        c.url.as_deref(),
        c.user.clone(),
    ) {
        Ok(s) => s,
        Err(why) => return Found::skipped(&c.origin, &c.name, why),
    };
    let mut notes = Vec::new();
    // The TLS mode set as a driver property (pgjdbc's sslmode, Connector/J's sslMode).
    let (mode_key, ca_key) = match engine {
        DbEngine::Postgresql => ("sslmode", Some("sslrootcert")),
        DbEngine::Mysql => ("sslMode", None),
    };
    if let Spec::Database(d) = &mut spec {
        match c.properties.get(mode_key).map(|m| (m, SslMode::parse(m))) {
            Some((_, Some(mode))) => d.ssl_mode = mode,
            Some((m, None)) => {
                return Found::skipped(&c.origin, &c.name, format!("TLS mode \"{m}\" is not known"))
            }
            None => notes.push(
                "TLS required (Patchbay's default; DBeaver's SSL tab is not read)".to_string(),
            ),
        }
        d.ca_cert = ca_file(
            ca_key.and_then(|k| c.properties.get(k).cloned()),
            &mut notes,
        );
    }
    if c.password.is_none() {
        notes.push("no saved password".into());
    }
    let ssh_secret = match (&c.ssh, &mut spec) {
        (Some(t), Spec::Database(d)) => match dbeaver_ssh(t) {
            Ok((tunnel, secret)) => {
                d.ssh = Some(tunnel);
                secret
            }
            Err(why) => return Found::skipped(&c.origin, &c.name, why),
        },
        _ => None,
    };
    let mut f = found(&c.origin, &c.name, spec, c.password.clone(), notes);
    if let (Ok(d), Some((field, value))) = (&mut f.draft, ssh_secret) {
        *d = d.clone().with_secret(field, value);
    }
    if let Ok(d) = &mut f.draft {
        d.env_tag = c.kind_type.clone().filter(|t| {
            t.len() <= 24
                && t.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        });
    }
    f
}

/// DBeaver's connection for `d` (never its password), and what DBeaver's file cannot hold.
pub fn to_dbeaver(
    name: &str,
    d: &DatabaseSpec,
    env_tag: Option<&str>,
) -> (DbeaverConn, Vec<String>) {
    let (provider, scheme) = match d.engine {
        DbEngine::Postgresql => ("postgresql", "postgresql"),
        DbEngine::Mysql => ("mysql", "mysql"),
    };
    let mut properties = std::collections::BTreeMap::new();
    let mode = match d.engine {
        DbEngine::Postgresql => ("sslmode", d.ssl_mode.as_str()),
        DbEngine::Mysql => ("sslMode", super::mysql_ssl_mode(d.ssl_mode)),
    };
    properties.insert(mode.0.to_string(), mode.1.to_string());
    let mut notes = Vec::new();
    if d.ssh
        .as_ref()
        .is_some_and(|t| t.auth == SshAuth::Key && t.key_file.is_none())
    {
        notes.push("its SSH key is saved in Patchbay, not in a file: choose the key file in DBeaver's SSH tab".to_string());
    }
    if d.ca_cert.is_some() {
        notes.push("its CA certificate is not written (DBeaver takes a file: choose it in the connection's SSL tab)".to_string());
    }
    let conn = DbeaverConn {
        id: format!("{provider}-patchbay-{name}"),
        name: name.to_string(),
        provider: provider.to_string(),
        host: Some(d.host.clone()),
        port: Some(d.port.to_string()),
        database: Some(d.database.clone()).filter(|s| !s.is_empty()),
        url: Some(format!(
            "jdbc:{scheme}://{}:{}/{}",
            d.host, d.port, d.database
        )),
        kind_type: env_tag.map(str::to_string),
        user: Some(d.username.clone()).filter(|u| !u.is_empty()),
        properties,
        ssh: d.ssh.as_ref().map(|t| DbeaverSsh {
            host: Some(t.host.clone()),
            port: Some(t.port.to_string()),
            user: Some(t.user.clone()),
            auth_type: Some(
                match t.auth {
                    SshAuth::Key => "PUBLIC_KEY",
                    SshAuth::Password => "PASSWORD",
                    SshAuth::Agent => "AGENT",
                }
                .into(),
            ),
            key_path: t.key_file.clone(),
            password: None,
        }),
        ..DbeaverConn::default()
    };
    (conn, notes)
}

/// DBeaver's SSH tunnel as Patchbay's, with the secret it saved (password, or key passphrase).
fn dbeaver_ssh(t: &DbeaverSsh) -> Result<(SshTunnel, Option<(SecretField, SecretString)>), String> {
    let host = t.host.clone().ok_or("its SSH tunnel names no host")?;
    let port = match t.port.as_deref().map(str::parse::<u32>) {
        Some(Ok(p)) => p,
        Some(Err(_)) => return Err("its SSH tunnel's port is not a number".into()),
        None => 22,
    };
    let (auth, secret_field) = match t.auth_type.as_deref().unwrap_or("PASSWORD") {
        "PASSWORD" => (SshAuth::Password, SecretField::SshPassword),
        "PUBLIC_KEY" => (SshAuth::Key, SecretField::SshPassphrase),
        "AGENT" => (SshAuth::Agent, SecretField::SshPassphrase),
        other => return Err(format!("its SSH tunnel's login \"{other}\" is not one Patchbay has (password, public key, agent)")),
    };
    let tunnel = SshTunnel {
        host,
        port,
        user: t.user.clone().ok_or("its SSH tunnel names no user")?,
        auth,
        key_file: t.key_path.clone().filter(|_| auth != SshAuth::Password),
        jump: Vec::new(),
    };
    let secret = t
        .password
        .clone()
        .filter(|p| !p.is_empty() && auth != SshAuth::Agent)
        .map(|p| (secret_field, p));
    Ok((tunnel, secret))
}

/// A DataGrip (IntelliJ) data source: its JDBC URL and user; its password stays in the IDE.
pub fn from_datagrip(origin: &str, d: &crate::foreign::datagrip::DataSource) -> Found {
    let engine = match d.driver.as_str() {
        "postgresql" => DbEngine::Postgresql,
        "mysql" | "mysql.8" | "mariadb" => DbEngine::Mysql,
        other => return Found::skipped(origin, &d.name, format!("DataGrip's {other} data sources are not a kind Patchbay keeps (PostgreSQL, MySQL, MariaDB)")),
    };
    match jdbc_spec(engine, None, None, None, Some(&d.url), d.user.clone()) {
        Ok(spec) => found(
            origin,
            &d.name,
            spec,
            None,
            vec![
                "no password: DataGrip keeps it in its own keychain entry (set it in Patchbay)"
                    .into(),
                "TLS required (Patchbay's default; the URL's own settings are not read)".into(),
            ],
        ),
        Err(why) => Found::skipped(origin, &d.name, why),
    }
}

/// A database's fields from a tool's host, port and database, or else from its JDBC URL
/// (`jdbc:postgresql://host:port/db`).
fn jdbc_spec(
    engine: DbEngine,
    host: Option<String>,
    port: Option<&str>,
    database: Option<String>,
    url: Option<&str>,
    user: Option<String>,
) -> Result<Spec, String> {
    let from_url = url.and_then(|u| url::Url::parse(u.strip_prefix("jdbc:")?).ok());
    let host = host
        .or_else(|| {
            from_url
                .as_ref()
                .and_then(|u| u.host_str().map(str::to_string))
        })
        .ok_or("has no host")?;
    let port = match port.map(str::parse::<u32>) {
        Some(Ok(p)) => p,
        Some(Err(_)) => return Err("its port is not a number".into()),
        None => from_url
            .as_ref()
            .and_then(|u| u.port())
            .map_or(engine.default_port(), u32::from),
    };
    let database = database
        .or_else(|| {
            from_url
                .as_ref()
                .map(|u| u.path().trim_start_matches('/').to_string())
        })
        .unwrap_or_default();
    Ok(Spec::Database(DatabaseSpec {
        engine,
        host,
        port,
        database,
        username: user.unwrap_or_default(),
        ssl_mode: SslMode::default(),
        ca_cert: None,
        ssh: None,
    }))
}
