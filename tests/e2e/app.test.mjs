// End-to-end tests of the REAL Patchbay window's behaviour across kinds (dialogs, paste, the
// keyboard, checks under rows, notices, one instance, closing the window; each kind's own
// round trip is kinds.test.mjs): the release of the desktop app driven through
// tauri-driver + WebKitWebDriver under Xvfb, inside dbus-run-session with a real gnome-keyring,
// against the real servers of tests/servers/start. tests/run sets the environment:
//   PATCHBAY_APP (the binary), TAURI_DRIVER, PATCHBAY_TEST_SERVERS, PATCHBAY_DATA_DIR.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { launch, close, rowAction, servers } from "./launch.mjs";
import { $, choose, click, closedPort, deleteRow, emptyStore, fill, ipc, openRow, pasteInto, rowCells, rowNames, save, seedDatabaseRows, tab, use, verdict, oneWindow } from "./page.mjs";

const env = servers();
let app;
let b;
oneWindow((a) => {
  app = a;
  b = a.browser;
});

test("deleting asks in a dialog that keeps focus, cancels on Esc, and wants a production connection's name typed", async () => {
  await seedDatabaseRows([["billing-prod", "prod"], ["orders-dev", "dev"]]);
  await tab("database");
  const inModal = () => b.execute(() => !!document.activeElement?.closest(".modal"));
  // Esc cancels; focus never leaves the dialog while it is open.
  await rowAction(b, "orders-dev", "delete");
  await $(".modal").waitForExist({ timeout: 5000 });
  assert.equal(await b.execute(() => document.activeElement?.getAttribute("data-testid")), "confirm-cancel", "a dangerous dialog starts on Cancel");
  for (let i = 0; i < 5; i++) {
    await b.keys("Tab");
    assert.equal(await inModal(), true, `focus left the dialog after ${i + 1} Tab(s)`);
  }
  await b.keys("Escape");
  await $(".modal").waitForExist({ reverse: true, timeout: 5000 });
  assert.deepEqual(await rowNames(), ["billing-prod", "orders-dev"]);

  // Production: Delete stays off until the name is typed exactly.
  await rowAction(b, "billing-prod", "delete");
  const confirm = await $('[data-testid="confirm"]');
  await confirm.waitForExist({ timeout: 5000 });
  assert.equal(await confirm.isEnabled(), false);
  await fill("confirm-text", "billing");
  assert.equal(await confirm.isEnabled(), false, "a partial name does not arm it");
  await fill("confirm-text", "billing-prod");
  assert.equal(await confirm.isEnabled(), true);
  await confirm.click();
  await $('tr[data-name="billing-prod"]').waitForExist({ reverse: true, timeout: 5000 });
  assert.deepEqual(await rowNames(), ["orders-dev"]);

  // Every control of a row says which connection it acts on.
  const unnamed = await b.execute(() => [...document.querySelectorAll('tr[data-name="orders-dev"] button, tr[data-name="orders-dev"] select')]
    .map((el) => el.getAttribute("aria-label") || "").filter((l) => !l.includes("orders-dev")));
  assert.deepEqual(unnamed, [], "controls without the connection's name in their accessible name");
});

