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
    let run = run_line(c);
    let make = |id: &str, label: &str, body: &str| Snippet {
        id: id.into(),
        label: format!("Python: {label}"),
        code: format!("{run}{body}"),
    };
    choices
        .into_iter()
        .map(|(id, label, body)| make(id, label, body))
        .collect()
}

/// The first line of every snippet: how to run it with the connection's own name.
pub fn run_line(c: &Connection) -> String {
    let name = if c
        .name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
    {
        c.name.clone()
    } else {
        shell_quote(&c.name)
    };
    format!("# Run it with: patchbay exec {name} -- python3 this_file.py\n")
}
