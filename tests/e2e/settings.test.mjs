// Settings in the REAL window: "Start Patchbay in the tray when I log in" writes the XDG autostart
// entry (the one the desktops read at login) that starts the tray program installed beside the app, and unticking it
// removes the entry; it is off until the person turns it on.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, launch } from "./launch.mjs";
import { $, click, use } from "./page.mjs";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-e2e-settings-"));
const entry = path.join(work, "config", "autostart", "patchbay.desktop");
let app, b;
before(async () => {
  app = await launch({ env: { ...process.env, PATCHBAY_DATA_DIR: path.join(work, "data"), XDG_CONFIG_HOME: path.join(work, "config") } });
  b = app.browser;
  use(b);
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

test("starting in the tray at login is off until ticked, writes the autostart entry, and unticking removes it", async () => {
  await click('button[data-testid="settings"]');
  const box = await $('input[name="autostart"]');
  await b.waitUntil(async () => !(await box.getAttribute("disabled")), { timeout: 5000, timeoutMsg: "the setting was not read" });
  assert.equal(await box.isSelected(), false);
  assert.equal(fs.existsSync(entry), false);
  await box.click();
  await b.waitUntil(async () => fs.existsSync(entry), { timeout: 5000, timeoutMsg: "no autostart entry" });
  const lines = fs.readFileSync(entry, "utf8").split("\n");
  assert.ok(lines.includes(`Exec="${path.join(path.dirname(process.env.PATCHBAY_APP), "patchbay-tray")}" --wait-for-host 60`), lines.join("\n"));
  assert.equal(await box.isSelected(), true);
  await box.click();
  await b.waitUntil(async () => !fs.existsSync(entry), { timeout: 5000, timeoutMsg: "the entry stayed" });
  assert.equal(await box.isSelected(), false);
});
