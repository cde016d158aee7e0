// The list as a daily tool, in the real window: Duplicate opens an unsaved copy that takes the
// original's secrets only when saved; a deletion can be undone from its notice; favourites are
// pinned first, recently used ones next; columns sort from a sticky header; filters narrow by
// environment and status; a search can cover every tab; each row has one actions menu that works
// from the keyboard; Enter in a field with suggestions saves at once; a running test can be
// cancelled; a URL pasted while editing fills only what it says; code snippets; 900 px and CJK.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import { spawnSync } from "node:child_process";
import { launch, close, rowAction, servers } from "./launch.mjs";
import { $, click, closedPort, deleteRow, emptyStore, fill, ipc, openRow, rowCells, rowNames, save, seedDatabaseRows, tab, use, verdict, oneWindow } from "./page.mjs";

const env = servers();
let app;
let b;
oneWindow((a) => {
  app = a;
  b = a.browser;
});

/** The real PostgreSQL server's "app" login, saved through IPC as `name`. */
async function saveOrders(name, env_tag) {
  const draft = {
    name,
    env_tag,
    spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: Number(env.PB_PG_PORT), database: "app", username: "app", ssl_mode: "require", ca_cert: null },
    secrets: { password: { mode: "value", value: env.PB_PG_PASSWORD } },
  };
  const r = await ipc("save_connection", { draft, editing: null });
  assert.ok(r.ok, JSON.stringify(r.error));
  await b.refresh();
  await tab("database");
  await $(`tr[data-name="${name}"]`).waitForExist({ timeout: 10000 });
}

async function testRow(name) {
  await click(`tr[data-name="${name}"] [data-testid="row-test"]`);
  await b.waitUntil(async () => !/testing|never/.test((await rowCells(name)).last), { timeout: 20000, timeoutMsg: `${name} was not checked` });
  return (await rowCells(name)).last;
}

test("Duplicate opens an unsaved copy: Cancel leaves nothing, and saved it logs in with the original's password", async () => {
  await saveOrders("orders", "prod");
  await rowAction(b, "orders", "duplicate");
  const form = await $('[data-testid="connection-form"]');
  await form.waitForExist({ timeout: 5000 });
  assert.equal(await (await $('[data-testid="connection-form"] h2')).getText(), "New connection: a copy of orders");
  assert.equal(await (await $('[name="name"]')).getValue(), "orders-copy");
  assert.equal(await (await $('[name="env_tag"]')).getValue(), "prod", "the copy shows the tag it would get");
  assert.equal(await (await $('[name="password"]')).getAttribute("placeholder"), "Leave blank to use the one of orders");
  assert.deepEqual(await rowNames(), ["orders"], "nothing is saved by opening the copy");
  await click("button=Cancel");
  await form.waitForExist({ reverse: true, timeout: 5000 });
  assert.deepEqual(await rowNames(), ["orders"], "Cancel leaves nothing");

  await rowAction(b, "orders", "duplicate");
  await fill("env_tag", "dev");
  // Tested before saving, the copy uses the original's password: the real server lets it in.
  await click('[data-testid="form-test"]');
  const v = await verdict();
  assert.equal(v.ok, true, v.message);
  // Pointed elsewhere, the kept password is not sent.
  await fill("host", "localhost");
  await click('[data-testid="form-test"]');
  const refused = await $('.field-error[data-field="password"]');
  await refused.waitForExist({ timeout: 5000 });
  assert.match(await refused.getText(), /host changed/);
  await fill("host", "127.0.0.1");
  await save();
  assert.deepEqual(await rowNames(), ["orders", "orders-copy"]);
  assert.equal((await rowCells("orders-copy")).env.toLowerCase(), "dev");
  assert.match(await testRow("orders-copy"), /^ok · /, "the saved copy logs in");
});

