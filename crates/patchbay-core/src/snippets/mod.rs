//! Code snippets per connection ("Copy code snippet"): short Python programs for the usual
//! client of each kind (psycopg and SQLAlchemy, PyMySQL, boto3 and Polars, azure-storage-blob,
//! google-cloud-storage, confluent-kafka) that read everything from the environment
//! `patchbay exec NAME` sets — never a credential inline, so a snippet can be pasted anywhere.
//! An S3 object chosen in the storage browser has its own (Polars, DuckDB: `objects.rs`).
//! Each one is run by the tests against the real servers, through `exec`.

use serde::Serialize;
use ts_rs::TS;

use crate::handoff::shell_quote;
use crate::model::Connection;

pub mod objects;
pub mod python;

/// One snippet: what it uses and its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Snippet {
    /// "psycopg", "sqlalchemy", "boto3"…
    pub id: String,
    /// "Python: psycopg".
    pub label: String,
    pub code: String,
}

/// The snippets for a connection from the `choices` its kind offers (id, label, code; its
/// usual client first): each says how to run it with the connection's own name.
pub fn for_connection(
    c: &Connection,
    choices: Vec<(&'static str, &'static str, &'static str)>,
) -> Vec<Snippet> {
    with_run_line(&run_line(c), choices)
}

/// The snippets for a connection of team `team` (run with `exec NAME --team TEAM`).
pub fn for_team_connection(
    c: &Connection,
    team: &str,
    choices: Vec<(&'static str, &'static str, &'static str)>,
) -> Vec<Snippet> {
    let run = run_line(c).replace(
        " -- python3",
        &format!(" --team {} -- python3", quoted(team)),
    );
    with_run_line(&run, choices)
}

fn with_run_line(
    run: &str,
    choices: Vec<(&'static str, &'static str, &'static str)>,
) -> Vec<Snippet> {
    choices
        .into_iter()
        .map(|(id, label, body)| Snippet {
            id: id.into(),
            label: format!("Python: {label}"),
            code: format!("{run}{body}"),
        })
        .collect()
}

/// A name as a shell takes it: as it is when it is plain, else quoted.
fn quoted(name: &str) -> String {
    if name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
    {
        name.to_string()
    } else {
        shell_quote(name)
    }
}

/// The first line of every snippet: how to run it with the connection's own name.
pub fn run_line(c: &Connection) -> String {
    format!(
        "# Run it with: patchbay exec {} -- python3 this_file.py\n",
        quoted(&c.name)
    )
}
