// Every answer the REAL window receives over IPC, for every command the app registers: the list
// is read from the `generate_handler!` of src-tauri/lib.rs, so a new command that this test does
// not call fails it. Each call must succeed (or fail where that is the point: an error answer
// carries little and would make the scan pass vacuously), and no answer may carry a saved secret,
// a passphrase or the master key — except the two explicit reveals, checked as positive controls.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, invoke, launch, servers } from "./launch.mjs";
import { closedPort } from "./page.mjs";

const source = (file) => fs.readFileSync(new URL(`../../src-tauri/${file}`, import.meta.url), "utf8");
const registered = [...source("lib.rs").match(/generate_handler!\[([^\]]*)\]/)[1].matchAll(/commands::(?:\w+::)?(\w+)/g)].map((m) => m[1]);
const manifest = [...source("build.rs").match(/commands\(&\[([^\]]*)\]/)[1].matchAll(/"(\w+)"/g)].map((m) => m[1]);
// The answers that exist to carry a secret: asserted to carry it, below.
const REVEALS = ["reveal_field", "reveal_secret"];

const srv = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-ipc-"));
const logs = path.join(work, "terminal-logs");
fs.mkdirSync(logs);
// A master key this test knows, so that it can look for it in every answer.
const MASTER_KEY = crypto.randomBytes(32).toString("base64url") + "=";
let app;
let ipc;
before(async () => {
  app = await launch({ env: {
    ...process.env,
    PATCHBAY_DATA_DIR: path.join(work, "data"),
    PATCHBAY_MASTER_KEY: MASTER_KEY,
    TERMINAL: path.resolve("xterm-with-log"),
    PB_TERMINAL_LOGS: logs,
  } });
  ipc = (cmd, args = {}) => invoke(app.browser, cmd, args);
});
after(async () => {
  spawnSync("pkill", ["-TERM", "-x", "xterm"]);
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

test("the app's manifest grants exactly the commands it registers", () => {
  assert.ok(registered.length >= 25, `found ${registered.length} registered commands`);
  assert.deepEqual([...manifest].sort(), [...registered].sort());
});

test("no answer to any registered command carries a saved secret, a passphrase or the master key, except a reveal", async () => {
  const PW = "E2E-IPC-pw-6d2a";
  const SECRET = "E2E-IPC-shared-91fe";
  const PASSPHRASE = "E2E-IPC-passphrase-3c71";
  const closed = await closedPort();
  const draft = {
    name: "ipc-audit",
    env_tag: null,
    spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: closed, database: "app", username: "app", ssl_mode: "prefer", ca_cert: null },
    secrets: { password: { mode: "value", value: PW } },
  };
  const at = { kind: "database", name: "ipc-audit" };
  const answers = [];
  const call = async (cmd, args = {}, expectOk = true) => {
    const r = await ipc(cmd, args);
    assert.equal(r.ok, expectOk, `${cmd}: ${JSON.stringify(r.error ?? r.value)}`);
    answers.push([cmd, r]);
    return r;
  };

  await call("save_connection", { draft, editing: null });
  await call("save_secret", { name: "ipc-shared", value: SECRET, description: "", editing: null });
  await call("list_connections");
  await call("get_connection", at);
  const v = await call("test_saved", { ...at, ticket: 987654 });
  assert.equal(v.value.failed_step, "tcp", "the check fails at the closed port");
  assert.equal((await call("last_verdict", at)).value.failed_step, "tcp");
  await call("test_draft", { draft, editing: null });
  await call("test_all", { kind: null });
  assert.equal((await call("cancel_check", { ticket: 987654 })).value, false, "a finished check cannot be cancelled");
  const notFp = await call("accept_host_key", { fingerprint: "SHA256:too-short" }, false);
  assert.deepEqual([notFp.error.code, notFp.error.field], ["invalid", "accept_host_key"]);
  await call("accept_host_key", { fingerprint: "SHA256:YVCkmcgjq97toO7GbQc7B9VFNR2xd9lKah3iCy4Pz/Q" });
  await call("set_favourite", { ...at, favourite: true });
  const snippets = await call("snippets", at);
  assert.ok(snippets.value.length > 0, "the connection has snippets");
  // Browsing a store: names and URIs cross, its secret key does not.
  const lake = { kind: "storage", name: "ipc-lake" };
  const s3 = { kind: "storage", access_key_id: srv.PB_S3_ACCESS_KEY, region: "us-east-1", endpoint_url: `http://127.0.0.1:${srv.PB_S3_HTTP_PORT}`, verify_ssl: true, allow_http: true, ca_cert: null, session_expires: null };
  await call("save_connection", { draft: { name: "ipc-lake", env_tag: null, spec: s3, secrets: { secret_access_key: { mode: "value", value: srv.PB_S3_SECRET_KEY } } }, editing: null });
  const nested = { bucket: "browse", prefix: "nested/" };
  const page = await call("browse", { ...lake, place: nested, after: null });
  assert.deepEqual(page.value.entries.map((e) => e.name), ["nested/2026/", "nested/readme.txt"]);
  assert.equal((await call("copy_uri", { ...lake, place: nested, index: 0 })).value.what, "URI s3://browse/nested/");
  const snippet = await call("copy_object_snippet", { ...lake, place: { bucket: "browse", prefix: "nested/readme.txt" }, id: "duckdb" });
  assert.equal(snippet.value.what, "Python: DuckDB (this object) snippet (it reads its credentials from patchbay exec)");
  const noBucket = await call("use_bucket", { ...lake, bucket: "browse" }, false);
  assert.deepEqual([noBucket.error.code, noBucket.error.field], ["invalid", "bucket"]);
  // A role with an MFA device at moto: the code typed in the window mints the session, which
  // stays in the core (the answer says until when, nothing else).
  const role = { role_arn: srv.PB_MOTO_ROLE_ARN, external_id: null, session_name: null, duration_seconds: null, mfa_serial: "arn:aws:iam::123456789012:mfa/alice", source: null };
  const moto = { ...s3, access_key_id: srv.PB_MOTO_KEY_ID, endpoint_url: `http://127.0.0.1:${srv.PB_MOTO_PORT}`, ca_cert: null, role };
  await call("save_connection", { draft: { name: "ipc-role", env_tag: null, spec: moto, secrets: { secret_access_key: { mode: "value", value: srv.PB_MOTO_KEY_SECRET } } }, editing: null });
  const minted = await call("mint_session", { name: "ipc-role", mfaCode: "123456" });
  assert.deepEqual(Object.keys(minted.value).sort(), ["expires", "name"]);
  // IAM Identity Center sign-in (its success is in aws-profile.test): refused by field for a
  // connection that is not by an SSO profile, and nothing to wait for without one started.
  const noSso = await call("sso_login", { name: "ipc-lake" }, false);
  assert.deepEqual([noSso.error.code, noSso.error.field], ["invalid", "profile"]);
  const noWait = await call("sso_login_wait", { name: "ipc-lake" }, false);
  assert.deepEqual([noWait.error.code, noWait.error.field], ["invalid", "name"]);
  // Teams: joined as a member who may manage the folder (the password crosses in, never back),
  // the audit connection shared and checked there, its list read, logged in again.
  const team = { name: "ipc-team", address: srv.PB_BAO_ADDR, mount: "secret", path: "data-eng", namespace: null,
    ca_cert: fs.readFileSync(srv.PB_BAO_CA, "utf8"), auth: "userpass", login_name: "manager", token_expires: null };
  assert.equal((await call("join_team", { draft: team, secret: srv.PB_BAO_MANAGER_PASSWORD })).value.name, "ipc-team");
  await call("list_teams");
  const teamName = `ipc-audit-${crypto.randomBytes(4).toString("hex")}`;
  await call("save_connection", { draft: { ...draft, name: teamName }, editing: null });
  const rows = await call("share_with_team", { name: teamName, team: "ipc-team" });
  assert.ok(rows.value.some((r) => r.name === teamName));
  await call("team_connections", { team: "ipc-team" });
  assert.equal((await call("test_team", { team: "ipc-team", name: teamName })).value.failed_step, "tcp");
  // The shared one used from the one list: opened in the form, checked and saved over the
  // version read (its password kept: the draft leaves it), copied with its password (in Rust).
  const inTeam = { team: "ipc-team", name: teamName };
  const formed = await call("team_connection", inTeam);
  assert.deepEqual([formed.value.version, formed.value.may_edit], [1, true]);
  const teamDraft = { ...draft, name: teamName, env_tag: "dev", secrets: {} };
  assert.equal((await call("test_team_draft", { ...inTeam, version: 1, draft: teamDraft })).value.failed_step, "tcp");
  assert.equal((await call("save_team_connection", { ...inTeam, version: 1, draft: teamDraft })).value, 2);
  const lost = await call("save_team_connection", { ...inTeam, version: 1, draft: teamDraft }, false);
  assert.equal(lost.error.code, "conflict");
  await call("copy_team_connection", { ...inTeam, what: "url_with_password" });
  assert.ok((await call("team_snippets", inTeam)).value.every((s) => s.code.includes("--team")));
  await call("team_login", { name: "ipc-team", secret: srv.PB_BAO_MANAGER_PASSWORD });
  await call("list_secrets");
  await call("key_status");
  // Starting at login, turned on and off again (the entry goes to this session's XDG config).
  assert.equal((await call("set_autostart", { on: true })).value, true);
  assert.equal((await call("autostart")).value, true);
  assert.equal((await call("set_autostart", { on: false })).value, false);
  await call("copy_connection", { ...at, what: "url_with_password" });
  await call("copy_secret", { name: "ipc-shared" });
  await call("parse_url", { text: `postgres://app:${PW}@db.example:5432/app` });
  // The master key, backed up under a passphrase, then used as the store's key file.
  const backup = path.join(work, "backup.key");
  await call("backup_key", { path: backup, passphrase: PASSPHRASE });
  await call("use_key_file", { path: backup, passphrase: PASSPHRASE });
  const wrong = await call("use_key_file", { path: backup, passphrase: `${PASSPHRASE}-not` }, false);
  assert.equal(wrong.error.field, "passphrase");
  // Now that the key is in a file, the terminal's `patchbay exec` can open the store too.
  const opened = await call("open_in_terminal", at);
  assert.equal(opened.value.client, "psql");
  assert.equal((await call("open_team_in_terminal", inTeam)).value.client, "psql");
  // The keychain is not this store's key source here: unlocking it answers with the key status.
  await call("unlock_keychain");
  // A copy made from the form: its password is the original's, taken in the core.
  await call("save_connection", { draft: { ...draft, name: "ipc-audit-copy", secrets: {} }, editing: { ...at, copy: true } });
  const gone = await call("delete_connection", { kind: "database", name: "ipc-audit-copy" });
  await call("undo_delete", { undo: gone.value.undo });
  const bad = await call("save_connection", { draft: { ...draft, name: "ipc-bad", spec: { ...draft.spec, port: 0 } }, editing: null }, false);
  assert.deepEqual([bad.error.code, bad.error.field], ["invalid", "port"]);
  const dup = await call("save_connection", { draft, editing: null }, false);
  assert.equal(dup.error.code, "duplicate");

  // Import…: a password file read into the core, previewed, re-previewed and saved; the
  // password it holds never crosses back.
  const IMPORT_PW = "E2E-IPC-imported-5b8e";
  const pgpass = path.join(work, "pgpass");
  fs.writeFileSync(pgpass, `db.internal:5432:ipc-import:app:${IMPORT_PW}\n`, { mode: 0o600 });
  await call("import_sources");
  const preview = await call("import_preview", { source: "pgpass", path: pgpass, passphrase: null, onConflict: "skip" });
  assert.deepEqual(preview.value.rows.map((r) => [r.name, r.outcome, r.secrets]), [["ipc-import", "new", ["password"]]]);
  await call("import_restage", { onConflict: "rename" });
  const imported = await call("import_commit", { only: ["ipc-import"], onConflict: "rename" });
  assert.deepEqual(imported.value.saved.map((c) => c.name), ["ipc-import"]);

  // Positive controls: the explicit reveals carry them (a non-production connection: no dialog).
  assert.equal((await ipc("reveal_field", { ...at, field: "password" })).value, PW);
  assert.equal((await ipc("reveal_secret", { name: "ipc-shared" })).value, SECRET);
  await call("delete_secret", { name: "ipc-shared" });

  const wire = JSON.stringify(answers);
  for (const [what, value] of [["a password", PW], ["an imported password", IMPORT_PW], ["a named secret", SECRET], ["the passphrase", PASSPHRASE], ["the master key", MASTER_KEY], ["the master key's bytes", MASTER_KEY.slice(0, 43)], ["an S3 secret key", srv.PB_S3_SECRET_KEY], ["the keys that minted a session", srv.PB_MOTO_KEY_SECRET], ["a team member's password", srv.PB_BAO_MANAGER_PASSWORD]]) {
    assert.equal(wire.includes(value), false, `${what} crossed the IPC boundary`);
  }
  const scanned = new Set(answers.map(([cmd]) => cmd));
  assert.deepEqual(registered.filter((c) => !REVEALS.includes(c) && !scanned.has(c)), [], "registered commands whose answer this test never scanned");
});
