// End-to-end: what the REAL app keeps to itself. Started with the master key in
// PATCHBAY_MASTER_KEY (the explicit fallback for machines without a keychain), the app reads it
// once and removes it from its environment before any thread starts, so the web view's
// processes (WebKitWebProcess, WebKitNetworkProcess), which a compromised page would run in,
// never hold the key to every secret. A copy that contains a secret is marked for clipboard
// managers and cleared after PATCHBAY_CLIPBOARD_SECONDS (read back from the real X clipboard
// with xclip); a revealed secret hides again on blur, on tab switch and after 20 s, and a
// production connection's secret is revealed only after a native confirmation (a GTK dialog
// that Rust shows and the page cannot answer; the test answers it through X with xdotool).
// tests/run sets PATCHBAY_APP, TAURI_DRIVER and PATCHBAY_CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close, rowAction, invoke } from "./launch.mjs";

let app;
let dir;
let key;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-security-"));
  key = execFileSync(process.env.PATCHBAY_CLI, ["key", "generate"], { encoding: "utf8" }).trim();
  const env = { ...process.env, PATCHBAY_DATA_DIR: path.join(dir, "data"), PATCHBAY_MASTER_KEY: key, PATCHBAY_CLIPBOARD_SECONDS: "3" };
  delete env.PATCHBAY_KEY_FILE;
  execFileSync(process.env.PATCHBAY_CLI, ["add", "postgres", "orders", "--host", "127.0.0.1", "--user", "app", "--env", "prod", "--password-stdin"], {
    input: "E2E-security-pw",
    env,
  });
  execFileSync(process.env.PATCHBAY_CLI, ["secret", "set", "team-token", "--value-stdin"], { input: "E2E-named-secret-5c1d", env });
  app = await launch({ port: 4452, env });
});

