// The list as a table that holds up under real data, in the REAL window: 300 connections with
// 60-character names, CJK names and failing last checks, at 1200 and 900 px. What is measured is
// what is drawn (getBoundingClientRect): every shown row's Test and ⋯ buttons inside the window
// and inside the list's pane, no sideways scrolling, long names cut with "…" and whole in their
// tooltip, every row one height. And how rows behave: they stay put while worked on, their status
// opens the stored verdict, a hidden new row is announced, and the keyboard (one Tab stop a row).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { $, click, closedPort, fill, rowNames, seedDatabaseRows, tab, oneWindow } from "./page.mjs";

let b;
oneWindow((a) => { b = a.browser; });

const LONG = "analytics-warehouse-replica-eu-central-1-reporting-read-only";
const CJK = "注文データベース本番環境レプリカ分析用読み取り専用接続東京リージョン第二";

// Numbered first, so that every page of the list (sorted by name) holds all three sorts.
const NAMES = Array.from({ length: 300 }, (_, i) => {
  const n = String(i).padStart(3, "0");
  return i % 3 === 0 ? `${n}-${LONG}`.slice(0, 64) : i % 3 === 1 ? `${n}-${CJK}` : `${n}-db`;
});
const isLong = (n) => n.includes(LONG.slice(0, 30));
const isCjk = (n) => n.includes(CJK.slice(0, 8));

/** Saves the 300 through the CLI on the window's store (saved one by one through the window,
 * each would also redraw its list), checks them all (each fails at tcp: a closed port), and
 * shows them. */
async function seed300() {
  const port = await closedPort();
  NAMES.forEach((name, i) => {
    const tag = ["prod", "staging", "dev", ""][i % 4];
    const r = spawnSync(process.env.PATCHBAY_CLI, ["add", i % 2 ? "mysql" : "postgres", name, "--host", `replica-${i}.db.eu-central-1.internal.example.com`,
      "--port", String(port), "--database", "app", "--user", "app", "--ssl-mode", "require", "--env", tag, "--password-stdin"], { input: "seeded-pw", encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
  });
  const checked = spawnSync(process.env.PATCHBAY_CLI, ["test", "--all", "--kind", "database", "--timeout", "2"], { encoding: "utf8" });
  assert.equal(checked.status, 3, `every check fails at tcp: ${checked.stdout.split("\n").at(-2)}`);
  await b.refresh();
  await tab("database");
  await b.waitUntil(async () => (await b.execute(() => document.querySelectorAll("td.last .failed").length)) > 0,
    { timeout: 10000, timeoutMsg: "waited 10 s for the failing statuses" });
}

function remove300() {
  for (const name of NAMES) spawnSync(process.env.PATCHBAY_CLI, ["remove", "--kind", "database", name], { input: name });
}

/** What is wrong with the drawn table, as sentences (empty: nothing). */
function problems() {
  return b.execute(() => {
    const out = [];
    const pane = document.querySelector(".list-pane").getBoundingClientRect();
    const right = Math.min(window.innerWidth, pane.right);
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    const listPane = document.querySelector(".list-pane");
    if (listPane.scrollWidth > listPane.clientWidth + 1) out.push(`the list scrolls sideways (${listPane.scrollWidth} > ${listPane.clientWidth})`);
    const rows = [...document.querySelectorAll("tr[data-name]")];
    for (const r of rows) {
      for (const sel of ['[data-testid="row-test"]', '[data-testid="row-menu"]']) {
        const e = r.querySelector(sel).getBoundingClientRect();
        if (e.width === 0 || e.left < pane.left || e.right > right + 0.5) out.push(`${r.dataset.name}: ${sel} at ${Math.round(e.left)}–${Math.round(e.right)}, outside ${Math.round(pane.left)}–${Math.round(right)}`);
      }
      const link = r.querySelector("td.name .link");
      if (link.title !== r.dataset.name) out.push(`${r.dataset.name}: its tooltip says "${link.title}"`);
    }
    const heights = new Set(rows.map((r) => Math.round(r.getBoundingClientRect().height)));
    if (heights.size !== 1) out.push(`rows of ${heights.size} heights: ${[...heights]}`);
    return out;
  });
}

const cut = () => b.execute(() => [...document.querySelectorAll("tr[data-name]")].filter((r) => {
  const l = r.querySelector("td.name .link");
  return l.scrollWidth > l.clientWidth + 1 && getComputedStyle(l).textOverflow === "ellipsis";
}).map((r) => r.dataset.name));

test("300 rows of long, CJK and failing names keep every row's actions in the window at 1200 and 900 px", async () => {
  await seed300();
  const before = await b.getWindowSize();
  try {
    for (const width of [1200, 900]) {
      await b.setWindowSize(width, 760);
      await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) <= width, { timeout: 5000, timeoutMsg: `waited 5 s for a ${width} px window` });
      const shown = (await rowNames()).length;
      assert.ok(shown >= 150, `${shown} rows shown`);
      assert.deepEqual(await problems(), [], `at ${width} px`);
      const names = await cut();
      assert.ok(names.some(isLong), `long names are cut with … at ${width} px: ${names.slice(0, 3)}`);
      if (width === 900) assert.ok(names.some(isCjk), "CJK names too");
      assert.ok(!names.some((n) => /^\d{3}-db$/.test(n)), "short names are whole");
      if (process.env.PATCHBAY_SCREENSHOTS && width === 900) {
        fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
        spawnSync("import", ["-window", "root", "-crop", "900x760+0+0", "+repage", `${process.env.PATCHBAY_SCREENSHOTS}/list-300-900px.png`]);
      }
      // With the form open the actions stay in the window too.
      await click('[data-testid="new"]');
      await $('[data-testid="connection-form"]').waitForExist({ timeout: 5000 });
      assert.deepEqual(await problems(), [], `at ${width} px with the form open`);
      await click("button=Cancel");
      await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 5000 });
    }
  } finally {
    await b.setWindowSize(before.width, before.height);
    remove300();
  }
});

