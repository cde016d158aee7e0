// Generated from crates/patchbay-core/src/desk by crates/patchbay-core/tests/core/bindings.rs. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings` instead.

import type { CheckSummary, Connection, DbEngine, ErrorPayload, Kind, SecretField, Spec } from "./bindings";

export type Row = { name: string, kind: Kind, 
/**
 * The database engine (for its short label), for a database.
 */
engine?: DbEngine, env_tag?: string, target: string, transport_warning?: string, credential_warning?: string, 
/**
 * Milliseconds since the Unix epoch.
 */
updated_at: number, last_check?: CheckSummary, 
/**
 * Present (true) for a favourite.
 */
favourite?: boolean, 
/**
 * Milliseconds since the Unix epoch.
 */
used_at?: number, team?: TeamMark, };

export type Editing = { kind: Kind, name: string, copy: boolean, 
/**
 * The team the connection is kept in (None: this computer's store).
 */
team?: string, 
/**
 * The team connection's version the form was read at (what a save is based on).
 */
version?: number, };

export type KeyBackup = { 
/**
 * The key file written.
 */
path: string, 
/**
 * When, in milliseconds since the epoch.
 */
at: number, };

export type KeyStatus = { 
/**
 * Where the key is looked for ("the OS keychain", "PATCHBAY_MASTER_KEY", "key file …").
 */
source: string, 
/**
 * Whether the key was found and opens this store.
 */
unlocked: boolean, 
/**
 * Why not (or why the keychain self-test failed).
 */
error: ErrorPayload | null, 
/**
 * With the keychain, once the key opened: whether a write, read back and delete of a test
 * entry worked (not run when the key could not be read: the error says why already).
 */
keychain_self_test: boolean | null, encrypted_values: number, 
/**
 * The store file.
 */
store: string, 
/**
 * What to do when the keychain cannot be used.
 */
fallbacks: Array<string>, 
/**
 * The last backup of the key in use now (a key file that opens this store).
 */
backup: KeyBackup | null, 
/**
 * Whether to remind the user to back the key up: it opens secrets that only it opens, it
 * lives in the keychain alone, and no backup of it exists.
 */
remind_backup: boolean, 
/**
 * Where a backup is proposed to go (in the home directory).
 */
backup_suggestion: string, };

export type Copied = { what: string, includes_secrets: boolean, 
/**
 * Seconds until the clipboard is cleared (copies with secrets), if it will be.
 */
clears_in_seconds: number | null, };

export type Opened = { 
/**
 * The terminal program ("xterm").
 */
terminal: string, 
/**
 * The client it runs ("psql", or "a shell").
 */
client: string, 
/**
 * Said when a shell stands in for a missing client.
 */
note: string | null, };

export type Deleted = { kind: Kind, name: string, 
/**
 * What `undo_delete` takes back.
 */
undo: number, 
/**
 * How long Undo is offered.
 */
undo_seconds: number, };

export type Source = "pgpass" | "pg-service" | "my-cnf" | "mylogin" | "aws" | "airflow" | "airflow-env" | "dotenv" | "gcs-key" | "dbeaver" | "datagrip" | "rclone" | "kafka-properties" | "patchbay";

export type Outcome = "new" | "renamed" | "replaces" | "conflict" | "skipped";

export type OnConflict = "skip" | "rename" | "replace";

export type Candidate = { 
/**
 * Where it was found.
 */
origin: string, 
/**
 * The name it was found under.
 */
found_as: string, 
/**
 * The name it is saved under.
 */
name: string, kind: Kind | null, 
/**
 * The list's type word (postgresql, s3, …).
 */
type_word: string | null, target: string, 
/**
 * The secret fields that came with it.
 */
secrets: Array<SecretField>, env_tag: string | null, outcome: Outcome, reason: string | null, notes: Array<string>, };

export type Imported = { saved: Array<Connection>, 
/**
 * Rows found but not saved (skipped, in conflict, or not chosen).
 */
left: number, 
/**
 * Named secrets saved (a Patchbay bundle's).
 */
secrets: Array<string>, 
/**
 * Named secrets already saved under the same name, whose saved value was kept.
 */
kept_secrets: Array<string>, };

export type SourceFound = { source: Source, label: string, files: Array<string>, 
/**
 * Connections found (importable or not).
 */
found: number, };

export type ImportPreview = { source: Source, label: string, files: Array<string>, problems: Array<string>, rows: Array<Candidate>, 
/**
 * Named secrets that come with it (a Patchbay bundle's).
 */
secrets: Array<string>, };

export type Minted = { name: string, 
/**
 * RFC 3339, when the session says.
 */
expires: string | null, };

export type SsoPrompt = { url: string, user_code: string, 
/**
 * Seconds the code is good for.
 */
expires_in: number, };

export type TeamAuth = "token" | "userpass" | "approle" | "jwt" | "aws_keys";

export type EngineKind = "vault" | "aws_secrets_manager";

export type Team = { name: string, engine: EngineKind, 
/**
 * `https://bao.internal:8200`.
 */
address: string, 
/**
 * The KV v2 mount (`secret`; none for AWS Secrets Manager).
 */
mount: string, 
/**
 * The team's folder under the mount (`data-eng`).
 */
path: string, namespace: string | null, 
/**
 * The AWS region (AWS Secrets Manager).
 */
region: string | null, 
/**
 * PEM of the CA that signs the engine's certificate (one behind a private CA).
 */
ca_cert: string | null, auth: TeamAuth, 
/**
 * Who logs in: the user (userpass), the role id (AppRole), the role (JWT), the access key
 * id (AWS keys).
 */
login_name: string | null, 
/**
 * When the token stops working (ms since the epoch), when it does.
 */
token_expires: number | null, };

export type TeamRow = { team: string, name: string, kind: Kind, env_tag: string | null, spec: Spec, 
/**
 * The engine's version of it.
 */
version: number, 
/**
 * Whether this member's policies let them change it.
 */
may_edit: boolean, 
/**
 * When the list was read from the engine (ms since the epoch).
 */
listed_at: number, };

export type TeamList = { rows: Array<TeamRow>, 
/**
 * Set when the engine could not be asked: the cached list is shown, and this says why.
 */
stale: string | null, 
/**
 * Connections the member may read that Patchbay cannot use (another tool's type, a field
 * its kind refuses), each with why. Ones the member may not read are not listed at all.
 */
left_out: Array<LeftOut>, };

export type LeftOut = { name: string, why: string, };

export type TeamMark = { team: string, 
/**
 * The engine's version of it when listed.
 */
version: number, 
/**
 * Whether this member's policies let them change it.
 */
may_edit: boolean, 
/**
 * When the team's list was read from its engine (ms since the epoch).
 */
listed_at: number, };

export type TeamConnection = { connection: Connection, team: string, version: number, may_edit: boolean, };
