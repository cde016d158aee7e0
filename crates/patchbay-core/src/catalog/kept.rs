//! Which saved secrets an edited draft may keep. A saved secret goes only to the endpoint it was
//! saved for: when a draft keeps ("leave blank") a secret while the place it is sent to has
//! changed (host, port, engine, endpoint URL, bootstrap servers, registry URL) or the way it
//! travels got weaker (a lower SSL mode, verification off, plain HTTP, a CA removed or changed,
//! TLS dropped from Kafka's protocol, SASL PLAIN instead of SCRAM), a check refuses to send it
//! and a save needs the user's explicit confirmation.

use crate::error::{Error, Result};
use crate::model::{Connection, ConnectionDraft, SecretField, SecretInput, Spec};

/// The first saved secret of `existing` that `draft` keeps although it would now go elsewhere
/// (or less safely): its field and what changed.
pub(crate) fn first_moved(
    existing: &Connection,
    draft: &ConnectionDraft,
    new: &Spec,
) -> Option<(SecretField, String)> {
    existing.secrets.iter().find_map(|slot| {
        let keeps = matches!(
            draft.secrets.get(&slot.field).unwrap_or(&SecretInput::Keep),
            SecretInput::Keep
        );
        if !keeps {
            return None;
        }
        crate::kinds::moved(slot.field, &existing.spec, new).map(|why| (slot.field, why))
    })
}

/// The refusal of a check (or an unconfirmed save) that would send a kept secret elsewhere.
pub(crate) fn refusal(field: SecretField, why: &str, saving: bool) -> Error {
    let label = field.label();
    let fix = if saving {
        format!("type the {label} again, or confirm that the saved {label} should go to the new settings")
    } else {
        format!("type the {label} again to test with it")
    };
    Error::SecretWouldMove {
        field: field.as_str().to_string(),
        message: format!(
            "{why}, and a saved {label} goes only to the endpoint it was saved for: {fix}"
        ),
    }
}

/// Refuses `editing` that names a connection of another kind than the draft's.
pub(crate) fn same_kind(existing: &Connection, new: &Spec) -> Result<()> {
    if existing.kind != new.kind() {
        return Err(Error::invalid(
            "kind",
            format!(
                "the form is {} but \"{}\" is {}; its secrets cannot be used here",
                new.kind().a_label(),
                existing.name,
                existing.kind.a_label()
            ),
        ));
    }
    Ok(())
}
