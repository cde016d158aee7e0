// End-to-end: the REAL tray menu on a small screen. A real XEmbed tray host (trayer) on the X
// server, the app with 120 saved connections (three used lately), a click on its icon: the menu
// that opens (a GTK popup of the app's own process, measured from the X server) fits the 800 px screen with room to
// spare — favourites and recent connections first, one submenu per kind — where a list of every
// connection ran off the screen. The click is the real one (xdotool), the menu GTK's own.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const cli = process.env.PATCHBAY_CLI;
let dir;
let env;
const children = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const popups = new URL("./popups", import.meta.url).pathname;
/** The screen's size and the popup windows on it (menus), each with the pid of its process. */
function xWindows() {
  const [first, ...rest] = spawnSync(popups, { encoding: "utf8" }).stdout.trim().split("\n");
  const [width, height] = first.split(" ").map(Number);
  const windows = rest.filter(Boolean).map((l) => { const [x, y, w, h, pid] = l.split(" ").map(Number); return { x, y, width: w, height: h, pid }; });
  return { screen: { width, height }, popups: windows };
}
/** The tray icons process `pid` has docked (XEmbed windows inside the tray's), on the screen. */
function iconsOf(pid) {
  return spawnSync(popups, ["--icon", String(pid)], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean)
    .map((l) => { const [x, y, width, height] = l.split(" ").map(Number); return { x, y, width, height }; });
}
/** Waits up to `ms` for `probe` to return something, failing with what it waited for. */
async function until(what, ms, probe) {
  const end = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found) return found;
    if (Date.now() > end) assert.fail(`waited ${ms / 1000} s for ${what}`);
    await sleep(200);
  }
}
let app;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-tray-"));
  env = { ...process.env, PATCHBAY_DATA_DIR: path.join(dir, "data") };
  delete env.PATCHBAY_KEY_FILE;
  env.PATCHBAY_MASTER_KEY = execFileSync(cli, ["key", "generate"], { env, encoding: "utf8" }).trim();
  for (let i = 0; i < 40; i++) {
    const n = String(i).padStart(2, "0");
    execFileSync(cli, ["add", "postgres", `db-${n}`, "--host", "127.0.0.1", "--user", "app", "--env", i % 7 ? "dev" : "prod"], { env });
    execFileSync(cli, ["add", "kafka", `events-${n}`, "--bootstrap", "127.0.0.1:9092"], { env });
    execFileSync(cli, ["add", "s3", `lake-${n}`, "--access-key-id", "AK", "--region", "eu-west-1", "--secret-key-stdin"], { env, input: "sk" });
  }
  for (const name of ["events-07", "lake-12", "db-33"]) execFileSync(cli, ["url", name], { env });
  const trayer = spawn("trayer", ["--edge", "top", "--align", "right", "--widthtype", "request", "--height", "28", "--SetDockType", "true", "--transparent", "false"], { env, stdio: "ignore" });
  children.push(trayer);
  await sleep(1000);
  app = spawn(process.env.PATCHBAY_APP, [], { env, stdio: "ignore" });
  children.push(app);
});

after(() => {
  for (const c of children.reverse()) c.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("with 120 connections the tray menu opens whole on an 800 px screen, recent ones first", async () => {
  const { height } = xWindows().screen;
  // Patchbay's own icon, docked in trayer (a window of the app's process inside trayer's).
  const icon = await until(`the tray icon of Patchbay (pid ${app.pid}) to dock in trayer`, 20000, () => iconsOf(app.pid)[0]);
  spawnSync("xdotool", ["mousemove", String(icon.x + Math.floor(icon.width / 2)), String(icon.y + Math.floor(icon.height / 2)), "click", "1"]);
  // Patchbay's own menu: a popup window of the app's process, not any popup on the display.
  const menu = await until(`Patchbay's tray menu (a popup window of pid ${app.pid}) after one click on its icon`, 5000,
    () => xWindows().popups.filter((w) => w.pid === app.pid).sort((a, b) => b.height - a.height)[0]);
  if (process.env.PATCHBAY_SCREENSHOTS) {
    fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
    spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "tray-menu-long.png")]);
  }
  assert.ok(menu.y >= 0 && menu.y + menu.height <= height, `the menu runs off the screen: ${JSON.stringify(menu)}`);
  // A menu GTK had to squeeze gets the screen's full height (and scroll arrows): this one has
  // room to spare. 3 recent entries, their heading, 3 kind submenus, 2 footer items, separators.
  assert.ok(menu.height < height / 2, `the menu is ${menu.height} px tall on a ${height} px screen`);
  spawnSync("xdotool", ["key", "Escape"]);
});
