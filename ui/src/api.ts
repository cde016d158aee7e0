// Typed wrappers over the Tauri commands. Payload types are generated from Rust
// (bindings.ts, desk-bindings.ts); errors arrive as ErrorPayload {code, message, field?}.
import { invoke } from "@tauri-apps/api/core";
import type { Connection, ConnectionDraft, ErrorPayload, Kind, Page, Pasted, Place, SecretField, SecretInfo, Snippet, Verdict } from "./gen/bindings";
import type { Copied, Deleted, Editing, ImportPreview, Imported, KeyBackup, KeyStatus, Minted, OnConflict, SsoPrompt, Team, TeamConnection, TeamList, TeamRow, Opened, Row, Source, SourceFound } from "./gen/desk-bindings";

export type { Row, KeyStatus, Editing };

export function isError(e: unknown): e is ErrorPayload {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

let lastTicket = Math.floor(Math.random() * 1e9);
/** A fresh ticket for a check that may be cancelled. */
export const newTicket = () => ++lastTicket;

/** The answer of a check the user cancelled. */
export const wasCancelled = (e: unknown) => isError(e) && e.code === "cancelled";

export function errorText(e: unknown): string {
  return isError(e) ? e.message : String(e);
}

export const api = {
  list: () => invoke<Row[]>("list_connections"),
  get: (kind: Kind, name: string) => invoke<Connection>("get_connection", { kind, name }),
  /** Saves a form: a team connection's over the version it was read at (a teammate's change since is a "conflict"). */
  save: (draft: ConnectionDraft, editing: Editing | null): Promise<{ name: string }> => editing?.team
    ? invoke<number>("save_team_connection", { team: editing.team, name: editing.name, version: editing.version, draft }).then(() => ({ name: editing.name }))
    : invoke<Connection>("save_connection", { draft, editing }),
  /** Deletes a connection; the answer's `undo` brings it back for `undo_seconds`. */
  remove: (kind: Kind, name: string) => invoke<Deleted>("delete_connection", { kind, name }),
  undoDelete: (undo: number) => invoke<Connection>("undo_delete", { undo }),
  setFavourite: (kind: Kind, name: string, favourite: boolean) => invoke<void>("set_favourite", { kind, name, favourite }),
  // A check started with a ticket can be stopped with cancelCheck(ticket): it then fails with the
  // code "cancelled" and records nothing.
  acceptHostKey: (fingerprint: string) => invoke<null>("accept_host_key", { fingerprint }),
  testSaved: (kind: Kind, name: string, ticket: number | null = null) => invoke<Verdict>("test_saved", { kind, name, ticket }),
  /** Mints the session of an S3 connection whose role asks for an MFA code, and keeps it. */
  mintSession: (name: string, mfaCode: string) => invoke<Minted>("mint_session", { name, mfaCode }),
  /** Starts an IAM Identity Center sign-in (its page opens in the browser); ssoLoginWait ends it. */
  ssoLogin: (name: string) => invoke<SsoPrompt>("sso_login", { name }),
  ssoLoginWait: (name: string) => invoke<string>("sso_login_wait", { name }),
  /** Teams: joining one (the secret goes to the core once), its connections, a check of one. */
  teams: () => invoke<Team[]>("list_teams"),
  joinTeam: (draft: Team, secret: string) => invoke<Team>("join_team", { draft, secret }),
  teamLogin: (name: string, secret: string) => invoke<Team>("team_login", { name, secret }),
  teamConnections: (team: string) => invoke<TeamList>("team_connections", { team }),
  testTeam: (team: string, name: string, ticket: number | null = null) => invoke<Verdict>("test_team", { team, name, ticket }),
  shareWithTeam: (name: string, team: string) => invoke<TeamRow[]>("share_with_team", { name, team }),
  /** A team connection for the form: its fields, the version read, whether it may be changed. */
  teamConnection: (team: string, name: string) => invoke<TeamConnection>("team_connection", { team, name }),
  teamSnippets: (team: string, name: string) => invoke<Snippet[]>("team_snippets", { team, name }),
  copyTeam: (team: string, name: string, what: string) => invoke<Copied>("copy_team_connection", { team, name, what }),
  openTeamInTerminal: (team: string, name: string) => invoke<Opened>("open_team_in_terminal", { team, name }),
  lastVerdict: (kind: Kind, name: string) => invoke<Verdict | null>("last_verdict", { kind, name }),
  testDraft: (draft: ConnectionDraft, editing: Editing | null, ticket: number | null = null) => editing?.team
    ? invoke<Verdict>("test_team_draft", { team: editing.team, name: editing.name, version: editing.version, draft, ticket })
    : invoke<Verdict>("test_draft", { draft, editing, ticket }),
  /** Checks the named connections of a kind (the rows shown), or every one without names. */
  testAll: (kind: Kind | null, names: string[] | null = null, ticket: number | null = null) => invoke<Verdict[]>("test_all", { kind, names, ticket }),
  cancelCheck: (ticket: number) => invoke<boolean>("cancel_check", { ticket }),
  revealField: (kind: Kind, name: string, field: SecretField) => invoke<string>("reveal_field", { kind, name, field }),
  secrets: () => invoke<SecretInfo[]>("list_secrets"),
  saveSecret: (name: string, value: string | null, description: string, editing: string | null) =>
    invoke<SecretInfo>("save_secret", { name, value, description, editing }),
  removeSecret: (name: string) => invoke<SecretInfo>("delete_secret", { name }),
  revealSecret: (name: string) => invoke<string>("reveal_secret", { name }),
  /** Copies a named secret from Rust to the clipboard (cleared after its time). */
  copySecret: (name: string) => invoke<Copied>("copy_secret", { name }),
  copy: (kind: Kind, name: string, what: "url" | "url_with_password" | "env" | "env_with_secrets" | `snippet:${string}`) =>
    invoke<Copied>("copy_connection", { kind, name, what }),
  /** Python snippets that use the connection through `patchbay exec` (no secret in their code). */
  snippets: (kind: Kind, name: string) => invoke<Snippet[]>("snippets", { kind, name }),
  /** A page of what an object store holds (`after`: the previous page's `next`). */
  browse: (kind: Kind, name: string, place: Place, after: string | null) => invoke<Page>("browse", { kind, name, place, after }),
  /** Copies the `index`th URI of a place (as the page listed them) to the clipboard. */
  copyUri: (kind: Kind, name: string, place: Place, index: number) => invoke<Copied>("copy_uri", { kind, name, place, index }),
  /** Copies the Polars or DuckDB snippet that reads one S3 object (place.prefix is its key). */
  copyObjectSnippet: (kind: Kind, name: string, place: Place, id: "polars" | "duckdb") => invoke<Copied>("copy_object_snippet", { kind, name, place, id }),
  /** Makes `bucket` the one the connection is saved with (Azure's container, GCS's bucket). */
  useBucket: (kind: Kind, name: string, bucket: string) => invoke<Connection>("use_bucket", { kind, name, bucket }),
  /** Opens the user's terminal running the connection's client (patchbay exec). */
  openInTerminal: (kind: Kind, name: string) => invoke<Opened>("open_in_terminal", { kind, name }),
  keyStatus: () => invoke<KeyStatus>("key_status"),
  /** Whether Patchbay starts in the tray at login; setAutostart answers whether it does now. */
  autostart: () => invoke<boolean>("autostart"),
  setAutostart: (on: boolean) => invoke<boolean>("set_autostart", { on }),
  /** Asks the Secret Service to unlock (its own prompt); answers the key status after. */
  unlockKeychain: () => invoke<KeyStatus>("unlock_keychain"),
  /** Uses the key file at `path` from now on (remembered for this store). */
  useKeyFile: (path: string, passphrase: string) => invoke<KeyStatus>("use_key_file", { path, passphrase }),
  backupKey: (path: string, passphrase: string) => invoke<KeyBackup>("backup_key", { path, passphrase }),
  parseUrl: (text: string) => invoke<Pasted>("parse_url", { text }),
  /** Import…: what each source holds at its usual places. */
  importSources: () => invoke<SourceFound[]>("import_sources"),
  /** Reads a source into the core (its secrets stay there) and answers the preview. */
  importPreview: (source: Source, path: string | null, passphrase: string | null, onConflict: OnConflict) =>
    invoke<ImportPreview>("import_preview", { source, path, passphrase, onConflict }),
  importRestage: (onConflict: OnConflict) => invoke<ImportPreview>("import_restage", { onConflict }),
  /** Saves the kept rows in one transaction; `null` lets the read source go. */
  importCommit: (only: string[] | null, onConflict: OnConflict) => invoke<Imported | null>("import_commit", { only, onConflict }),
};
