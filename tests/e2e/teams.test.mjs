// Teams in the REAL window, against the real OpenBao of the test servers: a teammate (the CLI,
// with a store of its own) shares a PostgreSQL connection as a member who may manage the team's
// folder; in the window a person joins the team as a member who may only use it, sees the
// connection marked read-only, checks it (it passes against the real database), and is refused
// by the engine's policy when sharing one of their own. The team's connections stand in the one
// list beside the local ones (the team's badge, read-only with why, a "Kept in" filter); as a
// manager of the team the person edits one in the form, and a teammate's change in between is a
// conflict that names what changed — nothing is overwritten. A team in AWS Secrets Manager is
// joined with an access key the same way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { close, launch, servers } from "./launch.mjs";
import { $, choose, click, fill, ipc, pasteInto, use } from "./page.mjs";

const srv = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-e2e-teams-"));
const shared = `warehouse-${crypto.randomBytes(4).toString("hex")}`;
let app, b, teammate;
before(async () => {
  // The teammate, on the command line with a store of their own.
  const cli = process.env.PATCHBAY_CLI;
  const env = { ...process.env, PATCHBAY_DATA_DIR: path.join(work, "teammate"), PATCHBAY_MASTER_KEY: execFileSync(cli, ["key", "generate"], { encoding: "utf8" }).trim() };
  const run = (args, input = "") => {
    const o = spawnSync(cli, args, { env, input, encoding: "utf8" });
    assert.equal(o.status, 0, `${args.join(" ")}: ${o.stderr}`);
    return o.stdout;
  };
  run(["add", "postgres", shared, "--host", "127.0.0.1", "--port", srv.PB_PG_PORT, "--database", "app", "--user", "app", "--ssl-mode", "verify-full",
    "--ca-cert", srv.PB_CA_CERT, "--password-stdin"], srv.PB_PG_PASSWORD);
  run(["team", "add", "data-eng", "--address", srv.PB_BAO_ADDR, "--path", "data-eng", "--ca-cert", srv.PB_BAO_CA, "--auth", "userpass", "--user", "manager", "--secret-stdin"], srv.PB_BAO_MANAGER_PASSWORD);
  run(["share", shared, "--team", "data-eng"]);
  teammate = run;
  app = await launch({ env: { ...process.env, PATCHBAY_DATA_DIR: path.join(work, "data") } });
  b = app.browser;
  use(b);
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

test("a member who may only use the team joins, sees a teammate's connection read-only, checks it, and may not share", async () => {
  await click('[data-testid="teams"]');
  await fill("team-name", "data-eng");
  await fill("team-address", srv.PB_BAO_ADDR);
  await fill("team-path", "data-eng");
  await pasteInto("team-ca", fs.readFileSync(srv.PB_BAO_CA, "utf8"));
  await choose("team-auth", "userpass");
  await fill("team-login", "reader");
  await fill("team-secret", srv.PB_BAO_READER_PASSWORD);
  await click('[data-testid="join"]');
  const row = await $(`[data-testid="team-row"][data-name="${shared}"]`);
  await row.waitForExist({ timeout: 20000 });
  assert.equal(await (await row.$('[data-testid="read-only"]')).getText(), "read-only");
  const check = await row.$('[data-testid="team-test"]');
  await check.scrollIntoView({ block: "center" });
  await check.click();
  await b.waitUntil(async () => (await row.$('[data-testid="verdict"]')).isExisting(), { timeout: 20000, timeoutMsg: "no verdict" });
  assert.equal(await (await row.$('[data-testid="verdict"]')).getAttribute("data-ok"), "true");
  if (process.env.PATCHBAY_SCREENSHOTS) {
    fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
    const shot = spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "teams.png")]);
    assert.equal(shot.status, 0, String(shot.stderr));
  }
  // A connection of their own: the engine's policy says no, in its words.
  const mine = { name: "mine", env_tag: null, spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: 5432, database: "app", username: "app", ssl_mode: "require", ca_cert: null }, secrets: { password: { mode: "value", value: "pw-mine" } } };
  assert.ok((await ipc("save_connection", { draft: mine, editing: null })).ok);
  await fill("share-name", "mine");
  await click('[data-testid="share"]');
  await b.waitUntil(async () => (await $('[data-testid="team-connections"] .error')).isExisting(), { timeout: 10000, timeoutMsg: "no refusal shown" });
  assert.equal(await (await $('[data-testid="team-connections"] .error')).getText(), "the engine's policies do not allow this token to write data-eng/connections/mine (permission denied)");
});

/** Opens Teams… and closes it, which lists every team again behind the list. Esc is pressed once
 * the dialog is there (an Esc before it opened went nowhere and left it open over the list). */
async function teamsOpenedAndClosed() {
  await click('button[data-testid="teams"]');
  await $('[role="dialog"][data-testid="teams"]').waitForExist({ timeout: 5000 });
  await b.keys("Escape");
  await $('[role="dialog"][data-testid="teams"]').waitForExist({ reverse: true, timeout: 5000 });
}

