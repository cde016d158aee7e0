//! Checks for PostgreSQL and MySQL/MariaDB: name lookup, TCP, the TLS negotiation of each
//! protocol done by hand (so the TLS step is timed on its own and reports the protocol version
//! and certificate problems precisely), then sqlx logs in and runs a trivial query.

use sqlx::mysql::{MySqlConnectOptions, MySqlConnection, MySqlSslMode};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgSslMode};
use sqlx::Connection as _;

use crate::check::bridge::{self, Bridge};
use crate::check::db_wire::{mysql_offers_tls, pg_offers_tls, NO_GREETING};
use crate::check::tls::{self, TlsSettings, Verify};
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::check::{db_session, net};
use crate::model::{DatabaseSpec, DbEngine, SslMode};

/// Runs the database check; returns the one-line summary of a success.
///
/// `quick` (used when many connections are checked at once) skips the separate TCP connection
/// and TLS negotiation: the server then sees one login instead of two, and the session query
/// still reports the TLS in use. A quick check that fails is run again in full to diagnose it.
pub async fn check(
    rec: &mut Recorder,
    d: &DatabaseSpec,
    password: Option<&str>,
    quick: bool,
) -> Result<String, Failure> {
    if d.ssl_mode.verifies() {
        rec.fact(
            "trusts",
            if d.ca_cert.is_some() {
                "the CA certificate you gave"
            } else {
                "the system's trusted roots"
            },
        );
    }
    let port = d.port as u16;
    let addrs = net::lookup(rec, &d.host, port).await?;
    if quick {
        return match d.engine {
            DbEngine::Postgresql => postgres(rec, d, password, None).await,
            DbEngine::Mysql => mysql(rec, d, password).await,
        };
    }
    let stream = net::connect(rec, &d.host, &addrs).await?;
    let mut tls_used = None;
    let mut tunnel = None;
    if d.ssl_mode != SslMode::Disable {
        let settings = TlsSettings {
            verify: match d.ssl_mode {
                SslMode::VerifyCa => Verify::Chain,
                SslMode::VerifyFull => Verify::Full,
                _ => Verify::Nothing,
            },
            ca_pem: d.ca_cert.as_deref(),
            client: None,
            unverified: Some("use an SSL mode that does not verify (require)"),
        };
        let (host, mode, engine) = (d.host.clone(), d.ssl_mode, d.engine);
        let hint = match engine {
            DbEngine::Mysql => NO_GREETING,
            DbEngine::Postgresql => "the server accepted the connection but did not complete a TLS handshake: is this port a PostgreSQL server?",
        };
        let port = d.port as u16;
        let session = rec
            .step_hinted(StepName::Tls, hint, async move {
                let offered = match engine {
                    DbEngine::Postgresql => match pg_offers_tls(stream).await? {
                        (s, true) => Some(s),
                        (_, false) => None,
                    },
                    DbEngine::Mysql => mysql_offers_tls(stream).await?,
                };
                match offered {
                    Some(stream) => {
                        let (tls, version) = tls::handshake(stream, &host, &settings).await?;
                        // PostgreSQL logs in over this very session (see bridge.rs).
                        let tunnel = match engine {
                            DbEngine::Postgresql => Some(
                                bridge::open(tls, &db_session::pg_socket(port), None).map_err(
                                    |e| {
                                        Failure::new(
                                            StepName::Tls,
                                            "could not hand the TLS session to the login",
                                        )
                                        .error(e)
                                    },
                                )?,
                            ),
                            DbEngine::Mysql => None,
                        };
                        Ok(((Some(version.clone()), tunnel), Some(version)))
                    }
                    None if mode == SslMode::Prefer => Ok((
                        (None, None),
                        Some("not offered by the server; continuing without TLS".into()),
                    )),
                    None => Err(Failure::new(StepName::Tls, "the server does not offer TLS")
                        .hint("turn SSL off (disable or prefer), or enable TLS on the server")),
                }
            })
            .await?;
        (tls_used, tunnel) = session;
    }
    if let Some(v) = &tls_used {
        rec.fact("tls", v.clone());
    }
    match d.engine {
        DbEngine::Postgresql => postgres(rec, d, password, tunnel.as_ref()).await,
        DbEngine::Mysql => mysql(rec, d, password).await,
    }
}

