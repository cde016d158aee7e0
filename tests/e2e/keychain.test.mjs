// End-to-end: the REAL window when the keychain cannot be reached. A store whose master key is in
// the Secret Service (saved through the CLI, on the session's real bus) is opened by the app
// started without a D-Bus session, as over SSH or from a cron job. The window lists the saved
// connections (that needs no key), shows a banner that says the secrets cannot be opened, why,
// and the fallbacks; a check of a saved connection says the same instead of failing oddly.
// tests/run sets PATCHBAY_APP, TAURI_DRIVER and PATCHBAY_CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close } from "./launch.mjs";

let app;
let b;
let dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-keychain-"));
  const store = path.join(dir, "data");
  // Saved with the keychain reachable: the key goes to the Secret Service.
  const keychainEnv = { ...process.env, PATCHBAY_DATA_DIR: store };
  delete keychainEnv.PATCHBAY_MASTER_KEY;
  delete keychainEnv.PATCHBAY_KEY_FILE;
  execFileSync(process.env.PATCHBAY_CLI, ["add", "postgres", "orders", "--host", "127.0.0.1", "--user", "app", "--password-stdin"], {
    input: "E2E-keychain-pw",
    env: keychainEnv,
  });
  const appEnv = { ...keychainEnv, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/patchbay-e2e-bus" };
  // Its own ports, so that it never meets the driver of another test file.
  app = await launch({ port: 4446, env: appEnv });
  b = app.browser;
});

after(async () => {
  try { await close(app); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test("without a D-Bus session the window lists connections and says why secrets cannot be opened", async () => {
  const banner = await b.$('[data-testid="key-banner"]');
  await banner.waitForExist({ timeout: 10000 });
  const text = await banner.getText();
  assert.match(text, /Saved secrets cannot be opened/);
  assert.match(text, /No D-Bus session is reachable/);
  assert.match(text, /PATCHBAY_MASTER_KEY/);
  assert.match(text, /PATCHBAY_KEY_FILE/);
  assert.doesNotMatch(text, /E2E-keychain-pw/);
  assert.match(await (await b.$('[data-testid="key-status"]')).getText(), /Key unavailable/);
  const rows = await b.execute(() => [...document.querySelectorAll("tr[data-name]")].map((r) => r.getAttribute("data-name")));
  assert.deepEqual(rows, ["orders"]);
});

test("checking a saved connection without the key says so instead of trying the server", async () => {
  const button = await b.$('tr[data-name="orders"] [data-testid="row-test"]');
  await button.waitForExist({ timeout: 5000 });
  await button.click();
  const notice = await b.$('[data-testid="notice"], [data-testid="verdict"]');
  await notice.waitForExist({ timeout: 10000 });
  const text = await notice.getText();
  assert.match(text, /keychain/i);
  assert.doesNotMatch(text, /E2E-keychain-pw/);
});