test("leaving a typed form for another tab or with Esc asks first, and a clean form just closes", async () => {
  await tab("database");
  await (await $('[data-testid="new"]')).click();
  await fill("name", "half-typed");
  // Esc in a typed form asks as leaving does; Cancel keeps the form and what was typed.
  await b.keys("Escape");
  await $('[data-testid="discard-form"]').waitForExist({ timeout: 5000 });
  assert.equal(await (await $('[data-testid="discard-form"]')).getText(), "The new connection is not saved. Closing the form discards them.");
  await click('[data-testid="confirm-cancel"]');
  await $('[data-testid="discard-form"]').waitForExist({ reverse: true, timeout: 5000 });
  assert.equal(await (await $('input[name="name"]')).getValue(), "half-typed");
  // Alt+3 (Kafka) with typed work: asked; Esc keeps the form and what was typed.
  await b.keys(["Alt", "3"]);
  await $('[data-testid="discard-form"]').waitForExist({ timeout: 5000 });
  assert.match(await (await $('[data-testid="discard-form"]')).getText(), /not saved\. Going to Kafka discards them/);
  await b.keys("Escape");
  await $('[data-testid="discard-form"]').waitForExist({ reverse: true, timeout: 5000 });
  assert.equal(await (await $('input[name="name"]')).getValue(), "half-typed");
  assert.equal(await (await $('[data-tab="database"]')).getAttribute("aria-selected"), "true");
  // A click on the tab asks too; Discard goes there and closes the form.
  await click('[data-tab="kafka"]');
  await click('[data-testid="confirm"]');
  assert.equal(await (await $('[data-tab="kafka"]')).getAttribute("aria-selected"), "true");
  assert.equal(await $('[data-testid="connection-form"]').isExisting(), false, "no form of another kind left open");
  // Esc, then Discard, closes a typed form.
  await (await $('[data-testid="new"]')).click();
  await fill("name", "typed-again");
  await b.keys("Escape");
  await click('[data-testid="confirm"]');
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 5000 });
  // An untouched form closes without a question (Esc too).
  await (await $('[data-testid="new"]')).click();
  await $('[data-testid="connection-form"]').waitForExist({ timeout: 5000 });
  await (await $('input[name="name"]')).click();
  await b.keys("Escape");
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 5000 });
  assert.equal(await $('[data-testid="discard-form"]').isExisting(), false);
  await (await $('[data-testid="new"]')).click();
  await $('[data-testid="connection-form"]').waitForExist({ timeout: 5000 });
  await b.keys(["Alt", "1"]);
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 5000 });
  assert.equal(await $('[data-testid="discard-form"]').isExisting(), false);
  assert.equal(await (await $('[data-tab="database"]')).getAttribute("aria-selected"), "true");
});

test("a paste says what it was read as and the tab follows; Ctrl+V fills an empty form; a typed secret can be shown", async () => {
  await tab("database");
  await (await $('[data-testid="new"]')).click();
  await fill("url", `127.0.0.1:${env.PB_KAFKA_PLAIN_PORT}`);
  await click("button=Fill");
  const detected = await $('[data-testid="paste-detected"]');
  await detected.waitForExist({ timeout: 5000 });
  assert.equal(await detected.getText(), "Detected: Kafka, named “127-0-0-1”. Check the fields, then save.");
  assert.equal(await (await $('[data-tab="kafka"]')).getAttribute("aria-selected"), "true", "the tab follows the kind");
  assert.equal(await (await $('input[name="name"]')).getValue(), "127-0-0-1");
  await click("button=Cancel");

  // Ctrl+V of a URL into an untouched form (focus in Name) fills it.
  await (await $('[data-testid="new"]')).click();
  const xclip = spawn("xclip", ["-selection", "clipboard"], { stdio: ["pipe", "ignore", "ignore"] });
  xclip.stdin.end(`postgres://app@127.0.0.1:${env.PB_PG_PORT}/app`);
  try {
    await new Promise((r) => setTimeout(r, 300));
    await (await $('input[name="name"]')).click();
    await b.keys(["Control", "v"]);
    await b.waitUntil(async () => (await $('[data-testid="paste-detected"]').isExisting()), { timeout: 5000, timeoutMsg: "Ctrl+V did not fill the form" });
    assert.match(await (await $('[data-testid="paste-detected"]')).getText(), /^Detected: PostgreSQL, named “app”\. Check the fields, then save\.$/);
    assert.equal(await (await $('[data-tab="database"]')).getAttribute("aria-selected"), "true");
    assert.equal(await (await $('input[name="host"]')).getValue(), "127.0.0.1");
  } finally {
    xclip.kill();
  }

  // A typed password can be shown, and hidden again.
  await fill("password", "typed-secret-3b9c");
  const input = await $('input[name="password"]');
  assert.equal(await input.getAttribute("type"), "password");
  await click('[data-testid="show-password"]');
  assert.equal(await input.getAttribute("type"), "text");
  assert.equal(await (await $('[data-testid="show-password"]')).getAttribute("aria-label"), "Hide the typed password");
  await click('[data-testid="show-password"]');
  assert.equal(await input.getAttribute("type"), "password");
  await click("button=Cancel");
});

