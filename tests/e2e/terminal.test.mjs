// "Open in terminal" in the REAL window, for every kind: the row's menu opens the real xterm
// (through tests/e2e/xterm-with-log, which turns on xterm's own session log) running
// `patchbay exec NAME -- CLIENT`, and each test reads what the terminal showed: psql logged in as
// the saved user, mariadb's prompt, kcat's cluster listing (from the KCAT_CONFIG exec wrote), an
// object store's shell; a client that fails leaves the terminal open with its message and exit
// status. Closing the terminal (xterm hangs up its session) leaves no private file of exec's.
//
// kcat is Debian's; the librdkafka it loads here is the current one of the confluent-kafka wheel
// (PyPI), because Debian's librdkafka 2.0.2 cannot read the test broker's (tansu 0.6) ApiVersions
// answer — a real Kafka broker it reads fine.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, close, invoke, rowAction, servers } from "./launch.mjs";

const env = servers();
const work = fs.mkdtempSync(path.join(os.tmpdir(), "pb-terminal-"));
const logs = path.join(work, "logs");
fs.mkdirSync(logs);
const out = path.join(work, "current_user.txt");
fs.writeFileSync(path.join(work, "psqlrc"), `\\o ${out}\nselect current_user;\n\\o\n`);

// librdkafka.so.1 from the confluent-kafka wheel, for kcat.
const libs = spawnSync(process.env.PATCHBAY_TEST_PYTHON, ["-c",
  "import confluent_kafka, os; d = os.path.dirname(confluent_kafka.__file__) + '.libs'; print(d + '/' + [f for f in os.listdir(d) if f.startswith('librdkafka')][0])"],
{ encoding: "utf8" });
assert.equal(libs.status, 0, libs.stderr);
const rdkafka = path.join(work, "rdkafka");
fs.mkdirSync(rdkafka);
fs.symlinkSync(libs.stdout.trim(), path.join(rdkafka, "librdkafka.so.1"));

let app, b;
before(async () => {
  app = await launch({ env: {
    ...process.env,
    PATCHBAY_DATA_DIR: path.join(work, "data"),
    TERMINAL: path.resolve("xterm-with-log"),
    PB_TERMINAL_LOGS: logs,
    PSQLRC: path.join(work, "psqlrc"),
    LD_LIBRARY_PATH: rdkafka,
  } });
  b = app.browser;
});
after(async () => {
  await close(app);
  fs.rmSync(work, { recursive: true, force: true });
});

