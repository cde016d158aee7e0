// Desktop app figures (printed, never asserted): time from launch until the window shows the
// list of N saved connections (beside the same launch with none), a keystroke in the search and a
// sort until the next frame, and the memory (PSS) of the window's process tree. Run by bench/app.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import { remote } from "../tests/e2e/node_modules/webdriverio/build/node.js";

const [app, driverBin, count] = [process.env.PATCHBAY_APP, process.env.TAURI_DRIVER, Number(process.env.COUNT)];

const waitPort = async (port) => {
  for (let i = 0; i < 200; i++) {
    if (await new Promise((res) => { const s = net.connect(port, "127.0.0.1", () => { s.destroy(); res(true); }); s.on("error", () => res(false)); })) return;
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** PSS in MiB of every process whose command line names the app or a WebKit helper. */
function pss() {
  let kb = 0;
  const seen = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!/patchbay-desktop|WebKitWebProcess|WebKitNetworkProcess/.test(cmd) || /WebKitWebDriver/.test(cmd)) continue;
      const m = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+)/m);
      if (m) { kb += Number(m[1]); seen.push([cmd.split("\0")[0].split("/").pop(), Number(m[1]) / 1024]); }
    } catch { /* gone */ }
  }
  return { mib: kb / 1024, each: seen };
}

/** When the newest app process started, in ms since the epoch (from /proc: 10 ms steps). */
function appStartedAt() {
  const pid = execFileSync("pgrep", ["-n", "-f", "patchbay-desktop"]).toString().trim();
  const startTicks = Number(fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[19]);
  const uptimeMs = Number(fs.readFileSync("/proc/uptime", "utf8").split(" ")[0]) * 1000;
  return Date.now() - (uptimeMs - startTicks * 10);
}

/** Launches the app through tauri-driver `runs` times on the store in `dataDir`, each until the
 * list shows its first rows and the tab counts `n`; the times, and the figures `during` took from
 * the last session. */