test("a row's check shows under that row, only on its tab, and goes once the connection changes", async () => {
  await seedDatabaseRows([["alpha", "dev"], ["beta", "dev"]]);
  await click('tr[data-name="beta"] [data-testid="row-test"]');
  const row = await $('tr[data-verdict-for="beta"]');
  await row.waitForExist({ timeout: 20000 });
  assert.equal(await b.execute(() => document.querySelector('tr[data-name="beta"]').nextElementSibling?.getAttribute("data-verdict-for")), "beta", "right under its row");
  assert.match(await row.getText(), /Failed at tcp/);
  assert.equal(await $('tr[data-verdict-for="alpha"]').isExisting(), false);
  await tab("kafka");
  assert.equal(await $('[data-testid="verdict"]').isExisting(), false, "not on another tab");
  await tab("database");
  await row.waitForExist({ timeout: 5000 });
  // Edited (here only its environment tag): the old result is not shown as current.
  await openRow("beta");
  await fill("env_tag", "staging");
  await save();
  await $('tr[data-verdict-for="beta"]').waitForExist({ reverse: true, timeout: 5000 });
  // Tested from its form, unchanged: that is alpha's last check too.
  assert.equal((await rowCells("alpha")).last, "never");
  await openRow("alpha");
  await click('[data-testid="form-test"]');
  assert.equal((await verdict()).step, "tcp");
  await click("button=Cancel");
  await b.waitUntil(async () => /^failed at tcp · /.test((await rowCells("alpha")).last), { timeout: 5000, timeoutMsg: "the form's test was not recorded" });
});

test("a running test counts its seconds and never blocks Save", async () => {
  // A listener that accepts and never answers: the form's test waits for its timeout.
  const silent = net.createServer(() => {}).listen(0, "127.0.0.1");
  await new Promise((r) => silent.once("listening", r));
  try {
    await tab("database");
    await (await $('[data-testid="new"]')).click();
    await fill("name", "slow");
    await fill("host", "127.0.0.1");
    await fill("port", String(silent.address().port));
    await fill("username", "app");
    await choose("ssl_mode", "disable");
    await click('[data-testid="form-test"]');
    const testButton = await $('[data-testid="form-test"]');
    await b.waitUntil(async () => /^Testing… [1-9]\d* s$/.test(await testButton.getText()), { timeout: 5000, timeoutMsg: "the test's seconds do not count" });
    assert.equal(await (await $('[data-testid="form-save"]')).isEnabled(), true, "Save is blocked by the running test");
    await save();
    assert.deepEqual(await rowNames(), ["slow"]);
  } finally {
    silent.close();
  }
});

test("the list works from the keyboard: arrows move between rows, Enter opens one, Delete asks", async () => {
  await seedDatabaseRows([["alpha", "dev"], ["beta", "dev"], ["gamma", "dev"]]);
  const focused = () => b.execute(() => document.activeElement?.getAttribute("data-name"));
  await b.execute(() => document.querySelector('tr[data-name="alpha"]').focus());
  await b.keys("ArrowDown");
  assert.equal(await focused(), "beta");
  await b.keys("ArrowDown");
  assert.equal(await focused(), "gamma");
  await b.keys("ArrowDown");
  assert.equal(await focused(), "gamma", "the last row stays");
  await b.keys("ArrowUp");
  assert.equal(await focused(), "beta");
  await b.keys("Enter");
  await $('[data-testid="connection-form"]').waitForExist({ timeout: 5000 });
  assert.equal(await (await $('[data-testid="connection-form"] h2')).getText(), "Edit beta");
  assert.equal(await b.execute(() => document.activeElement?.getAttribute("name")), "name", "focus goes to Name");
  await b.keys("Escape");
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 5000 });
  await b.execute(() => document.querySelector('tr[data-name="beta"]').focus());
  await b.keys("Delete");
  await $(".modal").waitForExist({ timeout: 5000 });
  assert.equal(await (await $(".modal h2")).getText(), "Delete beta?");
  await b.keys("Escape");
  await $(".modal").waitForExist({ reverse: true, timeout: 5000 });
  assert.deepEqual(await rowNames(), ["alpha", "beta", "gamma"]);
});

test("with a search filter, Test all checks only the rows shown and says how many it left out", async () => {
  await seedDatabaseRows([["orders-dev", "dev"], ["orders-staging", "staging"], ["billing-prod", "prod"]]);
  await fill("search", "orders");
  await b.waitUntil(async () => (await rowNames()).length === 2, { timeout: 5000, timeoutMsg: "the filter did not narrow the list" });
  const button = await $('[data-testid="test-all"]');
  assert.equal(await button.getText(), "Test 2 shown", "the button says what it will test");
  await button.click();
  const notice = await $('[data-testid="notice"]');
  await b.waitUntil(async () => /checked/.test(await notice.getText().catch(() => "")), { timeout: 20000, timeoutMsg: "no summary after Test all" });
  assert.match(await notice.getText(), /^2 checked: 0 ok, 2 failed \(1 hidden by the filter not tested\)/);
  for (const name of ["orders-dev", "orders-staging"]) assert.match((await rowCells(name)).last, /failed at tcp/, name);
  // The production connection the user could not see was never contacted.
  await fill("search", "");
  await b.waitUntil(async () => (await rowNames()).length === 3, { timeout: 5000 });
  assert.equal((await rowCells("billing-prod")).last, "never");
  assert.equal(await (await $('[data-testid="test-all"]')).getText(), "Test all");
});

