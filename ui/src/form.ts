// The connection form's state and its translation to and from the core's ConnectionDraft.
// Secret fields hold what the user typed: empty means "keep the saved value" when editing
// (and "none" when new); "use secret X" points the field at a named user secret.
import type { Connection, ConnectionDraft, Kind, SecretField, SecretInput, Spec } from "./gen/bindings";
import { KINDS } from "./gen/kinds";

export type Fields = Record<string, string | boolean>;

export interface FormState {
  kind: Kind;
  name: string;
  envTag: string;
  fields: Fields;
  secrets: Partial<Record<SecretField, string>>;
  secretRefs: Partial<Record<SecretField, string>>;
  cleared: Partial<Record<SecretField, boolean>>;
  saved: SecretField[];
}

/** Each kind's secret fields, as the core describes them (kinds.ts is generated). */
export const SECRET_FIELDS = Object.fromEntries(
  KINDS.kinds.map((k) => [k.kind, k.secret_fields.map((f) => f.field)]),
) as Record<Kind, SecretField[]>;

/** A new form of `kind`, with the core's defaults (engine, port, SSL mode, region…). */
export function blank(kind: Kind): FormState {
  const info = KINDS.kinds.find((k) => k.kind === kind)!;
  return { kind, name: "", envTag: "", fields: fromSpec(info.blank), secrets: {}, secretRefs: {}, cleared: {}, saved: [] };
}

export function fromSpec(spec: Spec): Fields {
  const f: Fields = {};
  for (const [k, v] of Object.entries(spec)) {
    if (k === "kind") continue;
    if (k === "ssh") {
      // A database's tunnel: its fields as ssh_* (the form's own toggle says whether it has one).
      const t = v as Extract<Spec, { kind: "database" }>["ssh"];
      // Jump hosts are kept as they are (edited with `patchbay edit --ssh-jump`).
      if (t) Object.assign(f, { ssh_on: true, ssh_host: t.host, ssh_port: String(t.port), ssh_user: t.user, ssh_auth: t.auth, ssh_key_file: t.key_file ?? "", ssh_jump: JSON.stringify(t.jump ?? []) });
      continue;
    }
    if (k === "role") {
      // An S3 connection's role: its fields flat, role_source the connection it is assumed with.
      const r = v as Extract<Spec, { kind: "storage" }>["role"];
      if (r) Object.assign(f, { role_on: true, role_arn: r.role_arn, external_id: r.external_id ?? "", mfa_serial: r.mfa_serial ?? "",
        session_name: r.session_name ?? "", duration_seconds: r.duration_seconds === null ? "" : String(r.duration_seconds), role_source: r.source ?? "" });
      continue;
    }
    f[k] = typeof v === "boolean" ? v : v === null || v === undefined ? "" : String(v);
  }
  // An S3 connection's credentials: its keys, an AWS profile, or another connection's (the form's own choice).
  if (spec.kind === "storage") f.s3_auth = spec.role?.source ? "source" : spec.profile ? "profile" : "keys";
  return f;
}

export function fromConnection(c: Connection): FormState {
  const refs: Partial<Record<SecretField, string>> = {};
  for (const s of c.secrets) if (s.source === "shared") refs[s.field] = s.name;
  return {
    kind: c.kind,
    name: c.name,
    envTag: c.env_tag ?? "",
    fields: { ...blank(c.kind).fields, ...fromSpec(c.spec) },
    secrets: {},
    secretRefs: refs,
    cleared: {},
    saved: c.secrets.map((s) => s.field),
  };
}

const opt = (v: string | boolean | undefined) => (typeof v === "string" && v.trim() !== "" ? v : null);
const str = (v: string | boolean | undefined) => (typeof v === "string" ? v : "");

/** The field's value when it is one of `allowed` (the core's own list, from kinds.ts), else
 * `fallback`: a select only offers those, so anything else is a form not yet filled in. */
function oneOf<T extends string>(v: string | boolean | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => a === str(v)) ?? fallback;
}
const SSL_MODES = KINDS.ssl_modes.map((m) => m.mode);
const PROTOCOLS = KINDS.security_protocols.map((p) => p.protocol);
const AZURE_AUTHS = KINDS.azure_auths.map((a) => a.auth);
const GCS_AUTHS = KINDS.gcs_auths.map((a) => a.auth);

/// Numbers the user typed go through as numbers; anything else as NaN-free 0 so the core
/// reports "port: … is not a TCP port" next to the field.
function port(v: string | boolean | undefined): number {
  const n = Number(str(v).trim());
  return Number.isFinite(n) && str(v).trim() !== "" ? n : 0;
}

