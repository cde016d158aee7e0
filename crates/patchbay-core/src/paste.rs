//! What a pasted connection URL fills in (`Pasted`), and the pieces each kind's reader uses
//! (percent-decoding, a name from a host). Which kind reads the pasted text is
//! `kinds/pasted.rs`'s. The result never carries the password: the form keeps what the user
//! pasted; this only says whether one was there.

use serde::Serialize;
use ts_rs::TS;

use crate::model::*;

/// What a pasted URL fills in.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Pasted {
    pub spec: Spec,
    /// A name to suggest (the database, or the host's first label).
    pub suggested_name: String,
    /// Whether the URL carried a password (the form takes it from the pasted text itself).
    pub has_password: bool,
    /// Where a secret stands in the pasted text (an account key in a connection string, a SAS
    /// in a URL), for the form to take from the text it holds; never the value itself.
    pub secret: Option<PastedSecret>,
}

/// A secret's place in the pasted text (trimmed), in UTF-16 code units as the window counts.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PastedSecret {
    pub field: SecretField,
    pub start: u32,
    pub end: u32,
}

pub(crate) fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A name to suggest for a host: its first label (`db` for db.internal), or for an address the
/// whole of it (`127-0-0-1`, never just `127`).
pub(crate) fn first_label(host: &str) -> String {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(_)) => return bare.replace('.', "-"),
        Ok(std::net::IpAddr::V6(_)) => {
            return format!("ipv6-{}", bare.replace(':', "-").trim_matches('-'))
        }
        Err(_) => {}
    }
    host.split('.').next().unwrap_or(host).to_string()
}
