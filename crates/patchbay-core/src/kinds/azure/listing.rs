//! Listing an Azure Blob account: its containers, then a container's blobs with "/" as the
//! delimiter (virtual directories), a page at a time (markers), proven by the auth mode's own
//! means (`proof.rs`). Names Azure had to encode (`Encoded="true"`) are decoded.

use std::time::Duration;

use percent_encoding::percent_decode_str;

use super::blob_endpoint;
use super::proof::{self, AzureSecrets};
use crate::check::endpoint::{self, Endpoint};
use crate::check::tls::TlsSettings;
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::error::{Error, Result};
use crate::listing::http::{Answer, Http};
use crate::listing::xml::{self, Element};
use crate::listing::{Ask, Entry, EntryKind, Page, Place, Uri};
use crate::model::AzureSpec;

fn failed(f: Failure) -> Error {
    Error::Listing(f.in_words())
}

/// One page of `ask` in the account `s` names.
pub async fn list(
    s: &AzureSpec,
    secrets: &AzureSecrets<'_>,
    ask: &Ask,
    timeout: Duration,
) -> Result<Page> {
    let ep = Endpoint::parse_allowing(
        &blob_endpoint(s),
        StepName::Request,
        s.allow_http,
        "the endpoint",
        endpoint::HTTP_HINT,
    )
    .map_err(|f| Error::invalid("endpoint_url", f.hint.unwrap_or(f.message)))?;
    let mut rec = Recorder::new(timeout, Vec::new());
    let proof = proof::proof(&mut rec, s, secrets).await.map_err(failed)?;
    let container_sas = matches!(&proof, proof::Proof::Sas(t) if super::sas_is_container_scoped(t));
    if ask.place.bucket.is_none() && container_sas {
        return Err(Error::Denied(
            "this SAS is scoped to one container (sr=c), so it cannot list the account's containers: type the container's name".into(),
        ));
    }
    let size = ask.size().to_string();
    let (resource, mut query) = match &ask.place.bucket {
        Some(c) => (
            format!("{}/{c}", ep.base_path),
            vec![
                ("restype", "container"),
                ("comp", "list"),
                ("delimiter", "/"),
                ("maxresults", size.as_str()),
            ],
        ),
        None => (
            format!("{}/", ep.base_path),
            vec![("comp", "list"), ("maxresults", size.as_str())],
        ),
    };
    if ask.place.bucket.is_some() && !ask.place.prefix.is_empty() {
        query.push(("prefix", &ask.place.prefix));
    }
    if let Some(marker) = &ask.after {
        query.push(("marker", marker));
    }
    let (headers, encoded) = proof
        .authorize(&s.account, &resource, &query)
        .map_err(failed)?;
    let scheme = if ep.https { "https" } else { "http" };
    let path: String = resource
        .split('/')
        .map(|p| {
            percent_encoding::utf8_percent_encode(p, percent_encoding::NON_ALPHANUMERIC).to_string()
        })
        .collect::<Vec<_>>()
        .join("/");
    let url = format!("{scheme}://{}{path}?{encoded}", ep.authority);
    let tls = TlsSettings::verified(s.ca_cert.as_deref());
    let answer = Http::new(&ep.host, &tls, timeout)?
        .get(&url, &headers)
        .await?;
    if answer.status != 200 {
        return Err(refusal(&answer, s, ask, container_sas));
    }
    let root =
        xml::parse(&answer.body).map_err(|why| Error::Listing(format!("{}: {why}", ep.host)))?;
    if root.name != "EnumerationResults" {
        return Err(Error::Listing(format!(
            "{} answered with <{}>, not a Blob listing: is this the Blob service URL?",
            ep.host, root.name
        )));
    }
    let entries = match ask.place.bucket {
        Some(_) => blobs(&root, &ask.place.prefix),
        None => containers(&root),
    };
    Ok(Page {
        place: ask.place.clone(),
        entries,
        next: root
            .text_of("NextMarker")
            .filter(|m| !m.is_empty())
            .map(str::to_string),
        uris: uris(s, &ask.place),
        note: None,
    })
}

/// A name as stored: Azure percent-encodes one that XML cannot carry and says so.
fn name(el: &Element) -> Option<String> {
    let n = el.child("Name")?;
    Some(match n.attribute("Encoded") {
        Some("true") => percent_decode_str(&n.text).decode_utf8_lossy().into_owned(),
        _ => n.text.clone(),
    })
}

/// `Sat, 05 Dec 2026 04:00:00 GMT` as RFC 3339, or as given when it is not that.
fn modified(props: Option<&Element>) -> Option<String> {
    let raw = props?.text_of("Last-Modified")?;
    let parts: Vec<&str> = raw.split_whitespace().collect();
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let rfc3339 = match parts.as_slice() {
        [_, day, month, year, time, "GMT"] => MONTHS
            .iter()
            .position(|m| m == month)
            .map(|m| format!("{year}-{:02}-{day:0>2}T{time}Z", m + 1)),
        _ => None,
    };
    Some(rfc3339.unwrap_or_else(|| raw.to_string()))
}

