//! A database connection (PostgreSQL, MySQL/MariaDB): its form, the rules its fields follow,
//! which changes move its saved password elsewhere, how safely it travels, and how it is named.
//! And what other programs get: its URL and environment. Its check is `check.rs`.

pub(crate) mod check;
pub mod foreign;
pub mod ides;
mod option_file;
pub mod ssh;
pub mod tunnel;

use option_file::{mysql_option_file, user_option_file_overrides};

use super::form::{changed, Info};
use crate::error::Result;
use crate::handoff::{EnvBuilder, OptionVar};
use crate::model::{DatabaseSpec, DbEngine, SecretField, SslMode};
use crate::paste::{decode, first_label, Pasted};
use crate::validate::*;

pub fn info() -> Info {
    Info {
        tab: "Database",
        menu_title: "Databases",
        empty_help: "Save a PostgreSQL or MySQL connection once, then use it by name: patchbay exec NAME -- psql.",
        blank: crate::model::Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: String::new(),
            port: DbEngine::Postgresql.default_port(),
            database: String::new(),
            username: String::new(),
            ssl_mode: SslMode::default(),
            ca_cert: None,
            ssh: None,
        }),
    }
}

/// The fields, checked and normalised.
pub fn validate(d: &DatabaseSpec) -> Result<DatabaseSpec> {
    let ca_cert = match d
        .ca_cert
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(pem) => Some(pem_certificates("ca_cert", pem)?),
        None => None,
    };
    Ok(DatabaseSpec {
        engine: d.engine,
        host: host("host", &d.host)?,
        port: port("port", d.port)?,
        database: text("database", &d.database, false)?,
        username: text("username", &d.username, true)?,
        ssl_mode: d.ssl_mode,
        ca_cert,
        ssh: ssh::validate(d.ssh.as_ref())?,
    })
}

/// How strongly a mode protects the password in transit.
fn rank(mode: SslMode) -> u8 {
    match mode {
        SslMode::Disable => 0,
        SslMode::Prefer => 1,
        SslMode::Require => 2,
        SslMode::VerifyCa => 3,
        SslMode::VerifyFull => 4,
    }
}

/// What changed that would send the saved password elsewhere, or less safely.
pub fn moved(field: SecretField, o: &DatabaseSpec, n: &DatabaseSpec) -> Option<String> {
    if matches!(
        field,
        SecretField::SshPassword | SecretField::SshPrivateKey | SecretField::SshPassphrase
    ) {
        return ssh::moved(o, n);
    }
    changed("engine", &o.engine, &n.engine)
        .or_else(|| changed("host", &o.host.to_lowercase(), &n.host.to_lowercase()))
        .or_else(|| changed("port", &o.port, &n.port))
        .or_else(|| {
            (rank(n.ssl_mode) < rank(o.ssl_mode)).then(|| {
                format!(
                    "the SSL mode went down from {} to {}",
                    o.ssl_mode.as_str(),
                    n.ssl_mode.as_str()
                )
            })
        })
        // A CA matters where the certificate was verified: trusting another CA (or the system's
        // roots instead of the given one) is a weaker proof of the same server. Where nothing
        // was verified, adding a CA only makes it stronger.
        .or_else(|| {
            o.ssl_mode
                .verifies()
                .then(|| changed("CA certificate", &o.ca_cert, &n.ca_cert))
                .flatten()
        })
}

/// Why the transport is not verified TLS, if it is not.
pub fn transport_warning(d: &DatabaseSpec) -> Option<&'static str> {
    match d.ssl_mode {
        SslMode::Disable => Some("no TLS: the password and data travel in the clear"),
        SslMode::Prefer => Some("TLS only if the server offers it, and not verified"),
        SslMode::Require => Some("TLS not verified: the server's identity is not checked"),
        SslMode::VerifyCa | SslMode::VerifyFull => None,
    }
}

