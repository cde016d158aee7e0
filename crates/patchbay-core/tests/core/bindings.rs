//! The TypeScript types of every payload the UI exchanges with Rust are generated from the Rust
//! types and committed in ui/src/gen/bindings.ts. This test fails when they are stale; run it with
//! UPDATE_BINDINGS=1 to regenerate.

use patchbay_core::catalog::CheckSummary;
use patchbay_core::check::{Fact, Step, StepName, Verdict};
use patchbay_core::desk::{Copied, Editing, KeyStatus};
use patchbay_core::error::ErrorPayload;
use patchbay_core::model::*;
use patchbay_core::paste::Pasted;
use ts_rs::TS;

fn render() -> String {
    let decls = [
        Kind::decl(),
        SecretField::decl(),
        DbEngine::decl(),
        SslMode::decl(),
        SecurityProtocol::decl(),
        SaslMechanism::decl(),
        DatabaseSpec::decl(),
        SshTunnel::decl(),
        SshHop::decl(),
        SshAuth::decl(),
        S3Spec::decl(),
        AssumeRole::decl(),
        AzureAuth::decl(),
        AzureSpec::decl(),
        GcsAuth::decl(),
        GcsSpec::decl(),
        KafkaSpec::decl(),
        Spec::decl(),
        SecretInput::decl(),
        ConnectionDraft::decl(),
        SecretSource::decl(),
        SecretSlot::decl(),
        Connection::decl(),
        SecretInfo::decl(),
        ErrorPayload::decl(),
        StepName::decl(),
        Step::decl(),
        Fact::decl(),
        Verdict::decl(),
        CheckSummary::decl(),
        Pasted::decl(),
        patchbay_core::paste::PastedSecret::decl(),
        patchbay_core::snippets::Snippet::decl(),
        patchbay_core::listing::Place::decl(),
        patchbay_core::listing::EntryKind::decl(),
        patchbay_core::listing::Entry::decl(),
        patchbay_core::listing::Uri::decl(),
        patchbay_core::listing::Page::decl(),
    ];
    let mut out = String::from("// Generated from the Rust types in crates/patchbay-core by tests/core/bindings.rs. Do not edit:\n// run `UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings` instead.\n\n");
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

#[test]
fn the_committed_typescript_bindings_match_the_rust_types() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/gen/bindings.ts");
    let fresh = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "ui/src/gen/bindings.ts is stale: run UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings");
}

#[test]
fn the_committed_application_layer_bindings_match_the_rust_types() {
    let mut out = String::from("// Generated from crates/patchbay-core/src/desk by crates/patchbay-core/tests/core/bindings.rs. Do not edit:\n// run `UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings` instead.\n\n");
    out.push_str("import type { CheckSummary, Connection, DbEngine, ErrorPayload, Kind, SecretField, Spec } from \"./bindings\";\n\n");
    for d in [
        patchbay_core::desk::ListedRow::decl(),
        Editing::decl(),
        patchbay_core::catalog::KeyBackup::decl(),
        KeyStatus::decl(),
        Copied::decl(),
        patchbay_core::desk::Opened::decl(),
        patchbay_core::desk::Deleted::decl(),
        patchbay_core::import::Source::decl(),
        patchbay_core::desk::Outcome::decl(),
        patchbay_core::desk::OnConflict::decl(),
        patchbay_core::desk::Candidate::decl(),
        patchbay_core::desk::Imported::decl(),
        patchbay_core::desk::SourceFound::decl(),
        patchbay_core::desk::ImportPreview::decl(),
        patchbay_core::desk::Minted::decl(),
        patchbay_core::kinds::s3::sso::SsoPrompt::decl(),
        patchbay_core::team::TeamAuth::decl(),
        patchbay_core::team::EngineKind::decl(),
        patchbay_core::team::Team::decl(),
        patchbay_core::catalog::teams::TeamRow::decl(),
        patchbay_core::desk::TeamList::decl(),
        patchbay_core::desk::LeftOut::decl(),
        patchbay_core::desk::TeamMark::decl(),
        patchbay_core::desk::TeamConnection::decl(),
    ] {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    let fresh = out.trim_end().to_string() + "\n";
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/gen/desk-bindings.ts");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "ui/src/gen/desk-bindings.ts is stale: run UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings");
}

#[test]
fn the_committed_kind_catalogue_matches_the_rust_one() {
    use patchbay_core::kinds::*;
    let mut out = String::from("// Generated from crates/patchbay-core/src/kinds by crates/patchbay-core/tests/core/bindings.rs. Do not edit:\n// run `UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings` instead.\n\n");
    out.push_str("import type { AzureAuth, DbEngine, GcsAuth, Kind, SaslMechanism, SecretField, SecurityProtocol, Spec, SslMode } from \"./bindings\";\n\n");
    for d in [
        KindDescriptions::decl(),
        KindInfo::decl(),
        TabInfo::decl(),
        AzureAuthInfo::decl(),
        GcsAuthInfo::decl(),
        SecretFieldInfo::decl(),
        EngineInfo::decl(),
        ProtocolInfo::decl(),
        SslModeInfo::decl(),
    ] {
        out.push_str("export ");
        out.push_str(&d);
        out.push_str("\n\n");
    }
    out.push_str("/** Each kind of connection as the core describes it (see kinds.rs). */\nexport const KINDS: KindDescriptions = ");
    out.push_str(&serde_json::to_string_pretty(&descriptions()).unwrap());
    out.push_str(";\n");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/gen/kinds.ts");
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &out).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == out,
        "ui/src/gen/kinds.ts is stale: run UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings"
    );
}
