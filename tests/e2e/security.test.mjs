// End-to-end: what the REAL app keeps to itself. Started with the master key in
// PATCHBAY_MASTER_KEY (the explicit fallback for machines without a keychain), the app reads it
// once and removes it from its environment before any thread starts, so the web view's
// processes (WebKitWebProcess, WebKitNetworkProcess), which a compromised page would run in,
// never hold the key to every secret. tests/run sets PATCHBAY_APP, TAURI_DRIVER and PATCHBAY_CLI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close } from "./launch.mjs";

let app;
let dir;
let key;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-security-"));
  key = execFileSync(process.env.PATCHBAY_CLI, ["key", "generate"], { encoding: "utf8" }).trim();
  const env = { ...process.env, PATCHBAY_DATA_DIR: path.join(dir, "data"), PATCHBAY_MASTER_KEY: key };
  delete env.PATCHBAY_KEY_FILE;
  execFileSync(process.env.PATCHBAY_CLI, ["add", "postgres", "orders", "--host", "127.0.0.1", "--user", "app", "--password-stdin"], {
    input: "E2E-security-pw",
    env,
  });
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
  const webkit = processesOfThisStore().filter((p) => p.comm.startsWith("WebKit"));
  assert.ok(webkit.length >= 1, "the web view's processes were found (they carry the store's PATCHBAY_DATA_DIR)");
  for (const p of webkit) {
    const joined = p.environ.join("\n");
    assert.ok(!joined.includes("PATCHBAY_MASTER_KEY="), `${p.comm} (${p.pid}) was handed PATCHBAY_MASTER_KEY`);
    assert.ok(!joined.includes(key), `${p.comm} (${p.pid}) holds the master key`);
  }
});
