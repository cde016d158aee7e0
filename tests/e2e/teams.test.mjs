// Teams in the REAL window, against the real OpenBao of the test servers: a teammate (the CLI,
// with a store of its own) shares a PostgreSQL connection as a member who may manage the team's
// folder; in the window a person joins the team as a member who may only use it, sees the
// connection marked read-only, checks it (it passes against the real database), and is refused
// by the engine's policy when sharing one of their own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, launch, servers } from "./launch.mjs";
import { $, choose, click, fill, ipc, pasteInto, use } from "./page.mjs";

const srv = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-e2e-teams-"));
const shared = `warehouse-${crypto.randomBytes(4).toString("hex")}`;
let app, b;
before(async () => {
  // The teammate, on the command line with a store of their own.
  const cli = process.env.PATCHBAY_CLI;
  const env = { ...process.env, PATCHBAY_DATA_DIR: path.join(work, "teammate"), PATCHBAY_MASTER_KEY: execFileSync(cli, ["key", "generate"], { encoding: "utf8" }).trim() };
  const run = (args, input = "") => {
    const o = spawnSync(cli, args, { env, input, encoding: "utf8" });
    assert.equal(o.status, 0, `${args.join(" ")}: ${o.stderr}`);
  };
  run(["add", "postgres", shared, "--host", "127.0.0.1", "--port", srv.PB_PG_PORT, "--database", "app", "--user", "app", "--ssl-mode", "verify-full",
    "--ca-cert", srv.PB_CA_CERT, "--password-stdin"], srv.PB_PG_PASSWORD);
  run(["team", "add", "data-eng", "--address", srv.PB_BAO_ADDR, "--path", "data-eng", "--ca-cert", srv.PB_BAO_CA, "--auth", "userpass", "--user", "manager", "--secret-stdin"], srv.PB_BAO_MANAGER_PASSWORD);
  run(["share", shared, "--team", "data-eng"]);
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
  await (await row.$('[data-testid="team-test"]')).click();
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
