//! How other tools' records of a database become a Patchbay connection and back: libpq's
//! keywords (a `pg_service.conf` section, a `.pgpass` line), a MySQL/MariaDB client's options
//! (`~/.my.cnf`), Airflow's `postgres` and `mysql` connections, DBeaver's and DataGrip's.

use crate::foreign::airflow::AirflowConn;
use crate::foreign::dbeaver::DbeaverConn;
use crate::foreign::option_files::ClientOptions;
use crate::foreign::{ca_file, name_of, Found};
use crate::model::*;
use crate::secret::SecretString;

/// A PostgreSQL connection from libpq keywords (`get`), with the password libpq would use.
pub fn from_libpq(
    origin: &str,
    name: &str,
    get: &dyn Fn(&str) -> Option<String>,
    password: Option<SecretString>,
) -> Found {
    let host = get("host").or_else(|| get("hostaddr"));
    if host.as_deref().is_some_and(|h| h.contains(',')) {
        return Found::skipped(origin, name, "names several hosts (libpq tries them in turn); Patchbay connects to one: add each host as its own connection");
    }
    let mut notes = Vec::new();
    let host = match host {
        Some(h) if h.starts_with('/') => {
            return Found::skipped(origin, name, format!("connects through the Unix socket {h}; Patchbay connects over TCP (give a host name)"))
        }
        Some(h) => h,
        None => {
            notes.push("no host: localhost (libpq would use the local socket)".to_string());
            "localhost".to_string()
        }
    };
    let port = match get("port").map(|p| p.parse::<u32>()) {
        None => 5432,
        Some(Ok(p)) => p,
        Some(Err(_)) => {
            return Found::skipped(
                origin,
                name,
                format!(
                    "port \"{}\" is not a number",
                    get("port").unwrap_or_default()
                ),
            )
        }
    };
    let ssl_mode = match get("sslmode") {
        Some(m) => match SslMode::parse(&m) {
            Some(m) => m,
            None => {
                return Found::skipped(
                    origin,
                    name,
                    format!("sslmode \"{m}\" is not one libpq knows"),
                )
            }
        },
        None => {
            notes.push(
                "no sslmode: TLS required (Patchbay's default; libpq's is prefer)".to_string(),
            );
            SslMode::default()
        }
    };
    let ca_cert = ca_file(get("sslrootcert"), &mut notes);
    let username = get("user").unwrap_or_default();
    let database = get("dbname").unwrap_or_default();
    let spec = Spec::Database(DatabaseSpec {
        engine: DbEngine::Postgresql,
        host,
        port,
        database,
        username,
        ssl_mode,
        ca_cert,
        ssh: None,
    });
    found(origin, name, spec, password, notes)
}

/// The MySQL/MariaDB connection a client's options describe (`name` proposed).
pub fn from_client_options(origin: &str, name: &str, o: &ClientOptions) -> Found {
    let mut notes = Vec::new();
    let host = match o.get("host") {
        Some(h) if !h.is_empty() => h.to_string(),
        _ => {
            notes.push(
                "no host: localhost over TCP (the client would use the local socket)".to_string(),
            );
            "localhost".to_string()
        }
    };
    let port = match o.get("port").map(str::parse::<u32>) {
        None => 3306,
        Some(Ok(p)) => p,
        Some(Err(_)) => return Found::skipped(origin, name, "port is not a number"),
    };
    let off = |k: &str| {
        o.get(k)
            .is_some_and(|v| matches!(v, "" | "1" | "on" | "true" | "TRUE"))
    };
    let ssl_mode = if let Some(m) = o.get("ssl-mode") {
        match SslMode::parse(m) {
            Some(m) => m,
            None => {
                return Found::skipped(
                    origin,
                    name,
                    format!("ssl-mode \"{m}\" is not one the client knows"),
                )
            }
        }
    } else if off("skip-ssl")
        || o.get("ssl")
            .is_some_and(|v| matches!(v, "0" | "off" | "false" | "OFF"))
    {
        SslMode::Disable
    } else if off("ssl-verify-server-cert") {
        SslMode::VerifyFull
    } else {
        notes.push("TLS required (Patchbay's default)".to_string());
        SslMode::default()
    };
    let ca_cert = ca_file(o.get("ssl-ca").map(str::to_string), &mut notes);
    let spec = Spec::Database(DatabaseSpec {
        engine: DbEngine::Mysql,
        host,
        port,
        database: o.get("database").unwrap_or_default().to_string(),
        username: o.get("user").unwrap_or_default().to_string(),
        ssl_mode,
        ca_cert,
        ssh: None,
    });
    let password = o
        .get("password")
        .filter(|p| !p.is_empty())
        .map(SecretString::new);
    found(origin, name, spec, password, notes)
}