/// Why a login over `own` (the check's own session) failed: what the bridge ended it for (the
/// cleartext guard, a failed TLS upgrade), else what sqlx says.
fn refused_login(own: Option<&Bridge>, d: &DatabaseSpec, e: sqlx::Error) -> Failure {
    own.and_then(Bridge::failure)
        .unwrap_or_else(|| login_failure(d, e))
}

/// The login worked but the check's trivial query did not.
fn query_failure(e: sqlx::Error) -> Failure {
    Failure::new(StepName::Query, "logged in, but the test query failed")
        .error(e)
        .hint("the account can log in but not run a simple query: check its permissions, search_path and per-user settings")
}

/// Explains a login failure.
fn login_failure(d: &DatabaseSpec, e: sqlx::Error) -> Failure {
    let text = e.to_string();
    let code = e
        .as_database_error()
        .and_then(|db| db.code().map(|c| c.into_owned()))
        .unwrap_or_default();
    let user = &d.username;
    let f =
        |step: StepName, msg: String, hint: String| Failure::new(step, msg).error(&text).hint(hint);
    match (d.engine, code.as_str()) {
        (DbEngine::Postgresql, "28P01") => f(
            StepName::Auth,
            format!("wrong password for user {user}"),
            format!("type the right password for user {user}"),
        ),
        (DbEngine::Postgresql, "28000") if text.contains("no encryption") => f(
            StepName::Auth,
            format!("the server requires TLS for user {user}"),
            "the server requires TLS: turn SSL on (require or verify-full)".into(),
        ),
        (DbEngine::Postgresql, "28000") => f(
            StepName::Auth,
            format!("the server does not let user {user} in from here"),
            "the server's pg_hba.conf has no entry for this user, host and database".into(),
        ),
        (DbEngine::Postgresql, "42501") => f(
            StepName::Auth,
            format!(
                "user {user} may not connect to database \"{}\"",
                d.database
            ),
            format!(
                "the password is right, but the user lacks CONNECT on this database: GRANT CONNECT ON DATABASE {} TO {user}, or choose a database it may use",
                d.database
            ),
        ),
        (DbEngine::Postgresql, "3D000") => f(
            StepName::Auth,
            format!("database \"{}\" does not exist", d.database),
            "check the database name".into(),
        ),
        (DbEngine::Mysql, _) if text.contains("1044") || text.contains("to database") => f(
            StepName::Auth,
            format!(
                "user {user} may not use database \"{}\"",
                d.database
            ),
            format!(
                "the password is right, but the user has no access to this database: GRANT it (GRANT … ON {}.* TO …), or choose a database it may use",
                d.database
            ),
        ),
        (DbEngine::Mysql, _) if text.contains("ed25519") => f(
            StepName::Auth,
            format!("the account {user} signs in with the ed25519 plugin, which Patchbay's MySQL client does not speak"),
            "check it with the mariadb client (patchbay exec NAME -- mariadb), or give the account mysql_native_password".into(),
        ),
        (DbEngine::Mysql, _) if text.contains("1045") || text.contains("Access denied") => {
            f(
                StepName::Auth,
                format!("access denied for user {user}"),
                if d.ssl_mode == SslMode::Disable {
                    format!("wrong password for user {user} — or this user may only connect over TLS (REQUIRE SSL): try SSL require")
                } else {
                    format!("wrong password for user {user}, or the user may not connect from this host")
                },
            )
        }
        (DbEngine::Mysql, _) if text.contains("1049") || text.contains("Unknown database") => f(
            StepName::Auth,
            format!("database \"{}\" does not exist", d.database),
            "check the database name".into(),
        ),
        // sqlx's MySQL client checks the host name even in verify-ca (PostgreSQL logs in over
        // the check's own session instead: see bridge.rs); say so rather than blame the CA.
        (DbEngine::Mysql, _)
            if d.ssl_mode == crate::model::SslMode::VerifyCa && text.contains("not valid for name") =>
        {
            f(
                StepName::Tls,
                format!("the certificate's chain is valid, but it does not name \"{}\"", d.host),
                "the MySQL client in Patchbay also checks the host name in verify-ca: connect using a name the certificate lists, or use require".into(),
            )
        }
        _ if text.contains("certificate") || text.contains("tls") || text.contains("TLS") => f(
            StepName::Tls,
            "the TLS connection failed".into(),
            "check the SSL mode and the CA certificate".into(),
        ),
        _ => f(
            StepName::Auth,
            "login failed".into(),
            "check the user, password and database".into(),
        ),
    }
}

