//! Listing an S3 store: ListBuckets, then ListObjectsV2 with "/" as the delimiter, a page at a
//! time (continuation tokens), signed with exactly the saved credentials (SigV4). Keys are asked
//! URL-encoded, so that any byte of a name survives the XML. Path-style against a custom
//! endpoint (MinIO, moto, GCS's XML API), virtual-hosted against AWS.

use std::time::Duration;

use percent_encoding::percent_decode_str;

use crate::check::sigv4;
use crate::check::verdict::StepName;
use crate::error::{Error, Result};
use crate::listing::http::{Answer, Http};
use crate::listing::xml::{self, Element};
use crate::listing::{Ask, Entry, EntryKind, Page, Place, Uri};
use crate::model::S3Spec;

/// The saved credentials a listing signs with.
pub struct Keys<'a> {
    pub secret: Option<&'a str>,
    pub session_token: Option<&'a str>,
}

/// One page of `ask` in the store `s` names.
pub async fn list(s: &S3Spec, keys: &Keys<'_>, ask: &Ask, timeout: Duration) -> Result<Page> {
    let ep = super::endpoint_of(s, "s3", StepName::Request)
        .map_err(|f| Error::invalid("endpoint_url", f.hint.unwrap_or(f.message)))?;
    let secret = keys.secret.ok_or_else(|| {
        Error::invalid(
            "secret_access_key",
            "no secret access key is saved: enter it to list this store",
        )
    })?;
    let (authority, path) = match &ask.place.bucket {
        // Virtual-hosted on AWS (a bucket in another region answers there too), except for a
        // dotted name, which the wildcard certificate does not cover.
        Some(b) if s.endpoint_url.is_none() && !b.contains('.') => {
            (format!("{b}.{}", ep.authority), "/".to_string())
        }
        Some(b) => (
            ep.authority.clone(),
            format!("{}/{}", ep.base_path, sigv4::uri_encode(b, true)),
        ),
        None => (ep.authority.clone(), format!("{}/", ep.base_path)),
    };
    let size = ask.size().to_string();
    let mut query: Vec<(&str, &str)> = Vec::new();
    if ask.place.bucket.is_some() {
        query.extend([
            ("list-type", "2"),
            ("delimiter", "/"),
            ("encoding-type", "url"),
            ("max-keys", size.as_str()),
        ]);
        if !ask.place.prefix.is_empty() {
            query.push(("prefix", &ask.place.prefix));
        }
    }
    if let Some(after) = &ask.after {
        query.push(("continuation-token", after));
    }
    let query = sigv4::canonical_query(&query);
    let credentials = sigv4::Credentials {
        access_key_id: &s.access_key_id,
        secret,
        session_token: keys.session_token,
    };
    let now = crate::clock::now_ms();
    let headers = sigv4::sign(&authority, &path, &query, &s.region, &credentials, now);
    let scheme = if ep.https { "https" } else { "http" };
    let url = match query.is_empty() {
        true => format!("{scheme}://{authority}{path}"),
        false => format!("{scheme}://{authority}{path}?{query}"),
    };
    let tls = super::tls(s);
    let answer = Http::new(&ep.host, &tls, timeout)?
        .get(&url, &headers)
        .await?;
    if answer.status != 200 {
        return Err(refusal(&answer, s, ask));
    }
    let root =
        xml::parse(&answer.body).map_err(|why| Error::Listing(format!("{}: {why}", ep.host)))?;
    let mut page = match root.name.as_str() {
        "ListAllMyBucketsResult" => buckets(&root),
        "ListBucketResult" => objects(&root, ask),
        other => {
            return Err(Error::Listing(format!(
                "{} answered with <{other}>, not an S3 listing: is this the S3 API endpoint?",
                ep.host
            )))
        }
    };
    page.place = ask.place.clone();
    page.uris = uris(&ask.place, "s3");
    Ok(page)
}

fn buckets(root: &Element) -> Page {
    let entries = root
        .child("Buckets")
        .map(|b| {
            b.all("Bucket")
                .filter_map(|b| {
                    let mut e = Entry::new(EntryKind::Bucket, b.text_of("Name")?.to_string(), "");
                    e.modified = b.text_of("CreationDate").map(str::to_string);
                    Some(e)
                })
                .collect()
        })
        .unwrap_or_default();
    Page {
        entries,
        next: root
            .text_of("ContinuationToken")
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        ..empty()
    }
}