test("rows keep their places when starred until the user re-sorts, and the chosen sort survives a reload", async () => {
  await seedDatabaseRows([["a-orders", "dev"], ["b-billing", "dev"], ["c-events", "dev"]]);
  assert.deepEqual(await rowNames(), ["a-orders", "b-billing", "c-events"]);
  await click('tr[data-name="c-events"] [data-testid="row-favourite"]');
  await b.waitUntil(async () => (await $('[data-testid="resort"]').isExisting()), { timeout: 5000, timeoutMsg: "waited 5 s for the star to be saved" });
  assert.equal(await (await $('tr[data-name="c-events"] [data-testid="row-favourite"]')).getAttribute("aria-pressed"), "true");
  assert.deepEqual(await rowNames(), ["a-orders", "b-billing", "c-events"], "the starred row stayed where it was clicked");
  assert.equal(await (await $('[data-testid="resort"]')).getText(), "Order changed — re-sort");
  await click('[data-testid="resort"]');
  assert.deepEqual(await rowNames(), ["c-events", "a-orders", "b-billing"]);
  assert.equal(await $('[data-testid="resort"]').isExisting(), false);
  // Name, descending (two clicks), then a reload: the sort is still there.
  await click('[data-sort="name"]');
  await click('[data-sort="name"]');
  assert.deepEqual(await rowNames(), ["c-events", "b-billing", "a-orders"]);
  await b.refresh();
  await tab("database");
  await b.waitUntil(async () => (await rowNames()).length === 3, { timeout: 10000, timeoutMsg: "waited 10 s for the list after the reload" });
  assert.equal(await (await $("th.col-name")).getAttribute("aria-sort"), "descending");
  assert.deepEqual(await rowNames(), ["c-events", "b-billing", "a-orders"]);
  await click('[data-sort="name"]'); // back to the default order for the next tests
});

