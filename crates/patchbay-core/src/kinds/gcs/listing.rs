//! Listing Google Cloud Storage: the project's buckets, then a bucket's objects with "/" as the
//! delimiter, a page at a time (page tokens), through the JSON API with the same self-signed
//! token as the check (`check::bearer`); an HMAC key lists through the S3-interoperable XML
//! API (the S3 listing).

use std::time::Duration;

use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};

use super::check::bearer;
use crate::check::endpoint::{self, Endpoint};
use crate::check::tls::TlsSettings;
use crate::check::verdict::StepName;
use crate::error::{Error, Result};
use crate::kinds::s3;
use crate::listing::http::{Answer, Http};
use crate::listing::{Ask, Entry, EntryKind, Page};
use crate::model::{GcsAuth, GcsSpec};

/// One page of `ask` in the project or bucket `s` names; `key` is the service account's JSON
/// key, `hmac_secret` an HMAC key's secret.
pub async fn list(
    s: &GcsSpec,
    key: Option<&str>,
    hmac_secret: Option<&str>,
    ask: &Ask,
    timeout: Duration,
) -> Result<Page> {
    if s.auth == GcsAuth::Hmac {
        let keys = s3::listing::Keys {
            secret: hmac_secret,
            session_token: None,
        };
        let mut page = s3::listing::list(&super::as_s3(s), &keys, ask, timeout).await?;
        page.uris = s3::listing::uris(&ask.place, "gs");
        return Ok(page);
    }
    let ep = Endpoint::parse_allowing(
        &super::endpoint(s),
        StepName::Request,
        s.allow_http,
        "the endpoint",
        endpoint::HTTP_HINT,
    )
    .map_err(|f| Error::invalid("endpoint_url", f.hint.unwrap_or(f.message)))?;
    let (token, _) = bearer(s, key).map_err(|f| Error::Listing(f.in_words()))?;
    let enc = |v: &str| utf8_percent_encode(v, NON_ALPHANUMERIC).to_string();
    let mut url = format!(
        "{}://{}{}/storage/v1/b",
        if ep.https { "https" } else { "http" },
        ep.authority,
        ep.base_path
    );
    let size = ask.size();
    match &ask.place.bucket {
        Some(b) => {
            url.push_str(&format!("/{}/o?delimiter=%2F&maxResults={size}", enc(b)));
            if !ask.place.prefix.is_empty() {
                url.push_str(&format!("&prefix={}", enc(&ask.place.prefix)));
            }
        }
        None => {
            let project = s.project_id.as_deref().ok_or_else(|| {
                Error::invalid(
                    "project_id",
                    "is needed to list buckets: set the project id, or type a bucket",
                )
            })?;
            url.push_str(&format!("?project={}&maxResults={size}", enc(project)));
        }
    }
    if let Some(t) = &ask.after {
        url.push_str(&format!("&pageToken={}", enc(t)));
    }
    let headers = vec![(
        "Authorization".to_string(),
        format!("Bearer {}", token.as_str()),
    )];
    let tls = TlsSettings::verified(s.ca_cert.as_deref());
    let answer = Http::new(&ep.host, &tls, timeout)?
        .get(&url, &headers)
        .await?;
    if answer.status != 200 {
        return Err(refusal(&answer, s, ask));
    }
    let v: serde_json::Value = serde_json::from_str(&answer.body).map_err(|e| {
        Error::Listing(format!(
            "{} did not answer with JSON ({e}): is this the Cloud Storage endpoint?",
            ep.host
        ))
    })?;
    let prefix = ask.place.prefix.as_str();
    let text = |v: &serde_json::Value, k: &str| v[k].as_str().map(str::to_string);
    let mut entries: Vec<Entry> = v["prefixes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some(Entry::new(
                EntryKind::Prefix,
                p.as_str()?.to_string(),
                prefix,
            ))
        })
        .collect();
    for item in v["items"].as_array().into_iter().flatten() {
        let Some(name) = text(item, "name") else {
            continue;
        };
        let (kind, when) = match ask.place.bucket {
            Some(_) => (EntryKind::Object, "updated"),
            None => (EntryKind::Bucket, "timeCreated"),
        };
        let mut e = Entry::new(kind, name, prefix);
        e.size = item["size"].as_str().and_then(|s| s.parse().ok());
        e.modified = text(item, when);
        e.storage_class = text(item, "storageClass");
        entries.push(e);
    }
    Ok(Page {
        place: ask.place.clone(),
        entries,
        next: text(&v, "nextPageToken").filter(|t| !t.is_empty()),
        uris: s3::listing::uris(&ask.place, "gs"),
        note: None,
    })
}

/// Why Google refused, named for the user, with what to do.
fn refusal(a: &Answer, s: &GcsSpec, ask: &Ask) -> Error {
    let v: serde_json::Value = serde_json::from_str(&a.body).unwrap_or_default();
    let msg = v["error"]["message"].as_str().unwrap_or("").to_string();
    let who = s.client_email.as_deref().unwrap_or("the service account");
    match (a.status, &ask.place.bucket) {
        (404, Some(b)) => Error::NotFound {
            what: "bucket".into(),
            name: b.clone(),
            hint: ": check its name".into(),
        },
        (403, None) => Error::Denied(format!(
            "{who} may not list the project's buckets ({msg}): type the bucket's name to list it"
        )),
        (403, Some(b)) => Error::Denied(format!(
            "{who} may not list bucket {b} ({msg}): it needs storage.objects.list (Storage Object Viewer)"
        )),
        (401, _) => Error::Listing(format!(
            "Google refused the token of {who}: the key is malformed, deleted or revoked (test the connection for details)"
        )),
        (status, _) => Error::Listing(format!(
            "listing failed: the endpoint answered HTTP {status} {msg}"
        )),
    }
}
