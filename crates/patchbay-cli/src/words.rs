//! The core words its hints in terms of the window's controls ("turn on \"allow unsafe HTTP\"");
//! on the command line the same hint names the option that does it (`--allow-http`), and a
//! name that is not found points at `patchbay list`. Applied to errors and to check verdicts.

use patchbay_core::check::Verdict;
use patchbay_core::Error;

/// The window's words for a control, and the command line's.
const CONTROLS: [(&str, &str); 5] = [
    (
        "accept it: Trust host key ",
        "accept it: add --accept-host-key ",
    ),
    ("turn off \"verify SSL\"", "add --no-verify-ssl"),
    (
        "turn on \"allow unsafe HTTP\" for the registry",
        "add --schema-registry-allow-http",
    ),
    (
        "allow unsafe HTTP for the registry",
        "add --schema-registry-allow-http",
    ),
    ("turn on \"allow unsafe HTTP\"", "add --allow-http"),
];

/// `text` with the window's control names replaced by the command line's options.
pub fn cli_words(text: &str) -> String {
    let mut out = text.to_string();
    for (window, cli) in CONTROLS {
        out = out.replace(window, cli);
    }
    out
}

/// An error as the command line says it.
pub fn error(e: Error) -> Error {
    match e {
        Error::Invalid { field, message } => Error::Invalid {
            field,
            message: cli_words(&message),
        },
        Error::SecretWouldMove { field, message } => Error::SecretWouldMove {
            field,
            message: cli_words(&message),
        },
        Error::NotFound { what, name, hint } if hint.is_empty() => Error::NotFound {
            what,
            name,
            hint: "; `patchbay list` shows the saved ones".into(),
        },
        other => other,
    }
}

/// A verdict whose hint names the command line's options.
pub fn verdict(mut v: Verdict) -> Verdict {
    v.hint = v.hint.map(|h| cli_words(&h));
    v
}