async function launches(dataDir, n, runs, during) {
  const driver = spawn(driverBin, ["--native-driver", "/usr/bin/WebKitWebDriver"], { stdio: "ignore", env: { ...process.env, PATCHBAY_DATA_DIR: dataDir } });
  await waitPort(4444); await waitPort(4445);
  const times = [];
  const inApp = [];
  let figures = null;
  // The driver goes with this function, whatever happens: one left running would answer the
  // next run's (or the tests') sessions with this store behind it.
  try {
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const b = await remote({ hostname: "127.0.0.1", port: 4444, logLevel: "error", capabilities: { "wdio:enforceWebDriverClassic": true, "tauri:options": { application: app } } });
    // Rendered: the tab counts every connection and the list shows its first rows (or says it has none).
    await b.waitUntil(async () => await b.execute((n) => (document.querySelector('[data-tab="database"] .count')?.textContent ?? "0") === String(n) && (n === 0 || document.querySelectorAll("tr[data-name]").length > 0), n), { timeout: 30000, interval: 10 });
    times.push(performance.now() - t0);
    // The app's own view: its process start, the page's start, and the frame the first list is
    // drawn in (the page's "patchbay:list-shown" mark), without WebDriver's session set-up.
    const started = appStartedAt();
    const page = await b.waitUntil(async () => await b.execute(() => {
      const m = performance.getEntriesByName("patchbay:list-shown")[0];
      return m && { origin: performance.timeOrigin, shown: m.startTime };
    }), { timeout: 10000, interval: 10 });
    inApp.push({ page: page.origin - started, shown: page.origin + page.shown - started });
    if (i === runs - 1 && during) figures = await during(b);
    await b.deleteSession().catch(() => {});
    try { execFileSync("pkill", ["-f", "patchbay-desktop"]); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  } finally {
    driver.kill();
    try { execFileSync("pkill", ["-f", "WebKitWebDriver --port=4445"]); } catch { /* gone with it */ }
  }
  await new Promise((r) => setTimeout(r, 500));
  return { times: times.sort((a, b) => a - b), inApp: inApp.sort((a, b) => a.shown - b.shown), figures };
}

/** In the page: the time from a change (a search typed, or a click on the name column) until the
 * frame after it, its render painted. (The window's CSP allows no eval: the change is named.) */
const untilFrame = (b, what, value) => b.executeAsync((what, value, done) => {
  const t = performance.now();
  if (what === "search") {
    const s = document.querySelector("#search");
    s.value = value;
    s.dispatchEvent(new Event("input", { bubbles: true }));
  } else {
    document.querySelector('button.sort[data-sort="name"]')?.click();
  }
  requestAnimationFrame(() => setTimeout(() => done(performance.now() - t), 0));
}, what, value);

/** Each keystroke of a search typed letter by letter, then sorting by name (both ways). */
async function typingAndSorting(b) {
  const keys = [];
  for (const q of ["d", "db", "db0", "db04", "db042", "db0424"]) keys.push(await untilFrame(b, "search", q));
  await untilFrame(b, "search", "");
  const sorts = [];
  for (let i = 0; i < 2; i++) sorts.push(await untilFrame(b, "sort", null));
  return { keys, sorts };
}

const empty = fs.mkdtempSync("/tmp/pb-bench-empty-");
const full = await launches(process.env.PATCHBAY_DATA_DIR, count, 3, typingAndSorting);
const none = await launches(empty, 0, 3, typingAndSorting);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Memory of the window launched as a user would (no WebDriver), on the store and on an empty one.
async function memoryOf(dataDir) {
  const p = spawn(app, [], { stdio: "ignore", env: { ...process.env, PATCHBAY_DATA_DIR: dataDir } });
  await new Promise((r) => setTimeout(r, 8000));
  const m = pss();
  p.kill();
  await new Promise((r) => setTimeout(r, 1000));
  try { execFileSync("pkill", ["-f", "patchbay-desktop"]); } catch { /* gone */ }
  return m;
}
{
  const m = await memoryOf(process.env.PATCHBAY_DATA_DIR);
  const e = await memoryOf(empty);
  const each = (x) => x.each.map(([n, mib]) => `${n} ${mib.toFixed(0)}`).join(", ");
  console.log(`memory with the window open: PSS ${m.mib.toFixed(0)} MiB (${each(m)}); with none saved: ${e.mib.toFixed(0)} MiB (${each(e)})`);
}
const ms = (xs) => xs.map((r) => r.toFixed(0)).join(", ");
const mid = (xs) => xs[Math.floor(xs.length / 2)];
console.log(`window shown with ${count} connections listed, from the app's process start to the frame the list is drawn in: median ${mid(full.inApp).shown.toFixed(0)} ms (runs: ${ms(full.inApp.map((x) => x.shown))} ms), of which the web view's start until the page begins ${mid(full.inApp).page.toFixed(0)} ms; with none saved: ${mid(none.inApp).shown.toFixed(0)} ms (the page began at ${mid(none.inApp).page.toFixed(0)} ms)`);
console.log(`window shown with ${count} connections listed, from launch through tauri-driver (includes starting the WebDriver session): median ${med(full.times).toFixed(0)} ms (runs: ${ms(full.times)} ms); with none saved, the same way: median ${med(none.times).toFixed(0)} ms (runs: ${ms(none.times)} ms)`);
// The same with none saved: the frame's own wait (no vsync under Xvfb: the next frame comes on a
// timer) and the page's fixed work.
console.log(`search, each keystroke until the next frame, with ${count}: median ${med(full.figures.keys).toFixed(1)} ms, slowest ${Math.max(...full.figures.keys).toFixed(1)} ms (typing d, db, db0 … db0424); with none saved: median ${med(none.figures.keys).toFixed(1)} ms`);
console.log(`sort by name, until the next frame, with ${count}: ${full.figures.sorts.map((x) => x.toFixed(1)).join(" ms and ")} ms (ascending, descending); with none saved: ${none.figures.sorts.map((x) => x.toFixed(1)).join(" ms and ")} ms`);
fs.rmSync(empty, { recursive: true, force: true });