/// `host:port/database`.
pub fn target(d: &DatabaseSpec) -> String {
    let db = if d.database.is_empty() {
        String::new()
    } else {
        format!("/{}", d.database)
    };
    format!("{}:{}{}", d.host, d.port, db)
}

/// The driver URL (`postgresql://` or `mysql://`), with `password` when given.
pub fn url(d: &DatabaseSpec, password: Option<&str>) -> String {
    use crate::handoff::{host_for_url, userinfo};
    let scheme = match d.engine {
        DbEngine::Postgresql => "postgresql",
        DbEngine::Mysql => "mysql",
    };
    let mut auth = userinfo(&d.username);
    if let Some(pw) = password {
        auth.push(':');
        auth.push_str(&userinfo(pw));
    }
    let mode = match d.engine {
        DbEngine::Postgresql => format!("sslmode={}", d.ssl_mode.as_str()),
        DbEngine::Mysql => format!("ssl-mode={}", mysql_ssl_mode(d.ssl_mode)),
    };
    format!(
        "{scheme}://{auth}@{}:{}/{}?{mode}",
        host_for_url(&d.host),
        d.port,
        userinfo(&d.database)
    )
}

/// The variables libpq or the MySQL clients read, and `DATABASE_URL`.
pub fn env(b: &mut EnvBuilder, d: &DatabaseSpec) {
    match d.engine {
        DbEngine::Postgresql => {
            // libpq reads PGHOSTADDR, PGSERVICE, PGPASSFILE, PGSSL*, PGOPTIONS…: none may
            // redirect or override this connection.
            b.ecosystem("PG");
            b.plain("PGHOST", d.host.clone());
            b.plain("PGPORT", d.port.to_string());
            b.plain("PGUSER", d.username.clone());
            if !d.database.is_empty() {
                b.plain("PGDATABASE", d.database.clone());
            }
            b.plain("PGSSLMODE", d.ssl_mode.as_str());
            if let Some(ca) = &d.ca_cert {
                b.pem_file("PGSSLROOTCERT", ca);
            }
            b.secret("PGPASSWORD", SecretField::Password);
        }
        DbEngine::Mysql => {
            b.ecosystem("MYSQL_");
            b.ecosystem("MARIADB_");
            // libmysqlclient's own settings (LIBMYSQL_ENABLE_CLEARTEXT_PLUGIN, LIBMYSQL_PLUGINS…).
            b.ecosystem("LIBMYSQL_");
            b.plain("MYSQL_HOST", d.host.clone());
            b.plain("MYSQL_TCP_PORT", d.port.to_string());
            b.plain("MYSQL_USER", d.username.clone());
            b.plain("USER", d.username.clone());
            if !d.database.is_empty() {
                b.plain("MYSQL_DATABASE", d.database.clone());
            }
            b.plain("MYSQL_SSL_MODE", mysql_ssl_mode(d.ssl_mode));
            b.secret("MYSQL_PWD", SecretField::Password);
            // The mariadb/mysql clients and mariadb-dump read none of MYSQL_USER, USER (as the
            // login) or MYSQL_DATABASE, and mariadb-dump not even MYSQL_HOST: they get an option
            // file they find through MYSQL_HOME.
            let (content, files, paths) =
                mysql_option_file(d, b.secret_value(SecretField::Password));
            b.option_file(
                "MYSQL_HOME",
                OptionVar::Dir,
                "my.cnf",
                content,
                files,
                paths,
            );
            if b.with_secrets() {
                if let Some(w) = std::env::var_os("HOME").and_then(|home| {
                    user_option_file_overrides(&std::path::Path::new(&home).join(".my.cnf"))
                }) {
                    b.warn(w);
                }
            }
        }
    }
    // Most application frameworks read one URL: with its password when secrets are asked for,
    // otherwise without it (as `url` prints it).
    let u = url(d, b.secret_value(SecretField::Password).map(|s| s.expose()));
    b.url("DATABASE_URL", u, Some(SecretField::Password));
}

