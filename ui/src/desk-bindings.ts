// Generated from src-tauri/desk.rs by src-tauri/tests/bindings.rs. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p patchbay-desktop --test bindings` instead.

import type { CheckSummary, ErrorPayload, Kind, SecretSlot, Spec } from "./bindings";

export type Row = { target: string, last_check: CheckSummary | null, id: number, name: string, kind: Kind, env_tag: string | null, spec: Spec, 
/**
 * The secret fields that have a value.
 */
secrets: Array<SecretSlot>, 
/**
 * Why the way this connection travels is not fully protected (no TLS, TLS that may fall
 * back, a certificate not verified), for marking it; None when TLS is verified.
 */
transport_warning: string | null, 
/**
 * Milliseconds since the Unix epoch.
 */
created_at: number, updated_at: number, };

export type Editing = { kind: Kind, name: string, };

export type KeyStatus = { source: string, unlocked: boolean, error: ErrorPayload | null, encrypted_values: number, store: string, fallbacks: Array<string>, };

export type Copied = { what: string, includes_secrets: boolean, 
/**
 * Seconds until the clipboard is cleared (copies with secrets), if it will be.
 */
clears_in_seconds: number | null, };
