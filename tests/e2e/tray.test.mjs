// End-to-end: the REAL tray. Patchbay's tray is a program of its own (patchbay-tray: a
// StatusNotifierItem, no GTK and no web engine in its process), shown by a real tray host from
// Debian (status-notifier-watcher and gtk-sni-tray-standalone, which draws the item's D-Bus menu
// with GTK as a desktop's panel does). With 120 saved connections (three used lately), a click on
// its icon opens a menu that fits the 800 px screen with room to spare — recent connections first,
// one submenu per kind; "Open Patchbay" starts the window as a process of its own, which ends when
// the window is closed while the tray stays; Quit ends the tray. The clicks are real (xdotool).
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
/** The bus names of the items the tray host's watcher has registered. */
function registered() {
  const o = spawnSync("dbus-send", ["--session", "--print-reply", "--dest=org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher",
    "org.freedesktop.DBus.Properties.Get", "string:org.kde.StatusNotifierWatcher", "string:RegisteredStatusNotifierItems"], { encoding: "utf8" });
  return [...o.stdout.matchAll(/string "([^"]+)"/g)].map((m) => m[1]);
}
/** Whether process `pid` has a library whose path contains `name` mapped. */
const maps = (pid, name) => fs.readFileSync(`/proc/${pid}/maps`, "utf8").includes(name);
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
/** The windows on screen named Patchbay (the Connections window's title). */
const shown = () => spawnSync("xdotool", ["search", "--onlyvisible", "--name", "^Patchbay — Connections$"], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
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
let host, tray;

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
  // The tray host: the watcher items register with, and a panel at the top whose icons sit at
  // its right end.
  children.push(spawn("status-notifier-watcher", [], { env, stdio: "ignore" }));
  await sleep(500);
  host = spawn("gtk-sni-tray-standalone", ["--top", "--end"], { env, stdio: "ignore" });
  children.push(host);
  await sleep(1500);
  tray = spawn(process.env.PATCHBAY_TRAY, [], { env, stdio: ["ignore", "ignore", "inherit"] });
  children.push(tray);
});

after(() => {
  spawnSync("pkill", ["-f", process.env.PATCHBAY_APP]);
  for (const c of children.reverse()) c.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens the tray's menu with a click on its icon; the menu (a popup of the host's process). */
async function openMenu() {
  await until(`patchbay-tray (pid ${tray.pid}) registered with the tray host`, 20000,
    () => registered().some((n) => n.startsWith(`org.kde.StatusNotifierItem-${tray.pid}-`)));
  const { width } = xWindows().screen;
  spawnSync("xdotool", ["mousemove", String(width - 15), "15", "click", "1"]);
  return until(`the tray's menu (a popup of the host, pid ${host.pid}) after one click on its icon`, 5000,
    () => xWindows().popups.filter((w) => w.pid === host.pid && w.height > 20).sort((a, b) => b.height - a.height)[0]);
}

test("with 120 connections the tray menu opens whole on an 800 px screen, recent ones first", async () => {
  const { height } = xWindows().screen;
  const menu = await openMenu();
  if (process.env.PATCHBAY_SCREENSHOTS) {
    fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
    spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "tray-menu-long.png")]);
  }
  assert.ok(menu.y >= 0 && menu.y + menu.height <= height, `the menu runs off the screen: ${JSON.stringify(menu)}`);
  // A menu GTK had to squeeze gets the screen's full height (and scroll arrows): this one has
  // room to spare. 3 recent entries, their heading, 3 kind submenus, 2 footer items, separators.
  assert.ok(menu.height < height / 2, `the menu is ${menu.height} px tall on a ${height} px screen`);
  spawnSync("xdotool", ["key", "Escape"]);
  // What stays running all day loads no web engine and no GTK.
  assert.deepEqual([maps(tray.pid, "libwebkit2gtk"), maps(tray.pid, "libgtk-3")], [false, false]);
});

test("Open Patchbay in the tray starts the window as its own process, which ends when closed while the tray stays", async () => {
  await openMenu();
  // The last two items are Open Patchbay and Quit: Up from the bottom, twice, and Enter.
  spawnSync("xdotool", ["key", "Up", "Up", "Return"]);
  const [win] = await until("the Connections window, started from the tray", 20000, () => shown().length && shown());
  const pid = Number(spawnSync("xdotool", ["getwindowpid", win], { encoding: "utf8" }).stdout.trim());
  assert.ok(pid > 0 && pid !== tray.pid, `the window's process is its own (window ${pid}, tray ${tray.pid})`);
  const closed = spawnSync(new URL("./close-window", import.meta.url).pathname, shown(), { encoding: "utf8" });
  assert.equal(closed.status, 0, closed.stderr);
  await until(`the window's process (pid ${pid}) to end once its window is closed`, 10000, () => !alive(pid));
  assert.ok(alive(tray.pid), "the tray stays");
});

test("Quit in the tray ends the tray and its item leaves the host", async () => {
  await openMenu();
  spawnSync("xdotool", ["key", "Up", "Return"]);
  await until("the tray to end after Quit", 10000, () => tray.exitCode !== null);
  assert.equal(tray.exitCode, 0);
  await until("the host to forget the item", 5000, () => !registered().some((n) => n.startsWith(`org.kde.StatusNotifierItem-${tray.pid}-`)));
});
