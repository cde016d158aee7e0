// End-to-end: the REAL window on a session bus where the Secret Service can be activated but
// never comes up (its D-Bus service file starts a program that never takes the name; the bus
// waits 120 s for it, as one whose keyring daemon hangs). The list of saved connections needs no
// key: it is shown at once while the key status says the keychain is being checked; the
// keychain's answer is bounded, and after it the banner says the keychain did not answer in time.
// tests/run sets PATCHBAY_APP, TAURI_DRIVER and PATCHBAY_CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close, storeKeyedInKeychain } from "./launch.mjs";

let app, b, bus, dir;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-hang-"));
  // Saved with the real keychain: the key goes to the Secret Service of the test session.
  const keychainEnv = storeKeyedInKeychain(dir, "E2E-hang-pw");
  // A session bus of its own whose Secret Service never comes up.
  const services = path.join(dir, "services");
  fs.mkdirSync(services);
  fs.writeFileSync(path.join(services, "org.freedesktop.secrets.service"),
    "[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sleep 600\n");
  const socket = path.join(dir, "bus");
  fs.writeFileSync(path.join(dir, "bus.conf"), `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <servicedir>${services}</servicedir>
  <limit name="service_start_timeout">120000</limit>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`);
  bus = spawn("dbus-daemon", ["--config-file", path.join(dir, "bus.conf"), "--nofork"], { stdio: "ignore" });
  for (let i = 0; i < 100 && !fs.existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.existsSync(socket), "the test's session bus is listening");
  const appEnv = { ...keychainEnv, DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` };
  // Its own ports (theme.test.mjs has 4448 and 4450, security.test.mjs 4452).
  app = await launch({ port: 4456, env: appEnv });
  b = app.browser;
});

after(async () => {
  // The bus first: a keychain call still waiting on it ends, and the app exits with its window.
  bus?.kill();
  try { await close(app); } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the list is shown while the keychain is checked, and a keychain that never answers is named after its bound", async () => {
  const rows = () => b.execute(() => [...document.querySelectorAll("tr[data-name]")].map((r) => r.getAttribute("data-name")));
  const status = await b.$('[data-testid="key-status"]');
  await b.waitUntil(async () => (await rows()).length > 0, { timeout: 20000, timeoutMsg: "waited 20 s for the saved connection to be listed" });
  // Listed before the keychain answered: the status still says it is being checked.
  assert.deepEqual(await rows(), ["orders"]);
  assert.equal(await status.getText(), "Checking the keychain…");
  const banner = await b.$('[data-testid="key-banner"]');
  await banner.waitForExist({ timeout: 30000, timeoutMsg: "waited 30 s for the keychain's bounded answer" });
  const text = await banner.getText();
  assert.match(text, /Saved secrets cannot be opened/);
  assert.match(text, /could not read the master key in the OS keychain: it did not answer within 5 s/);
  assert.equal(await status.getText(), "Key unavailable");
  assert.deepEqual(await rows(), ["orders"]);
});
