//! The `patchbay` command's integration tests, in one binary (one link per change): each module
//! runs the real command on stores of its own. `common.rs` is the harness (a store, its key,
//! running `patchbay` with arguments and stdin); the hostile-input corpus comes from
//! `patchbay-testkit`.

mod aws;
mod aws_profile;
mod aws_role;
mod aws_sso;
mod azure;
mod browse;
mod client_settings;
mod common;
mod crash;
mod crash_fixtures;
mod errors;
mod exec;
mod export;
mod export_dbeaver;
mod gcs;
mod gcs_auth;
mod handoff_files;
mod hostile_corpus;
mod import;
mod import_airflow;
mod import_dbeaver;
mod import_dotenv;
mod import_fixtures;
mod import_mylogin;
mod import_rclone;
mod import_refusals;
mod kcat;
mod key_backup;
mod keychain_faults;
mod kind_words;
mod leaks;
mod leaks_checks;
mod leaks_cloud;
mod leaks_fixtures;
mod mysql_options;
mod secrets_in_and_out;
mod security;
mod snippets;
mod snippets_objects;
mod ssh;
mod ssh_config;
mod store_formats;
mod window_parity;