test("a deletion is undone from its notice (or Ctrl+Z) with its password and last check", async () => {
  await saveOrders("orders", "dev");
  assert.match(await testRow("orders"), /^ok · /);
  const last = (await rowCells("orders")).last.replace(/ · .*ago$/, "");
  // The confirmation names the secret that goes with it (read from the record, not the row).
  await rowAction(b, "orders", "delete");
  await $(".modal").waitForExist({ timeout: 5000 });
  const said = await b.execute(() => [...document.querySelectorAll(".modal p")].map((p) => p.textContent));
  assert.ok(said.includes("Its saved password will be deleted with it."), said.join(" | "));
  await b.keys("Escape");
  await $(".modal").waitForExist({ reverse: true, timeout: 5000 });
  await deleteRow("orders");
  const notice = await $('[data-testid="notice"]');
  await notice.waitForExist({ timeout: 5000 });
  assert.match(await notice.getText(), /Deleted orders/);
  const undo = await $('[data-testid="undo"]');
  assert.match(await undo.getText(), /^Undo \((10|9) s\)$/);
  await undo.click();
  await $('tr[data-name="orders"]').waitForExist({ timeout: 5000 });
  assert.match(await notice.getText(), /Restored orders/);
  assert.equal((await rowCells("orders")).last.replace(/ · .*ago$/, ""), last, "its last check came back");
  assert.match(await testRow("orders"), /^ok · /, "its password came back and opens");

  await deleteRow("orders");
  await $('[data-testid="undo"]').waitForExist({ timeout: 5000 });
  await b.execute(() => document.activeElement?.blur());
  await b.keys(["Control", "z"]);
  await $('tr[data-name="orders"]').waitForExist({ timeout: 5000 });
});

test("favourites stay first, recently used ones next, and a column header sorts (failing first by last check)", async () => {
  await seedDatabaseRows([["alpha", "dev"], ["beta", "prod"], ["gamma", "staging"]]);
  assert.deepEqual(await rowNames(), ["alpha", "beta", "gamma"]);
  await click('tr[data-name="gamma"] [data-testid="row-favourite"]');
  // The row stays under the pointer; re-sorting pins the favourite first.
  await $('[data-testid="resort"]').waitForExist({ timeout: 5000, timeoutMsg: "waited 5 s for the star to be saved" });
  assert.equal(await (await $('tr[data-name="gamma"] [data-testid="row-favourite"]')).getAttribute("aria-pressed"), "true");
  await click('[data-testid="resort"]');
  assert.deepEqual(await rowNames(), ["gamma", "alpha", "beta"]);
  // Used (here: tested) just now, beta comes right after the favourites once re-sorted.
  assert.match(await testRow("beta"), /^failed at tcp/);
  assert.deepEqual(await rowNames(), ["gamma", "alpha", "beta"], "a tested row stays where it was");
  await click('[data-testid="resort"]');
  assert.deepEqual(await rowNames(), ["gamma", "beta", "alpha"], "recently used next");
  // Sorted by name, descending: the favourite stays pinned.
  await click('th button[data-sort="name"]');
  await click('th button[data-sort="name"]');
  assert.equal(await (await $("th.col-name")).getAttribute("aria-sort"), "descending");
  assert.deepEqual(await rowNames(), ["gamma", "beta", "alpha"]);
  await click('th button[data-sort="last"]');
  assert.deepEqual(await rowNames(), ["gamma", "beta", "alpha"], "failing, then never checked");
  // The mark is the core's: the tray and a restart see it; the chosen sort is kept too.
  await b.refresh();
  await tab("database");
  await $('tr[data-name="gamma"]').waitForExist({ timeout: 5000 });
  assert.equal((await rowNames())[0], "gamma");
  assert.equal(await (await $("th.col-last")).getAttribute("aria-sort"), "ascending");
  await click('th button[data-sort="last"]');
  await click('th button[data-sort="last"]'); // back to the default order for the next tests
  assert.equal(await (await $("th.col-last")).getAttribute("aria-sort"), "none");
});

test("filters narrow the list by environment and status, and Test all tests what they show", async () => {
  await seedDatabaseRows([["alpha", "dev"], ["beta", "prod"], ["gamma", null]]);
  await testRow("alpha");
  await (await $('select[name="env-filter"]')).selectByAttribute("value", "prod");
  assert.deepEqual(await rowNames(), ["beta"]);
  assert.equal(await (await $('[data-testid="test-all"]')).getText(), "Test 1 shown");
  await (await $('select[name="env-filter"]')).selectByAttribute("value", "-");
  assert.deepEqual(await rowNames(), ["gamma"], "untagged ones");
  await (await $('select[name="env-filter"]')).selectByAttribute("value", "");
  await (await $('select[name="status-filter"]')).selectByAttribute("value", "failing");
  assert.deepEqual(await rowNames(), ["alpha"]);
  await (await $('select[name="status-filter"]')).selectByAttribute("value", "never");
  assert.deepEqual(await rowNames(), ["beta", "gamma"]);
  await (await $('[data-testid="test-all"]')).click();
  const notice = await $('[data-testid="notice"]');
  await notice.waitForExist({ timeout: 20000 });
  assert.match(await notice.getText(), /^2 checked: 0 ok, 2 failed \(1 hidden by the filter not tested\)/);
  // Everything is checked now: "never" shows nothing, and says how to get back.
  await b.waitUntil(async () => (await rowNames()).length === 0, { timeout: 5000 });
  assert.match(await (await $('[data-testid="empty"]')).getText(), /Nothing matches your search or filters/);
  await click("button=Clear the search and filters");
  assert.equal((await rowNames()).length, 3);
});

