//! Patchbay's own document of connections (`patchbay export --format patchbay`, and the inside
//! of a bundle): names, environment tags, favourites, every field, which named secret a field
//! uses, and — only in a bundle — the secrets' values. In stable order with no timestamps, so
//! an export without secrets can be committed and diffed. A bundle is that document encrypted
//! in the age format (`sealed.rs`), which the `age` tool opens too.

mod sealed;

pub use sealed::{is_age, open, seal, Key, Lock};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::model::{SecretField, Spec};

/// What the document says it is.
pub const FORMAT: &str = "patchbay-connections";
pub const VERSION: u32 = 1;

/// A set of connections and named secrets.
#[derive(Debug, Serialize, Deserialize)]
pub struct Document {
    pub format: String,
    pub version: u32,
    pub connections: Vec<Entry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Named>,
}

impl Document {
    pub fn new(connections: Vec<Entry>, secrets: Vec<Named>) -> Document {
        Document {
            format: FORMAT.into(),
            version: VERSION,
            connections,
            secrets,
        }
    }

    /// Reads a document, refusing anything that is not one (or of a later version).
    pub fn parse(text: &str) -> Result<Document, String> {
        let d: Document =
            serde_json::from_str(text).map_err(|e| format!("is not a Patchbay export ({e})"))?;
        if d.format != FORMAT {
            return Err(format!(
                "is not a Patchbay export (format \"{}\")",
                d.format
            ));
        }
        if d.version > VERSION {
            return Err(format!(
                "was written by a newer Patchbay (version {}); update Patchbay to read it",
                d.version
            ));
        }
        Ok(d)
    }

    /// The JSON text, two-space indented, ending in a newline.
    pub fn text(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(serde_json::to_string_pretty(self).expect("serialisable"));
        s.push('\n');
        s
    }
}

/// One connection.
#[derive(Debug, Serialize, Deserialize)]
pub struct Entry {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_tag: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favourite: bool,
    pub spec: Spec,
    /// The values of the secrets it owns (a bundle only).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub secrets: BTreeMap<SecretField, Value>,
    /// Fields that use a named secret, by its name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub shared: BTreeMap<SecretField, String>,
}

/// A named secret (its value in a bundle only).
#[derive(Debug, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

/// A secret's value inside a document: zeroized when dropped, never shown by `Debug`.
#[derive(Clone)]
pub struct Value(Zeroizing<String>);

impl Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(|s| Value(Zeroizing::new(s)))
    }
}

impl Value {
    pub fn new(v: &str) -> Value {
        Value(Zeroizing::new(v.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}