/** The row of `name` kept in `team` ("" for this computer's). */
const rowOf = (name, team) => $(team ? `tr[data-name="${name}"][data-team="${team}"]` : `tr[data-name="${name}"]:not([data-team])`);
/** Clicks an element found in a row, scrolled into view first (a team's list can be long). The
 * list is read again from every team's engine behind it and may move under the pointer while it
 * settles: a click that lands on a row that moved there is made again where the row is now. */
const press = async (el) => {
  for (let i = 0; ; i++) {
    await el.scrollIntoView({ block: "center" });
    try {
      return await el.click();
    } catch (e) {
      if (i === 5 || !/element click intercepted/.test(String(e))) throw e;
      await b.pause(300);
    }
  }
};
const shownRows = () => b.execute(() => [...document.querySelectorAll("tr[data-name]")].map((r) => `${r.dataset.team ?? "-"}:${r.dataset.name}`).sort());

test("the team's connections stand in the one list with their team, read-only says why, and the Kept in filter picks them", async () => {
  // Closing Teams… lists every team again behind the list.
  await b.keys("Escape");
  await $('[role="dialog"][data-testid="teams"]').waitForExist({ reverse: true, timeout: 5000 });
  const row = await rowOf(shared, "data-eng");
  await row.waitForExist({ timeout: 20000 });
  assert.equal(await (await row.$('[data-testid="row-team"]')).getText(), "data-eng");
  const ro = await row.$('[data-testid="row-read-only"]');
  const why = "Your role in data-eng may use this connection, not change it (the engine's policy): ask who manages data-eng";
  assert.deepEqual([await ro.getText(), await ro.getAttribute("title")], ["read-only", why]);
  await press(await row.$('[data-testid="row-menu"]'));
  const edit = await $('[role="menu"] [data-action="edit"]');
  assert.deepEqual([await edit.getAttribute("aria-disabled"), await edit.getAttribute("title")], ["true", why]);
  await b.keys("Escape");
  await $('[role="menu"]').waitForExist({ reverse: true, timeout: 5000 });
  await choose("team-filter", "data-eng");
  assert.ok((await shownRows()).every((r) => r.startsWith("data-eng:")), String(await shownRows()));
  await choose("team-filter", "-");
  assert.deepEqual(await shownRows(), ["-:mine"]);
  await choose("team-filter", "");
  // Viewed, the form is locked with the same reason.
  await press(await row.$("button.link"));
  await $('[data-testid="form-locked"]').waitForExist({ timeout: 10000 });
  assert.equal(await (await $('[data-testid="form-locked"]')).getText(), why);
  assert.equal(await (await $('[data-testid="form-save"]')).getAttribute("disabled"), "true");
  await click('[data-testid="connection-form"] button[aria-label="Close"]');
});

test("a manager edits a team connection in the form; a teammate's change in between is a conflict naming what changed, and nothing is overwritten", async () => {
  const team = { name: "data-eng-manage", address: srv.PB_BAO_ADDR, mount: "secret", path: "data-eng", namespace: null,
    ca_cert: fs.readFileSync(srv.PB_BAO_CA, "utf8"), auth: "userpass", login_name: "manager", token_expires: null };
  assert.ok((await ipc("join_team", { draft: team, secret: srv.PB_BAO_MANAGER_PASSWORD })).ok);
  await teamsOpenedAndClosed();
  const row = await rowOf(shared, "data-eng-manage");
  await row.waitForExist({ timeout: 20000 });
  await press(await row.$("button.link"));
  await $('[data-testid="connection-form"]').waitForExist({ timeout: 10000 });
  assert.equal(await (await $('[data-testid="connection-form"] h2')).getText(), `Edit ${shared} in team data-eng-manage (version 1)`);
  // While the form is open, the teammate changes the database on the command line.
  teammate(["edit", shared, "--team", "data-eng", "--database", "postgres"]);
  await fill("env_tag", "staging");
  await click('[data-testid="form-save"]');
  const error = await $('[data-testid="form-error"]');
  await error.waitForExist({ timeout: 10000 });
  assert.match(await error.getText(), new RegExp(`^${shared} in team data-eng-manage was changed by someone else since you read it \\(you started from version 1; version 2 was written at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\): database changed\\. Nothing was written: open it again and redo your change$`));
  if (process.env.PATCHBAY_SCREENSHOTS) {
    await error.scrollIntoView({ block: "center" });
    const shot = spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "team-conflict.png")]);
    assert.equal(shot.status, 0, String(shot.stderr));
  }
  // Opened again, it is the teammate's version; the change saved over it keeps theirs.
  await click('[data-testid="connection-form"] button[aria-label="Close"]');
  if (await $('[data-testid="discard-form"]').isExisting()) await click('[data-testid="confirm"]');
  await press(await rowOf(shared, "data-eng-manage").$("button.link"));
  await b.waitUntil(async () => (await (await $('[data-testid="connection-form"] h2')).getText()).endsWith("(version 2)"), { timeout: 10000, timeoutMsg: "not version 2" });
  await fill("env_tag", "staging");
  await click('[data-testid="form-save"]');
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 10000 });
  assert.match(teammate(["url", shared, "--team", "data-eng"]).trim(), /\/postgres(\?|$)/, "the teammate's database stays");
  const envOf = (team) => b.execute((n, t) => document.querySelector(`tr[data-name="${n}"][data-team="${t}"] td.env`)?.textContent.trim(), shared, team);
  await b.waitUntil(async () => (await envOf("data-eng-manage")) === "staging", { timeout: 10000, timeoutMsg: "the list does not show the saved tag" });
  const tagged = await rowOf(shared, "data-eng-manage");
  // Copy URL from the team row: read from the engine, put on the clipboard by Rust.
  await press(await tagged.$('[data-testid="row-menu"]'));
  await click('[role="menu"] [data-action="copy-url"]');
  const copied = `Copied ${shared} (team data-eng-manage): URL (without password)`;
  await b.waitUntil(async () => (await $('[data-testid="notice"] > span')).isExisting() && (await (await $('[data-testid="notice"] > span')).getText()) === copied,
    { timeout: 10000, timeoutMsg: "no copy notice" });
});

