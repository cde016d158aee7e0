// End-to-end: the REAL window follows the desktop's dark theme (GTK_THEME=Adwaita:dark makes
// WebKitGTK report prefers-color-scheme: dark), and its text stays readable in both themes:
// every visible text element has at least WCAG AA contrast (4.5:1) against its background.
// Measured as a user sees the window: every tab populated (a connection of each kind and a
// secret), a failed verdict and a notice banner shown, the primary button hovered (where the
// label once vanished), and the rendered background's luminance, not only what the page was told.
// The texts read most (a row, the verdict, the notice, buttons, tabs) are measured again from the
// screenshot's pixels (contrast.mjs): the colours drawn, not the colours computed.
import { test, after } from "node:test";
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close, rowAction } from "./launch.mjs";
import { drawnContrast } from "./contrast.mjs";

/** What is read most: a row's cells, the verdict, the notice, buttons and tabs. */
const DRAWN = [
  'tr[data-name="orders"] td.name', 'tr[data-name="orders"] td.target', 'tr[data-name="orders"] td.last',
  '[data-testid="verdict-message"]', '[data-testid="verdict-hint"]', ".verdict .step-name",
  '[data-testid="notice"] > span', '[data-testid="new"]', '[data-testid="test-all"]',
  'tr[data-name="orders"] [data-testid="row-test"]', '[data-tab="database"]', '[data-tab="kafka"]',
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "patchbay-e2e-theme-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Saves a connection of each kind and a secret through the CLI (with the session's keychain). */
function populate(env) {
  const cli = (args, input) => execFileSync(process.env.PATCHBAY_CLI, args, { input, env });
  cli(["add", "postgres", "orders", "--host", "127.0.0.1", "--port", "9", "--user", "app", "--env", "prod", "--password-stdin"], "pw");
  cli(["add", "s3", "lake", "--access-key-id", "AK", "--region", "eu-west-1", "--secret-key-stdin"], "sk");
  cli(["add", "kafka", "events", "--bootstrap", "127.0.0.1:9"], "");
  cli(["secret", "set", "team-login", "--value-stdin", "--description", "shared login"], "v");
}

/** In the page: [dark?, worst contrast, the element with it, how many were measured, body luminance]. */
function measure(only) {
  // rgb()/rgba() in 0–255, or color(srgb r g b / a) in 0–1 (what color-mix() computes to).
  const rgb = (s) => {
    const n = (s.match(/[\d.]+/g) || []).map(Number);
    if (!s.startsWith("color(srgb")) return n;
    return [n[0] * 255, n[1] * 255, n[2] * 255, ...(n.length > 3 ? [n[3]] : [])];
  };
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
  for (const el of only ? [document.querySelector(only)] : document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
    const a = lum(rgb(getComputedStyle(el).color).slice(0, 3));
    const b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    n++;
    if (ratio < worst[0]) worst = [ratio, `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`];
  }
  return [matchMedia("(prefers-color-scheme: dark)").matches, worst[0], worst[1], n, lum(background(document.querySelector("main") || document.body))];
}

for (const [theme, dark, port] of [["Adwaita", false, 4448], ["Adwaita:dark", true, 4450]]) {
  test(`with the ${theme} desktop theme the window is ${dark ? "dark" : "light"} and every text is readable`, async (t) => {
    const env = { ...process.env, GTK_THEME: theme, PATCHBAY_DATA_DIR: path.join(dir, theme) };
    delete env.PATCHBAY_MASTER_KEY;
    populate(env);
    const app = await launch({ port, env });
    try {
      const b = app.browser;
      for (const t of ["database", "storage", "kafka", "secrets"]) {
        await (await b.$(`[data-tab="${t}"]`)).click();
        await b.$("tr[data-name]").waitForExist({ timeout: 5000 });
        const [isDark, ratio, where, n, bodyLum] = await b.execute(measure);
        assert.equal(isDark, dark);
        // What is painted, not only what the page was told: a dark page is dark.
        if (dark) assert.ok(bodyLum < 0.1, `${t} tab: the background's luminance is ${bodyLum.toFixed(3)}`);
        else assert.ok(bodyLum > 0.7, `${t} tab: the background's luminance is ${bodyLum.toFixed(3)}`);
        assert.ok(n > 8, `${n} text elements measured on a populated ${t} tab`);
        assert.ok(ratio >= 4.5, `${t} tab: contrast ${ratio.toFixed(2)}:1 for ${where}`);
      }
      // A failed verdict (the port is closed) and the notice banner of a copy.
      await (await b.$('[data-tab="database"]')).click();
      await (await b.$('tr[data-name="orders"] [data-testid="row-test"]')).click();
      await b.$('[data-testid="verdict"]').waitForExist({ timeout: 15000 });
      await rowAction(b, "orders", "copy-url");
      await b.$('[data-testid="notice"]').waitForExist({ timeout: 5000 });
      assert.ok(await (await b.$('[data-testid="verdict"]')).isDisplayed(), "the verdict is on screen");
      let [, ratio, where] = await b.execute(measure);
      assert.ok(ratio >= 4.5, `with a verdict and a banner: contrast ${ratio.toFixed(2)}:1 for ${where}`);
      // The same, from the pixels WebKit drew (what a reader gets).
      await b.execute(() => document.activeElement?.blur());
      const drawn = await drawnContrast(b, DRAWN);
      t.diagnostic(`drawn contrast (${theme}): ${drawn.map((d) => `${d.sel} ${d.ratio?.toFixed(1)}`).join("; ")}`);
      for (const d of drawn) {
        assert.ok(!d.missing, `${d.sel} is on screen to measure`);
        assert.ok(d.ratio >= 4.5, `drawn contrast of ${d.sel} "${d.text}": ${d.ratio.toFixed(2)}:1 (ink ${d.ink} on ${d.background})`);
      }
      // The primary button, hovered by the real pointer.
      const primary = await b.$('[data-testid="new"]');
      await primary.moveTo();
      await new Promise((r) => setTimeout(r, 300));
      [, ratio, where] = await b.execute(measure, '[data-testid="new"]');
      assert.ok(ratio >= 4.5, `hovered primary button: contrast ${ratio.toFixed(2)}:1 for ${where}`);
      // The connection form, too.
      await primary.click();
      await (await b.$('[data-testid="connection-form"]')).waitForExist({ timeout: 5000 });
      [, ratio, where] = await b.execute(measure);
      assert.ok(ratio >= 4.5, `form: contrast ${ratio.toFixed(2)}:1 for ${where}`);
    } finally {
      await close(app);
    }
  });
}
