// "Open in terminal" in the REAL window: the row's button opens xterm (TERMINAL=xterm) running
// `patchbay exec NAME -- psql`; psql reads a psqlrc that writes current_user to a file, which
// proves the client logged in as the saved user with what exec handed it. Then the terminal is
// closed as a person would (xterm hangs up its session), and no private file of exec's is left.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close, invoke, rowAction, servers } from "./launch.mjs";

const env = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-terminal-"));
const out = path.join(work, "current_user.txt");
fs.writeFileSync(path.join(work, "psqlrc"), `\\o ${out}\nselect current_user;\n\\q\n`);

let app, b;
before(async () => {
  app = await launch({ env: { ...process.env, TERMINAL: "xterm", PSQLRC: path.join(work, "psqlrc") } });
  b = app.browser;
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

const ipc = (cmd, args = {}) => invoke(b, cmd, args);

const execDirs = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("patchbay-exec-"));
const until = async (what, fn, ms = 20000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}`);
};

test("Open in terminal runs psql in xterm as the saved user and leaves nothing behind", async () => {
  // verify-ca with the test CA: exec hands psql the CA as a private file (PGSSLROOTCERT).
  const saved = await ipc("save_connection", {
    draft: {
      name: "orders", env_tag: null, confirm_kept_secrets: false,
      spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: Number(env.PB_PG_PORT), database: "app", username: "app", ssl_mode: "verify-ca", ca_cert: fs.readFileSync(env.PB_CA_CERT, "utf8") },
      secrets: { password: { mode: "value", value: env.PB_PG_PASSWORD } },
    },
    editing: null,
  });
  assert.equal(saved.ok, true, JSON.stringify(saved));
  await b.refresh();
  const before = new Set(execDirs());
  const menu = await b.$('tr[data-name="orders"] [data-testid="row-menu"]');
  await menu.waitForExist({ timeout: 5000 });
  assert.equal(await menu.getAttribute("aria-label"), "Actions for orders");
  await rowAction(b, "orders", "terminal");
  const notice = await b.$('[data-testid="notice"]');
  await notice.waitForExist({ timeout: 5000 });
  assert.match(await notice.getText(), /Opened orders in xterm \(psql\)/);

  await until("psql to write current_user", () => fs.existsSync(out) && fs.readFileSync(out, "utf8").includes("app"));
  assert.match(fs.readFileSync(out, "utf8"), /^\s*current_user\s*\n-+\n\s*app\s*$/m);
  assert.equal(spawnSync("pgrep", ["-x", "xterm"]).status, 0, "psql is still open in its terminal");
  // Closing the terminal hangs up patchbay exec, which passes it on to psql and cleans up.
  spawnSync("pkill", ["-TERM", "-x", "xterm"]);
  await until("the terminal to close", () => spawnSync("pgrep", ["-x", "xterm"]).status !== 0);
  await until("exec's private files to go", () => execDirs().every((d) => before.has(d)), 5000);
  assert.equal((await ipc("delete_connection", { kind: "database", name: "orders" })).ok, true);
});
