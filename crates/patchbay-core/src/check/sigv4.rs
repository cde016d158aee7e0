//! AWS Signature Version 4 for the GETs of a storage check (ListBuckets) and a listing
//! (ListObjectsV2, with its query), so that both use exactly the saved credentials and nothing
//! from the environment or ~/.aws.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `20261125T131727Z` for a time in milliseconds since the epoch.
pub fn amz_date(ms: i64) -> String {
    let iso = crate::clock::rfc3339(ms); // 2026-11-25T13:17:27.123Z
    format!(
        "{}{}{}T{}{}{}Z",
        &iso[0..4],
        &iso[5..7],
        &iso[8..10],
        &iso[11..13],
        &iso[14..16],
        &iso[17..19]
    )
}

/// The credentials a request is signed with; a session token (temporary credentials) is sent
/// and signed as `x-amz-security-token`.
pub struct Credentials<'a> {
    pub access_key_id: &'a str,
    pub secret: &'a str,
    pub session_token: Option<&'a str>,
}

/// `text` URI-encoded as SigV4 wants it: RFC 3986's unreserved characters as they are, every
/// other byte as `%XX`; "/" kept when `keep_slash` (a path).
pub fn uri_encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The canonical query string of `pairs`: each name and value encoded, sorted by name. It is
/// also the query the request is sent with, so what is signed is what is sent.
pub fn canonical_query(pairs: &[(&str, &str)]) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (uri_encode(k, false), uri_encode(v, false)))
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The headers of a signed `GET path` (path already URI-encoded, no query).
pub fn sign_get(
    host: &str,
    path: &str,
    region: &str,
    c: &Credentials,
    now_ms: i64,
) -> Vec<(String, String)> {
    sign(host, path, "", region, c, now_ms)
}

/// The headers of a signed S3 `GET path?query` (`query` from `canonical_query`).
pub fn sign(
    host: &str,
    path: &str,
    query: &str,
    region: &str,
    c: &Credentials,
    now_ms: i64,
) -> Vec<(String, String)> {
    sign_for("s3", host, (path, query), region, c, now_ms)
}

/// The headers of a signed `GET path?query` to `service` ("s3", "sts").
pub fn sign_for(
    service: &str,
    host: &str,
    (path, query): (&str, &str),
    region: &str,
    c: &Credentials,
    now_ms: i64,
) -> Vec<(String, String)> {
    let request = ("GET", path, query, b"".as_slice());
    sign_request(service, host, request, &[], region, c, now_ms)
}

/// The headers of a signed `POST path` to an AWS JSON API (`service` "secretsmanager"): the
/// body, its `X-Amz-Target` (`target`) and content type signed with it.
pub fn sign_json_post(
    service: &str,
    host: &str,
    target: &str,
    body: &[u8],
    region: &str,
    c: &Credentials,
    now_ms: i64,
) -> Vec<(String, String)> {
    let extra = [
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", target),
    ];
    sign_request(
        service,
        host,
        ("POST", "/", "", body),
        &extra,
        region,
        c,
        now_ms,
    )
}

/// Signs `(method, path, query, body)` with the host, the payload's hash, the date, the session
/// token and `extra` headers (lower-case names); the headers to send, without Host.
fn sign_request(
    service: &str,
    host: &str,
    (method, path, query, body): (&str, &str, &str, &[u8]),
    extra: &[(&str, &str)],
    region: &str,
    c: &Credentials,
    now_ms: i64,
) -> Vec<(String, String)> {
    let date_time = amz_date(now_ms);
    let date = &date_time[..8];
    let payload = hex(&Sha256::digest(body));
    let mut headers = vec![
        ("host", host.to_string()),
        ("x-amz-content-sha256", payload.clone()),
        ("x-amz-date", date_time.clone()),
    ];
    if let Some(t) = c.session_token {
        headers.push(("x-amz-security-token", t.to_string()));
    }
    headers.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    // Canonical headers are sorted by name.
    headers.sort_by(|a, b| a.0.cmp(b.0));
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()
        .join(";");
    let canonical =
        format!("{method}\n{path}\n{query}\n{canonical_headers}\n{signed_headers}\n{payload}");
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{date_time}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{}", c.secret).as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    let k_signing = hmac(&k_service, "aws4_request");
    let signature = hex(&hmac(&k_signing, &to_sign));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        c.access_key_id
    );
    headers
        .into_iter()
        .filter(|(k, _)| *k != "host") // the HTTP layer writes Host itself
        .map(|(k, v)| (k.to_string(), v))
        .chain([("Authorization".to_string(), authorization)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signing_key_matches_the_aws_documentation_example() {
        // From the AWS SigV4 documentation: secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
        // 20120215, us-east-1, iam.
        let k = hmac(b"AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215");
        let k = hmac(&k, "us-east-1");
        let k = hmac(&k, "iam");
        let k = hmac(&k, "aws4_request");
        assert_eq!(
            hex(&k),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn a_query_is_encoded_and_sorted_as_sigv4_wants() {
        let q = canonical_query(&[("prefix", "a b/ü+"), ("list-type", "2"), ("delimiter", "/")]);
        assert_eq!(q, "delimiter=%2F&list-type=2&prefix=a%20b%2F%C3%BC%2B");
        assert_eq!(uri_encode("x/y z", true), "x/y%20z");
    }

    #[test]
    fn amz_dates_have_no_separators() {
        assert_eq!(amz_date(1_795_612_647_123), "20261125T131727Z");
    }
}