test("a notice appears over the window without moving or covering the rows under the pointer", async () => {
  await seedDatabaseRows([["orders-dev", "dev"], ["billing-prod", "prod"]]);
  // Where a person's pointer is: the production row's actions button.
  const place = () => b.execute(() => {
    const r = document.querySelector('tr[data-name="billing-prod"] [data-testid="row-menu"]').getBoundingClientRect();
    return { top: Math.round(r.top), left: Math.round(r.left), bottom: Math.round(r.bottom), right: Math.round(r.right) };
  });
  const before = await place();
  await (await $('[data-testid="test-all"]')).click();
  const notice = await $('[data-testid="notice"]');
  await notice.waitForExist({ timeout: 20000 });
  assert.deepEqual(await place(), before, "the row moved when the notice appeared");
  const covered = await b.execute(() => {
    const n = document.querySelector('[data-testid="notice"]').getBoundingClientRect();
    return [...document.querySelectorAll("tr[data-name] button")].some((e) => {
      const r = e.getBoundingClientRect();
      return r.left < n.right && n.left < r.right && r.top < n.bottom && n.top < r.bottom;
    });
  });
  assert.equal(covered, false, "the notice covers a row's buttons");
  // Dismissing it moves nothing either.
  await (await $('[data-testid="notice"] button[aria-label="Dismiss"]')).click();
  await notice.waitForExist({ reverse: true, timeout: 5000 });
  assert.deepEqual(await place(), before);
});

test("a plain notice fades by itself after a few seconds", async () => {
  await seedDatabaseRows([["fading", "dev"]]);
  await rowAction(b, "fading", "copy-url");
  const notice = await $('[data-testid="notice"]');
  await notice.waitForExist({ timeout: 5000 });
  assert.equal(await notice.getAttribute("class"), "banner toast info");
  await b.pause(2000);
  assert.equal(await notice.isExisting(), true, "still shown after 2 s");
  await notice.waitForExist({ reverse: true, timeout: 10000, timeoutMsg: "the notice was still shown 12 s after it appeared" });
});

test("starting the app again hands over to the running one and exits", async () => {
  const t = Date.now();
  const second = spawnSync(process.env.PATCHBAY_APP, [], { timeout: 20000, encoding: "utf8" });
  assert.equal(second.signal, null, `the second start did not exit by itself (${second.stderr})`);
  assert.equal(second.status, 0, second.stderr);
  assert.ok(Date.now() - t < 20000);
  // The first one still serves its window.
  assert.equal((await ipc("key_status")).ok, true);
  assert.ok(await (await $('[data-tab="database"]')).isDisplayed());
});

test("closing the window ends its process, web view and all, and starting it again shows a new window", async () => {
  const shown = () => spawnSync("xdotool", ["search", "--onlyvisible", "--name", "Patchbay"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
  const running = () => spawnSync("pgrep", ["-f", process.env.PATCHBAY_APP], { encoding: "utf8" }).stdout.trim() !== "";
  const until = async (what, ok) => {
    for (let i = 0; i < 100; i++) { if (ok()) return; await new Promise((r) => setTimeout(r, 100)); }
    assert.fail(what);
  };
  try {
    assert.ok(shown().length >= 1, "the window is on screen");
    // The window's close button (Xvfb has no window manager: the same request, sent directly).
    const closed = spawnSync(new URL("./close-window", import.meta.url).pathname, shown(), { encoding: "utf8" });
    assert.equal(closed.status, 0, closed.stderr);
    await until("the window closes", () => shown().length === 0);
    // What stays all day is the tray, a program of its own: the window's process is gone.
    await until("the window's process ends with its window", () => !running());
    spawn(process.env.PATCHBAY_APP, [], { stdio: "ignore" });
    await until("a new start shows the window again", () => shown().length >= 1);
  } finally {
    // That window is no WebDriver session's: end it here, so that no later start hands over to it.
    spawnSync("pkill", ["-f", process.env.PATCHBAY_APP]);
    await until("the app to end", () => !running());
  }
});
