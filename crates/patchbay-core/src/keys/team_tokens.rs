//! A team's engine token in the OS keychain — entry `team-token/<store id>/<team>` under service
//! `patchbay` — never in SQLite. Where no keychain can be used, the engine's own variable
//! (`BAO_TOKEN`, else `VAULT_TOKEN`) is the explicit fallback, read when the token is used.

use super::keychain::{keychain_delete, keychain_get, keychain_set};
use crate::error::Result;
use crate::secret::SecretString;

fn account(store_id: &str, team: &str) -> String {
    format!("team-token/{store_id}/{team}")
}

/// The engines' own token variables: the fallback read here, and never handed to a child that
/// `exec` starts (a team's token reaches every secret of the team, not one connection).
pub const VARIABLES: [&str; 2] = ["BAO_TOKEN", "VAULT_TOKEN"];

/// The engine's variable, when it is set: the explicit fallback for a machine without keychain.
fn from_env() -> Option<SecretString> {
    VARIABLES
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|t| !t.is_empty()))
        .map(SecretString::new)
}

/// Keeps `token` as the team's; without a keychain, only when the engine's variable holds that
/// very token (it is then what is used: another one there would stand in for it unseen).
pub fn keep(store_id: &str, team: &str, token: &SecretString) -> Result<()> {
    match keychain_set(&account(store_id, team), token.expose()) {
        Err(_) if from_env().is_some_and(|t| t.expose() == token.expose()) => Ok(()),
        other => other,
    }
}

/// The team's token: the keychain's, or the engine's variable when the keychain has none.
pub fn get(store_id: &str, team: &str) -> Result<Option<SecretString>> {
    let kept = keychain_get(&account(store_id, team));
    match kept {
        Ok(Some(t)) => Ok(Some(SecretString::new(t.as_str()))),
        Ok(None) => Ok(from_env()),
        Err(e) => from_env().map(Some).ok_or(e),
    }
}

/// Forgets the team's token.
pub fn forget(store_id: &str, team: &str) -> Result<()> {
    keychain_delete(&account(store_id, team))
}
