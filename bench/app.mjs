// Desktop app figures (printed, never asserted): time from launch until the window shows the
// list of N saved connections, and the memory (PSS) of the whole process tree with the window
// open and in tray-only mode. Run by bench/app.
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
      if (m) { kb += Number(m[1]); seen.push(cmd.split("\0")[0].split("/").pop()); }
    } catch { /* gone */ }
  }
  return { mib: kb / 1024, procs: seen };
}

const driver = spawn(driverBin, ["--native-driver", "/usr/bin/WebKitWebDriver"], { stdio: "ignore" });
await waitPort(4444); await waitPort(4445);
const runs = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const b = await remote({ hostname: "127.0.0.1", port: 4444, logLevel: "error", capabilities: { "wdio:enforceWebDriverClassic": true, "tauri:options": { application: app } } });
  // Rendered: the tab counts every connection and the list shows its first rows.
  await b.waitUntil(async () => await b.execute((n) => document.querySelector('[data-tab="database"] .count')?.textContent === String(n) && document.querySelectorAll("tr[data-name]").length > 0, count), { timeout: 30000, interval: 10 });
  runs.push(performance.now() - t0);
  await b.deleteSession().catch(() => {});
  try { execFileSync("pkill", ["-f", "patchbay-desktop"]); } catch { /* already gone */ }
  await new Promise((r) => setTimeout(r, 500));
}
driver.kill();

// Memory of the app launched as a user would (no WebDriver): with its window, then tray-only.
for (const [label, args] of [["with the window open", []], ["in tray-only mode (--tray: no web view)", ["--tray"]]]) {
  const p = spawn(app, args, { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 8000));
  const m = pss();
  console.log(`memory ${label}: PSS ${m.mib.toFixed(0)} MiB (${m.procs.join(", ")})`);
  p.kill();
  await new Promise((r) => setTimeout(r, 1000));
  try { execFileSync("pkill", ["-f", "patchbay-desktop"]); } catch { /* gone */ }
}
runs.sort((a, b) => a - b);
console.log(`window shown with ${count} connections listed, from launch through tauri-driver (includes starting the WebDriver session): median ${runs[1].toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(", ")} ms)`);