/// Airflow's `postgres` or `mysql` connection.
pub fn from_airflow(c: &AirflowConn, engine: DbEngine) -> Found {
    let mut notes = Vec::new();
    let Some(host) = c.host.clone() else {
        return Found::skipped(&c.origin, &c.conn_id, "has no host");
    };
    let ssl = match engine {
        DbEngine::Postgresql => c.extra_str("sslmode"),
        DbEngine::Mysql => c.extra_str("ssl_mode"),
    };
    let ssl_mode = match ssl {
        Some(m) => match SslMode::parse(&m) {
            Some(m) => m,
            None => {
                return Found::skipped(
                    &c.origin,
                    &c.conn_id,
                    format!("TLS mode \"{m}\" is not known"),
                )
            }
        },
        None => {
            notes.push("no TLS mode: TLS required (Patchbay's default)".to_string());
            SslMode::default()
        }
    };
    let ca_cert = ca_file(c.extra_str("sslrootcert"), &mut notes);
    let spec = Spec::Database(DatabaseSpec {
        engine,
        host,
        port: c.port.unwrap_or(engine.default_port()),
        database: c.schema.clone().unwrap_or_default(),
        username: c.login.clone().unwrap_or_default(),
        ssl_mode,
        ca_cert,
        ssh: None,
    });
    found(&c.origin, &c.conn_id, spec, c.password.clone(), notes)
}

/// Airflow's connection for `d` (the password only when given).
pub fn to_airflow(id: &str, d: &DatabaseSpec, password: Option<SecretString>) -> AirflowConn {
    let mut c = AirflowConn {
        conn_id: id.to_string(),
        conn_type: match d.engine {
            DbEngine::Postgresql => "postgres",
            DbEngine::Mysql => "mysql",
        }
        .to_string(),
        host: Some(d.host.clone()),
        login: Some(d.username.clone()).filter(|u| !u.is_empty()),
        password,
        port: Some(d.port),
        schema: Some(d.database.clone()).filter(|s| !s.is_empty()),
        ..AirflowConn::default()
    };
    let (key, mode) = match d.engine {
        DbEngine::Postgresql => ("sslmode", d.ssl_mode.as_str().to_string()),
        DbEngine::Mysql => ("ssl_mode", super::mysql_ssl_mode(d.ssl_mode).to_string()),
    };
    c.extra.insert(key.into(), mode.into());
    c
}

fn found(
    origin: &str,
    name: &str,
    spec: Spec,
    password: Option<SecretString>,
    notes: Vec<String>,
) -> Found {
    let mut draft = ConnectionDraft::new(name_of(&[name]), spec);
    match password {
        Some(p) if !p.is_empty() => draft = draft.with_secret(SecretField::Password, p),
        _ => {}
    }
    let mut f = Found::of(origin, draft);
    f.notes = notes;
    f
}

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
    if c.ssh_tunnel {
        notes.push("its SSH tunnel is not imported (Patchbay has no SSH tunnels yet)".into());
    }
    if c.password.is_none() {
        notes.push("no saved password".into());
    }
    let mut f = found(&c.origin, &c.name, spec, c.password.clone(), notes);
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
        ..DbeaverConn::default()
    };
    (conn, notes)
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
