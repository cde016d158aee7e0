// What a pasted URL or connection string does to the form, from the core's reading of it
// (`parse_url`): a new form takes the kind, fields, secret and a proposed name; a form that edits
// a connection takes only what the URL says (a URL without sslmode says nothing about TLS: the
// saved mode and CA stay) and refuses an address of another kind.
import type { Kind, Pasted, SecretField } from "./gen/bindings";
import type { Editing } from "./api";
import { blank, SECRET_FIELDS, type FormState } from "./form";
import { KINDS } from "./gen/kinds";
import { typeLabel } from "./labels";

export type PasteResult = { error: string } | { state: FormState; detected: string };

export function fromPaste(p: Pasted, text: string, s: FormState, editing: Editing | null): PasteResult {
  const kind = p.spec.kind as Kind;
  const label = typeLabel(p.spec);
  if (editing && kind !== s.kind) {
    const mine = KINDS.kinds.find((k) => k.kind === s.kind)!;
    return { error: `That is a ${label} address; ${editing.name} is a ${mine.type_label} connection. Paste it into a new connection instead.` };
  }
  const fields: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(p.spec)) if (k !== "kind") fields[k] = typeof v === "boolean" ? v : v == null ? "" : String(v);
  let password = "";
  if (p.has_password) {
    try {
      password = decodeURIComponent(new URL(text.trim()).password);
    } catch {
      password = "";
    }
  }
  const secrets: Partial<Record<SecretField, string>> = password ? { [SECRET_FIELDS[kind][0]]: password } : {};
  // A key or SAS inside the pasted text: the core says where it stands, never what it is.
  if (p.secret) secrets[p.secret.field] = text.trim().slice(p.secret.start, p.secret.end);
  if (!editing) {
    const name = s.name || p.suggested_name;
    return {
      state: { ...s, kind, name, fields, secrets },
      detected: `Detected: ${label}, named “${name}”. Check the fields, then save.`,
    };
  }
  const dflt = blank(kind).fields;
  const kept = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, (v === "" || v === dflt[k]) && s.fields[k] !== undefined ? s.fields[k] : v]));
  return {
    state: { ...s, fields: { ...s.fields, ...kept }, secrets: { ...s.secrets, ...secrets } },
    detected: `Filled from the pasted ${label} URL${Object.keys(secrets).length ? ", with its secret" : ""}. Check the fields, then save.`,
  };
}