fn pg_mode(m: SslMode) -> PgSslMode {
    match m {
        SslMode::Disable => PgSslMode::Disable,
        SslMode::Prefer => PgSslMode::Prefer,
        SslMode::Require => PgSslMode::Require,
        SslMode::VerifyCa => PgSslMode::VerifyCa,
        SslMode::VerifyFull => PgSslMode::VerifyFull,
    }
}

fn mysql_mode(m: SslMode) -> MySqlSslMode {
    match m {
        SslMode::Disable => MySqlSslMode::Disabled,
        SslMode::Prefer => MySqlSslMode::Preferred,
        SslMode::Require => MySqlSslMode::Required,
        SslMode::VerifyCa => MySqlSslMode::VerifyCa,
        SslMode::VerifyFull => MySqlSslMode::VerifyIdentity,
    }
}

/// Logs in and queries; over `tunnel` (the check's own verified TLS session) when given, and
/// a password that might go without TLS only over a session of its own, guarded.
async fn postgres(
    rec: &mut Recorder,
    d: &DatabaseSpec,
    password: Option<&str>,
    tunnel: Option<&Bridge>,
) -> Result<String, Failure> {
    let mut opts = PgConnectOptions::new_without_pgpass()
        .host(&net::dial(&d.host, d.port as u16).0)
        .port(net::dial(&d.host, d.port as u16).1)
        .username(&d.username)
        .ssl_mode(pg_mode(d.ssl_mode))
        .application_name("patchbay-check");
    if let Some(pw) = password {
        opts = opts.password(pw);
    }
    if !d.database.is_empty() {
        opts = opts.database(&d.database);
    }
    if let Some(ca) = &d.ca_cert {
        opts = opts.ssl_root_cert_from_pem(ca.as_bytes().to_vec());
    }
    let guarded = tunnel.is_none()
        && password.is_some()
        && matches!(d.ssl_mode, SslMode::Disable | SslMode::Prefer);
    let spec = d.clone();
    let (mut conn, _own) = rec
        .step(StepName::Auth, async move {
            let own = match guarded {
                true => Some(db_session::postgres(&spec).await?),
                false => None,
            };
            // TLS is in place (and verified) or guarded: sqlx speaks plain protocol into it.
            if let Some(b) = tunnel.or(own.as_ref()) {
                // The bridge's socket is named after the database's own port.
                opts = opts
                    .socket(b.dir())
                    .port(spec.port as u16)
                    .ssl_mode(PgSslMode::Disable);
            }
            let c = PgConnection::connect_with(&opts)
                .await
                .map_err(|e| refused_login(own.as_ref(), &spec, e))?;
            Ok(((c, own), Some(format!("logged in as {}", spec.username))))
        })
        .await?;
    let (version, tls): (String, String) = rec
        .step(StepName::Query, async {
            let row: (String, String) = sqlx::query_as(
                "SELECT current_setting('server_version'),
                        coalesce((SELECT version || ' ' || cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid() AND ssl), 'off')",
            )
            .fetch_one(&mut conn)
            .await
            .map_err(query_failure)?;
            Ok((row, Some("SELECT 1-style query".into())))
        })
        .await?;
    let _ = conn.close().await;
    rec.fact("server", format!("PostgreSQL {version}"));
    let tls = session_tls(&tls);
    rec.fact("session tls", tls.clone());
    Ok(format!("PostgreSQL {version}, {tls}"))
}

