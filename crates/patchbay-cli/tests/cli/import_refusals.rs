//! What `patchbay import` refuses: files that are not what they claim, and a chosen row that
//! cannot be imported. Each gets one error naming the file (or the row) and the fix, and the
//! store is left as it was.

use serde_json::Value;

use crate::common::{text, Env};
use crate::import_fixtures::file;

/// `patchbay --json import ARGS`: its exit code and the error's (code, field, message).
fn refused(e: &Env, args: &[&str]) -> (Option<i32>, String, String, String) {
    let o = e.run(&[&["--json", "import"], args].concat());
    let v: Value = serde_json::from_slice(&o.stderr).unwrap_or_else(|_| panic!("{}", text(&o)));
    let s = |k: &str| v["error"][k].as_str().unwrap_or("").to_string();
    (o.status.code(), s("code"), s("field"), s("message"))
}

fn nothing_saved(e: &Env) {
    let o = e.run(&["--json", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "[]",
        "{}",
        text(&o)
    );
}

#[test]
fn files_that_are_not_connection_files_are_refused_by_name_and_nothing_is_saved() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let truncated = file(
        d,
        "conns.json",
        r#"{"pg": {"conn_type": "postgres", "host": "h""#,
    );
    let garbage = d.join("pgpass");
    std::fs::write(&garbage, [0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96]).unwrap();
    let huge = d.join("big.json");
    std::fs::write(&huge, vec![b' '; 9 * 1024 * 1024]).unwrap();
    let not_export = file(d, "list.json", "[1, 2]");
    let missing = d.join("missing");
    let cases: [(&[&str], String); 6] = [
        (
            &[truncated.to_str().unwrap()],
            format!(
                "path: {} is not JSON (EOF while parsing an object at line 1 column 44)",
                truncated.display()
            ),
        ),
        (
            &[garbage.to_str().unwrap()],
            format!(
                "path: {} is not text (not UTF-8): is this the right file?",
                garbage.display()
            ),
        ),
        (
            &[huge.to_str().unwrap()],
            format!(
                "path: {} is 9 MiB; a connection file is at most 8 MiB — is this the right file?",
                huge.display()
            ),
        ),
        (
            &[not_export.to_str().unwrap()],
            format!(
                "path: {} is not an Airflow export: expected an object of connections by id",
                not_export.display()
            ),
        ),
        (
            &[d.to_str().unwrap(), "--from", "pgpass"],
            format!("path: {} is a directory; name a file", d.display()),
        ),
        (
            &[missing.to_str().unwrap(), "--from", "aws"],
            format!(
                "path: {}: No such file or directory (os error 2)",
                missing.display()
            ),
        ),
    ];
    for (args, message) in cases {
        let (code, kind, field, said) = refused(&e, args);
        assert_eq!(
            (code, kind.as_str(), field.as_str()),
            (Some(1), "invalid", "path"),
            "{args:?}"
        );
        assert_eq!(said, message, "{args:?}");
        nothing_saved(&e);
    }
    let (code, _, field, said) = refused(&e, &[d.join("notes.txt").to_str().unwrap()]);
    assert_eq!((code, field.as_str()), (Some(1), "from"));
    assert_eq!(said, format!("from: cannot tell what {} is from its name; say which with --from (pgpass, pg-service, my-cnf, mylogin, aws, airflow, airflow-env, dotenv, gcs-key, dbeaver, datagrip, rclone, kafka-properties, patchbay)", d.join("notes.txt").display()));
    let (_, _, field, said) = refused(&e, &["--from", "dbeaver-ce"]);
    assert_eq!((field.as_str(), said.as_str()), ("from", "from: \"dbeaver-ce\" is not a source; use one of pgpass, pg-service, my-cnf, mylogin, aws, airflow, airflow-env, dotenv, gcs-key, dbeaver, datagrip, rclone, kafka-properties, patchbay"));
}

#[test]
fn a_chosen_row_that_cannot_be_imported_stops_the_whole_import() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let pgpass = file(
        dir.path(),
        "pgpass",
        "db.internal:5432:orders:app:pw-1\n*:*:*:app:pw-2\n",
    );
    let (code, _, field, said) = refused(
        &e,
        &[pgpass.to_str().unwrap(), "--only", "orders,line 2", "--yes"],
    );
    assert_eq!((code, field.as_str()), (Some(1), "only"));
    assert_eq!(said, "only: \"line 2\" cannot be imported: a wildcard entry (*:*:*:app) matches many connections: its password goes to the service-file connections it matches");
    nothing_saved(&e);
    // A name chosen is the row saved under it, not also the one renamed from it.
    let twice = file(
        dir.path(),
        "pgpass-twice",
        "h1:5432:app:app:pw-1\nh2:5432:app:app:pw-2\n",
    );
    let o = e.run(&[
        "import",
        "--from",
        "pgpass",
        twice.to_str().unwrap(),
        "--rename",
        "--only",
        "app",
    ]);
    assert!(
        text(&o).ends_with("run again with --yes to import the 1 connection(s) above\n"),
        "{}",
        text(&o)
    );
    let (_, _, field, said) = refused(&e, &[pgpass.to_str().unwrap(), "--only", "nope", "--yes"]);
    assert_eq!(
        (field.as_str(), said.as_str()),
        ("only", "only: nothing called \"nope\" was found to import")
    );
    nothing_saved(&e);
    let o = e.run(&[
        "import",
        pgpass.to_str().unwrap(),
        "--only",
        "orders",
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // A second import of the same file: the name is taken; --replace replaces it, secrets too.
    let (code, _, field, said) =
        refused(&e, &[pgpass.to_str().unwrap(), "--only", "orders", "--yes"]);
    assert_eq!((code, field.as_str()), (Some(1), "only"));
    assert_eq!(said, "only: \"orders\" cannot be imported: a database connection named \"orders\" is already saved (rename or replace it)");
    let o = e.run(&["import", pgpass.to_str().unwrap(), "--yes"]);
    assert!(text(&o).ends_with("nothing to import\n"), "{}", text(&o));
    std::fs::write(&pgpass, "db.internal:5432:orders:app:pw-new\n").unwrap();
    let o = e.run(&["import", pgpass.to_str().unwrap(), "--replace", "--yes"]);
    assert!(
        text(&o).ends_with("imported 1 connection(s); 0 not imported\n"),
        "{}",
        text(&o)
    );
    assert_eq!(e.run(&["reveal", "orders", "password"]).stdout, b"pw-new\n");
}

#[test]
fn names_from_any_script_are_kept_and_two_rows_with_one_name_are_told_apart() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let export = file(
        dir.path(),
        "af.json",
        r#"{"日本語-db": {"conn_type": "postgres", "host": "db.internal", "login": "app", "password": "p1", "schema": "jp"},
        "Orders": {"conn_type": "postgres", "host": "h1", "login": "app", "password": "p2"},
        "orders": {"conn_type": "mysql", "host": "h2", "login": "app", "password": "p3"},
        "ORDERS": {"conn_type": "postgres", "host": "h3", "login": "app", "password": "p4"}}"#,
    );
    let o = e.run(&[
        "--json",
        "import",
        export.to_str().unwrap(),
        "--rename",
        "--yes",
    ]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    let mut saved: Vec<&str> = v["imported"]["saved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    saved.sort();
    // Names are one regardless of case within a kind (PostgreSQL and MySQL are both databases).
    assert_eq!(saved, ["ORDERS", "Orders-2", "orders-3", "日本語-db"]);
}