test("a search over all tabs finds every kind, names each one's kind, and opens it on its tab", async () => {
  await seedDatabaseRows([["orders-db", "dev"], ["billing", "dev"]]);
  const kafka = {
    name: "orders-events",
    env_tag: null,
    spec: { kind: "kafka", bootstrap_servers: `127.0.0.1:${await closedPort()}`, security_protocol: "PLAINTEXT", sasl_mechanism: null, sasl_username: null, ca_cert: null, client_cert: null, schema_registry_url: null, schema_registry_username: null, schema_registry_allow_http: false },
    secrets: {},
  };
  assert.ok((await ipc("save_connection", { draft: kafka, editing: null })).ok);
  await b.refresh();
  await tab("database");
  await fill("search", "orders");
  await b.waitUntil(async () => (await rowNames()).join() === "orders-db", { timeout: 5000, timeoutMsg: "this tab's search" });
  await click('input[name="all-tabs"]');
  await b.waitUntil(async () => (await rowNames()).length === 2, { timeout: 5000, timeoutMsg: "the other tab's match is not shown" });
  const kinds = await b.execute(() => Object.fromEntries([...document.querySelectorAll("tr[data-name]")].map((r) => [r.dataset.name, r.querySelector('[data-testid="row-kind"]')?.textContent])));
  assert.deepEqual(kinds, { "orders-db": "PostgreSQL", "orders-events": "Kafka" });
  assert.equal(await (await $('[data-testid="test-all"]')).getText(), "Test 2 shown");
  await openRow("orders-events");
  assert.equal(await (await $('[data-tab="kafka"]')).getAttribute("aria-selected"), "true", "opened on its own tab");
  assert.equal(await (await $('[name="bootstrap_servers"]')).getValue(), kafka.spec.bootstrap_servers);
  await click("button=Cancel");
});

test("the header stays in view over a long list", async () => {
  await seedDatabaseRows(Array.from({ length: 40 }, (_, i) => [`db-${String(i).padStart(2, "0")}`, "dev"]));
  const gap = () => b.execute(() => {
    const pane = document.querySelector(".list-pane");
    pane.scrollTop = pane.scrollHeight;
    return document.querySelector("th.col-name").getBoundingClientRect().top - pane.getBoundingClientRect().top;
  });
  await b.pause(200);
  const g = await gap();
  assert.ok(Math.abs(g) <= 1, `the header scrolled away (${g} px from the top of the list)`);
});

test("a row's actions menu works from the keyboard and Esc gives focus back to its button", async () => {
  await seedDatabaseRows([["alpha", "dev"]]);
  const active = () => b.execute(() => document.activeElement?.getAttribute("data-action") ?? document.activeElement?.getAttribute("data-testid"));
  await b.execute(() => document.querySelector('tr[data-name="alpha"] [data-testid="row-menu"]').focus());
  await b.keys("Enter");
  await $('[role="menu"]').waitForDisplayed({ timeout: 5000 });
  assert.equal(await active(), "edit", "focus goes to the first item");
  await b.keys("ArrowDown");
  assert.equal(await active(), "terminal");
  await b.keys("End");
  assert.equal(await active(), "delete");
  await b.keys("ArrowDown");
  assert.equal(await active(), "edit", "it wraps around");
  await b.keys("Escape");
  await $('[role="menu"]').waitForExist({ reverse: true, timeout: 5000 });
  assert.equal(await active(), "row-menu");
  // The menu stays inside the window even for the last row near the bottom edge.
  const inside = await b.execute(() => {
    document.querySelector('tr[data-name="alpha"] [data-testid="row-menu"]').click();
    const m = document.querySelector('[role="menu"]').getBoundingClientRect();
    return m.top >= 0 && m.bottom <= window.innerHeight && m.left >= 0 && m.right <= window.innerWidth;
  });
  assert.equal(inside, true);
});

