//! The HTTP client a listing's requests go through (`web::client`: the store's own TLS settings,
//! no redirect, no proxy), reading at most `MAX_ANSWER` bytes of an answer.
//! Errors never carry the URL: a SAS travels in its query.

use std::time::Duration;

use crate::check::tls::TlsSettings;
use crate::error::{Error, Result};

/// The largest answer read (a page of 5,000 entries with 1 KiB names fits).
pub const MAX_ANSWER: usize = 32 << 20;

pub struct Http {
    client: reqwest::Client,
    /// The endpoint's host, for messages.
    host: String,
}

/// A store's answer.
pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl Http {
    /// A client for `host` (named in errors) with `tls`, each request bounded by `timeout`.
    pub fn new(host: &str, tls: &TlsSettings, timeout: Duration) -> Result<Http> {
        let client = crate::web::client(tls, timeout).map_err(Error::Listing)?;
        Ok(Http {
            client,
            host: host.to_string(),
        })
    }

    /// GET `url` with `headers`; the whole answer, whatever its status.
    pub async fn get(&self, url: &str, headers: &[(String, String)]) -> Result<Answer> {
        let mut request = self.client.get(url);
        for (k, v) in headers {
            request = request.header(k, v);
        }
        let mut response = request.send().await.map_err(|e| self.failed(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.failed(e))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_ANSWER {
                return Err(Error::Listing(format!(
                    "{} answered with more than {} MiB for one page: ask for fewer entries",
                    self.host,
                    MAX_ANSWER >> 20
                )));
            }
        }
        Ok(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        })
    }

    /// Why a request failed, named by its deepest cause, without the URL.
    fn failed(&self, e: reqwest::Error) -> Error {
        let e = e.without_url();
        let mut cause = String::new();
        let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
        while let Some(s) = source {
            cause = s.to_string();
            source = s.source();
        }
        let host = &self.host;
        let (what, hint) = if e.is_timeout() {
            (
                "did not answer in time",
                "is the store up and the endpoint right?",
            )
        } else if cause.contains("certificate") || cause.contains("Certificate") {
            ("is not trusted", "the endpoint's certificate is not signed by a CA this connection trusts: add the store's CA certificate")
        } else if e.is_connect() {
            (
                "could not be reached",
                "is the endpoint right and the store running?",
            )
        } else {
            (
                "broke off the answer",
                "try again; if it keeps failing, check the endpoint",
            )
        };
        let cause = if cause.is_empty() {
            e.to_string()
        } else {
            cause
        };
        Error::Listing(format!("{host} {what} ({cause}): {hint}"))
    }
}
