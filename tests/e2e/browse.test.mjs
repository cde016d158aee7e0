// The storage browser in the REAL window, against the real stores (s3s-fs, Azurite, fake-gcs-
// server behind Google's authentication stand-in), each holding the "browse" bucket of
// tests/servers/browse_seed.py. A person opens Browse… from a row's ⋯ menu, walks into a bucket
// and a prefix with the keyboard, loads the next page of a 10,000-object prefix, filters, goes
// back with Backspace and the breadcrumb, and copies a URI (read back from the clipboard). A
// container SAS that may not list the account says so, and lists a typed container.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { servers } from "./launch.mjs";
import { $, click, ipc, oneWindow, tab } from "./page.mjs";

const srv = servers();
let b;
oneWindow((app) => { b = app.browser; });

async function seed(draft) {
  const r = await ipc("save_connection", { draft, editing: null });
  assert.ok(r.ok, JSON.stringify(r.error));
  await b.refresh();
  await tab("storage");
  await $(`tr[data-name="${draft.name}"]`).waitForExist({ timeout: 10000 });
}

const shown = () => b.execute(() => [...document.querySelectorAll('[data-testid="browse-list"] [role=option] .name')].map((n) => n.textContent));
const count = () => $('[data-testid="browse-count"]').getText();
async function listed(names) {
  await b.waitUntil(async () => JSON.stringify(await shown()) === JSON.stringify(names),
    { timeout: 15000, timeoutMsg: `the browser did not come to show ${JSON.stringify(names)}` });
}
async function browse(name) {
  await click(`tr[data-name="${name}"] [data-testid="row-menu"]`);
  await click('[role=menuitem][data-action="browse"]');
  await $('[data-testid="browse"]').waitForExist({ timeout: 5000 });
}
/** Focus on the list's current entry, then the keys, as a person at the keyboard. */
async function press(...keys) {
  await b.execute(() => document.querySelector('[data-testid="browse-list"] [role=option][tabindex="0"]').focus());
  for (const k of keys) await b.keys([k]);
}

test("an S3 bucket is walked with the keyboard, a big prefix loads page by page, and a URI is copied", async () => {
  await seed({
    name: "lake",
    spec: { kind: "storage", access_key_id: srv.PB_S3_ACCESS_KEY, region: "us-east-1", endpoint_url: `http://127.0.0.1:${srv.PB_S3_HTTP_PORT}`, verify_ssl: true, allow_http: true, ca_cert: null, session_expires: null },
    secrets: { secret_access_key: { mode: "value", value: srv.PB_S3_SECRET_KEY } },
  });
  await browse("lake");
  await b.waitUntil(async () => (await shown()).includes("browse/"), { timeout: 15000, timeoutMsg: "the buckets were not listed" });
  await click('[data-testid="browse-list"] [data-name="browse"]');
  await listed(["big/", "nested/", "odd/"]);
  await press("Enter");
  await b.waitUntil(async () => (await shown())[0] === "obj-00000.csv", { timeout: 15000, timeoutMsg: "big/ was not opened" });
  assert.equal(await count(), "1000 shown (more in the store)");
  await click('[data-testid="browse-more"]');
  await b.waitUntil(async () => (await count()) === "2000 shown (more in the store)", { timeout: 15000, timeoutMsg: "the next page was not added" });
  assert.equal((await shown())[1999], "obj-01999.csv");
  await $('input[name="browse-filter"]').setValue("obj-0150");
  await b.waitUntil(async () => (await count()) === "10 shown of 2000 (more in the store)", { timeout: 5000, timeoutMsg: "the filter did not narrow the list" });
  await $('input[name="browse-filter"]').clearValue();
  await press("Backspace");
  await listed(["big/", "nested/", "odd/"]);
  await press("ArrowDown", "Enter");
  await listed(["2026/", "readme.txt"]);
  // The keyboard's place moves in with the list: on its first entry.
  await b.waitUntil(() => b.execute(() => document.activeElement?.dataset.name === "nested/2026/"), { timeout: 5000, timeoutMsg: "focus did not move to the new place's first entry" });
  const uris = await b.execute(() => [...document.querySelectorAll('[data-testid="browse-uris"] code')].map((c) => c.textContent));
  assert.deepEqual(uris, ["s3://browse/nested/", "s3a://browse/nested/"]);
  if (process.env.PATCHBAY_SCREENSHOTS) {
    fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
    // WebKitWebDriver's own screenshot hangs under Xvfb: the X server's picture, as list.test does.
    const shot = spawnSync("import", ["-window", "root", `${process.env.PATCHBAY_SCREENSHOTS}/browse-s3.png`]);
    assert.equal(shot.status, 0, String(shot.stderr));
  }
  await click('[data-testid="browse-uris"] button[data-uri="1"]');
  await b.waitUntil(() => spawnSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 }).stdout === "s3a://browse/nested/",
    { timeout: 5000, timeoutMsg: "the URI is not on the clipboard" });
  // An object chosen: the snippet that reads it with Polars through exec goes to the clipboard.
  assert.equal(await $('[data-testid="browse-object"]').isExisting(), false, "no object chosen yet");
  await click('[data-testid="browse-list"] [data-name="nested/readme.txt"]');
  await click('[data-testid="copy-polars"]');
  const clip = () => spawnSync("xclip", ["-o", "-selection", "clipboard"], { encoding: "utf8", timeout: 5000 }).stdout;
  await b.waitUntil(() => clip().includes('df = pl.read_csv("s3://browse/nested/readme.txt")'), { timeout: 5000, timeoutMsg: "the Polars snippet is not on the clipboard" });
  assert.ok(clip().startsWith("# Run it with: patchbay exec lake -- python3 this_file.py\n"), clip());
  assert.equal(clip().includes(srv.PB_S3_SECRET_KEY), false, "a secret in the snippet");
  // The breadcrumb's first part is the store's buckets again.
  await click('[data-testid="browse-crumbs"] .crumb');
  await b.waitUntil(async () => (await shown()).includes("browse/"), { timeout: 15000, timeoutMsg: "the breadcrumb did not go to the buckets" });
});