fn containers(root: &Element) -> Vec<Entry> {
    let Some(list) = root.child("Containers") else {
        return Vec::new();
    };
    list.all("Container")
        .filter_map(|c| {
            let mut e = Entry::new(EntryKind::Bucket, name(c)?, "");
            e.modified = modified(c.child("Properties"));
            Some(e)
        })
        .collect()
}

fn blobs(root: &Element, prefix: &str) -> Vec<Entry> {
    let Some(list) = root.child("Blobs") else {
        return Vec::new();
    };
    let mut out: Vec<Entry> = list
        .all("BlobPrefix")
        .filter_map(|p| Some(Entry::new(EntryKind::Prefix, name(p)?, prefix)))
        .collect();
    for b in list.all("Blob") {
        let Some(n) = name(b) else { continue };
        let props = b.child("Properties");
        let mut e = Entry::new(EntryKind::Object, n, prefix);
        e.size = props
            .and_then(|p| p.text_of("Content-Length"))
            .and_then(|s| s.parse().ok());
        e.modified = modified(props);
        e.storage_class = props
            .and_then(|p| p.text_of("AccessTier"))
            .map(str::to_string);
        out.push(e);
    }
    out
}

/// The place as Spark (ABFS), fsspec/Polars/DuckDB (az://) and azcopy or a browser (https)
/// name it.
pub fn uris(s: &AzureSpec, place: &Place) -> Vec<Uri> {
    let Some(c) = &place.bucket else {
        return Vec::new();
    };
    let p = &place.prefix;
    let account = &s.account;
    vec![
        Uri {
            tools: "Spark, Hadoop (ABFS)".into(),
            uri: format!("abfss://{c}@{account}.dfs.core.windows.net/{p}"),
        },
        Uri {
            tools: "fsspec, Polars, DuckDB".into(),
            uri: format!("az://{c}/{p}"),
        },
        Uri {
            tools: "azcopy, REST".into(),
            uri: format!("{}/{c}/{p}", blob_endpoint(s)),
        },
    ]
}

/// Why the account refused, named for the user, with what to do.
fn refusal(a: &Answer, s: &AzureSpec, ask: &Ask, container_sas: bool) -> Error {
    let code = xml::parse(&a.body)
        .ok()
        .and_then(|r| r.text_of("Code").map(str::to_string))
        .unwrap_or_default();
    let account = &s.account;
    match (a.status, code.as_str(), &ask.place.bucket) {
        (_, "ContainerNotFound", Some(c)) | (404, _, Some(c)) => Error::NotFound {
            what: "container".into(),
            name: c.clone(),
            hint: format!(" in account {account}: check its name (names are lower case)"),
        },
        (403, "AuthorizationPermissionMismatch" | "AuthorizationResourceTypeMismatch" | "AuthorizationFailure", None) => Error::Denied(format!(
            "these credentials may not list account {account}'s containers ({code}): type the container's name to list it"
        )),
        (403, "AuthorizationFailure", Some(c)) if container_sas => Error::Denied(format!(
            "this SAS is for one container (sr=c), not for container {c}: list the container it was made for"
        )),
        (403, "AuthorizationPermissionMismatch" | "AuthorizationResourceTypeMismatch" | "AuthorizationFailure", Some(c)) => Error::Denied(format!(
            "these credentials may not list container {c} ({code}): a SAS needs the list permission (sp=l); an identity needs Storage Blob Data Reader"
        )),
        (403, _, _) => Error::Listing(format!(
            "account {account} refused the credentials ({code}): test the connection to see which part is wrong"
        )),
        (status, code, _) => Error::Listing(format!(
            "listing account {account} failed: the endpoint answered HTTP {status} {code}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of Azure's List Blobs answer as its REST reference shows it, with a name Azure
    /// had to encode (a control character XML cannot carry).
    #[test]
    fn blobs_prefixes_and_an_encoded_name_are_read() {
        let body = r#"<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="https://a.blob.core.windows.net/" ContainerName="c"><Prefix>odd/</Prefix><Blobs><BlobPrefix><Name>odd/deeper/</Name></BlobPrefix><Blob><Name Encoded="true">odd/esc%1B%5B2J.txt</Name><Properties><Last-Modified>Sat, 05 Dec 2026 04:00:07 GMT</Last-Modified><Content-Length>12</Content-Length><AccessTier>Hot</AccessTier></Properties></Blob></Blobs><NextMarker>2!88!MDAw</NextMarker></EnumerationResults>"#;
        let root = xml::parse(body).unwrap();
        let entries = blobs(&root, "odd/");
        assert_eq!(entries.len(), 2);
        assert_eq!(
            (entries[0].kind, entries[0].shown.as_str()),
            (EntryKind::Prefix, "deeper/")
        );
        let b = &entries[1];
        assert_eq!(b.name, "odd/esc\u{1b}[2J.txt");
        assert_eq!(b.shown, "esc\\u{1b}[2J.txt");
        assert_eq!(b.size, Some(12));
        assert_eq!(b.modified.as_deref(), Some("2026-12-05T04:00:07Z"));
        assert_eq!(b.storage_class.as_deref(), Some("Hot"));
        assert_eq!(root.text_of("NextMarker"), Some("2!88!MDAw"));
    }
}