async fn mysql(
    rec: &mut Recorder,
    d: &DatabaseSpec,
    password: Option<&str>,
) -> Result<String, Failure> {
    let mut opts = MySqlConnectOptions::new()
        .host(&net::dial(&d.host, d.port as u16).0)
        .port(net::dial(&d.host, d.port as u16).1)
        .username(&d.username)
        .ssl_mode(mysql_mode(d.ssl_mode));
    if let Some(pw) = password {
        opts = opts.password(pw);
    }
    if !d.database.is_empty() {
        opts = opts.database(&d.database);
    }
    if let Some(ca) = &d.ca_cert {
        opts = opts.ssl_ca_from_pem(ca.as_bytes().to_vec());
    }
    // A password that might go without TLS goes only over a session of the check's own, whose
    // greeting the cleartext guard reads first.
    let guarded = password.is_some() && matches!(d.ssl_mode, SslMode::Disable | SslMode::Prefer);
    // A verifying mode's TLS is the check's own, verified once by that mode's rules.
    let verified = d.ssl_mode.verifies();
    let spec = d.clone();
    let (mut conn, _own) = rec
        .step_hinted(StepName::Auth, NO_GREETING, async move {
            let own = if guarded {
                Some(db_session::mysql(&spec).await?)
            } else if verified {
                Some(db_session::mysql_verified(&spec).await?)
            } else {
                None
            };
            if let Some(b) = &own {
                opts = opts.socket(b.socket());
                if verified {
                    opts = opts.ssl_mode(MySqlSslMode::Disabled);
                }
            }
            let c = MySqlConnection::connect_with(&opts)
                .await
                .map_err(|e| refused_login(own.as_ref(), &spec, e))?;
            Ok(((c, own), Some(format!("logged in as {}", spec.username))))
        })
        .await?;
    let (version, tls): (String, String) = rec
        .step(StepName::Query, async {
            let version: String = sqlx::query_scalar("SELECT VERSION()")
                .fetch_one(&mut conn)
                .await
                .map_err(query_failure)?;
            let ssl: Option<(String, String)> =
                sqlx::query_as("SHOW SESSION STATUS LIKE 'Ssl_version'")
                    .fetch_optional(&mut conn)
                    .await
                    .map_err(query_failure)?;
            let tls = ssl
                .map(|(_, v)| v)
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| "off".into());
            Ok(((version, tls), Some("SELECT VERSION()".into())))
        })
        .await?;
    let _ = conn.close().await;
    rec.fact("server", version.clone());
    let tls = session_tls(&tls);
    rec.fact("session tls", tls.clone());
    Ok(format!("{version}, {tls}"))
}

/// The login session's TLS in words: the server's "TLSv1.3" (PostgreSQL adds the cipher) becomes
/// "TLS 1.3" (with the cipher after a comma), the server's "off" becomes "no TLS".
fn session_tls(server: &str) -> String {
    let mut words = server.split_whitespace();
    match words.next() {
        None | Some("off") => "no TLS".into(),
        Some(version) => {
            let version = version
                .strip_prefix("TLSv")
                .map_or_else(|| version.to_string(), |number| format!("TLS {number}"));
            match words.next() {
                Some(cipher) => format!("{version}, {cipher}"),
                None => version,
            }
        }
    }
}
