//! Browsing an object store: one page of a place. When the credentials may not list the
//! store's buckets, the answer is the buckets known to work — the one the connection is saved
//! with and those typed and listed before — with the reason, so the user can type one; a typed
//! bucket that lists is remembered.

use super::Desk;
use crate::error::{Error, Result};
use crate::kinds::listings;
use crate::listing::{Ask, Entry, EntryKind, Page, Place};
use crate::model::Kind;

impl Desk {
    /// A page of `place` in the object store `name` (`after`: the previous page's `next`;
    /// `max`: entries per page, the default when none).
    pub async fn browse(
        &self,
        kind: Option<Kind>,
        name: &str,
        place: Place,
        after: Option<String>,
        max: Option<u32>,
    ) -> Result<Page> {
        if place.bucket.is_none() && !place.prefix.is_empty() {
            return Err(Error::invalid(
                "place",
                "a prefix needs a bucket: write it as bucket/prefix",
            ));
        }
        if let Some(b) = &place.bucket {
            bucket_name(b)?;
        }
        let r = self.cat().resolve(kind, name)?;
        // A session it signs with, kept for the next pages (a role's MFA code is asked once).
        let r = self.with_minted(r, None).await?;
        let mut ask = Ask::first(place);
        ask.after = after;
        if let Some(m) = max {
            ask.max = m;
        }
        let id = r.connection.id;
        match listings::list(&r, &ask, self.timeout).await {
            Ok(page) => {
                if let (Some(b), None) = (&ask.place.bucket, &ask.after) {
                    self.cat().remember_bucket(id, b)?;
                }
                self.cat().record_use(id)?;
                Ok(page)
            }
            Err(Error::Denied(why)) if ask.place.bucket.is_none() => {
                let mut known = self.lists().known_buckets(id)?;
                if let Some(b) = listings::saved_bucket(&r.connection.spec) {
                    if !known.iter().any(|k| k == b) {
                        known.insert(0, b.to_string());
                    }
                }
                Ok(Page {
                    place: ask.place,
                    entries: known
                        .into_iter()
                        .map(|b| Entry::new(EntryKind::Bucket, b, ""))
                        .collect(),
                    next: None,
                    uris: Vec::new(),
                    note: Some(why),
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Makes `bucket` the one the connection `name` is saved with (Azure's container, GCS's
    /// bucket): its secrets stay, as the bucket is no other endpoint.
    pub fn use_bucket(
        &self,
        kind: Kind,
        name: &str,
        bucket: &str,
    ) -> Result<crate::model::Connection> {
        bucket_name(bucket)?;
        let mut cat = self.cat();
        let c = cat.get(Some(kind), name)?;
        let spec = listings::with_bucket(&c.spec, bucket).ok_or_else(|| {
            Error::invalid(
                "bucket",
                format!("{} is saved without a bucket of its own", kind.a_label()),
            )
        })?;
        let mut draft = crate::model::ConnectionDraft::new(c.name.clone(), spec);
        draft.env_tag = c.env_tag.clone();
        cat.update(Some(kind), name, draft)
    }

    /// The `index`th URI of `place` in the store `name` (as a page of it lists them) and what
    /// copying it is, as `copy_text` answers: no secret is in it.
    pub fn place_uri(
        &self,
        kind: Kind,
        name: &str,
        place: &Place,
        index: usize,
    ) -> Result<(String, super::Copied)> {
        let c = self.lists().get(Some(kind), name)?;
        let uri = listings::uris(&c.spec, place)
            .into_iter()
            .nth(index)
            .map(|u| u.uri)
            .ok_or_else(|| Error::invalid("uri", "this place has no such URI: list it again"))?;
        let copied = super::Copied {
            what: format!("URI {uri}"),
            includes_secrets: false,
            clears_in_seconds: None,
        };
        Ok((uri, copied))
    }
}

impl Desk {
    /// The snippet `id` (Polars, DuckDB) that reads the object `place` names (its prefix is
    /// the object's key) in the S3 store `name`, through `patchbay exec`.
    pub fn object_snippet(
        &self,
        kind: Kind,
        name: &str,
        place: &Place,
        id: &str,
    ) -> Result<crate::snippets::Snippet> {
        let c = self.lists().get(Some(kind), name)?;
        if c.kind != Kind::S3 {
            return Err(Error::invalid(
                "name",
                format!(
                    "{name} is {}: the object snippets are for S3 stores",
                    c.kind.a_label()
                ),
            ));
        }
        let bucket = place
            .bucket
            .as_deref()
            .ok_or_else(|| Error::invalid("object", "name the object's bucket too"))?;
        bucket_name(bucket)?;
        let run = crate::snippets::run_line(&c);
        crate::snippets::objects::for_object(&run, bucket, &place.prefix, id)
    }
}

/// A typed bucket (container) name as every store's names are: printable, no "/" or "\\", not
/// "." or "..", at most 255 characters (a store's own rules are its answer to give).
fn bucket_name(b: &str) -> Result<()> {
    let fits = !b.is_empty()
        && b.len() <= 255
        && b != "."
        && b != ".."
        && b.chars()
            .all(|c| c.is_ascii_graphic() && c != '/' && c != '\\');
    if fits {
        return Ok(());
    }
    Err(Error::invalid(
        "bucket",
        format!(
            "{} is not a bucket or container name: names are letters, digits, dots, dashes and underscores",
            crate::validate::quoted(b)
        ),
    ))
}
