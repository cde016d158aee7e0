// Desktop app figures (printed, never asserted): time from launch until the window shows the
// list of N saved connections, and the memory (PSS) of the whole process tree with the window
// open and after it is closed (tray only). Run by bench/app.
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
  await b.waitUntil(async () => (await b.execute(() => document.querySelectorAll("tr[data-name]").length)) === count, { timeout: 30000, interval: 10 });
  runs.push(performance.now() - t0);
  if (i === 2) {
    await new Promise((r) => setTimeout(r, 3000));
    const open = pss();
    console.log(`memory with the window open: PSS ${open.mib.toFixed(0)} MiB (${open.procs.join(", ")})`);
    await b.closeWindow().catch(() => {});
    await new Promise((r) => setTimeout(r, 4000));
    const tray = pss();
    console.log(`memory in tray-only mode (window closed): PSS ${tray.mib.toFixed(0)} MiB (${tray.procs.join(", ")})`);
  }
  await b.deleteSession().catch(() => {});
  try { execFileSync("pkill", ["-f", "patchbay-desktop"]); } catch { /* already gone */ }
  await new Promise((r) => setTimeout(r, 500));
}
runs.sort((a, b) => a - b);
console.log(`window shown with ${count} connections listed: median ${runs[1].toFixed(0)} ms (runs: ${runs.map((r) => r.toFixed(0)).join(", ")} ms)`);
driver.kill();
