//! The MariaDB/MySQL client option file `exec` hands over (`MYSQL_HOME/my.cnf`), and the
//! options of the user's own `~/.my.cnf` that would override it.

use crate::model::{DatabaseSpec, SslMode};

/// An option file's text, the files beside it, and the lines that name those files (see
/// `Value::OptionDir`).
pub(super) type OptionFile = (
    crate::secret::SecretString,
    Vec<(&'static str, crate::secret::SecretString)>,
    Vec<(&'static str, &'static str)>,
);

/// A MariaDB/MySQL client option file for this connection: `[mysql]` (the command-line client:
/// the database) and, last, `[client]` (read by every client program: user, password, host,
/// port, TLS). The CA file is written beside it and named by a line `exec` appends, once the
/// directory is known — at the end, so inside `[client]` (a group written twice would be refused
/// by readers such as PyMySQL's configparser).
pub(super) fn mysql_option_file(
    d: &DatabaseSpec,
    password: Option<&crate::secret::SecretString>,
) -> OptionFile {
    fn quoted(v: &str) -> String {
        let mut out = String::from("\"");
        for c in v.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
    let mut text = zeroize::Zeroizing::new(String::new());
    if !d.database.is_empty() {
        text.push_str(&format!("[mysql]\ndatabase={}\n", quoted(&d.database)));
    }
    text.push_str("[client]\n");
    text.push_str(&format!("user={}\n", quoted(&d.username)));
    if let Some(pw) = password {
        text.push_str(&format!("password={}\n", quoted(pw.expose())));
    }
    text.push_str(&format!("host={}\nport={}\n", quoted(&d.host), d.port));
    let (mut files, mut paths) = (Vec::new(), Vec::new());
    match d.ssl_mode {
        SslMode::Disable => text.push_str("skip-ssl\n"),
        SslMode::Prefer => {}
        SslMode::Require => text.push_str("ssl\n"),
        // MariaDB's clients verify the chain and the name together: verify-ca is as strict as
        // verify-full here.
        SslMode::VerifyCa | SslMode::VerifyFull => {
            text.push_str("ssl\nssl-verify-server-cert\n");
            if let Some(ca) = &d.ca_cert {
                files.push(("ca.pem", ca.as_str().into()));
                paths.push(("ssl-ca=", "ca.pem"));
            }
        }
    }
    (
        crate::secret::SecretString::new(text.as_str()),
        files,
        paths,
    )
}

/// The client groups the mariadb/mysql command-line clients read, and the options in them that
/// change which server they reach or as whom.
const CLIENT_GROUPS: [&str; 7] = [
    "client",
    "client-server",
    "client-mariadb",
    "client-mysql",
    "mysql",
    "mariadb-client",
    "mariadb",
];
const CONNECTION_OPTIONS: [&str; 9] = [
    "host", "port", "user", "password", "socket", "database", "protocol", "ssl", "ssl-ca",
];

/// Which connection options the user's own option file (`~/.my.cnf`, read after the one `exec`
/// hands over) sets for the clients: they override the connection unless the client is started
/// with `--defaults-file`. None when it sets none (or does not exist).
pub(super) fn user_option_file_overrides(path: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut group = String::new();
    let mut found: Vec<String> = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(g) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            group = g.trim().to_ascii_lowercase();
            continue;
        }
        if line.is_empty() || line.starts_with(['#', ';', '!']) {
            continue;
        }
        let key = line
            .split('=')
            .next()
            .unwrap_or_default()
            .trim()
            .replace('_', "-")
            .to_ascii_lowercase();
        let key = key.strip_prefix("loose-").unwrap_or(&key).to_string();
        if CLIENT_GROUPS.contains(&group.as_str())
            && CONNECTION_OPTIONS.contains(&key.as_str())
            && !found.contains(&key)
        {
            found.push(key);
        }
    }
    (!found.is_empty()).then(|| {
        format!(
            "{} sets {} for the mariadb/mysql clients, which read it after the option file Patchbay hands over: it overrides this connection. Start the client with --defaults-file=\"$MYSQL_HOME/my.cnf\" (as Open in terminal does), or remove those lines",
            path.display(),
            found.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::user_option_file_overrides;

    #[test]
    fn the_users_option_file_is_read_for_the_client_groups_connection_options_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".my.cnf");
        assert_eq!(user_option_file_overrides(&path), None, "no file");
        std::fs::write(
            &path,
            "# a comment\n[mysqldump]\nuser=backup\n[client]\nHost = db.example\n; port=1\nloose_ssl_ca=/ca.pem\nhost=again\n[Mariadb]\npassword=x\ncolor=auto\n",
        )
        .unwrap();
        assert_eq!(
            user_option_file_overrides(&path),
            Some(format!(
                "{} sets host, ssl-ca, password for the mariadb/mysql clients, which read it after the option file Patchbay hands over: it overrides this connection. Start the client with --defaults-file=\"$MYSQL_HOME/my.cnf\" (as Open in terminal does), or remove those lines",
                path.display()
            ))
        );
        std::fs::write(&path, "[mysqldump]\nuser=backup\n[client]\ncolor=auto\n").unwrap();
        assert_eq!(
            user_option_file_overrides(&path),
            None,
            "nothing that moves the connection"
        );
    }
}
