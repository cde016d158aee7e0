//! "Open in terminal": the user's terminal ($TERMINAL, x-terminal-emulator, GNOME Terminal,
//! Konsole, xterm — the first that exists) running `patchbay exec NAME -- CLIENT`: the kind's
//! client (`kinds::terminal_client`: psql or mariadb for a database, kcat for Kafka), a shell
//! for an object store, and a shell that says so when the client is missing. When the client
//! (or `exec`) fails, the terminal stays open with its message and the exit status until Enter
//! is pressed. Secrets travel the way `exec` hands them over, in the client's environment
//! only: no command line carries one, and neither the terminal nor this process's children get
//! any. `exec` removes its private files when the client exits.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Kind, Spec};

/// What to start: the terminal and its arguments, and which client it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    pub terminal: PathBuf,
    pub args: Vec<String>,
    /// The client the terminal runs ("psql"), or "a shell".
    pub client: String,
    /// Said when the client is missing and a shell stands in.
    pub note: Option<String>,
}

/// Where a program is on PATH (or the path itself when it is one and exists).
pub fn which(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Plans the launch of a connection kept in `team` (`patchbay exec --team TEAM`), or in the local
/// store when None: `patchbay` is the command-line program, `terminal_var` $TERMINAL, `find`
/// looks programs up.
pub fn plan(
    team: Option<&str>,
    kind: Kind,
    name: &str,
    spec: &Spec,
    patchbay: &Path,
    terminal_var: Option<&str>,
    find: &dyn Fn(&str) -> Option<PathBuf>,
) -> Result<Launch> {
    let candidates = terminal_var
        .filter(|t| !t.trim().is_empty())
        .into_iter()
        .chain(["x-terminal-emulator", "gnome-terminal", "konsole", "xterm"]);
    let (terminal, flavour) = candidates
        .filter_map(|t| find(t).map(|p| (p, t)))
        .next()
        .ok_or_else(|| {
            Error::invalid(
                "terminal",
                "no terminal found: install xterm (or GNOME Terminal, Konsole), or set TERMINAL to yours",
            )
        })?;
    // The terminal runs `sh -c HOLD LABEL patchbay exec …`: HOLD runs the rest, and when it
    // fails keeps the window open; it carries no secret (exec sets them in the client only).
    let mut exec = vec![
        "sh".to_string(),
        "-c".into(),
        HOLD.into(),
        "patchbay".into(),
        patchbay.display().to_string(),
        "exec".into(),
        "--kind".into(),
        kind.as_str().into(),
    ];
    if let Some(t) = team {
        exec.extend(["--team".into(), t.to_string()]);
    }
    exec.extend([name.to_string(), "--".into()]);
    let wanted = crate::kinds::terminal_client(spec, find);
    let (client_name, note) = match &wanted {
        Some((program, argv)) if find(program).is_some() => {
            exec.extend(argv.iter().map(|s| s.to_string()));
            (program.to_string(), None)
        }
        other => {
            let say = match other {
                Some((program, _)) => format!("{program} is not installed here; this shell has the connection's variables (patchbay env NAME lists them)"),
                None => "this shell has the connection's variables (patchbay env NAME lists them)".to_string(),
            };
            // The name and message travel as arguments of the script, never inside it.
            exec.extend([
                "sh".into(),
                "-c".into(),
                "printf '%s\\n' \"$1\"; exec \"${SHELL:-/bin/sh}\" -i".into(),
                "sh".into(),
                say.replace("NAME", name),
            ]);
            let note = other.as_ref().map(|(program, _)| {
                format!(
                    "{program} is not installed: the terminal opens a shell with the variables set"
                )
            });
            ("a shell".to_string(), note)
        }
    };
    let mut args: Vec<String> = match flavour {
        "gnome-terminal" => vec!["--wait".into(), "--".into()],
        "konsole" => vec!["--nofork".into(), "-e".into()],
        _ => vec!["-e".into()],
    };
    args.extend(exec);
    Ok(Launch {
        terminal,
        args,
        client: client_name,
        note,
    })
}

/// What the terminal runs around `patchbay exec`: a failure (the client's, or exec's own)
/// leaves its message on screen with the exit status, until Enter is pressed.
const HOLD: &str = "\"$@\"; status=$?; [ \"$status\" -eq 0 ] && exit 0; printf '\\n[exit status %s] Press Enter to close this window.' \"$status\"; read -r _; exit \"$status\"";

/// Starts the terminal (its output discarded) and reaps it when it closes.
pub fn start(l: &Launch) -> Result<()> {
    let mut child = std::process::Command::new(&l.terminal)
        .args(&l.args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| Error::Io(format!("could not start {}: {e}", l.terminal.display())))?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn spec(kind: Kind) -> Spec {
        let mut s = crate::kinds::blank(kind);
        if let Spec::Database(d) = &mut s {
            d.engine = DbEngine::Postgresql;
        }
        s
    }

    fn found<'a>(have: &'a [&'a str]) -> impl Fn(&str) -> Option<PathBuf> + 'a {
        move |p: &str| {
            have.contains(&p)
                .then(|| PathBuf::from(format!("/usr/bin/{p}")))
        }
    }

    #[test]
    fn the_first_terminal_that_exists_runs_the_kinds_client_through_exec() {
        let l = plan(
            None,
            Kind::Database,
            "orders",
            &spec(Kind::Database),
            Path::new("/opt/patchbay"),
            None,
            &found(&["xterm", "konsole", "psql"]),
        )
        .unwrap();
        assert_eq!(l.terminal, PathBuf::from("/usr/bin/konsole"));
        assert_eq!(
            l.args,
            [
                "--nofork",
                "-e",
                "sh",
                "-c",
                HOLD,
                "patchbay",
                "/opt/patchbay",
                "exec",
                "--kind",
                "database",
                "orders",
                "--",
                "psql"
            ]
        );
        // A team's connection: exec reads it from the team's engine.
        let l = plan(
            Some("data-eng"),
            Kind::Database,
            "orders",
            &spec(Kind::Database),
            Path::new("/opt/patchbay"),
            None,
            &found(&["xterm", "psql"]),
        )
        .unwrap();
        assert_eq!(
            l.args[6..],
            ["exec", "--kind", "database", "--team", "data-eng", "orders", "--", "psql"]
        );
        let l = plan(
            None,
            Kind::Kafka,
            "events",
            &spec(Kind::Kafka),
            Path::new("/p"),
            Some("xterm"),
            &found(&["xterm", "gnome-terminal", "kcat"]),
        )
        .unwrap();
        assert_eq!(
            l.terminal,
            PathBuf::from("/usr/bin/xterm"),
            "$TERMINAL first"
        );
        // kcat reads the connection from KCAT_CONFIG (exec writes it): no argument names it.
        assert_eq!(
            &l.args[l.args.len() - 4..l.args.len() - 1],
            ["--", "sh", "-c"]
        );
        assert!(l.args.last().unwrap().starts_with("kcat -L || exit;"));
        // The MariaDB client reads only the option file exec wrote, not the user's ~/.my.cnf.
        let mut my = spec(Kind::Database);
        if let Spec::Database(d) = &mut my {
            d.engine = DbEngine::Mysql;
        }
        let l = plan(
            None,
            Kind::Database,
            "m",
            &my,
            Path::new("/p"),
            None,
            &found(&["xterm", "mariadb"]),
        )
        .unwrap();
        assert_eq!(l.client, "mariadb");
        assert_eq!(
            &l.args[l.args.len() - 4..],
            [
                "sh",
                "-c",
                "exec \"$0\" --defaults-file=\"$MYSQL_HOME/my.cnf\"",
                "mariadb"
            ]
        );
        let l = plan(
            None,
            Kind::Database,
            "o",
            &spec(Kind::Database),
            Path::new("/p"),
            None,
            &found(&["gnome-terminal", "psql"]),
        )
        .unwrap();
        assert_eq!(
            &l.args[..2],
            ["--wait", "--"],
            "GNOME Terminal waits, so exec's files live as long as it"
        );
    }

    /// Runs HOLD in a real `sh` around `command`, Enter on its stdin: (exit code, output).
    fn held(command: &[&str]) -> (Option<i32>, String) {
        use std::io::Write as _;
        let mut child = std::process::Command::new("sh")
            .args(["-c", HOLD, "patchbay"])
            .args(command)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(b"\n").unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    }

    #[test]
    fn a_failing_client_keeps_the_terminal_open_with_its_status_until_enter() {
        assert_eq!(
            held(&["sh", "-c", "echo no such user; exit 2"]),
            (
                Some(2),
                "no such user\n\n[exit status 2] Press Enter to close this window.".into()
            )
        );
        assert_eq!(held(&["sh", "-c", "echo bye"]), (Some(0), "bye\n".into()));
    }

    #[test]
    fn a_missing_client_or_an_object_store_gets_a_shell_that_says_so() {
        let l = plan(
            None,
            Kind::Database,
            "orders",
            &spec(Kind::Database),
            Path::new("/p"),
            None,
            &found(&["xterm"]),
        )
        .unwrap();
        assert_eq!(l.client, "a shell");
        assert!(l.note.as_deref().unwrap().contains("psql is not installed"));
        assert!(l
            .args
            .last()
            .unwrap()
            .contains("psql is not installed here"));
        let l = plan(
            None,
            Kind::Azure,
            "lake",
            &spec(Kind::Azure),
            Path::new("/p"),
            None,
            &found(&["xterm", "psql"]),
        )
        .unwrap();
        assert_eq!((l.client.as_str(), l.note.clone()), ("a shell", None));
        let e = plan(
            None,
            Kind::Azure,
            "lake",
            &spec(Kind::Azure),
            Path::new("/p"),
            None,
            &found(&[]),
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("terminal"));
    }
}
