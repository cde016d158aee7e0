// Starts the real app for an end-to-end test file: tauri-driver (in front of WebKitWebDriver) on
// `port` and `port + 1`, with `env` for the app, and a WebDriver session once the window is up;
// and what the test files share: the test servers' settings and calls over the app's IPC.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { remote } from "webdriverio";

/** Whether something already listens on `port` on 127.0.0.1. */
const listening = (port) => new Promise((res) => {
  const s = net.connect(port, "127.0.0.1", () => { s.destroy(); res(true); });
  s.on("error", () => res(false));
});

async function waitPort(port) {
  for (let i = 0; i < 200; i++) {
    if (await listening(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} never opened`);
}

/** The pids of the app under test still running. */
function appsRunning() {
  try {
    return execFileSync("pgrep", ["-f", "-x", `${process.env.PATCHBAY_APP}( .*)?`]).toString().trim().split("\n");
  } catch {
    return []; // pgrep found none
  }
}

/** Starts the app with `args` and `env`; returns {driver, browser}; stop with `close`. */
export async function launch({ port = 4444, env = process.env, args = [] } = {}) {
  // A driver left over from another run would answer instead of ours, with another app and
  // another environment behind it: every test after would check the wrong window.
  // (The previous file's driver may still be on its way out: a few seconds are allowed.)
  for (const p of [port, port + 1]) {
    for (let i = 0; await listening(p); i++) {
      if (i === 100) throw new Error(`port ${p} is already taken (a tauri-driver or WebKitWebDriver left running?): stop it first`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  // A window of the previous file still on its way out would take this start as a second
  // instance (one window per desktop session): the new process hands over its arguments and ends,
  // and WebDriver waits for a window that never comes. It is given a few seconds to end.
  for (let i = 0; appsRunning().length; i++) {
    if (i === 100) throw new Error(`a patchbay-desktop is still running (pid ${appsRunning().join(", ")}) after its session closed: it did not end with its window`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const driver = spawn(process.env.TAURI_DRIVER, ["--port", String(port), "--native-port", String(port + 1), "--native-driver", "/usr/bin/WebKitWebDriver"], {
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  await waitPort(port);
  await waitPort(port + 1);
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    capabilities: { "wdio:enforceWebDriverClassic": true, "tauri:options": { application: process.env.PATCHBAY_APP, args } },
  });
  await browser.$('[data-tab="database"]').waitForExist({ timeout: 20000 });
  return { driver, browser };
}

export async function close({ driver, browser } = {}) {
  // A session whose window the app closed (close-to-tray tests) cannot be ended cleanly.
  try { await browser?.deleteSession(); } catch { /* already gone */ } finally { driver?.kill(); }
}

/** A store in `dir`/data whose master key is in the test session's real keychain (saved by the
 * CLI with one PostgreSQL connection "orders" holding `password`); returns the environment that
 * opens it through the keychain (no PATCHBAY_MASTER_KEY or key file). */
export function storeKeyedInKeychain(dir, password) {
  const env = { ...process.env, PATCHBAY_DATA_DIR: `${dir}/data` };
  delete env.PATCHBAY_MASTER_KEY;
  delete env.PATCHBAY_KEY_FILE;
  execFileSync(process.env.PATCHBAY_CLI, ["add", "postgres", "orders", "--host", "127.0.0.1", "--user", "app", "--password-stdin"], {
    input: password,
    env,
  });
  return env;
}

/** The settings tests/servers/start wrote (servers.env: NAME=value lines; values may hold '='). */
export function servers() {
  return Object.fromEntries(
    fs.readFileSync(process.env.PATCHBAY_TEST_SERVERS, "utf8").split("\n").filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

/** Calls a command over the app's real IPC from inside the page of `browser`; returns
 * {ok, value} or {ok: false, error}. */
export async function invoke(browser, cmd, args = {}) {
  // W3C WebDriver awaits a promise that the script returns.
  const json = await browser.execute((c, a) => window.__TAURI_INTERNALS__.invoke(c, a).then(
    (value) => JSON.stringify({ ok: true, value }),
    (error) => JSON.stringify({ ok: false, error }),
  ), cmd, args);
  return JSON.parse(json);
}

/**
 * Runs one item of a row's actions menu ("edit", "terminal", "duplicate", "copy-url",
 * "copy-url-with-password", "copy-env", "copy-env-with-secrets", "favourite", "delete") as a person
 * does: opens the row's "⋯" menu, then clicks the item.
 */
export async function rowAction(b, name, action) {
  const button = await b.$(`tr[data-name="${name}"] [data-testid="row-menu"]`);
  await button.waitForExist({ timeout: 5000 });
  await button.scrollIntoView({ block: "center" });
  await button.click();
  const item = await b.$(`[role="menu"] [data-action="${action}"]`);
  await item.waitForDisplayed({ timeout: 5000 });
  await item.click();
}
