//! Patchbay's own exports: the document (`export --format patchbay`, no secrets) and the
//! encrypted bundle (`export --bundle`), restored as they were saved: names, fields, secrets,
//! named secrets, environment tags and favourites.

use std::path::Path;

use super::{Reading, Source};
use crate::bundle::{self, Document, Key};
use crate::catalog::NamedSaving;
use crate::error::{Error, Result};
use crate::foreign::Found;
use crate::model::{ConnectionDraft, SecretInput};
use crate::secret::SecretString;

/// The most an export or a bundle may hold (a whole store: larger than one connection file).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Whether the file at `path` is Patchbay's (a bundle, or a document by its first bytes).
pub fn is_patchbay(path: &Path) -> bool {
    let head = &crate::foreign::head(path, 200);
    bundle::is_age(head)
        || String::from_utf8_lossy(head).contains(&format!("\"format\": \"{}\"", bundle::FORMAT))
}

/// Reads a document or a bundle (opened with `key`).
pub fn read(path: &Path, key: Option<&Key>) -> Result<Reading> {
    let shown = path.display().to_string();
    let bytes = crate::foreign::read_bytes(path, MAX_BYTES)?;
    let text = if bundle::is_age(&bytes) {
        let key = key.ok_or_else(|| {
            Error::invalid("passphrase", format!("{shown} is an encrypted bundle: give its passphrase (or --identity for one encrypted to age keys)"))
        })?;
        let plain = bundle::open(&bytes, key).map_err(|e| match e {
            Error::Invalid { field, message } if field == "bundle" => {
                Error::invalid("bundle", format!("{shown} {message}"))
            }
            e => e,
        })?;
        zeroize::Zeroizing::new(
            String::from_utf8(plain.to_vec())
                .map_err(|_| Error::invalid("bundle", format!("{shown} does not hold text")))?,
        )
    } else {
        zeroize::Zeroizing::new(crate::foreign::read_text(path)?)
    };
    let doc =
        Document::parse(&text).map_err(|why| Error::invalid("path", format!("{shown} {why}")))?;
    let mut r = Reading::new(Source::Patchbay);
    r.files.push(path.to_path_buf());
    for (i, e) in doc.connections.into_iter().enumerate() {
        let mut draft = ConnectionDraft::new(e.name.clone(), e.spec);
        draft.env_tag = e.env_tag;
        for (field, v) in e.secrets {
            draft.secrets.insert(
                field,
                SecretInput::Value {
                    value: SecretString::new(v.expose()),
                },
            );
        }
        for (field, name) in e.shared {
            draft.secrets.insert(field, SecretInput::Secret { name });
        }
        let mut f = Found::of(format!("{shown}:{}", i + 1), draft);
        f.favourite = e.favourite;
        r.found.push(f);
    }
    for n in doc.secrets {
        match n.value {
            Some(v) => r.named.push(NamedSaving { name: n.name, description: n.description, value: SecretString::new(v.expose()) }),
            None => r.problems.push(format!("named secret \"{}\" has no value in this file (an export without secrets): connections using it need it saved first", n.name)),
        }
    }
    Ok(r)
}
