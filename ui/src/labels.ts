// The names a person reads for a connection's type, from the generated kind descriptions: a
// database's engine ("PostgreSQL", "MySQL"), the kind's own name for the others.
import type { DbEngine, Kind, Spec } from "./gen/bindings";
import { KINDS } from "./gen/kinds";

/** "PostgreSQL", "MySQL", "S3", "Azure", "GCS", "Kafka" (`short`: a row's badge), or the
 * longer "Azure Blob Storage", "Google Cloud Storage"… */
export function typeLabel(spec: Spec, short = false): string {
  if (spec.kind === "database") return KINDS.engines.find((e) => e.engine === spec.engine)!.short_label;
  const info = KINDS.kinds.find((k) => k.kind === spec.kind)!;
  return short ? info.short_label : info.type_label;
}

/** A list row's badge: its engine's short label for a database, else its kind's ("S3", "Kafka"). */
export function rowTypeLabel(r: { kind: Kind; engine?: DbEngine }): string {
  if (r.engine) return KINDS.engines.find((e) => e.engine === r.engine)!.short_label;
  return KINDS.kinds.find((k) => k.kind === r.kind)!.short_label;
}
