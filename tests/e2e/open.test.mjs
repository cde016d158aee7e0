// `patchbay-desktop --open kind/name`, what the tray's "Open in Patchbay" runs, in the REAL
// window: started with it, the window opens that connection's form; started again with another
// while it runs, the running window opens that one (the second start hands its arguments over
// and ends).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, launch } from "./launch.mjs";
import { $, use } from "./page.mjs";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-e2e-open-"));
const env = { ...process.env, PATCHBAY_DATA_DIR: path.join(work, "data") };
let app, b;
before(async () => {
  // Two saved connections, the key in the session's keychain (as a person's store is).
  for (const name of ["orders", "reports"]) {
    execFileSync(process.env.PATCHBAY_CLI, ["add", "postgres", name, "--host", "127.0.0.1", "--database", "app", "--user", "app", "--ssl-mode", "disable", "--password-stdin"],
      { env, input: "pw" });
  }
  app = await launch({ env, args: ["--open", "database/orders"] });
  b = app.browser;
  use(b);
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

const heading = async () => ((await $('[data-testid="connection-form"] h2')).isExisting() ? (await $('[data-testid="connection-form"] h2')).getText() : "(no form)");

test("started with --open, the window opens that connection, and a second start opens another in it", async () => {
  await b.waitUntil(async () => (await heading()) === "Edit orders", { timeout: 10000 })
    .catch(async () => assert.fail(`the form of orders did not open: ${await heading()}`));
  const second = spawnSync(process.env.PATCHBAY_APP, ["--open", "database/reports"], { env, timeout: 20000, encoding: "utf8" });
  assert.equal(second.status, 0, `the second start handed over and ended (${second.stderr})`);
  await b.waitUntil(async () => (await heading()) === "Edit reports", { timeout: 10000 })
    .catch(async () => assert.fail(`the running window did not open reports: ${await heading()}`));
});
