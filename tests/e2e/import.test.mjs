// "Import…" in the REAL window: the sources found at their usual places (a home directory of the
// test's own: ~/.pgpass, and ~/.aws written by the AWS CLI), a preview that shows what a person
// must know (outcome, reason, secrets by name only), a choice for taken names, rows left out on
// purpose, one transaction, and the imported connection passing its check against the real
// PostgreSQL. Then a Patchbay bundle from a file, with a wrong passphrase and the right one.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, invoke, launch, servers } from "./launch.mjs";
import { $, click, choose, fill, rowNames, use } from "./page.mjs";

const srv = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-e2e-import-"));
const home = path.join(work, "home");
let app, b;
before(async () => {
  fs.mkdirSync(home);
  const pw = srv.PB_PG_PASSWORD;
  fs.writeFileSync(path.join(home, ".pgpass"), `127.0.0.1:${srv.PB_PG_PORT}:app:app:${pw}\nlocalhost:${srv.PB_PG_PORT}:app:app:${pw}\n*:*:*:nobody:pw-of-the-wildcard-77\n`, { mode: 0o600 });
  const aws = path.join(path.dirname(process.env.PATCHBAY_TEST_PYTHON), "aws");
  for (const [k, v] of [["aws_access_key_id", srv.PB_S3_ACCESS_KEY], ["aws_secret_access_key", srv.PB_S3_SECRET_KEY], ["endpoint_url", `http://127.0.0.1:${srv.PB_S3_HTTP_PORT}`]]) {
    execFileSync(aws, ["configure", "set", k, v, "--profile", "lake"], { env: { ...process.env, HOME: home } });
  }
  const env = { ...process.env, HOME: home, PATCHBAY_DATA_DIR: path.join(work, "data") };
  for (const k of Object.keys(env)) if (/^(PG|AWS_|AIRFLOW_CONN_)/.test(k)) delete env[k];
  app = await launch({ env });
  b = app.browser;
  use(b);
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

const previewRows = () => b.execute(() => [...document.querySelectorAll('[data-testid="import-preview"] tbody tr')].map((r) => ({
  name: r.getAttribute("data-name"),
  outcome: r.getAttribute("data-outcome"),
  checked: r.querySelector("input").checked,
  enabled: !r.querySelector("input").disabled,
  said: r.querySelector("td.outcome").innerText.split("\n")[0],
})));

test("Import… lists the sources found, previews one, and imports the rows kept in one go", async () => {
  await click('[data-testid="import"]');
  const pgpass = await $('[data-testid="import-source-pgpass"]');
  await pgpass.waitForExist({ timeout: 10000 });
  assert.equal(await pgpass.getText(), `PostgreSQL password file: 3 found ${path.join(home, ".pgpass")}`);
  assert.equal(await (await $('[data-testid="import-source-aws"]')).getText(), `AWS CLI profiles: 1 found ${path.join(home, ".aws/credentials")}, ${path.join(home, ".aws/config")}`);
  await pgpass.click();
  await $('[data-testid="import-preview"]').waitForExist({ timeout: 10000 });
  assert.deepEqual(await previewRows(), [
    { name: "app", outcome: "new", checked: true, enabled: true, said: "new" },
    { name: "app", outcome: "conflict", checked: false, enabled: false, said: 'another database connection found here is named "app" too' },
    { name: "line 3", outcome: "skipped", checked: false, enabled: false, said: "a wildcard entry (*:*:*:nobody) matches many connections: its password goes to the service-file connections it matches" },
  ]);
  const dialog = await (await $('[data-testid="import-dialog"]')).getText();
  assert.equal(dialog.includes(srv.PB_PG_PASSWORD) || dialog.includes("pw-of-the-wildcard-77"), false, "no password is shown");
  if (process.env.PATCHBAY_SCREENSHOTS) {
    fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
    // WebKitWebDriver's own screenshot hangs under Xvfb: the X server's picture, as list.test does.
    const shot = spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "import-preview.png")]);
    assert.equal(shot.status, 0, String(shot.stderr));
  }
  await choose("import-conflict", "rename");
  await b.waitUntil(async () => (await previewRows())[1].outcome === "renamed", { timeout: 5000, timeoutMsg: "waited 5 s for the rename preview" });
  assert.deepEqual((await previewRows()).slice(0, 2).map((r) => [r.name, r.said, r.checked]), [["app", "new", true], ["app-2", "new, renamed from app", true]]);
  // Leave the second out on purpose.
  await click('tr[data-name="app-2"] input');
  assert.equal(await (await $('[data-testid="import-save"]')).getText(), "Import 1");
  await click('[data-testid="import-save"]');
  await $('[data-testid="import-dialog"]').waitForExist({ reverse: true, timeout: 10000 });
  const notice = await $('[data-testid="notice"] > span');
  await notice.waitForExist({ timeout: 5000 });
  assert.equal(await notice.getText(), "Imported 1 connection; 2 not imported");
  await b.waitUntil(async () => (await rowNames()).includes("app"), { timeout: 5000, timeoutMsg: "waited 5 s for the imported row" });
  assert.deepEqual(await rowNames(), ["app"]);
  const v = await invoke(b, "test_saved", { kind: "database", name: "app" });
  assert.equal(v.ok && v.value.ok, true, JSON.stringify(v));
});

test("a Patchbay bundle named by path opens with its passphrase only", async () => {
  const other = path.join(work, "other");
  const env = { ...process.env, PATCHBAY_DATA_DIR: other, PATCHBAY_MASTER_KEY: execFileSync(process.env.PATCHBAY_CLI, ["key", "generate"], { encoding: "utf8" }).trim() };
  execFileSync(process.env.PATCHBAY_CLI, ["add", "s3", "moved-lake", "--access-key-id", "AKIAMOVED", "--region", "eu-west-1", "--secret-key-stdin"], { env, input: "moved-secret" });
  const bundle = path.join(work, "move.age");
  execFileSync(process.env.PATCHBAY_CLI, ["export", "--bundle", bundle, "--passphrase-stdin"], { env, input: "correct horse battery" });
  await click('[data-testid="import"]');
  await choose("import-source", "patchbay");
  await fill("import-path", bundle);
  await fill("import-passphrase", "wrong horse");
  await click('[data-testid="import-read"]');
  const error = await $('[data-testid="import-error"]');
  await error.waitForExist({ timeout: 20000 });
  assert.equal(await error.getText(), `bundle: ${bundle} does not open with this passphrase or identity`);
  await fill("import-passphrase", "correct horse battery");
  await click('[data-testid="import-read"]');
  await $('[data-testid="import-preview"]').waitForExist({ timeout: 20000 });
  assert.deepEqual((await previewRows()).map((r) => [r.name, r.outcome, r.checked]), [["moved-lake", "new", true]]);
  await click('[data-testid="import-save"]');
  await $('[data-testid="import-dialog"]').waitForExist({ reverse: true, timeout: 10000 });
  const r = await invoke(b, "reveal_field", { kind: "storage", name: "moved-lake", field: "secret_access_key" });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.value, "moved-secret");
});