test("Enter in the environment field (which offers suggestions) saves the form at the first press", async () => {
  await tab("database");
  await click('[data-testid="new"]');
  await fill("name", "quick");
  await fill("host", "127.0.0.1");
  await fill("username", "app");
  await fill("env_tag", "d");
  await b.keys("Enter");
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 5000 });
  assert.deepEqual(await rowNames(), ["quick"]);
  assert.equal((await rowCells("quick")).env.toLowerCase(), "d");
});

test("a running test is cancelled from its row or the form, and nothing is recorded", async () => {
  // Answers nothing and hangs up after 2 s: an uncancelled check would record a failure then.
  const slow = net.createServer((sock) => setTimeout(() => sock.destroy(), 2000)).listen(0, "127.0.0.1");
  await new Promise((r) => slow.once("listening", r));
  try {
    const draft = {
      name: "slow",
      env_tag: "dev",
      spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: slow.address().port, database: "app", username: "app", ssl_mode: "disable", ca_cert: null },
      secrets: { password: { mode: "value", value: "pw" } },
    };
    assert.ok((await ipc("save_connection", { draft, editing: null })).ok);
    await b.refresh();
    await tab("database");
    await click('tr[data-name="slow"] [data-testid="row-test"]');
    const stop = await $('tr[data-name="slow"] [data-testid="row-cancel"]');
    await stop.waitForExist({ timeout: 5000 });
    assert.equal(await stop.getAttribute("aria-label"), "Cancel the test of slow");
    await stop.click();
    const notice = await $('[data-testid="notice"]');
    await notice.waitForExist({ timeout: 5000 });
    assert.match(await notice.getText(), /The test of slow was cancelled; nothing was recorded/);
    await $('tr[data-name="slow"] [data-testid="row-test"]').waitForExist({ timeout: 5000 });
    await b.pause(3000); // past the moment the server hangs up
    assert.equal((await rowCells("slow")).last, "never", "a cancelled check recorded a result");

    await openRow("slow");
    await click('[data-testid="form-test"]');
    await click('[data-testid="form-test-cancel"]');
    await $('[data-testid="test-cancelled"]').waitForExist({ timeout: 5000 });
    assert.equal(await (await $('[data-testid="form-test"]')).getText(), "Test");
    await b.pause(3000);
    assert.equal(await $('[data-testid="verdict"]').isExisting(), false, "no verdict arrived after the cancel");
    await click("button=Cancel");
  } finally {
    slow.close();
  }
});

test("Code snippet shows the connection's Python snippets and copies the one chosen, with no secret in it", async () => {
  await saveOrders("orders", "dev");
  await rowAction(b, "orders", "snippet");
  const code = await $('[data-testid="snippet-code"]');
  await code.waitForExist({ timeout: 5000 });
  const tabs = await b.execute(() => [...document.querySelectorAll("[data-snippet]")].map((t) => t.textContent));
  assert.deepEqual(tabs, ["Python: psycopg", "Python: SQLAlchemy (psycopg)"]);
  assert.match(await code.getText(), /^# Run it with: patchbay exec orders -- python3 this_file\.py/);
  assert.match(await code.getText(), /psycopg\.connect\(""\)/);
  await click('[data-snippet="sqlalchemy"]');
  const shown = await code.getText();
  assert.match(shown, /create_engine\("postgresql\+psycopg:\/\/"\)/);
  assert.ok(!shown.includes(env.PB_PG_PASSWORD), "the password is in the snippet");
  await click('[data-testid="confirm"]');
  const notice = await $('[data-testid="notice"]');
  await notice.waitForExist({ timeout: 5000 });
  assert.match(await notice.getText(), /Copied orders: Python: SQLAlchemy \(psycopg\) snippet/);
  assert.doesNotMatch(await notice.getText(), /contains a secret/);
  const board = spawnSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 }).stdout;
  assert.equal(board.trim(), shown.trim(), "the clipboard holds the snippet shown");
});

