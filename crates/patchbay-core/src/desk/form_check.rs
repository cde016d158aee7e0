//! The check of a form, kept until the form is saved: when what is saved is exactly what was
//! checked (kind, name, fields and secret values), that verdict becomes the connection's last
//! check — a form tested OK and then saved does not say "Last check: never". Only a hash of the
//! secrets is kept, in memory.

use sha2::{Digest, Sha256};

use crate::check::Verdict;
use crate::model::{Resolved, Spec};

/// A form's verdict and what it was made on.
pub(super) struct FormCheck {
    made_on: [u8; 32],
    pub(super) verdict: Verdict,
}

impl FormCheck {
    pub(super) fn of(r: &Resolved, verdict: Verdict) -> FormCheck {
        FormCheck {
            made_on: fingerprint(r),
            verdict,
        }
    }

    /// Whether `saved` is what was checked.
    pub(super) fn fits(&self, saved: &Resolved) -> bool {
        self.made_on == fingerprint(saved)
    }
}

fn fingerprint(r: &Resolved) -> [u8; 32] {
    let c = &r.connection;
    let mut h = Sha256::new();
    h.update(c.kind.as_str());
    h.update([0]);
    h.update(c.name.as_bytes());
    h.update([0]);
    h.update(Spec::to_stored(&c.spec));
    let mut secrets: Vec<_> = r.secrets.iter().collect();
    secrets.sort_by_key(|(f, _)| f.as_str());
    for (field, value) in secrets {
        h.update([0]);
        h.update(field.as_str());
        h.update([0]);
        h.update(value.expose().as_bytes());
    }
    h.finalize().into()
}
