// End-to-end tests of the REAL Patchbay window, one kind of connection at a time: each is
// created through the form, tested against the real server, broken and deleted (app.test.mjs
// holds the window's behaviour across kinds). The desktop app is driven through tauri-driver +
// WebKitWebDriver under Xvfb, inside dbus-run-session with a real gnome-keyring, against the real
// servers of tests/servers/start. tests/run sets the environment:
//   PATCHBAY_APP (the binary), TAURI_DRIVER, PATCHBAY_TEST_SERVERS, PATCHBAY_DATA_DIR,
//   PATCHBAY_SCREENSHOTS (optional: where to save the README's screenshots).
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { launch, close, rowAction, servers } from "./launch.mjs";
import { $, choose, click, closedPort, deleteRow, emptyStore, fill, ipc, openRow, pasteInto, rowCells, rowNames, save, seedDatabaseRows, tab, use, verdict, oneWindow } from "./page.mjs";

const env = servers();
const shots = process.env.PATCHBAY_SCREENSHOTS;
let app;
let b;
oneWindow((a) => {
  app = a;
  b = a.browser;
});

/** Screenshots come from the X server itself (ImageMagick), i.e. the pixels a person sees. */
const shot = async (name) => {
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await new Promise((r) => setTimeout(r, 300));
  execFileSync("import", ["-window", "root", "-crop", "1200x760+0+0", "+repage", path.join(shots, `${name}.png`)]);
};

/** Edits a saved connection's secret to a wrong value, tests, and returns the verdict. */
async function breakSecret(name, field, wrong) {
  await openRow(name);
  await fill(field, wrong);
  await click('[data-testid="form-test"]');
  return verdict();
}

test("the window shows each tab with an empty state that says how to add one", async () => {
  for (const t of ["database", "storage", "kafka", "secrets"]) {
    await tab(t);
    const empty = await $('[data-testid="empty"]');
    await empty.waitForExist({ timeout: 5000 });
    assert.match(await empty.getText(), /New|N\b/);
  }
  await tab("database");
  assert.match(await (await $('[data-testid="key-status"]')).getText(), /Key in the OS keychain/);
});

test("a validation error is shown next to its field and nothing is saved", async () => {
  await tab("database");
  await (await $('[data-testid="new"]')).click();
  await fill("name", "bad-port");
  await fill("host", "127.0.0.1");
  await fill("port", "70000");
  await fill("username", "app");
  await (await $('[data-testid="form-save"]')).click();
  const err = await $('.field-error[data-field="port"]');
  await err.waitForExist({ timeout: 5000 });
  assert.match(await err.getText(), /70000 is not a TCP port/);
  await click("button=Cancel");
  assert.deepEqual(await rowNames(), []);
});

