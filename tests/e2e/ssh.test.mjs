// SSH tunnels in the REAL window, against the real bastion of tests/servers/ssh (an sshd in a
// network namespace of its own: the database at 127.0.0.1:5432 is there, not here). A person
// turns on "Through an SSH bastion", fills the bastion and its key file, and Test says the host
// is not known, with its fingerprint — the same one ssh-keygen reads from the host key. "Trust
// host key" tests again through the tunnel: the SSH steps, then the database's. Saved, edited
// and saved again, the tunnel stays; removed, the connection has none.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { close, launch, servers } from "./launch.mjs";
import { $, choose, click, fill, ipc, openRow, save, use, verdict } from "./page.mjs";

const srv = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-e2e-ssh-"));
let app, b;
before(async () => {
  // A home of its own: no known_hosts of the machine's.
  fs.mkdirSync(path.join(work, "home"));
  app = await launch({ env: { ...process.env, HOME: path.join(work, "home"), PATCHBAY_DATA_DIR: path.join(work, "data") } });
  b = app.browser;
  use(b);
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

const fingerprint = () => spawnSync("ssh-keygen", ["-lf", srv.PB_SSH_HOST_KEY], { encoding: "utf8" }).stdout.split(" ")[1];
const stepNames = () => b.execute(() => [...document.querySelectorAll('[data-testid="verdict"] .step-name')].map((s) => s.textContent));

test("a database behind a bastion is tested through it once its host key is trusted by fingerprint", async () => {
  await click('[data-testid="new"]');
  await fill("name", "behind-bastion");
  await fill("host", "127.0.0.1");
  await fill("port", "5432");
  await fill("database", "app");
  await fill("username", "app");
  await fill("password", srv.PB_PG_PASSWORD);
  await choose("ssl_mode", "require");
  assert.equal(await $('[name="ssh_host"]').isExisting(), false, "no SSH fields until asked for");
  await click('[name="ssh_on"]');
  await fill("ssh_host", "127.0.0.1");
  await fill("ssh_port", srv.PB_SSH_PORT);
  await fill("ssh_user", srv.PB_SSH_USER);
  await choose("ssh_auth", "key");
  await fill("ssh_key_file", srv.PB_SSH_KEY);
  await click('[data-testid="form-test"]');
  const fp = fingerprint();
  const unknown = await verdict();
  assert.deepEqual([unknown.ok, unknown.step, unknown.message], [false, "ssh_host_key", `the bastion 127.0.0.1:${srv.PB_SSH_PORT} is not known: its host key is ${fp}`]);
  const trust = await $('[data-testid="trust-host-key"]');
  assert.equal(await trust.getText(), `Trust host key ${fp} and test again`);
  await trust.click();
  await b.waitUntil(async () => (await verdict()).ok, { timeout: 20000, timeoutMsg: "the check through the tunnel did not pass" });
  assert.deepEqual(await stepNames(), ["ssh_tcp", "ssh_handshake", "ssh_host_key", "ssh_auth", "ssh_forward", "tcp", "tls", "auth", "query"]);
  if (process.env.PATCHBAY_SCREENSHOTS) {
    fs.mkdirSync(process.env.PATCHBAY_SCREENSHOTS, { recursive: true });
    // WebKitWebDriver's own screenshot hangs under Xvfb: the X server's picture, as list.test does.
    const shot = spawnSync("import", ["-window", "root", path.join(process.env.PATCHBAY_SCREENSHOTS, "ssh-tunnel.png")]);
    assert.equal(shot.status, 0, String(shot.stderr));
  }
  await save();
  const saved = await ipc("get_connection", { kind: "database", name: "behind-bastion" });
  assert.deepEqual(saved.value.spec.ssh, { host: "127.0.0.1", port: Number(srv.PB_SSH_PORT), user: srv.PB_SSH_USER, auth: "key", key_file: srv.PB_SSH_KEY });
  // The row's own Test goes through the tunnel too; the key is remembered now.
  await click('tr[data-name="behind-bastion"] [data-testid="row-test"]');
  await b.waitUntil(async () => (await $('tr[data-verdict-for="behind-bastion"] [data-testid="verdict"]')).isExisting(), { timeout: 20000 });
  assert.equal(await (await $('tr[data-verdict-for="behind-bastion"] [data-testid="verdict"]')).getAttribute("data-ok"), "true");
});

test("editing keeps the tunnel; turning it off removes it", async () => {
  await openRow("behind-bastion");
  assert.equal(await (await $('[name="ssh_host"]')).getValue(), "127.0.0.1");
  await fill("database", "app");
  await save();
  let c = await ipc("get_connection", { kind: "database", name: "behind-bastion" });
  assert.equal(c.value.spec.ssh.port, Number(srv.PB_SSH_PORT), "an edit of another field keeps the tunnel");
  await openRow("behind-bastion");
  await click('[name="ssh_on"]');
  await save();
  c = await ipc("get_connection", { kind: "database", name: "behind-bastion" });
  assert.equal(c.value.spec.ssh ?? null, null);
});

test("a bastion field that cannot be saved is named next to it", async () => {
  await openRow("behind-bastion");
  await click('[name="ssh_on"]');
  await fill("ssh_host", "127.0.0.1");
  await fill("ssh_user", srv.PB_SSH_USER);
  await fill("ssh_key_file", "/no/such/key");
  await click('[data-testid="form-save"]');
  const err = await $('[data-field="ssh_key_file"]');
  await err.waitForExist({ timeout: 5000 });
  assert.equal(await err.getText(), "/no/such/key is not a file: name the private key (e.g. ~/.ssh/id_ed25519)");
});

test("a bastion behind a jump host keeps its jump host through an edit in the window", async () => {
  const jump = { host: "127.0.0.1", port: Number(srv.PB_SSH_JUMP_PORT), user: srv.PB_SSH_USER, auth: "key", key_file: srv.PB_SSH_KEY };
  const draft = {
    name: "deep", env_tag: null, confirm_kept_secrets: false,
    spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: 5432, database: "app", username: "app", ssl_mode: "require", ca_cert: null,
      ssh: { host: "127.0.0.1", port: 22022, user: srv.PB_SSH_USER, auth: "key", key_file: srv.PB_SSH_KEY, jump: [jump] } },
    secrets: { password: { mode: "value", value: srv.PB_PG_PASSWORD } },
  };
  assert.equal((await ipc("save_connection", { draft, editing: null })).ok, true);
  await b.refresh();
  await openRow("deep");
  assert.equal(await (await $('[data-testid="ssh-jumps"]')).getText(),
    `Through jump host ${srv.PB_SSH_USER}@127.0.0.1:${srv.PB_SSH_JUMP_PORT} first (changed with patchbay edit --ssh-jump)`);
  await fill("database", "app");
  await save();
  const c = await ipc("get_connection", { kind: "database", name: "deep" });
  assert.deepEqual(c.value.spec.ssh.jump, [jump]);
});