export function toDraft(s: FormState): ConnectionDraft {
  const f = s.fields;
  const byProfile = f.s3_auth === "profile";
  const bySource = f.s3_auth === "source";
  const keyless = byProfile || bySource;
  let spec: Spec;
  if (s.kind === "database") {
    spec = {
      kind: "database", engine: f.engine === "mysql" ? "mysql" : "postgresql", host: str(f.host), port: port(f.port),
      database: str(f.database), username: str(f.username), ssl_mode: oneOf(f.ssl_mode, SSL_MODES, "require"), ca_cert: opt(f.ca_cert),
      ssh: f.ssh_on === true ? {
        host: str(f.ssh_host), port: str(f.ssh_port).trim() === "" ? 22 : port(f.ssh_port), user: str(f.ssh_user),
        auth: oneOf(f.ssh_auth, ["key", "password", "agent"] as const, "key"),
        key_file: f.ssh_auth === "password" ? null : opt(f.ssh_key_file),
        jump: JSON.parse(str(f.ssh_jump) || "[]"),
      } : null,
    };
  } else if (s.kind === "storage") {
    spec = {
      kind: "storage", access_key_id: keyless ? "" : str(f.access_key_id), region: str(f.region), endpoint_url: opt(f.endpoint_url),
      verify_ssl: f.verify_ssl === true, allow_http: f.allow_http === true, ca_cert: opt(f.ca_cert),
      session_expires: keyless ? null : opt(f.session_expires), profile: byProfile ? str(f.profile) : null,
      role: f.role_on === true || bySource ? {
        role_arn: str(f.role_arn), external_id: opt(f.external_id), mfa_serial: opt(f.mfa_serial), session_name: opt(f.session_name),
        // A length that is not a number reaches the core as 0, which names the field.
        duration_seconds: str(f.duration_seconds).trim() === "" ? null : port(f.duration_seconds), source: bySource ? str(f.role_source) : null,
      } : null,
    };
  } else if (s.kind === "azure") {
    spec = {
      kind: "azure", account: str(f.account), auth: oneOf(f.auth, AZURE_AUTHS, "account_key"), container: opt(f.container),
      endpoint_url: opt(f.endpoint_url), allow_http: f.allow_http === true, ca_cert: opt(f.ca_cert),
      tenant_id: opt(f.tenant_id), client_id: opt(f.client_id), authority_host: opt(f.authority_host), sas_expires: opt(f.sas_expires),
    };
  } else if (s.kind === "gcs") {
    spec = {
      kind: "gcs", auth: oneOf(f.auth, GCS_AUTHS, "service_account"), project_id: opt(f.project_id), client_email: opt(f.client_email),
      bucket: opt(f.bucket), hmac_access_id: opt(f.hmac_access_id), endpoint_url: opt(f.endpoint_url), allow_http: f.allow_http === true,
      ca_cert: opt(f.ca_cert),
    };
  } else if (s.kind === "kafka") {
    spec = {
      kind: "kafka", bootstrap_servers: str(f.bootstrap_servers), security_protocol: oneOf(f.security_protocol, PROTOCOLS, "PLAINTEXT"),
      sasl_mechanism: KINDS.sasl_mechanisms.find((m) => m === str(f.sasl_mechanism)) ?? null, sasl_username: opt(f.sasl_username), ca_cert: opt(f.ca_cert),
      client_cert: opt(f.client_cert), schema_registry_url: opt(f.schema_registry_url), schema_registry_username: opt(f.schema_registry_username),
      schema_registry_allow_http: f.schema_registry_allow_http === true,
    };
  } else {
    // A kind added in Rust (kinds.ts, bindings.ts) without its form here fails to type-check.
    const unknown: never = s.kind;
    throw new Error(`no form for kind ${String(unknown)}`);
  }
  const secrets: Partial<Record<SecretField, SecretInput>> = {};
  // Azure and GCS use one secret, the auth mode's, and an S3 connection by profile (or assuming a
  // role with another's credentials) none: the
  // others are left as they are (the core drops them).
  const modeField = s.kind === "azure" ? KINDS.azure_auths.find((a) => a.auth === f.auth)?.secret_field ?? null
    : s.kind === "gcs" ? KINDS.gcs_auths.find((a) => a.auth === f.auth)?.secret_field ?? null
    : s.kind === "storage" && keyless ? null : undefined;
  for (const field of SECRET_FIELDS[s.kind]) {
    if (modeField !== undefined && field !== modeField) {
      secrets[field] = { mode: "keep" };
      continue;
    }
    const typed = s.secrets[field] ?? "";
    const ref = s.secretRefs[field] ?? "";
    if (s.cleared[field]) secrets[field] = { mode: "clear" };
    else if (typed !== "") secrets[field] = { mode: "value", value: typed };
    else if (ref !== "") secrets[field] = { mode: "secret", name: ref };
    else secrets[field] = { mode: "keep" };
  }
  return { name: s.name, env_tag: s.envTag.trim() === "" ? null : s.envTag, spec, secrets, confirm_kept_secrets: false };
}