test("a PostgreSQL connection is created through the form, tested, broken, and deleted", async () => {
  await tab("database");
  await (await $('[data-testid="new"]')).click();
  await fill("name", "orders");
  await fill("env_tag", "prod");
  await fill("host", "127.0.0.1");
  await fill("port", env.PB_PG_PORT);
  await fill("database", "app");
  await fill("username", "app");
  await fill("password", env.PB_PG_PASSWORD);
  await choose("ssl_mode", "require");
  await click('[data-testid="form-test"]');
  let v = await verdict();
  assert.equal(v.ok, true, v.message);
  assert.match(v.message, /PostgreSQL 15/);
  await save();
  assert.deepEqual(await rowNames(), ["orders"]);
  let cells = await rowCells("orders");
  assert.match(cells.env, /^prod$/i, "the row shows its environment tag");
  assert.match(cells.name, /TLS unverified/, "require without verification is marked");
  assert.equal(cells.target, `127.0.0.1:${env.PB_PG_PORT}/app`);
  // Tested in the form and saved unchanged: that check is its last check.
  assert.match(cells.last, /^ok · \d+ ms · \d+s ago$/);

  // The saved password is never sent to a changed host: the check refuses at the password
  // field, and saving asks first.
  await openRow("orders");
  await fill("host", "localhost");
  await click('[data-testid="form-test"]');
  const refused = await $('.field-error[data-field="password"]');
  await refused.waitForExist({ timeout: 5000 });
  assert.match(await refused.getText(), /host changed/);
  assert.equal(await $('[data-testid="verdict"]').isExisting(), false, "no check ran");
  await click('[data-testid="form-save"]');
  const ask = await $('[data-testid="moving-secret"]');
  await ask.waitForExist({ timeout: 5000 });
  assert.match(await ask.getText(), /host changed/);
  await (await (await $(".modal")).$("button=Cancel")).click();
  await click("button=Cancel");
  assert.equal((await rowCells("orders")).target, `127.0.0.1:${env.PB_PG_PORT}/app`, "nothing was saved");

  v = await breakSecret("orders", "password", "not-the-password");
  assert.equal(v.ok, false);
  assert.equal(v.step, "auth");
  assert.equal(v.message, "wrong password for user app");
  assert.equal(v.hint, "type the right password for user app", "the hint says what to do, not the cause again");
  await shot("form-failed-test");
  await click("button=Cancel");
  // Saved with the right password still: a row test passes.
  await (await $('tr[data-name="orders"] [data-testid="row-test"]')).click();
  v = await verdict();
  assert.equal(v.ok, true, v.message);
  await b.waitUntil(async () => /^ok · \d+ ms · /.test((await rowCells("orders")).last), { timeout: 5000, timeoutMsg: "the row shows its last check" });
  // "Ns ago" keeps counting without any other change on the page.
  const first = (await rowCells("orders")).last;
  await b.waitUntil(async () => (await rowCells("orders")).last !== first, { timeout: 8000, timeoutMsg: `"${first}" never ticked` });
  assert.match((await rowCells("orders")).last, /^ok · \d+ ms · \d+s ago$/);
  await shot("tab-database");
  await deleteRow("orders");
  assert.deepEqual(await rowNames(), []);
});

test("an S3 connection is created, tested, broken, and deleted", async () => {
  await tab("storage");
  await (await $('[data-testid="new"]')).click();
  await fill("name", "lake");
  await fill("access_key_id", env.PB_S3_ACCESS_KEY);
  await fill("secret_access_key", env.PB_S3_SECRET_KEY);
  await fill("endpoint_url", `http://127.0.0.1:${env.PB_S3_HTTP_PORT}`);
  await (await $('input[name="allow_http"]')).click();
  await click('[data-testid="form-test"]');
  let v = await verdict();
  assert.equal(v.ok, true, v.message);
  assert.equal(v.message, "credentials accepted; 3 bucket(s) visible");
  await save();
  v = await breakSecret("lake", "secret_access_key", "wrong-secret");
  assert.equal(v.step, "auth");
  assert.match(v.hint, /wrong secret access key/);
  await click("button=Cancel");
  await shot("tab-storage");
  await deleteRow("lake");
});

