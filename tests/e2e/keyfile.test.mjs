// End-to-end: the REAL window fixes a key it cannot find without environment variables or a
// restart. The store's key is in a passphrase-sealed key file (saved through the CLI); the app
// starts without a D-Bus session and without PATCHBAY_KEY_FILE, so the keychain it looks in
// cannot help. "Use a key file…" with a wrong passphrase changes nothing and says so at the
// passphrase; with the right one the secrets open at once, and the choice is remembered for
// the store: the CLI finds the key the next time without PATCHBAY_KEY_FILE.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, invoke, launch } from "./launch.mjs";

let app;
let b;
let dir;
let keyFile;
const PASSPHRASE = "e2e key file passphrase";

function cleanEnv(extra) {
  const env = { ...process.env, ...extra };
  for (const k of ["PATCHBAY_MASTER_KEY", "PATCHBAY_KEY_FILE", "PATCHBAY_PASSPHRASE"]) delete env[k];
  return { ...env, ...extra };
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-keyfile-"));
  keyFile = path.join(dir, "patchbay.key");
  const store = path.join(dir, "data");
  execFileSync(process.env.PATCHBAY_CLI, ["add", "postgres", "orders", "--host", "127.0.0.1", "--user", "app", "--password-stdin"], {
    input: "E2E-keyfile-pw",
    env: cleanEnv({ PATCHBAY_DATA_DIR: store, PATCHBAY_KEY_FILE: keyFile, PATCHBAY_PASSPHRASE: PASSPHRASE }),
  });
  app = await launch({ port: 4448, env: cleanEnv({ PATCHBAY_DATA_DIR: store, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/patchbay-e2e-bus" }) });
  b = app.browser;
});

after(async () => {
  try { await close(app); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test("a key file chosen in the window opens the secrets at once and is remembered for the CLI", async () => {
  const banner = await b.$('[data-testid="key-banner"]');
  await banner.waitForExist({ timeout: 10000 });
  await (await b.$('[data-testid="key-use-file"]')).click();
  const fill = async (name, value) => {
    const el = await b.$(`[name="${name}"]`);
    await el.clearValue();
    await el.addValue(value);
  };
  await fill("key_file", keyFile);
  await fill("key_passphrase", "not the passphrase");
  await (await b.$('[data-testid="key-file-use"]')).click();
  const problem = await b.$('[data-testid="key-problem"]');
  await problem.waitForExist({ timeout: 20000 });
  assert.equal(await problem.getAttribute("data-field"), "passphrase");
  assert.match(await problem.getText(), /passphrase does not open key file/);
  assert.equal((await invoke(b, "reveal_field", { kind: "database", name: "orders", field: "password" })).ok, false, "still locked");
  assert.equal(fs.existsSync(path.join(dir, "data", "key-file")), false, "a failed choice is not remembered");

  await fill("key_passphrase", PASSPHRASE);
  await (await b.$('[data-testid="key-file-use"]')).click();
  await banner.waitForExist({ reverse: true, timeout: 20000 });
  assert.match(await (await b.$('[data-testid="key-status"]')).getText(), /Key in key file .*patchbay\.key/);
  const revealed = await invoke(b, "reveal_field", { kind: "database", name: "orders", field: "password" });
  assert.equal(revealed.value, "E2E-keyfile-pw");

  // The CLI, given only the passphrase, finds the key file the window chose.
  const out = execFileSync(process.env.PATCHBAY_CLI, ["reveal", "orders", "password"], {
    env: cleanEnv({ PATCHBAY_DATA_DIR: path.join(dir, "data"), PATCHBAY_PASSPHRASE: PASSPHRASE }),
    encoding: "utf8",
  });
  assert.equal(out.trim(), "E2E-keyfile-pw");
});