test("a form tested and then saved keeps its check, and a row's status opens the stored verdict", async () => {
  const port = await closedPort();
  await tab("database");
  await click('[data-testid="new"]');
  await fill("name", "checked");
  await fill("host", "127.0.0.1");
  await fill("port", String(port));
  await fill("database", "app");
  await fill("username", "app");
  await fill("password", "pw");
  await click('[data-testid="form-test"]');
  await b.waitUntil(async () => (await $('[data-testid="verdict"]').isExisting()), { timeout: 20000, timeoutMsg: "waited 20 s for the form's verdict" });
  assert.equal(await (await $('[data-testid="verdict"]')).getAttribute("data-failed-step"), "tcp");
  await click('[data-testid="form-save"]');
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 10000 });
  const status = await $('tr[data-name="checked"] [data-testid="last-check-open"]');
  await status.waitForExist({ timeout: 5000, timeoutMsg: "the saved row says never: the form's check was not kept" });
  assert.match(await status.getText(), /^failed at tcp · \d+s ago$/);
  // After a reload, the status opens the whole stored verdict under its row.
  await b.refresh();
  await tab("database");
  await click('tr[data-name="checked"] [data-testid="last-check-open"]');
  const v = await $('[data-verdict-for="checked"] [data-testid="verdict"]');
  await v.waitForExist({ timeout: 5000 });
  assert.equal(await v.getAttribute("data-failed-step"), "tcp");
  assert.equal(await v.getAttribute("data-ok"), "false");
  // Its cause is said once, not again as the step's detail or the error details.
  const [message, whole] = await b.execute(() => {
    const el = document.querySelector('[data-verdict-for="checked"] [data-testid="verdict"]');
    return [el.querySelector('[data-testid="verdict-message"]').textContent, el.textContent];
  });
  assert.equal(whole.split(message).length - 1, 1, `"${message}" is said more than once in: ${whole}`);
});

test("a connection saved while the search hides it says so", async () => {
  await tab("database");
  await fill("search", "nothing-matches-this");
  await click('[data-testid="new"]');
  await fill("name", "hidden-one");
  await fill("host", "127.0.0.1");
  await fill("database", "app");
  await fill("username", "app");
  await fill("password", "pw");
  await click('[data-testid="form-save"]');
  const notice = await $('[data-testid="notice"] > span');
  await notice.waitForExist({ timeout: 10000 });
  assert.equal(await notice.getText(), "Saved hidden-one; the search or a filter hides it");
  await fill("search", "");
});

test("each row is one Tab stop, T tests it, Space stars it, M opens its menu, and N on Secrets starts in Name", async () => {
  await seedDatabaseRows([["alpha", "dev"], ["beta", "dev"]]);
  const focused = () => b.execute(() => document.activeElement?.getAttribute("data-name") ?? document.activeElement?.getAttribute("data-action") ?? document.activeElement?.getAttribute("name"));
  await b.execute(() => document.querySelector('tr[data-name="alpha"]').focus());
  await b.keys("Tab");
  assert.equal(await focused(), "beta", "Tab goes to the next row, past the first row's buttons");
  await b.keys(["Shift", "Tab"]);
  assert.equal(await focused(), "alpha");
  await b.keys(" ");
  await b.waitUntil(async () => (await (await $('tr[data-name="alpha"] [data-testid="row-favourite"]')).getAttribute("aria-pressed")) === "true",
    { timeout: 5000, timeoutMsg: "waited 5 s for Space to star the row" });
  assert.equal(await focused(), "alpha", "the row keeps the focus (and its place)");
  await b.keys("t");
  await b.waitUntil(async () => /^failed at tcp/.test(await (await $('tr[data-name="alpha"] [data-testid="last-check"]')).getText()),
    { timeout: 20000, timeoutMsg: "waited 20 s for T's check of the row" });
  await b.execute(() => document.querySelector('tr[data-name="alpha"]').focus());
  await b.keys("m");
  await $('[role="menu"]').waitForDisplayed({ timeout: 5000 });
  assert.equal(await focused(), "edit", "the menu opens on its first item");
  await b.keys("Escape");
  await $('[role="menu"]').waitForExist({ reverse: true, timeout: 5000 });
  // A dialog's focused button shows its focus ring.
  await b.execute(() => document.querySelector('tr[data-name="beta"]').focus());
  await b.keys("Delete");
  await $(".modal").waitForExist({ timeout: 5000 });
  await b.keys("Tab");
  const ring = await b.execute(() => { const s = getComputedStyle(document.activeElement); return [document.activeElement.dataset.testid, s.outlineStyle, s.boxShadow]; });
  assert.ok(ring[1] === "solid" || ring[2] !== "none", `no visible focus on ${ring[0]}: ${ring}`);
  await b.keys("Escape");
  await $(".modal").waitForExist({ reverse: true, timeout: 5000 });
  await tab("secrets");
  await b.execute(() => document.activeElement?.blur());
  await b.keys("n");
  await $('[data-testid="secret-form"]').waitForExist({ timeout: 5000 });
  assert.equal(await focused(), "secret-name");
  await click('[data-testid="secret-form"] button[aria-label="Close"]');
  await tab("database");
});