test("temporary AWS credentials are tested with their session token and flagged once expired", async () => {
  const aws = path.join(path.dirname(process.env.PATCHBAY_TEST_PYTHON), "aws");
  const endpoint = `http://127.0.0.1:${env.PB_MOTO_PORT}`;
  const sts = JSON.parse(execFileSync(aws, ["--endpoint-url", endpoint, "--output", "json", "sts", "assume-role",
    "--role-arn", env.PB_MOTO_ROLE_ARN, "--role-session-name", "window-test"], {
    env: { PATH: process.env.PATH, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_DEFAULT_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: env.PB_MOTO_KEY_ID, AWS_SECRET_ACCESS_KEY: env.PB_MOTO_KEY_SECRET },
    encoding: "utf8",
  })).Credentials;
  await tab("storage");
  await (await $('[data-testid="new"]')).click();
  await fill("name", "session");
  await fill("access_key_id", sts.AccessKeyId);
  await fill("secret_access_key", sts.SecretAccessKey);
  await fill("endpoint_url", endpoint);
  await (await $('input[name="allow_http"]')).click();
  // Without its token the temporary key is named as such…
  await click('[data-testid="form-test"]');
  let v = await verdict();
  assert.equal(v.ok, false);
  assert.match(v.message, /temporary \(ASIA…\) but no session token is saved/);
  // …with it, moto accepts the signed request.
  await fill("session_token", sts.SessionToken);
  await fill("session_expires", sts.Expiration);
  await click('[data-testid="form-test"]');
  v = await verdict();
  assert.equal(v.ok, true, v.message);
  await save();
  assert.equal(await $('tr[data-name="session"] [data-testid="credential-warning"]').isExisting(), false, "an hour left is not a warning");
  await openRow("session");
  await fill("session_expires", "2020-01-01T00:00:00Z");
  await save();
  await b.refresh();
  await tab("storage");
  const badge = await $('tr[data-name="session"] [data-testid="credential-warning"]');
  await badge.waitForExist({ timeout: 5000 });
  assert.match(await badge.getText(), /^session token expired \d+ days ago$/);
  await deleteRow("session");
});

test("an Azure connection shares the Cloud Storage tab, is tested, and fills from a pasted connection string", async () => {
  await tab("storage");
  await (await $('[data-testid="new"]')).click();
  await choose("kind", "azure");
  await fill("name", "blob");
  await fill("account", env.PB_AZ_ACCOUNT);
  await fill("account_key", env.PB_AZ_KEY);
  await fill("endpoint_url", env.PB_AZ_ENDPOINT);
  await pasteInto("ca_cert", fs.readFileSync(env.PB_CA_CERT, "utf8"));
  await click('[data-testid="form-test"]');
  let v = await verdict();
  assert.equal(v.ok, true, v.message);
  assert.match(v.message, /1 container\(s\) listed/);
  await save();
  assert.equal(await (await $('tr[data-name="blob"] [data-testid="row-kind"]')).getText(), "Azure");

  // A connection string pasted into a new form picks the type and fills account, endpoint and key.
  await (await $('[data-testid="new"]')).click();
  await fill("url", `DefaultEndpointsProtocol=https;AccountName=${env.PB_AZ_ACCOUNT};AccountKey=${env.PB_AZ_KEY};BlobEndpoint=${env.PB_AZ_ENDPOINT}`);
  await click("button=Fill");
  assert.equal(await (await $('select[name="kind"]')).getValue(), "azure");
  assert.equal(await (await $('input[name="account"]')).getValue(), env.PB_AZ_ACCOUNT);
  assert.equal(await (await $('input[name="account_key"]')).getValue(), env.PB_AZ_KEY);
  await pasteInto("ca_cert", fs.readFileSync(env.PB_CA_CERT, "utf8"));
  await click('[data-testid="form-test"]');
  v = await verdict();
  assert.equal(v.ok, true, v.message);
  await click("button=Cancel");

  // A wrong key is named.
  v = await breakSecret("blob", "account_key", "V3Jvbmcta2V5LWZvci10aGUtYXp1cmUtdGVzdHMtMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA==");
  assert.equal(v.step, "auth");
  assert.match(v.message, /the account key does not match account/);
  await click("button=Cancel");
  await shot("tab-storage-azure");
  await deleteRow("blob");
});