test("a container SAS that may not list the account says so, and a typed container is listed and saved with the connection", async () => {
  await seed({
    name: "one-container",
    spec: { kind: "azure", account: "patchbaytest", auth: "sas", container: null, endpoint_url: srv.PB_AZ_ENDPOINT, allow_http: false, ca_cert: fs.readFileSync(srv.PB_CA_CERT, "utf8"), tenant_id: null, client_id: null, authority_host: null, sas_expires: null },
    secrets: { sas_token: { mode: "value", value: srv.PB_AZ_CONTAINER_SAS } },
  });
  await browse("one-container");
  const note = await $('[data-testid="browse-note"] p');
  await note.waitForExist({ timeout: 15000 });
  assert.equal(await note.getText(), "this SAS is scoped to one container (sr=c), so it cannot list the account's containers: type the container's name");
  await $('[data-testid="browse-note"] input[name="bucket"]').setValue("reports");
  await click('[data-testid="browse-note"] button[type="submit"]');
  await listed(["2026/"]);
  const uris = await b.execute(() => [...document.querySelectorAll('[data-testid="browse-uris"] code')].map((c) => c.textContent));
  assert.deepEqual(uris, ["abfss://reports@patchbaytest.dfs.core.windows.net/", "az://reports/", `${srv.PB_AZ_ENDPOINT}/reports/`]);
  // Saved with the connection, the SAS staying: the connection now starts there.
  await click('[data-testid="browse-use-bucket"]');
  await b.waitUntil(async () => (await ipc("get_connection", { kind: "azure", name: "one-container" })).value.spec.container === "reports",
    { timeout: 5000, timeoutMsg: "the container was not saved with the connection" });
  const saved = await ipc("get_connection", { kind: "azure", name: "one-container" });
  assert.deepEqual(saved.value.secrets.map((s) => s.field), ["sas_token"]);
  // Back at the top, the container that listed is offered.
  await click('[data-testid="browse-crumbs"] .crumb');
  await listed(["reports/"]);
});

test("a Google Cloud Storage project's buckets and objects are listed with its service account", async () => {
  const key = fs.readFileSync(srv.PB_GCS_SA_KEY, "utf8");
  await seed({
    name: "gcs-lake",
    spec: { kind: "gcs", auth: "service_account", project_id: null, client_email: null, bucket: null, hmac_access_id: null, endpoint_url: srv.PB_GCS_ENDPOINT, allow_http: false, ca_cert: fs.readFileSync(srv.PB_CA_CERT, "utf8") },
    secrets: { service_account_key: { mode: "value", value: key } },
  });
  await browse("gcs-lake");
  await b.waitUntil(async () => (await shown()).includes("browse/"), { timeout: 15000, timeoutMsg: "the buckets were not listed" });
  await click('[data-testid="browse-list"] [data-name="browse"]');
  await listed(["big/", "nested/", "odd/"]);
  await press("End", "Enter");
  await b.waitUntil(async () => (await shown()).includes("esc\\u{1b}[2Jcleared.txt"), { timeout: 15000, timeoutMsg: "odd/ was not opened, or its names not escaped" });
  assert.ok((await shown()).includes("report\\u{202e}gnp.exe"));
});
