//! How the command line names things: the connection types `add` takes, and the form field an
//! option sets (so that usage errors name fields the way the core's errors do).

use patchbay_core::model::*;
use patchbay_core::{Error, Result};

/// The starting spec for `add TYPE` (the kinds' own words, as `--kind` takes them).
pub fn blank_spec(kind_word: &str) -> Result<Spec> {
    patchbay_core::kinds::blank_for_word(kind_word).ok_or_else(|| {
        Error::invalid(
            "type",
            format!(
                "\"{}\" is not a connection type; use postgres, mysql, s3, azure, gcs or kafka",
                kind_word.trim()
            ),
        )
    })
}

/// The form field an option (as clap names it: `--host <HOST>`, `<NAME>`) sets, for errors
/// that name the field the way the core's do.
pub fn field_of_option(arg: &str) -> String {
    let option = arg.split_whitespace().next().unwrap_or(arg);
    match option {
        "--user" | "--username" => "username".into(),
        "--env" => "env_tag".into(),
        "--project" => "project_id".into(),
        "--bootstrap" | "--bootstrap-servers" => "bootstrap_servers".into(),
        "--sasl-user" => "sasl_username".into(),
        "--schema-registry-user" => "schema_registry_username".into(),
        "--secret-key-stdin" => "secret_access_key".into(),
        "--session-token-stdin" => "session_token".into(),
        "--aws-credentials-stdin" => "aws_credentials".into(),
        _ => option
            .trim_start_matches("--")
            .trim_matches(|c| c == '<' || c == '>')
            .to_ascii_lowercase()
            .replace('-', "_"),
    }
}