/** What a screenshot at this width would show wrong: wrapped or clipped text, uneven controls. */
function layoutProblems() {
  return b.execute(() => {
    const out = [];
    // The lines an element's text is laid out on: its text boxes' tops, those within 8 px of
    // each other counted as one line (a smaller badge sits a little lower on the same line).
    const lines = (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const tops = [...r.getClientRects()].filter((b) => b.width > 0).map((b) => b.top).sort((a, b) => a - b);
      return tops.filter((t, i) => i === 0 || t - tops[i - 1] > 8).length;
    };
    const oneLine = (sel) => document.querySelectorAll(sel).forEach((el) => {
      if (lines(el) > 1) out.push(`${sel} wraps: "${el.textContent.trim()}"`);
    });
    oneLine("nav [role=tab]");
    oneLine(".tag");
    oneLine(".badge");
    oneLine("td.target");
    oneLine("td.last");
    oneLine(".toolbar button");
    // Placeholders: the text must fit its box.
    const ctx = document.createElement("canvas").getContext("2d");
    document.querySelectorAll("input[placeholder]").forEach((el) => {
      const s = getComputedStyle(el);
      ctx.font = `${s.fontSize} ${s.fontFamily}`;
      const room = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      if (el.offsetParent && ctx.measureText(el.placeholder).width > room + 1) out.push(`placeholder clipped in ${el.name}: "${el.placeholder}"`);
    });
    // Selects as tall as the text inputs beside them.
    const heights = [...document.querySelectorAll(".toolbar input[type=search], .toolbar select, .form input:not([type=checkbox]), .form select")]
      .filter((el) => el.offsetParent).map((el) => `${el.name}:${Math.round(el.getBoundingClientRect().height)}`);
    if (new Set(heights.map((h) => h.split(":")[1])).size > 1) out.push(`controls of different heights: ${heights.join(" ")}`);
    // Nothing sticks out of the window sideways.
    if (document.documentElement.scrollWidth > window.innerWidth) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${window.innerWidth})`);
    return out;
  });
}

test("at 900 px nothing wraps or is clipped, selects match inputs, and CJK names keep their row's height", async () => {
  await seedDatabaseRows([["注文データベース-本番", "prod"], ["orders-eu-central-analytics", "staging"], ["日志", "dev"]]);
  const before = await b.getWindowSize();
  try {
    await b.setWindowSize(900, 700);
    await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) <= 900, { timeout: 5000 });
    assert.deepEqual(await layoutProblems(), [], "the list");
    const rowHeights = await b.execute(() => [...document.querySelectorAll("tr[data-name]")].map((r) => Math.round(r.getBoundingClientRect().height)));
    assert.equal(new Set(rowHeights).size, 1, `rows of different heights: ${rowHeights}`);
    if (process.env.PATCHBAY_SCREENSHOTS) {
      await b.pause(300);
      fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
      spawnSync("import", ["-window", "root", "-crop", "900x700+0+0", "+repage", `${process.env.PATCHBAY_SCREENSHOTS}/list-900px.png`]);
    }
    const clipped = await b.execute(() => [...document.querySelectorAll("td.name .link")].filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent));
    // A name longer than its column is cut with "…" (table.test.mjs measures that); a short one is whole.
    assert.equal(clipped.includes("日志"), false, "a short CJK name is whole");
    await click('[data-testid="new"]');
    await $('[data-testid="connection-form"]').waitForExist({ timeout: 5000 });
    assert.deepEqual(await layoutProblems(), [], "with the form open");
    await click("button=Cancel");
  } finally {
    await b.setWindowSize(before.width, before.height);
  }
});

test("a URL pasted while editing changes what it says and keeps the rest; another kind's address is refused", async () => {
  await saveOrders("orders", "dev");
  await openRow("orders");
  await fill("url", "postgres://reporter:new-pw@db.internal:6543/analytics");
  await click("button=Fill");
  const detected = await $('[data-testid="paste-detected"]');
  await detected.waitForExist({ timeout: 5000 });
  assert.match(await detected.getText(), /^Filled from the pasted PostgreSQL URL, with its secret\. Check the fields, then save\.$/);
  const value = async (name) => (await $(`[name="${name}"]`)).getValue();
  assert.deepEqual([await value("host"), await value("port"), await value("database"), await value("username")], ["db.internal", "6543", "analytics", "reporter"]);
  assert.equal(await value("ssl_mode"), "require", "the URL said nothing about TLS: the saved mode stays");
  assert.equal(await value("password"), "new-pw");
  assert.equal(await value("name"), "orders", "the name stays");
  await fill("url", "127.0.0.1:9092");
  await click("button=Fill");
  const refused = await $('.field-error[data-field="url"]');
  await refused.waitForExist({ timeout: 5000 });
  assert.match(await refused.getText(), /That is a Kafka address; orders is a PostgreSQL \/ MySQL connection/);
  assert.equal(await value("host"), "db.internal", "nothing changed");
  await click("button=Cancel");
});
