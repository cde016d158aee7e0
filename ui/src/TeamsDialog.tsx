// "Teams…": the teams this store belongs to (their engines, until when each token works), a
// team's connections as its engine lists them (read-only where the member's policy only reads,
// the kept list marked stale when the engine cannot be reached), a check of one, logging in
// again, and joining a team. Secrets typed here go to the core once; the engine's token never
// comes back (it is kept in the OS keychain).
import { useEffect, useState } from "preact/hooks";
import { api, errorText } from "./api";
import type { Verdict } from "./gen/bindings";
import type { EngineKind, Team, TeamAuth, TeamList } from "./gen/desk-bindings";
import { Dialog } from "./Modal";
import { VerdictView } from "./VerdictView";

const AUTHS: [TeamAuth, string, string, string][] = [
  ["userpass", "User name and password", "User", "Password"],
  ["token", "Token", "", "Token"],
  ["approle", "AppRole", "Role id", "Secret id"],
  ["jwt", "JWT", "Role", "JWT"],
  ["aws_keys", "Access key", "Access key id", "Secret access key"],
];
/** The engines a team may run, and the login methods each takes. */
const ENGINES: [EngineKind, string][] = [["vault", "OpenBao / HashiCorp Vault (KV v2)"], ["aws_secrets_manager", "AWS Secrets Manager"]];

const until = (t: Team) => t.token_expires === null ? "token does not expire"
  : t.token_expires <= Date.now() ? "token expired: log in again" : `token until ${new Date(t.token_expires).toLocaleString()}`;

function Join({ onJoined }: { onJoined: (t: Team) => void }) {
  const [f, setF] = useState({ name: "", engine: "vault" as EngineKind, address: "https://", region: "", mount: "secret", path: "", namespace: "", ca_cert: "", auth: "userpass" as TeamAuth, login_name: "", secret: "" });
  const aws = f.engine === "aws_secrets_manager";
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });
  const a = AUTHS.find((x) => x[0] === f.auth)!;
  const join = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const draft: Team = { name: f.name, engine: f.engine, address: f.address, region: aws ? f.region : null, mount: aws ? "" : f.mount, path: f.path,
        namespace: aws ? null : f.namespace || null, ca_cert: f.ca_cert || null, auth: aws ? "aws_keys" : f.auth, login_name: f.login_name || null, token_expires: null };
      onJoined(await api.joinTeam(draft, f.secret));
      setF({ ...f, secret: "" });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="join-team" data-testid="join-team" onSubmit={join}>
      <h3>Join a team</h3>
      <label>Team <input name="team-name" value={f.name} onInput={set("name")} placeholder="data-eng" /></label>
      <label>Engine <select name="team-engine" value={f.engine} onChange={(e) => {
        const engine = (e.target as HTMLSelectElement).value as EngineKind;
        setF({ ...f, engine, auth: engine === "aws_secrets_manager" ? "aws_keys" : "userpass", address: engine === "aws_secrets_manager" ? "" : "https://" });
      }}>{ENGINES.map(([v, l]) => <option value={v}>{l}</option>)}</select></label>
      <label>Engine address <input name="team-address" value={f.address} onInput={set("address")} placeholder={aws ? "the region's endpoint when empty" : "https://bao.internal:8200"} /></label>
      {aws && <label>Region <input name="team-region" value={f.region} onInput={set("region")} placeholder="eu-west-1" /></label>}
      {!aws && <label>KV mount <input name="team-mount" value={f.mount} onInput={set("mount")} /></label>}
      <label>{aws ? "Name prefix" : "Team folder"} <input name="team-path" value={f.path} onInput={set("path")} placeholder={aws ? "airflow" : "data-eng"} /></label>
      {!aws && <label>Namespace <input name="team-namespace" value={f.namespace} onInput={set("namespace")} placeholder="optional" /></label>}
      <label>CA certificate (PEM) <textarea name="team-ca" value={f.ca_cert} onInput={set("ca_cert")} placeholder="-----BEGIN CERTIFICATE----- (for an engine behind a private CA)" /></label>
      {!aws && <label>Log in with <select name="team-auth" value={f.auth} onChange={set("auth")}>{AUTHS.filter(([v]) => v !== "aws_keys").map(([v, l]) => <option value={v}>{l}</option>)}</select></label>}
      {a[2] && <label>{a[2]} <input name="team-login" value={f.login_name} onInput={set("login_name")} /></label>}
      <label>{a[3]} <input name="team-secret" type="password" autoComplete="off" value={f.secret} onInput={set("secret")} /></label>
      {error && <p class="error" role="alert" data-testid="join-error">{error}</p>}
      <button type="submit" class="primary" data-testid="join" disabled={busy}>{busy ? "Logging in…" : "Join"}</button>
    </form>
  );
}

