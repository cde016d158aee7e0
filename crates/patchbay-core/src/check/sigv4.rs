//! AWS Signature Version 4 for the one request a storage check makes (GET on the endpoint's
//! root, i.e. ListBuckets), so that the check uses exactly the saved credentials and nothing from
//! the environment or ~/.aws.

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

/// The headers of a signed `GET path` (path already URI-encoded, no query).
pub fn sign_get(
    host: &str,
    path: &str,
    region: &str,
    c: &Credentials,
    now_ms: i64,
) -> Vec<(String, String)> {
    let date_time = amz_date(now_ms);
    let date = &date_time[..8];
    let payload = hex(&Sha256::digest(b""));
    let mut headers = vec![
        ("host", host.to_string()),
        ("x-amz-content-sha256", payload.clone()),
        ("x-amz-date", date_time.clone()),
    ];
    if let Some(t) = c.session_token {
        headers.push(("x-amz-security-token", t.to_string()));
    }
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| *k)
        .collect::<Vec<_>>()
        .join(";");
    let canonical = format!("GET\n{path}\n\n{canonical_headers}\n{signed_headers}\n{payload}");
    let scope = format!("{date}/{region}/s3/aws4_request");
    let to_sign = format!(
        "AWS4-HMAC-SHA256\n{date_time}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{}", c.secret).as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, "s3");
    let k_signing = hmac(&k_service, "aws4_request");
    let signature = hex(&hmac(&k_signing, &to_sign));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        c.access_key_id
    );
    headers
        .into_iter()
        .skip(1) // the HTTP layer writes Host itself
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
    fn amz_dates_have_no_separators() {
        assert_eq!(amz_date(1_795_612_647_123), "20261125T131727Z");
    }
}
