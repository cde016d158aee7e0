// End-to-end: the REAL window follows the desktop's dark theme (GTK_THEME=Adwaita:dark makes
// WebKitGTK report prefers-color-scheme: dark), and its text stays readable in both themes:
// every visible text element has at least WCAG AA contrast (4.5:1) against its background.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close } from "./launch.mjs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-theme-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** In the page: [dark?, worst contrast, the element with it, how many were measured]. */
function measure() {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let worst = [99, ""];
  let n = 0;
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
    const b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    n++;
    if (ratio < worst[0]) worst = [ratio, `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`];
  }
  return [matchMedia("(prefers-color-scheme: dark)").matches, worst[0], worst[1], n];
}

for (const [theme, dark, port] of [["Adwaita", false, 4448], ["Adwaita:dark", true, 4450]]) {
  test(`with the ${theme} desktop theme the window is ${dark ? "dark" : "light"} and every text is readable`, async () => {
    const env = { ...process.env, GTK_THEME: theme, PATCHBAY_DATA_DIR: path.join(dir, theme) };
    delete env.PATCHBAY_MASTER_KEY;
    const app = await launch({ port, env });
    try {
      const b = app.browser;
      for (const t of ["database", "storage", "kafka", "secrets"]) {
        await (await b.$(`[data-tab="${t}"]`)).click();
        const [isDark, ratio, where, n] = await b.execute(measure);
        assert.equal(isDark, dark);
        assert.ok(n > 5, `${n} text elements measured`);
        assert.ok(ratio >= 4.5, `${t} tab: contrast ${ratio.toFixed(2)}:1 for ${where}`);
      }
      // The connection form, too.
      await (await b.$('[data-tab="database"]')).click();
      await (await b.$('[data-testid="new"]')).click();
      await (await b.$('[data-testid="connection-form"]')).waitForExist({ timeout: 5000 });
      const [, ratio, where] = await b.execute(measure);
      assert.ok(ratio >= 4.5, `form: contrast ${ratio.toFixed(2)}:1 for ${where}`);
    } finally {
      await close(app);
    }
  });
}