function Connections({ team }: { team: Team }) {
  const [list, setList] = useState<TeamList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({});
  const [sharing, setSharing] = useState("");
  const load = async () => {
    try { setList(await api.teamConnections(team.name)); setError(null); } catch (e) { setError(errorText(e)); }
  };
  useEffect(() => { load(); }, [team.name]);
  const test = async (name: string) => {
    try { const v = await api.testTeam(team.name, name); setVerdicts((m) => ({ ...m, [name]: v })); } catch (e) { setError(errorText(e)); }
  };
  const share = async (e: Event) => {
    e.preventDefault();
    try {
      const rows = await api.shareWithTeam(sharing.trim(), team.name);
      setList({ rows, stale: null, left_out: list?.left_out ?? [] });
      setSharing("");
    } catch (err) { setError(errorText(err)); }
  };
  return (
    <div class="team-connections" data-testid="team-connections">
      <form class="inline" onSubmit={share}>
        <input name="share-name" placeholder="a saved connection's name" aria-label={`Share a saved connection with ${team.name}`} value={sharing}
          onInput={(e) => setSharing((e.target as HTMLInputElement).value)} />
        <button type="submit" data-testid="share" disabled={!sharing.trim()}>Share with {team.name}</button>
      </form>
      {list?.stale && <p class="notice" data-testid="team-stale">{list.stale}</p>}
      {list?.left_out.map((l) => <p class="muted" data-testid="team-left-out" data-name={l.name}>Left out: {l.why}</p>)}
      {error && <p class="error" role="alert">{error}</p>}
      {list && list.rows.length === 0 && <p class="muted">No connections in {team.name} yet: share a saved one above, or patchbay share NAME --team {team.name}.</p>}
      <ul>
        {list?.rows.map((r) => (
          <li data-testid="team-row" data-name={r.name}>
            <strong>{r.name}</strong> <span class="badge">{r.kind}</span> <span class="muted">v{r.version}</span>
            {!r.may_edit && <span class="badge" title={`Your role in ${team.name} may use this connection, not change it (the engine's policy)`} data-testid="read-only">read-only</span>}
            <button type="button" data-testid="team-test" onClick={() => test(r.name)}>Test</button>
            {verdicts[r.name] && <VerdictView v={verdicts[r.name]} />}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function TeamsDialog({ onClose, onNotice }: { onClose: () => void; onNotice: (text: string) => void }) {
  const [teams, setTeams] = useState<Team[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [login, setLogin] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const load = async () => { try { setTeams(await api.teams()); } catch (e) { setError(errorText(e)); } };
  useEffect(() => { load(); }, []);
  const relog = async (t: Team) => {
    try {
      await api.teamLogin(t.name, login[t.name] ?? "");
      setLogin((m) => ({ ...m, [t.name]: "" }));
      onNotice(`Logged in to ${t.name} again`);
      load();
    } catch (e) { setError(errorText(e)); }
  };
  return (
    <Dialog title="Teams" wide testid="teams" onCancel={onClose}>
      <h2>Teams</h2>
      <p class="muted">Connections your team keeps in its OpenBao / HashiCorp Vault or AWS Secrets Manager, in the layout Airflow reads. What you may do is the engine's policy.</p>
      {error && <p class="error" role="alert">{error}</p>}
      <ul class="teams">
        {teams.map((t) => (
          <li data-testid="team" data-name={t.name}>
            <button type="button" class="link" onClick={() => setOpen(open === t.name ? null : t.name)}>{t.name}</button>
            <span class="muted"> {t.address} · {t.engine === "aws_secrets_manager" ? `${t.region} · ${t.path}/` : `${t.mount}/${t.path}`} · {until(t)}</span>
            <span class="inline">
              <input type="password" name={`relogin-${t.name}`} aria-label={`Log in to ${t.name} again`} placeholder={t.auth === "token" ? "new token" : "password / secret"}
                value={login[t.name] ?? ""} onInput={(e) => setLogin((m) => ({ ...m, [t.name]: (e.target as HTMLInputElement).value }))} />
              <button type="button" onClick={() => relog(t)} disabled={!(login[t.name] ?? "")}>Log in</button>
            </span>
            {open === t.name && <Connections team={t} />}
          </li>
        ))}
      </ul>
      <Join onJoined={(t) => { onNotice(`Joined team ${t.name}`); load(); setOpen(t.name); }} />
      <div class="actions"><button type="button" onClick={onClose}>Close</button></div>
    </Dialog>
  );
}