fn objects(root: &Element, ask: &Ask) -> Page {
    // Asked URL-encoded, decoded as boto3 does ("+" is a space). A store that says it encoded
    // but sent a name with characters encoding never leaves (a space, non-ASCII, a control
    // character: s3s-fs echoes the parameter and sends names as they are) gets it taken as is.
    let encoded = root.text_of("EncodingType") == Some("url");
    let name = |t: &str| match encoded && t.chars().all(|c| c.is_ascii_graphic()) {
        true => percent_decode_str(&t.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned(),
        false => t.to_string(),
    };
    let prefix = ask.place.prefix.as_str();
    let mut entries: Vec<Entry> = root
        .all("CommonPrefixes")
        .filter_map(|p| p.text_of("Prefix"))
        .map(|p| Entry::new(EntryKind::Prefix, name(p), prefix))
        .collect();
    for c in root.all("Contents") {
        let Some(key) = c.text_of("Key") else {
            continue;
        };
        let mut e = Entry::new(EntryKind::Object, name(key), prefix);
        e.size = c.text_of("Size").and_then(|s| s.parse().ok());
        e.modified = c.text_of("LastModified").map(str::to_string);
        e.storage_class = c.text_of("StorageClass").map(str::to_string);
        entries.push(e);
    }
    let truncated = root.text_of("IsTruncated") == Some("true");
    Page {
        entries,
        next: root
            .text_of("NextContinuationToken")
            .filter(|t| truncated && !t.is_empty())
            .map(str::to_string),
        ..empty()
    }
}

fn empty() -> Page {
    Page {
        place: Default::default(),
        entries: Vec::new(),
        next: None,
        uris: Vec::new(),
        note: None,
    }
}

/// The place's URIs for tools that read `scheme://bucket/prefix` (s3 or gs), and Spark's s3a.
pub fn uris(place: &Place, scheme: &str) -> Vec<Uri> {
    let Some(b) = &place.bucket else {
        return Vec::new();
    };
    let path = format!("{b}/{}", place.prefix);
    let mut out = vec![Uri {
        tools: match scheme {
            "s3" => "aws cli, boto3, Polars, DuckDB".into(),
            _ => "gsutil, gcloud storage, Polars, DuckDB".into(),
        },
        uri: format!("{scheme}://{path}"),
    }];
    if scheme == "s3" {
        out.push(Uri {
            tools: "Spark, Hadoop".into(),
            uri: format!("s3a://{path}"),
        });
    }
    out
}

/// Why the store refused, named for the user, with what to do.
fn refusal(a: &Answer, s: &S3Spec, ask: &Ask) -> Error {
    let code = xml::parse(&a.body)
        .ok()
        .and_then(|r| r.text_of("Code").map(str::to_string))
        .unwrap_or_default();
    let ak = &s.access_key_id;
    let what = match &ask.place.bucket {
        Some(b) => format!("bucket {b}"),
        None => "the buckets".to_string(),
    };
    match (a.status, code.as_str()) {
        (_, "NoSuchBucket") | (404, _) if ask.place.bucket.is_some() => Error::NotFound {
            what: "bucket".into(),
            name: ask.place.bucket.clone().unwrap_or_default(),
            hint: " in this store: check its name (list the store's buckets to see them)".into(),
        },
        (_, "AccessDenied" | "AllAccessDisabled") if ask.place.bucket.is_none() => Error::Denied(format!(
            "access key {ak} may not list the store's buckets (AccessDenied): type the bucket's name to list it"
        )),
        (_, "AccessDenied" | "AllAccessDisabled") => Error::Denied(format!(
            "access key {ak} may not list {what} (AccessDenied): it needs s3:ListBucket on it"
        )),
        (_, "InvalidAccessKeyId" | "NotSignedUp") => Error::Listing(format!(
            "the store does not know access key id {ak}: check the key id (test the connection for details)"
        )),
        (_, "SignatureDoesNotMatch") => Error::Listing(format!(
            "the secret access key does not match access key id {ak}: enter the secret that belongs to it"
        )),
        (_, "ExpiredToken") => Error::Listing(
            "the session token has expired: get new temporary credentials and save them".into(),
        ),
        (_, "PermanentRedirect" | "AuthorizationHeaderMalformed") | (301, _) => {
            let region = a.header("x-amz-bucket-region").unwrap_or("another region");
            Error::Listing(format!("{what} is in {region}, not {}: set the connection's region", s.region))
        }
        (status, code) => Error::Listing(format!(
            "listing {what} failed: the store answered HTTP {status} {code}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listing::Place;

    fn ask(prefix: &str) -> Ask {
        Ask::first(Place {
            bucket: Some("b".into()),
            prefix: prefix.into(),
        })
    }

    /// ListObjectsV2 as AWS answers `encoding-type=url`: names percent-encoded, "+" a space.
    #[test]
    fn url_encoded_keys_are_decoded_as_boto3_does_and_raw_ones_kept() {
        let body = "<ListBucketResult><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>tok</NextContinuationToken><CommonPrefixes><Prefix>a/sub%20dir/</Prefix></CommonPrefixes><Contents><Key>a/x+y%2B%1B.csv</Key><Size>3</Size><StorageClass>GLACIER</StorageClass></Contents><Contents><Key>a/日本 語+.csv</Key><Size>1</Size></Contents></ListBucketResult>";
        let page = objects(&xml::parse(body).unwrap(), &ask("a/"));
        let names: Vec<&str> = page.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a/sub dir/", "a/x y+\u{1b}.csv", "a/日本 語+.csv"]);
        assert_eq!(page.entries[1].storage_class.as_deref(), Some("GLACIER"));
        assert_eq!(page.next.as_deref(), Some("tok"));
    }
}