after(async () => {
  try { await close(app); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

/** Every process whose environment names this test's store, with its command name and environment. */
function processesOfThisStore() {
  const out = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    let environ;
    let comm;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0");
      comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    } catch {
      continue; // gone, or not ours to read
    }
    if (environ.includes(`PATCHBAY_DATA_DIR=${path.join(dir, "data")}`)) out.push({ pid, comm, environ });
  }
  return out;
}

test("the web view's processes never inherit the master key", async () => {
  // The window is up and has read the store (which needs the key to open nothing, but lists).
  const rows = await app.browser.execute(() => [...document.querySelectorAll("tr[data-name]")].map((r) => r.getAttribute("data-name")));
  assert.deepEqual(rows, ["orders"]);
  // The app's own web view processes (not the WebKitWebDriver the test harness runs).
  const webkit = processesOfThisStore().filter((p) => /^WebKit(WebProc|NetworkPr)/.test(p.comm));
  assert.ok(webkit.length >= 1, "the web view's processes were found (they carry the store's PATCHBAY_DATA_DIR)");
  for (const p of webkit) {
    const joined = p.environ.join("\n");
    assert.ok(!joined.includes("PATCHBAY_MASTER_KEY="), `${p.comm} (${p.pid}) was handed PATCHBAY_MASTER_KEY`);
    assert.ok(!joined.includes(key), `${p.comm} (${p.pid}) holds the master key`);
  }
});

/** The X clipboard as another program sees it: its text, and the formats it is offered in. An
 * empty clipboard reads as "" only when xclip says so; any other failure of xclip fails the test
 * (it must not pass as "cleared"). */
function clipboard() {
  const read = (...target) => {
    const r = spawnSync("xclip", ["-o", "-selection", "clipboard", ...target], { encoding: "utf8", timeout: 5000 });
    if (r.error) throw new Error(`xclip could not run: ${r.error.message}`);
    if (r.status === 0) return r.stdout;
    assert.match(r.stderr, /^Error: target \S+ not available/, `xclip failed (status ${r.status})`);
    return "";
  };
  return { text: read(), targets: read("-t", "TARGETS") };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("a copied password is marked for clipboard managers and cleared after its time; a plain copy stays", async () => {
  const b = app.browser;
  const copy = async (what) => {
    await rowAction(b, "orders", `copy-${what.replace(/_/g, "-")}`);
    const n = await b.$('[data-testid="notice"]');
    await n.waitForExist({ timeout: 5000 });
    return n;
  };
  const notice = await copy("url_with_password");
  assert.match(await notice.getText(), /contains a secret/);
  assert.match(await notice.getText(), /clipboard clears in [1-3] s/);
  let board = clipboard();
  assert.match(board.text, /E2E-security-pw/, "the URL with its password is on the clipboard");
  assert.match(board.targets, /x-kde-passwordManagerHint/, "marked so clipboard histories skip it");
  await sleep(4000);
  board = clipboard();
  assert.doesNotMatch(board.text, /E2E-security-pw/, "cleared after its time");
  assert.match(await (await b.$('[data-testid="clipboard-countdown"]')).getText(), /was cleared/);

  await copy("url");
  board = clipboard();
  assert.match(board.text, /^postgresql:\/\/app@127\.0\.0\.1/);
  assert.doesNotMatch(board.targets, /x-kde-passwordManagerHint/, "a copy without secrets is not marked");
  await sleep(4000);
  assert.match(clipboard().text, /^postgresql:\/\/app@/, "and it stays");
});

test("a named secret's Copy puts its value on the clipboard from Rust, marked, and clears it after its time", async () => {
  const b = app.browser;
  await (await b.$('[data-tab="secrets"]')).click();
  const copy = await b.$('tr[data-name="team-token"] [data-testid="copy-secret"]');
  await copy.waitForExist({ timeout: 5000 });
  assert.equal(await copy.getAttribute("aria-label"), "Copy the value of team-token");
  await copy.click();
  const notice = await b.$('[data-testid="notice"]');
  await notice.waitForExist({ timeout: 5000 });
  assert.match(await notice.getText(), /^Copied the secret team-token — it contains a secret; the clipboard clears in [1-3] s/);
  let board = clipboard();
  assert.equal(board.text, "E2E-named-secret-5c1d");
  assert.match(board.targets, /x-kde-passwordManagerHint/);
  await sleep(4000);
  assert.notEqual(clipboard().text, "E2E-named-secret-5c1d", "cleared after its time");
  await (await b.$('[data-tab="database"]')).click();
});

/** The native confirmation over the window (found by its title through X, as a person sees it),
 * waited for at most 10 s; its X window id. */
async function nativeDialog() {
  const title = "^Reveal a production secret";
  for (let i = 0; i < 100; i++) {
    const id = spawnSync("xdotool", ["search", "--onlyvisible", "--name", title], { encoding: "utf8" }).stdout.trim().split("\n")[0];
    if (id) return id;
    await sleep(100);
  }
  throw new Error("waited 10 s for the native dialog titled \"Reveal a production secret?\" to show");
}

/** Presses `keys` in the dialog as a person would: focus it, then the real keyboard (XTEST). */
async function answer(id, keys) {
  spawnSync("xdotool", ["windowfocus", id]);
  await sleep(200);
  assert.equal(spawnSync("xdotool", ["key", "--clearmodifiers", keys]).status, 0);
}

test("a production secret is revealed only after a native confirmation the web view cannot give, and hides on blur and on tab switch", async () => {
  const b = app.browser;
  // A page that asks by itself, as a compromised one would: Rust puts the question to the
  // person; declined, the page gets nothing.
  const asked = invoke(b, "reveal_field", { kind: "database", name: "orders", field: "password" });
  await answer(await nativeDialog(), "Escape");
  const r = await asked;
  assert.equal(r.ok, false);
  assert.equal(r.error.code, "cancelled");
  assert.doesNotMatch(JSON.stringify(r), /E2E-security-pw/);
  // The form's Reveal: the same question; Reveal (Alt+R) shows the value.
  await (await b.$('tr[data-name="orders"] button.link')).click();
  await b.$('[data-testid="connection-form"]').waitForExist({ timeout: 5000 });
  await (await b.$('[data-testid="reveal-password"]')).click();
  const dialog = await nativeDialog();
  assert.equal(await b.$('[data-testid="revealed-password"]').isExisting(), false, "nothing shown before the answer");
  await answer(dialog, "alt+r");
  const shown = await b.$('[data-testid="revealed-password"]');
  await shown.waitForExist({ timeout: 5000 });
  assert.equal(await shown.getText(), "E2E-security-pw");
  // The window loses focus: hidden.
  await b.execute(() => window.dispatchEvent(new Event("blur")));
  await shown.waitForExist({ reverse: true, timeout: 2000 });
  // Shown again, then a tab switch hides it.
  await (await b.$('[data-testid="reveal-password"]')).click();
  await answer(await nativeDialog(), "alt+r");
  await b.$('[data-testid="revealed-password"]').waitForExist({ timeout: 5000 });
  await (await b.$('[data-tab="kafka"]')).click();
  await (await b.$('[data-tab="database"]')).click();
  assert.equal(await b.$('[data-testid="revealed-password"]').isExisting(), false, "hidden by the tab switch");
});
