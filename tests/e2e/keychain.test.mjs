// End-to-end: the REAL window when the keychain cannot be reached. A store whose master key is in
// the Secret Service (saved through the CLI, on the session's real bus) is opened by the app
// started without a D-Bus session, as over SSH or from a cron job. The window lists the saved
// connections (that needs no key), shows a banner that says the secrets cannot be opened, why,
// and the fallbacks; a check of a saved connection says the same instead of failing oddly.
// tests/run sets PATCHBAY_APP, TAURI_DRIVER and PATCHBAY_CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close, storeKeyedInKeychain } from "./launch.mjs";

let app;
let b;
let dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-keychain-"));
  // Saved with the keychain reachable: the key goes to the Secret Service.
  const keychainEnv = storeKeyedInKeychain(dir, "E2E-keychain-pw");
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
  // Reading failed, and it says so (the self-test's write is not "saving the master key").
  assert.match(text, /could not read the master key/);
  assert.doesNotMatch(text, /could not save/);
  // Commands show as code, not between literal backticks.
  assert.doesNotMatch(text, /`/);
  const codes = await b.execute(() => [...document.querySelectorAll('[data-testid="key-banner"] code')].map((c) => c.textContent));
  assert.ok(codes.includes("patchbay key generate"), JSON.stringify(codes));
  assert.match(await (await b.$('[data-testid="key-status"]')).getText(), /Key unavailable/);
  const rows = await b.execute(() => [...document.querySelectorAll("tr[data-name]")].map((r) => r.getAttribute("data-name")));
  assert.deepEqual(rows, ["orders"]);
});

test("without the key, Test and Test all are off and say why, instead of trying the server", async () => {
  const button = await b.$('tr[data-name="orders"] [data-testid="row-test"]');
  await button.waitForExist({ timeout: 5000 });
  assert.equal(await button.isEnabled(), false);
  assert.equal(await button.getAttribute("title"), "Checks need the master key: see the banner");
  const all = await b.$('[data-testid="test-all"]');
  assert.equal(await all.isEnabled(), false);
  assert.equal(await all.getAttribute("title"), "Checks need the master key: see the banner");
  // The app's own answer, if asked anyway, names the keychain and never the password.
  const r = await b.execute(() => window.__TAURI_INTERNALS__.invoke("test_saved", { kind: "database", name: "orders", ticket: null }).then((v) => JSON.stringify({ ok: true, v }), (e) => JSON.stringify({ ok: false, e })));
  assert.doesNotMatch(r, /E2E-keychain-pw/);
  const answer = JSON.parse(r);
  assert.equal(answer.ok, false, "an error, not a verdict: the server was never tried");
  assert.equal(answer.e.code, "keychain", r);
  assert.equal(answer.e.message, "could not read the master key in the OS keychain. No D-Bus session is reachable, so the keychain cannot be used: run inside a desktop session (or `dbus-run-session`); or choose a fallback explicitly: set PATCHBAY_MASTER_KEY to a key from `patchbay key generate`, or PATCHBAY_KEY_FILE to a passphrase-protected key file");
});

test("Unlock and Retry say plainly that without a D-Bus session there is no keychain to unlock", async () => {
  await (await b.$('[data-testid="key-unlock"]')).click();
  const problem = await b.$('[data-testid="key-problem"]');
  await problem.waitForExist({ timeout: 10000 });
  assert.match(await problem.getText(), /No D-Bus session is reachable, so there is no keychain to unlock/);
  await (await b.$('[data-testid="key-retry"]')).click();
  await b.waitUntil(async () => /^Tried again at .+: still locked, for the reason above\.$/.test(await (await b.$('[data-testid="key-problem"]')).getText()), { timeout: 10000, timeoutMsg: "Retry did not say it tried again" });
  const banner = await (await b.$('[data-testid="key-banner"]')).getText();
  // The cause is said once in the banner, not once more under its buttons.
  assert.equal(banner.split("could not read the master key").length - 1, 1, banner);
  assert.equal(banner.split("No D-Bus session is reachable, so the keychain cannot be used").length - 1, 1, banner);
  // And once in the whole window: no notice, status or row repeats it.
  const page = await b.execute(() => document.body.innerText);
  assert.equal(page.split("No D-Bus session is reachable").length - 1, 1, "the banner's cause, once:\n" + page);
});
