// An S3 connection by AWS profile in the REAL window: the app is started with AWS CLI files that
// the real aws CLI wrote (a profile with moto's user's keys, and one assuming the test role from
// it). A person chooses "AWS profile", names it, and Test asks the AWS SDK for its credentials,
// says who they are (the assumed role) and lists the buckets; saved, it keeps no secret. A role
// with an MFA device asks for the code in the list, and another connection assumes a role with
// its session.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, launch, servers } from "./launch.mjs";
import { $, choose, click, fill, ipc, save, tab, use, verdict } from "./page.mjs";

const srv = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-e2e-profile-"));
const files = { AWS_CONFIG_FILE: path.join(work, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(work, "credentials") };
// IAM Identity Center is the stand-in (moto has none); its sign-in is kept under this home.
const sso = `http://127.0.0.1:${srv.PB_SSO_STANDIN_PORT}`;
const ssoEnv = { HOME: work, AWS_ENDPOINT_URL_SSO_OIDC: sso, AWS_ENDPOINT_URL_SSO: sso };
const moto = `http://127.0.0.1:${srv.PB_MOTO_PORT}`;
const aws = path.join(path.dirname(process.env.PATCHBAY_TEST_PYTHON), "aws");
const set = (profile, key, value) => {
  const o = spawnSync(aws, ["configure", "set", key, value, "--profile", profile], { env: { ...process.env, ...files }, encoding: "utf8" });
  assert.equal(o.status, 0, o.stderr);
};
let app, b;
before(async () => {
  set("base", "aws_access_key_id", srv.PB_MOTO_KEY_ID);
  set("base", "aws_secret_access_key", srv.PB_MOTO_KEY_SECRET);
  set("base", "endpoint_url", moto);
  set("reader", "role_arn", srv.PB_MOTO_ROLE_ARN);
  set("reader", "source_profile", "base");
  set("reader", "role_session_name", "from-the-window");
  set("reader", "endpoint_url", moto);
  for (const [k, v] of [["sso_start_url", "https://corp.example/start"], ["sso_region", "us-east-1"], ["sso_account_id", "123456789012"], ["sso_role_name", "reader"]]) set("sso-dev", k, v);
  app = await launch({ env: { ...process.env, ...files, ...ssoEnv, PATCHBAY_DATA_DIR: path.join(work, "data") } });
  b = app.browser;
  use(b);
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

test("an S3 connection by AWS profile is tested as the role the profile assumes and saved without secrets", async () => {
  await tab("storage");
  await click('[data-testid="new"]');
  await fill("name", "by-profile");
  assert.equal(await $('[name="profile"]').isExisting(), false, "access keys until a profile is chosen");
  await choose("s3_auth", "profile");
  assert.equal(await $('[name="access_key_id"]').isExisting(), false, "no key fields for a profile");
  await fill("profile", "reader");
  await fill("endpoint_url", moto);
  await click('input[name="allow_http"]');
  await click('[data-testid="form-test"]');
  const v = await verdict();
  assert.equal(v.ok, true, v.message);
  const facts = await b.execute(() => Object.fromEntries([...document.querySelectorAll('[data-testid="verdict"] .facts dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
  assert.match(facts.principal ?? "", /^arn:aws:sts::123456789012:assumed-role\/reader\/from-the-window/, JSON.stringify(facts));
  if (process.env.PATCHBAY_SCREENSHOTS) {
    fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
    // WebKitWebDriver's own screenshot hangs under Xvfb: the X server's picture, as list.test does.
    const shot = spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "s3-by-profile.png")]);
    assert.equal(shot.status, 0, String(shot.stderr));
  }
  await save();
  const saved = await ipc("get_connection", { kind: "storage", name: "by-profile" });
  assert.deepEqual([saved.value.spec.profile, saved.value.spec.access_key_id, saved.value.secrets], ["reader", "", []]);
});

test("a role with an MFA device asks for the code in the list once, and the session it mints is used after", async () => {
  await tab("storage");
  await click('[data-testid="new"]');
  await fill("name", "with-mfa");
  await fill("access_key_id", srv.PB_MOTO_KEY_ID);
  await fill("secret_access_key", srv.PB_MOTO_KEY_SECRET);
  assert.equal(await $('[name="role_arn"]').isExisting(), false, "no role fields until asked for");
  await click('input[name="role_on"]');
  await fill("role_arn", srv.PB_MOTO_HOP_ROLE_ARN);
  await fill("mfa_serial", "arn:aws:iam::123456789012:mfa/alice");
  await fill("session_name", "in-the-window");
  await fill("endpoint_url", moto);
  await click('input[name="allow_http"]');
  await save();
  await click('tr[data-name="with-mfa"] [data-testid="row-test"]');
  const asked = await verdict();
  assert.deepEqual([asked.ok, asked.step, asked.message], [false, "mfa_code", `role ${srv.PB_MOTO_HOP_ROLE_ARN} asks for a code from MFA device arn:aws:iam::123456789012:mfa/alice`]);
  await fill("mfa_code", "12345");
  if (process.env.PATCHBAY_SCREENSHOTS) {
    const shot = spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "s3-role-mfa.png")]);
    assert.equal(shot.status, 0, String(shot.stderr));
  }
  assert.equal(await (await $('[data-testid="use-mfa-code"]')).isEnabled(), false, "6 digits first");
  await fill("mfa_code", "123456");
  await click('[data-testid="use-mfa-code"]');
  await b.waitUntil(async () => (await verdict()).ok, { timeout: 20000, timeoutMsg: "the check with the minted session did not pass" });
  const facts = await b.execute(() => Object.fromEntries([...document.querySelectorAll('[data-testid="verdict"] .facts dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
  assert.equal(facts.principal, "arn:aws:sts::123456789012:assumed-role/hop/in-the-window");
  // The session is kept: the storage browser lists with it, asking nothing.
  const page = await ipc("browse", { kind: "storage", name: "with-mfa", place: { bucket: null, prefix: "" }, after: null });
  assert.ok(page.value.entries.some((e) => e.name === "reports"), JSON.stringify(page));

  // Another connection assumes a role with this one's credentials (its kept session: "hop" may
  // assume roles), and keeps no keys.
  await click('[data-testid="new"]');
  await fill("name", "borrowing");
  await choose("s3_auth", "source");
  assert.equal(await $('[name="access_key_id"]').isExisting(), false, "no key fields when another's credentials are used");
  await fill("role_source", "with-mfa");
  await fill("role_arn", srv.PB_MOTO_ROLE_ARN);
  await fill("endpoint_url", moto);
  await click('input[name="allow_http"]');
  await click('[data-testid="form-test"]');
  const v = await verdict();
  assert.equal(v.ok, true, v.message);
  await save();
  const saved = await ipc("get_connection", { kind: "storage", name: "borrowing" });
  assert.deepEqual([saved.value.spec.role.source, saved.value.spec.access_key_id, saved.value.secrets], ["with-mfa", "", []]);
});

test("an IAM Identity Center profile is signed in from the list, and its check passes after", async () => {
  const spec = { kind: "storage", access_key_id: "", region: "us-east-1", endpoint_url: moto, verify_ssl: true, allow_http: true, ca_cert: null, session_expires: null, profile: "sso-dev", role: null };
  const saved = await ipc("save_connection", { draft: { name: "sso-dev", env_tag: null, spec, secrets: {} }, editing: null });
  assert.ok(saved.ok, JSON.stringify(saved.error));
  // Saved behind the list's back: reload so the window reads it as at start.
  await b.refresh();
  await tab("storage");
  await click('tr[data-name="sso-dev"] [data-testid="row-test"]');
  const before = await verdict();
  assert.deepEqual([before.ok, before.step, before.message], [false, "sso_login", "profile sso-dev signs in with IAM Identity Center, and nobody has signed in with it on this machine yet"]);
  await click('[data-testid="sso-sign-in"]');
  const shown = await $('[data-testid="sso-url"]');
  await shown.waitForExist({ timeout: 10000 });
  const url = await shown.getText();
  assert.match(await (await $('[data-testid="sso-code"]')).getText(), /^[0-9A-F]{4}-[0-9A-F]{4}$/);
  // The person approves it in their browser.
  assert.equal((await fetch(url)).status, 200);
  await b.waitUntil(async () => (await verdict()).ok, { timeout: 20000, timeoutMsg: "the check after signing in did not pass" });
  const facts = await b.execute(() => Object.fromEntries([...document.querySelectorAll('[data-testid="verdict"] .facts dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])));
  assert.equal(facts.principal, "arn:aws:sts::123456789012:assumed-role/reader/sso");
  assert.equal(fs.readdirSync(path.join(work, ".aws", "sso", "cache")).length, 1, "the sign-in is kept where the AWS CLI keeps it");
});