const ipc = (cmd, args = {}) => invoke(b, cmd, args);
const execDirs = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("patchbay-exec-"));
const xtermRuns = () => spawnSync("pgrep", ["-x", "xterm"]).status === 0;
const until = async (what, fn, ms = 20000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out after ${ms} ms waiting for ${what}`);
};
// What the newest terminal showed, without its escape sequences.
const shown = () => {
  const files = fs.readdirSync(logs).sort();
  if (!files.length) return "";
  return fs.readFileSync(path.join(logs, files.at(-1)), "utf8")
    .replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r/g, "");
};

async function save(draft) {
  const saved = await ipc("save_connection", { draft: { env_tag: null, confirm_kept_secrets: false, ...draft }, editing: null });
  assert.equal(saved.ok, true, JSON.stringify(saved));
}

async function open(tab, name, client) {
  for (const f of fs.readdirSync(logs)) fs.rmSync(path.join(logs, f));
  await b.refresh();
  await (await b.$(`[data-tab="${tab}"]`)).click();
  await rowAction(b, name, "terminal");
  const notice = await b.$('[data-testid="notice"] > span');
  await notice.waitForExist({ timeout: 5000 });
  assert.equal(await notice.getText(), `Opened ${name} in xterm-with-log (${client})`);
}

async function closeTerminal(before) {
  // Closing the terminal hangs up patchbay exec, which passes it on to the client and cleans up.
  spawnSync("pkill", ["-TERM", "-x", "xterm"]);
  await until("the terminal to close", () => !xtermRuns());
  await until("exec's private files to go", () => execDirs().every((d) => before.has(d)), 5000);
}

const pg = (password) => ({
  spec: { kind: "database", engine: "postgresql", host: "127.0.0.1", port: Number(env.PB_PG_PORT), database: "app", username: "app", ssl_mode: "verify-ca", ca_cert: fs.readFileSync(env.PB_CA_CERT, "utf8") },
  secrets: { password: { mode: "value", value: password } },
});

test("psql runs in the terminal as the saved user, and closing it leaves nothing behind", async () => {
  // verify-ca with the test CA: exec hands psql the CA as a private file (PGSSLROOTCERT).
  await save({ name: "orders", ...pg(env.PB_PG_PASSWORD) });
  const before = new Set(execDirs());
  await open("database", "orders", "psql");
  await until("psql to write current_user", () => fs.existsSync(out) && fs.readFileSync(out, "utf8").includes("app"));
  assert.match(fs.readFileSync(out, "utf8"), /^\s*current_user\s*\n-+\n\s*app\s*$/m);
  await until("psql's prompt", () => /app=> $/.test(shown()));
  assert.doesNotMatch(shown(), /exit status/);
  await closeTerminal(before);
  assert.equal((await ipc("delete_connection", { kind: "database", name: "orders" })).ok, true);
});

test("psql runs in the terminal through the connection's SSH tunnel, once its bastion is trusted", async () => {
  // The database as the bastion sees it (127.0.0.1:5432 in the bastion's own network).
  const tunnelled = pg(env.PB_PG_PASSWORD);
  tunnelled.spec = { ...tunnelled.spec, port: 5432, ssh: { host: "127.0.0.1", port: Number(env.PB_SSH_PORT), user: env.PB_SSH_USER, auth: "key", key_file: env.PB_SSH_KEY } };
  await save({ name: "behind-bastion", ...tunnelled });
  const fp = spawnSync("ssh-keygen", ["-lf", env.PB_SSH_HOST_KEY], { encoding: "utf8" }).stdout.split(" ")[1];
  assert.equal((await ipc("accept_host_key", { fingerprint: fp })).ok, true);
  const v = await ipc("test_saved", { kind: "database", name: "behind-bastion", ticket: null });
  assert.equal(v.value.ok, true, JSON.stringify(v.value));
  fs.rmSync(out, { force: true });
  const before = new Set(execDirs());
  await open("database", "behind-bastion", "psql");
  await until("psql to write current_user", () => fs.existsSync(out) && fs.readFileSync(out, "utf8").includes("app"));
  await until("psql's prompt", () => /app=> $/.test(shown()));
  assert.doesNotMatch(shown(), /exit status/);
  await closeTerminal(before);
  assert.equal((await ipc("delete_connection", { kind: "database", name: "behind-bastion" })).ok, true);
});

test("a client that fails keeps its terminal open with the message and the exit status", async () => {
  await save({ name: "wrong-password", ...pg("not-the-password") });
  const before = new Set(execDirs());
  await open("database", "wrong-password", "psql");
  await until("psql's failure and the prompt to close", () => shown().includes("Press Enter to close this window."));
  const text = shown();
  assert.match(text, /password authentication failed for user "app"/);
  assert.match(text, /\n\[exit status 2\] Press Enter to close this window\.$/);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(xtermRuns(), true, "the terminal is still open after psql failed");
  await closeTerminal(before);
  assert.equal((await ipc("delete_connection", { kind: "database", name: "wrong-password" })).ok, true);
});

test("mariadb opens at its prompt on the saved database", async () => {
  await save({
    name: "shop",
    spec: { kind: "database", engine: "mysql", host: "127.0.0.1", port: Number(env.PB_MY_PORT), database: "app", username: "app", ssl_mode: "prefer", ca_cert: null },
    secrets: { password: { mode: "value", value: env.PB_MY_PASSWORD } },
  });
  const before = new Set(execDirs());
  await open("database", "shop", "mariadb");
  await until("mariadb's prompt", () => /MariaDB \[app\]> $/.test(shown()));
  assert.doesNotMatch(shown(), /ERROR|exit status/);
  await closeTerminal(before);
});

test("kcat lists the cluster from the configuration exec wrote, and leaves a shell for the next kcat", async () => {
  await save({
    name: "events",
    spec: { kind: "kafka", bootstrap_servers: `127.0.0.1:${env.PB_KAFKA_SASL_SSL_PORT}`, security_protocol: "SASL_SSL", sasl_mechanism: "SCRAM-SHA-256", sasl_username: "alice", ca_cert: fs.readFileSync(env.PB_CA_CERT, "utf8"), client_cert: null, schema_registry_url: null, schema_registry_username: null, schema_registry_allow_http: false },
    secrets: { sasl_password: { mode: "value", value: env.PB_KAFKA_PASSWORD_256 } },
  });
  const before = new Set(execDirs());
  await open("kafka", "events", "kcat");
  await until("kcat's listing and the shell after it", () => shown().includes("exit closes this window."));
  const text = shown();
  // Through the bootstrap connection ("broker -1: …/bootstrap") or the broker's own.
  assert.match(text, /^Metadata for all topics \(from broker -?\d+: sasl_ssl:\/\/127\.0\.0\.1:\d+\/(\d+|bootstrap)\):$/m);
  assert.match(text, /^ 1 brokers:\n  broker 111 at 127\.0\.0\.1:\d+ \(controller\)$/m);
  assert.match(text, /^kcat reads this connection from \$KCAT_CONFIG: kcat -C -t TOPIC -e reads a topic; exit closes this window\.$/m);
  assert.doesNotMatch(text, /ERROR|exit status|-b missing/);
  assert.equal(text.includes(env.PB_KAFKA_PASSWORD_256), false, "the password is never shown");
  await closeTerminal(before);
});

test("an object store opens a shell that says what it holds", async () => {
  await save({
    name: "lake",
    spec: { kind: "storage", access_key_id: env.PB_S3_ACCESS_KEY, region: "us-east-1", endpoint_url: `http://127.0.0.1:${env.PB_S3_HTTP_PORT}`, verify_ssl: true, allow_http: true, ca_cert: null, session_expires: null },
    secrets: { secret_access_key: { mode: "value", value: env.PB_S3_SECRET_KEY } },
  });
  const before = new Set(execDirs());
  await open("storage", "lake", "a shell");
  await until("the shell's note", () => shown().includes("patchbay env lake lists them"));
  assert.match(shown(), /^this shell has the connection's variables \(patchbay env lake lists them\)$/m);
  await closeTerminal(before);
});