/// A pasted URL of this kind, as a form to fill.
pub fn paste(t: &str) -> Result<Pasted> {
    let u = url::Url::parse(t)
        .map_err(|e| crate::error::Error::invalid("url", format!("is not a valid URL ({e})")))?;
    let engine = if u.scheme().starts_with("postgres") {
        DbEngine::Postgresql
    } else {
        DbEngine::Mysql
    };
    let host = crate::validate::host("url", u.host_str().unwrap_or(""))?;
    let port = u.port().map(u32::from).unwrap_or(engine.default_port());
    let database = decode(u.path().trim_start_matches('/'));
    // No sslmode in the URL: Patchbay's default (require), not libpq's (prefer).
    let mut ssl_mode = SslMode::default();
    for (k, v) in u.query_pairs() {
        if matches!(k.as_ref(), "sslmode" | "ssl-mode" | "ssl_mode") {
            ssl_mode = SslMode::parse(&v).ok_or_else(|| {
                crate::error::Error::invalid("url", format!("sslmode \"{v}\" is not known"))
            })?;
        }
    }
    let name = if database.is_empty() {
        first_label(&host)
    } else {
        database.clone()
    };
    Ok(Pasted {
        spec: crate::model::Spec::Database(DatabaseSpec {
            engine,
            host,
            port,
            database,
            username: decode(u.username()),
            ssl_mode,
            ca_cert: None,
            ssh: None,
        }),
        suggested_name: name,
        has_password: u.password().is_some(),
        secret: None,
    })
}

/// MySQL's names for the SSL modes.
pub fn mysql_ssl_mode(mode: SslMode) -> &'static str {
    match mode {
        SslMode::Disable => "DISABLED",
        SslMode::Prefer => "PREFERRED",
        SslMode::Require => "REQUIRED",
        SslMode::VerifyCa => "VERIFY_CA",
        SslMode::VerifyFull => "VERIFY_IDENTITY",
    }
}

/// The lines of `show`.
pub fn details(d: &DatabaseSpec) -> super::shown::Lines {
    use super::shown::{ca_summary, text, Shown};
    let mut lines = vec![
        ("type", text(d.engine.as_str())),
        ("host", text(&d.host)),
        ("port", text(d.port)),
        ("database", text(&d.database)),
        ("user", text(&d.username)),
        ("password", Shown::Secret(SecretField::Password)),
        ("ssl mode", text(d.ssl_mode.as_str())),
        (
            "ca certificate",
            ca_summary(&d.ca_cert, d.ssl_mode.verifies()),
        ),
    ];
    if let Some(t) = &d.ssh {
        lines.push((
            "ssh tunnel",
            text(format!("{}@{}:{}", t.user, t.host, t.port)),
        ));
        let auth = match (&t.auth, &t.key_file) {
            (_, Some(f)) => format!("{} ({f})", ssh::auth_word(t.auth)),
            (crate::model::SshAuth::Key, None) => "key (saved)".to_string(),
            (a, None) => ssh::auth_word(*a).to_string(),
        };
        lines.push(("ssh auth", text(auth)));
    }
    lines
}

/// The client "Open in terminal" runs: psql, or mariadb (mysql where it is missing) reading only
/// the option file `exec` wrote (`--defaults-file`): otherwise a `[client]` group in the user's
/// `~/.my.cnf`, read after it, would override the connection (another port, user or password).
pub fn terminal_client(
    d: &DatabaseSpec,
    find: &dyn Fn(&str) -> Option<std::path::PathBuf>,
) -> (&'static str, Vec<&'static str>) {
    match d.engine {
        DbEngine::Postgresql => ("psql", vec!["psql"]),
        DbEngine::Mysql => {
            let program = if find("mariadb").is_some() {
                "mariadb"
            } else {
                "mysql"
            };
            let only_ours = "exec \"$0\" --defaults-file=\"$MYSQL_HOME/my.cnf\"";
            (program, vec!["sh", "-c", only_ours, program])
        }
    }
}
