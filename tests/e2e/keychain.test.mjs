// End-to-end: the REAL window when the keychain cannot be reached. A store whose master key is in
// the Secret Service (saved through the CLI, on the session's real bus) is opened by the app
// started without a D-Bus session, as over SSH or from a cron job. The window lists the saved
// connections (that needs no key), shows a banner that says the secrets cannot be opened, why,
// and the fallbacks; a check of a saved connection says the same instead of failing oddly.
// tests/run sets PATCHBAY_APP, TAURI_DRIVER and PATCHBAY_CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { remote } from "webdriverio";

const PORT = 4446;
let driver;
let b;
let dir;

const waitPort = async (port) => {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((res) => {
      const s = net.connect(port, "127.0.0.1", () => { s.destroy(); res(true); });
      s.on("error", () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} never opened`);
};

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
  driver = spawn(process.env.TAURI_DRIVER, ["--port", String(PORT), "--native-port", String(PORT + 1), "--native-driver", "/usr/bin/WebKitWebDriver"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: appEnv,
  });
  await waitPort(PORT);
  await waitPort(PORT + 1);
  b = await remote({
    hostname: "127.0.0.1",
    port: PORT,
    logLevel: "error",
    capabilities: { "wdio:enforceWebDriverClassic": true, "tauri:options": { application: process.env.PATCHBAY_APP } },
  });
  await b.$('[data-tab="database"]').waitForExist({ timeout: 20000 });
});

after(async () => {
  try { await b?.deleteSession(); } finally { driver?.kill(); fs.rmSync(dir, { recursive: true, force: true }); }
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
