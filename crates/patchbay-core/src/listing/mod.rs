//! What an object store holds, a page at a time: its buckets (containers), then the prefixes
//! and objects under one place. The mechanism only: the shapes a listing answers with, the HTTP
//! client its requests go through (`http.rs`), the XML of S3's and Azure's answers (`xml.rs`) and how a stored name is shown safely
//! (`names.rs`). Each object-store kind owns how it asks and how it reads the answer
//! (`kinds/<kind>/listing.rs`); `kinds::listings` is the one dispatch.

pub mod http;
pub mod names;
pub mod xml;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most entries one page may hold (S3's and Azure's own limit).
pub const MAX_PAGE: u32 = 5000;
/// Entries per page when the caller does not say.
pub const DEFAULT_PAGE: u32 = 1000;

/// Where in a store: nothing (its buckets), a bucket (its top level), or a prefix in one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Place {
    /// The bucket (S3, GCS) or container (Azure); none lists the buckets.
    #[serde(default)]
    #[ts(optional)]
    pub bucket: Option<String>,
    /// What the names under the bucket start with: "" or a prefix ending in "/".
    #[serde(default)]
    pub prefix: String,
}

impl Place {
    /// `bucket/prefix/`, as typed after `NAME:` (`patchbay ls reports:q4/2026/`); an empty
    /// text is the store's buckets. A prefix is taken as a folder: it gets its trailing "/".
    pub fn parse(text: &str) -> Place {
        let text = text.trim_start_matches('/');
        let (bucket, prefix) = text.split_once('/').unwrap_or((text, ""));
        if bucket.is_empty() {
            return Place::default();
        }
        let mut prefix = prefix.to_string();
        if !prefix.is_empty() && !prefix.ends_with('/') {
            prefix.push('/');
        }
        Place {
            bucket: Some(bucket.to_string()),
            prefix,
        }
    }

    /// The place one level up: the prefix without its last part, the bucket's top, or the
    /// store's buckets.
    pub fn parent(&self) -> Place {
        let trimmed = self.prefix.trim_end_matches('/');
        match (trimmed.rfind('/'), trimmed.is_empty()) {
            (_, true) => Place::default(),
            (Some(at), _) => Place {
                bucket: self.bucket.clone(),
                prefix: self.prefix[..=at].to_string(),
            },
            (None, _) => Place {
                bucket: self.bucket.clone(),
                prefix: String::new(),
            },
        }
    }
}

/// What one entry of a listing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Bucket,
    Prefix,
    Object,
}

/// One bucket, prefix or object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Entry {
    pub kind: EntryKind,
    /// The whole name: a bucket's, a prefix's (ending in "/") or an object's key, exactly as
    /// stored (give it back to list inside it).
    pub name: String,
    /// The last part of the name for a person: control and direction characters escaped, very
    /// long names cut in the middle (`names::shown`).
    pub shown: String,
    /// Bytes (a JavaScript number holds every size a store allows exactly).
    #[ts(optional, type = "number")]
    pub size: Option<u64>,
    /// When it was last written (a bucket: created), RFC 3339 as the store gave it.
    #[ts(optional)]
    pub modified: Option<String>,
    /// The storage class or access tier, where the store says it.
    #[ts(optional)]
    pub storage_class: Option<String>,
}

impl Entry {
    /// An entry named `name` inside `prefix` (its shown name is the part after the prefix).
    pub fn new(kind: EntryKind, name: String, prefix: &str) -> Entry {
        let last = name.strip_prefix(prefix).unwrap_or(&name);
        Entry {
            kind,
            shown: names::shown(last),
            name,
            size: None,
            modified: None,
            storage_class: None,
        }
    }
}

/// A URI of a place in the form one family of tools takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Uri {
    /// Who reads it: "aws cli, boto3, DuckDB", "Spark (ABFS)", …
    pub tools: String,
    pub uri: String,
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Page {
    pub place: Place,
    /// Buckets, or prefixes first and then objects, in the store's order.
    pub entries: Vec<Entry>,
    /// Where the next page starts (give it back as `after`); none on the last page.
    #[ts(optional)]
    pub next: Option<String>,
    /// The place as the tools that read it name it (none for the store's buckets).
    pub uris: Vec<Uri>,
    /// Said about the listing rather than its entries: "these credentials may not list
    /// buckets: type one" — then the entries are the buckets already known to work.
    #[ts(optional)]
    pub note: Option<String>,
}

/// What to list: a place, where to start (a page's `next`), and how many at most.
#[derive(Debug, Clone)]
pub struct Ask {
    pub place: Place,
    pub after: Option<String>,
    pub max: u32,
}

impl Ask {
    /// The first page of `place`, of the default size.
    pub fn first(place: Place) -> Ask {
        Ask {
            place,
            after: None,
            max: DEFAULT_PAGE,
        }
    }

    /// `max` bounded to what a store takes (1 to `MAX_PAGE`).
    pub fn size(&self) -> u32 {
        self.max.clamp(1, MAX_PAGE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_place_is_a_bucket_and_a_folder_prefix() {
        let p = Place::parse("reports/2026/q4");
        assert_eq!(p.bucket.as_deref(), Some("reports"));
        assert_eq!(p.prefix, "2026/q4/");
        assert_eq!(Place::parse(""), Place::default());
        assert_eq!(Place::parse("/reports").prefix, "");
    }

    #[test]
    fn the_parent_of_a_place_is_one_level_up() {
        let p = Place::parse("b/x/y/");
        assert_eq!(p.parent(), Place::parse("b/x/"));
        assert_eq!(p.parent().parent(), Place::parse("b"));
        assert_eq!(Place::parse("b").parent(), Place::default());
    }
}
