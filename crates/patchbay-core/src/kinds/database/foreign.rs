//! How other tools' records of a database become a Patchbay connection and back: libpq's
//! keywords (a `pg_service.conf` section, a `.pgpass` line), a MySQL/MariaDB client's options
//! (`~/.my.cnf`), Airflow's `postgres` and `mysql` connections. DBeaver's and DataGrip's are
//! `ides.rs`.

use crate::foreign::airflow::AirflowConn;
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

pub(super) fn found(
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