test("a Google Cloud Storage connection takes a service account key, fills from gs:// and names its account", async () => {
  // The key of the one service account Google's authentication stand-in trusts.
  const email = env.PB_GCS_SA_EMAIL;
  const key = fs.readFileSync(env.PB_GCS_SA_KEY, "utf8");
  await tab("storage");
  await (await $('[data-testid="new"]')).click();
  await fill("url", "gs://reports/2026/");
  await click("button=Fill");
  assert.equal(await (await $('select[name="kind"]')).getValue(), "gcs");
  assert.equal(await (await $('input[name="bucket"]')).getValue(), "reports");
  assert.equal(await (await $('input[name="name"]')).getValue(), "reports");
  // The key comes from its file ("Choose file…", read in the window), masked like a password.
  const keyFile = path.join(os.tmpdir(), `pb-e2e-sa-${process.pid}.json`);
  fs.writeFileSync(keyFile, key);
  try {
    await (await $('input[name="service_account_key-file"]')).addValue(keyFile);
    // The window reads the file after the choice: it must still be there then.
    await b.waitUntil(async () => (await (await $('textarea[name="service_account_key"]')).getValue()) === key,
      { timeout: 10000, timeoutMsg: "waited 10 s for the chosen file to fill the key" });
  } finally {
    fs.rmSync(keyFile, { force: true });
  }
  const security = () => b.execute(() => getComputedStyle(document.querySelector('textarea[name="service_account_key"]')).webkitTextSecurity);
  assert.equal(await security(), "disc", "the key is drawn masked");
  await click('[data-testid="show-service_account_key"]');
  assert.equal(await security(), "none", "Show draws it");
  await click('[data-testid="show-service_account_key"]');
  assert.equal(await security(), "disc");
  await fill("endpoint_url", env.PB_GCS_ENDPOINT);
  await pasteInto("ca_cert", fs.readFileSync(env.PB_CA_CERT, "utf8"));
  await click('[data-testid="form-test"]');
  const v = await verdict();
  assert.equal(v.ok, true, v.message);
  assert.match(v.message, /bucket reports listed/);
  await save();
  assert.equal(await (await $('tr[data-name="reports"] [data-testid="row-kind"]')).getText(), "GCS");
  assert.equal((await rowCells("reports")).target, "gs://reports");
  await openRow("reports");
  assert.match(await (await $('[data-testid="client-email"]')).getText(), new RegExp(email));
  await click("button=Cancel");
  await deleteRow("reports");
});

test("a Kafka connection is created, tested, broken, and deleted", async () => {
  await tab("kafka");
  await (await $('[data-testid="new"]')).click();
  await fill("name", "events");
  await fill("bootstrap_servers", `127.0.0.1:${env.PB_KAFKA_SASL_PORT}`);
  await choose("security_protocol", "SASL_PLAINTEXT");
  await choose("sasl_mechanism", "SCRAM-SHA-256");
  await fill("sasl_username", "alice");
  await fill("sasl_password", env.PB_KAFKA_PASSWORD_256);
  await click('[data-testid="form-test"]');
  let v = await verdict();
  assert.equal(v.ok, true, v.message);
  await save();
  v = await breakSecret("events", "sasl_password", "wrong-kafka-password");
  assert.equal(v.step, "auth");
  assert.match(v.hint, /wrong SASL password/);
  await click("button=Cancel");
  await shot("tab-kafka");
  await deleteRow("events");
});

test("a secret is created, revealed on request, and deleted", async () => {
  await tab("secrets");
  await (await $('[data-testid="new"]')).click();
  await fill("secret-name", "api-token");
  await fill("secret-value", "e2e-secret-value-93f1");
  await fill("secret-description", "CI token");
  await (await $('[data-testid="secret-save"]')).click();
  await $('tr[data-name="api-token"]').waitForExist({ timeout: 5000 });
  const row = await $('tr[data-name="api-token"]');
  assert.doesNotMatch(await row.getText(), /e2e-secret-value-93f1/, "not shown before reveal");
  await (await row.$('[data-testid="reveal-secret"]')).click();
  const revealed = await $('[data-testid="revealed-secret"]');
  await revealed.waitForExist({ timeout: 5000 });
  assert.equal(await revealed.getText(), "e2e-secret-value-93f1");
  await shot("tab-secrets");
  await (await row.$('[data-testid="delete-secret"]')).click();
  await (await $('[data-testid="confirm"]')).click();
  await $('tr[data-name="api-token"]').waitForExist({ reverse: true, timeout: 5000 });
});

