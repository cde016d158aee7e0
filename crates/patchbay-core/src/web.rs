//! The one way Patchbay builds an HTTP client (reqwest over hyper), for a store's listing and a
//! team's engine alike: the endpoint's own TLS settings, no redirect (a signed request, and the
//! secret that signed it, go only where they were saved for), no proxy from the environment (as
//! checks take none), every request bounded by the timeout.

use std::time::Duration;

use crate::check::tls::{self, TlsSettings};

/// A client with `settings`, or why one cannot be made (in words, for the caller's error).
pub fn client(settings: &TlsSettings, timeout: Duration) -> Result<reqwest::Client, String> {
    let config = tls::client_config(settings).map_err(|f| f.in_words())?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(timeout)
        .timeout(timeout)
        .user_agent("patchbay")
        .build()
        .map_err(|e| format!("the HTTP client could not be set up: {e}"))
}