test("a team in AWS Secrets Manager is joined in the window with an access key, and its connections are listed and checked", async () => {
  // The teammate keeps the team's connections in Secrets Manager (moto), in Airflow's layout.
  const prefix = `airflow-${crypto.randomBytes(4).toString("hex")}`;
  const endpoint = `http://127.0.0.1:${srv.PB_MOTO_PORT}`;
  teammate(["team", "add", "lake", "--engine", "aws-secrets-manager", "--address", endpoint, "--region", "us-east-1", "--path", prefix,
    "--auth", "aws-keys", "--access-key-id", srv.PB_MOTO_KEY_ID, "--secret-stdin"], srv.PB_MOTO_KEY_SECRET);
  teammate(["share", shared, "--team", "lake"]);
  await click('button[data-testid="teams"]');
  await choose("team-engine", "aws_secrets_manager");
  await fill("team-name", "lake");
  await fill("team-address", endpoint);
  await fill("team-region", "us-east-1");
  await fill("team-path", prefix);
  await fill("team-login", srv.PB_MOTO_CAROL_KEY_ID);
  await fill("team-secret", srv.PB_MOTO_CAROL_KEY_SECRET);
  await click('[data-testid="join"]');
  const row = await $(`[data-testid="team"][data-name="lake"] [data-testid="team-row"][data-name="${shared}"]`);
  await row.waitForExist({ timeout: 20000 });
  const check = await row.$('[data-testid="team-test"]');
  await check.scrollIntoView({ block: "center" });
  await check.click();
  await b.waitUntil(async () => (await row.$('[data-testid="verdict"]')).isExisting(), { timeout: 20000, timeoutMsg: "no verdict" });
  assert.equal(await (await row.$('[data-testid="verdict"]')).getAttribute("data-ok"), "true");
  await b.keys("Escape");
});

test("a team connection's running test is stopped from its row, and no verdict comes after", async () => {
  // Answers nothing and hangs up after 2 s: an unstopped check would show a failure then.
  const slow = net.createServer((sock) => setTimeout(() => sock.destroy(), 2000)).listen(0, "127.0.0.1");
  await new Promise((r) => slow.once("listening", r));
  const name = `slow-${crypto.randomBytes(4).toString("hex")}`;
  try {
    teammate(["add", "postgres", name, "--team", "data-eng", "--host", "127.0.0.1", "--port", String(slow.address().port),
      "--database", "app", "--user", "app", "--ssl-mode", "disable", "--password-stdin"], "pw");
    await teamsOpenedAndClosed();
    const row = await rowOf(name, "data-eng");
    await row.waitForExist({ timeout: 20000 });
    await press(await row.$('[data-testid="row-test"]'));
    const stop = await row.$('[data-testid="row-cancel"]');
    await stop.waitForExist({ timeout: 5000 });
    await press(stop);
    const cancelled = `The test of ${name} was cancelled; nothing was recorded`;
    const notice = async () => ((await $('[data-testid="notice"] > span')).isExisting() ? (await $('[data-testid="notice"] > span')).getText() : "(none)");
    await b.waitUntil(async () => (await notice()) === cancelled, { timeout: 5000 })
      .catch(async () => assert.fail(`the test was not stopped: the notice says ${JSON.stringify(await notice())}`));
    await b.pause(3000); // past the moment the server hangs up
    assert.equal(await $(`tr[data-verdict-for="${name}"]`).isExisting(), false, "a verdict arrived after the stop");
  } finally {
    slow.close();
  }
});
