//! Patchbay's domain library: the connection [`Catalog`] in SQLite, the Fernet [`Vault`] whose
//! key lives in the OS keychain (or an explicit fallback), resolution of a connection by name for
//! other programs, and connectivity checks. It has no UI dependency: the desktop app and the
//! `patchbay` CLI are thin shells over it.

pub mod bundle;
pub mod catalog;
pub mod check;
pub mod clock;
pub mod desk;
pub mod error;
pub mod foreign;
pub mod handoff;
pub mod import;
pub mod keys;
pub mod kinds;
pub mod listing;
pub mod model;
pub mod paste;
pub mod paths;
pub mod process;
pub mod secret;
pub mod snippets;
pub mod ssh;
pub mod store_formats;
pub mod team;
pub mod terminal;
pub mod tray;
pub mod validate;
pub mod vault;
pub mod web;

pub use catalog::{Catalog, Resolved, Rotation};
pub use desk::Desk;
pub use error::{Error, Result};
pub use keys::KeySource;
pub use model::*;
pub use secret::SecretString;
pub use vault::{MasterKey, Vault};
