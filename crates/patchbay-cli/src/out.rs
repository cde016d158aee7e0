//! Everything `patchbay` prints as a result goes through `Out`: as text for a person, or, with
//! `--json`, as JSON for a script (every command, including those that print one value).
//! Errors are printed by `main.rs`.

use patchbay_core::model::Connection;
use serde::Serialize;

#[derive(Debug, Clone, Copy)]
pub struct Out {
    pub json: bool,
}

impl Out {
    fn print_json<T: Serialize + ?Sized>(v: &T) {
        // Streamed into one buffer: a list of 10,000 is not first made into one string.
        use std::io::Write as _;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        let _ = serde_json::to_writer_pretty(&mut out, v)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush());
    }

    /// A result: its JSON, or `text` for a person.
    pub fn show<T: Serialize + ?Sized>(&self, v: &T, text: impl FnOnce(&T)) {
        if self.json {
            Out::print_json(v);
        } else {
            text(v);
        }
    }

    /// A connection that a command changed ("saved database connection \"x\"").
    pub fn done(&self, c: &Connection, verb: &str) {
        self.show(c, |c| println!("{verb} {} \"{}\"", c.kind.label(), c.name));
    }

    /// One value (a URL, a revealed secret, a key): the line itself, or `{"<key>": value}`.
    pub fn value(&self, key: &str, value: &str) {
        if self.json {
            Out::print_json(&serde_json::json!({ key: value }));
        } else {
            println!("{value}");
        }
    }
}
