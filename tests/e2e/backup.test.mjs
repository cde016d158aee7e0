// "Back up master key…" in the REAL window: while the key lives in the keychain alone and opens
// saved secrets, the header says it is not backed up; the dialog writes the key sealed with a
// passphrase to a new file, and that file alone (PATCHBAY_KEY_FILE, no keychain) opens the store
// for the CLI. Passphrases that differ, or an existing file, write nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, launch } from "./launch.mjs";
import { $, click, fill, ipc, use } from "./page.mjs";

// A store of its own: a backup recorded by an earlier run must not hide the reminder.
const store = fs.mkdtempSync(path.join(os.tmpdir(), "pb-backup-store-"));
let app, b;
before(async () => {
  app = await launch({ env: { ...process.env, PATCHBAY_DATA_DIR: store } });
  b = app.browser;
  use(b);
});
after(async () => {
  await close(app);
  fs.rmSync(store, { recursive: true, force: true });
});

test("the header asks for a backup of the key until one exists, and the backup opens the store alone", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pb-backup-"));
  try {
    const saved = await ipc("save_connection", {
      draft: { name: "orders", env_tag: null, confirm_kept_secrets: false,
        spec: { kind: "database", engine: "postgresql", host: "db.internal", port: 5432, database: "app", username: "app", ssl_mode: "require", ca_cert: null },
        secrets: { password: { mode: "value", value: "backed-up-pw" } } },
      editing: null,
    });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    await b.refresh();
    const button = await $('[data-testid="backup-key"]');
    await button.waitForExist({ timeout: 10000 });
    assert.equal(await button.getText(), "Key not backed up…");
    await button.click();
    const file = path.join(dir, "key.json");
    await fill("backup-path", file);
    await fill("backup-passphrase", "correct horse battery");
    await fill("backup-passphrase-again", "correct horse batterz");
    await click('[data-testid="backup-save"]');
    const error = await $('[data-testid="backup-error"]');
    await error.waitForExist({ timeout: 5000 });
    assert.equal(await error.getText(), "The two passphrases differ.");
    assert.equal(fs.existsSync(file), false);
    await fill("backup-passphrase-again", "correct horse battery");
    await click('[data-testid="backup-save"]');
    await $('[data-testid="backup-dialog"]').waitForExist({ reverse: true, timeout: 20000 });
    const notice = await $('[data-testid="notice"] > span');
    await notice.waitForExist({ timeout: 5000 });
    assert.equal(await notice.getText(), `Master key backed up to ${file}: keep it and its passphrase apart from this computer`);
    await b.waitUntil(async () => (await button.getText()) === "Key in the OS keychain", { timeout: 5000, timeoutMsg: "waited 5 s for the reminder to go" });
    // The file alone opens the store: no keychain (no D-Bus session), no PATCHBAY_MASTER_KEY.
    const env = { ...process.env, PATCHBAY_DATA_DIR: store, DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/bus", PATCHBAY_KEY_FILE: file, PATCHBAY_PASSPHRASE: "correct horse battery" };
    delete env.PATCHBAY_MASTER_KEY;
    const r = spawnSync(process.env.PATCHBAY_CLI, ["reveal", "orders", "password"], { env, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "backed-up-pw\n");
    // A second backup to the same file is refused in the dialog; the file stays as it was.
    const before = fs.readFileSync(file, "utf8");
    await button.click();
    await fill("backup-path", file);
    await fill("backup-passphrase", "another passphrase");
    await fill("backup-passphrase-again", "another passphrase");
    await click('[data-testid="backup-save"]');
    await error.waitForExist({ timeout: 10000 });
    assert.equal(await error.getText(), `file: ${file} exists already: choose a new file (a backup never replaces one)`);
    assert.equal(fs.readFileSync(file, "utf8"), before);
    await b.keys("Escape");
    await $('[data-testid="backup-dialog"]').waitForExist({ reverse: true, timeout: 5000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
