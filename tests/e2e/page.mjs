// What the window tests do as a person would, on the one window of a test file: type into a
// field, paste, choose, click (scrolled into view), switch tabs, read a row's cells or the verdict,
// save, open and delete rows (through the row's actions menu), and seed rows through the real IPC.
// Each test file calls use(browser) once it has launched the app, or oneWindow() to have it done.
import { before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { close, invoke, launch, rowAction } from "./launch.mjs";

let b;
/** The browser (WebDriver session) the helpers act on. */
export function use(browser) {
  b = browser;
}
export const $ = (sel) => b.$(sel);

/** The cells a person reads in a row: name with its badges, environment, target, last check. */
export async function rowCells(name) {
  return b.execute((n) => {
    const r = document.querySelector(`tr[data-name="${n}"]`);
    const text = (sel) => r.querySelector(sel).innerText.trim();
    return { name: text("td.name"), env: text("td.env"), target: text("td.target"), last: text("td.last") };
  }, name);
}

/** Types into a field as a person would, after emptying it. */
export async function fill(name, value) {
  const el = await $(`[name="${name}"]`);
  await el.waitForExist({ timeout: 5000 });
  await b.execute((n) => {
    const e = document.querySelector(`[name="${n}"]`);
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(e), "value").set;
    setter.call(e, "");
    e.dispatchEvent(new Event("input", { bubbles: true }));
  }, name);
  if (value !== "") await el.addValue(value);
}

/** Pastes a value into a field as one input event (as Ctrl+V does with a PEM block). */
export async function pasteInto(name, value) {
  await (await $(`[name="${name}"]`)).waitForExist({ timeout: 5000 });
  await b.execute((n, v) => {
    const e = document.querySelector(`[name="${n}"]`);
    Object.getOwnPropertyDescriptor(Object.getPrototypeOf(e), "value").set.call(e, v);
    e.dispatchEvent(new Event("input", { bubbles: true }));
  }, name, value);
}

export async function choose(name, value) {
  await (await $(`select[name="${name}"]`)).selectByAttribute("value", value);
}

export async function tab(id) {
  await (await $(`[data-tab="${id}"]`)).click();
}

export async function verdict() {
  const v = await $('[data-testid="verdict"]');
  await v.waitForExist({ timeout: 20000 });
  return {
    ok: (await v.getAttribute("data-ok")) === "true",
    step: await v.getAttribute("data-failed-step"),
    hint: (await $('[data-testid="verdict-hint"]').isExisting()) ? await (await $('[data-testid="verdict-hint"]')).getText() : "",
    message: await (await $('[data-testid="verdict-message"]')).getText(),
  };
}

export async function rowNames() {
  return b.execute(() => [...document.querySelectorAll("tr[data-name]")].map((r) => r.getAttribute("data-name")));
}

/** Clicks like a person: the element is scrolled into view first (forms scroll in their pane). */
export async function click(sel) {
  const el = await $(sel);
  await el.waitForExist({ timeout: 5000 });
  await el.scrollIntoView({ block: "center" });
  await el.click();
}

export async function save() {
  await click('[data-testid="form-save"]');
  await $('[data-testid="connection-form"]').waitForExist({ reverse: true, timeout: 10000 });
}

export async function openRow(name) {
  await (await $(`tr[data-name="${name}"] button.link`)).click();
  await $('[data-testid="connection-form"]').waitForExist({ timeout: 5000 });
}

export async function deleteRow(name) {
  await rowAction(b, name, "delete");
  // The dialog opens once the record is read (it names the secrets that go with it).
  await $('[data-testid="confirm"]').waitForExist({ timeout: 5000 });
  // A production connection asks for its name first.
  if (await $('input[name="confirm-text"]').isExisting()) await fill("confirm-text", name);
  await (await $('[data-testid="confirm"]')).click();
  await $(`tr[data-name="${name}"]`).waitForExist({ reverse: true, timeout: 5000 });
}


/** A loopback port that was free a moment ago: a check against it fails at tcp at once. */
export function closedPort() {
  return new Promise((res) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); }); });
}


/** Calls a command over the app's real IPC from inside the page; returns {ok, value} or {ok: false, error}. */
export const ipc = (cmd, args = {}) => invoke(b, cmd, args);

/** Saves PostgreSQL connections (at a closed port) through IPC and shows them on the Database tab. */
export async function seedDatabaseRows(rows) {
  const closed = await closedPort();
  for (const [name, env_tag] of rows) {
    const draft = {
      name,
      env_tag,
      spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: closed, database: "app", username: "app", ssl_mode: "require", ca_cert: null },
      secrets: { password: { mode: "value", value: "seeded-pw" } },
    };
    const r = await ipc("save_connection", { draft, editing: null });
    assert.ok(r.ok, JSON.stringify(r.error));
  }
  // Saved behind the list's back: reload so the window reads them as at start.
  await b.refresh();
  await tab("database");
  await b.waitUntil(async () => (await rowNames()).length === rows.length, { timeout: 10000, timeoutMsg: "the seeded rows are not listed" });
}


/** Deletes every connection and secret through IPC: the next test starts from an empty store.
 * Every step must succeed (a cleanup that failed would leave rows for the next test). */
export async function emptyStore() {
  if (!(await b.getWindowHandles().then((h) => h.length > 0, () => false))) return; // window closed on purpose
  const must = async (cmd, args) => {
    const r = await ipc(cmd, args);
    assert.ok(r.ok, `cleanup: ${cmd} ${JSON.stringify(args ?? {})} failed: ${JSON.stringify(r.error)}`);
    return r.value;
  };
  for (const c of await must("list_connections")) await must("delete_connection", { kind: c.kind, name: c.name });
  for (const s of await must("list_secrets")) await must("delete_secret", { name: s.name });
}


/** One app window for all the tests of a file: launched before them (`started` gets it),
 * closed after them, and whatever a test saved removed after each (also when it failed halfway),
 * so every test starts from an empty store. */
export function oneWindow(started) {
  let app;
  before(async () => {
    app = await launch();
    use(app.browser);
    started(app);
  });
  after(async () => close(app));
  afterEach(emptyStore);
}
