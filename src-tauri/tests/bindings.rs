//! The desktop shell's own IPC payloads (list rows, key status, copy confirmations, the editing
//! reference) as TypeScript, committed in ui/src/desk-bindings.ts. Fails when stale; run with
//! UPDATE_BINDINGS=1 to regenerate.

use patchbay_desktop::desk::{Copied, Editing, KeyStatus, Row};
use ts_rs::TS;

#[test]
fn the_committed_desktop_bindings_match_the_rust_types() {
    let mut out = String::from("// Generated from src-tauri/desk.rs by src-tauri/tests/bindings.rs. Do not edit:\n// run `UPDATE_BINDINGS=1 cargo test -p patchbay-desktop --test bindings` instead.\n\n");
    out.push_str("import type { CheckSummary, ErrorPayload, Kind, SecretSlot, Spec } from \"./bindings\";\n\n");
    for d in [
        Row::decl(),
        Editing::decl(),
        KeyStatus::decl(),
        Copied::decl(),
    ] {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    let fresh = out.trim_end().to_string() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/desk-bindings.ts");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "ui/src/desk-bindings.ts is stale: run UPDATE_BINDINGS=1 cargo test -p patchbay-desktop --test bindings");
}
