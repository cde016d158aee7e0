//! What every kind's folder fills in or shares: `Info` (its tab, tray title, empty-list help
//! and blank form) and `changed`, the words for a field whose change moves a kept secret.

use crate::model::Spec;

/// A kind's form: its tab, the empty list's help, a new form's fields.
pub struct Info {
    pub tab: &'static str,
    /// The title of the kind's group in the tray menu.
    pub menu_title: &'static str,
    pub empty_help: &'static str,
    pub blank: Spec,
}

/// `"the <what> changed"` when the two values differ.
pub(crate) fn changed(
    what: &str,
    a: &dyn std::fmt::Debug,
    b: &dyn std::fmt::Debug,
) -> Option<String> {
    (format!("{a:?}") != format!("{b:?}")).then(|| format!("the {what} changed"))
}
