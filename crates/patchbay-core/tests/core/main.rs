//! The core's integration tests, in one binary (one link per change): each module is one
//! subject. `hostile/` stays a binary of its own, because it counts the process's
//! librdkafka threads and must not see another test's. Fixtures and the hostile-input corpus
//! come from `patchbay-testkit`.

mod bad_input;
mod batches;
mod bindings;
mod cancel;
mod catalog;
mod checks;
mod checks_kafka;
mod checks_mariadb;
mod checks_postgres;
mod checks_registry;
mod checks_s3;
mod cleartext;
mod copies;
mod escapers;
mod gcs;
mod hostile_corpus;
mod import_corpus;
mod import_files;
mod kept_rules;
mod kept_secrets;
mod key_choice;
mod key_rotation;
mod key_sources;
mod keychain;
mod last_check;
mod list_lines;
mod mysql_verify;
mod oracles;
mod parsers;
mod reveal_guard;
mod s3_profile_fields;
mod s3_role_fields;
mod seals;
mod ssh_fields;
mod ssh_forwards;
mod ssh_tunnels;
mod structure;
mod team_fields;
mod team_rows;
mod tray;
mod undo;
mod vault;
