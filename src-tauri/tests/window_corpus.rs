//! The hostile-input corpus through the window's commands: each case arrives as the JSON the web
//! view sends to `save_connection`, is deserialised as Tauri does, and goes to the same `Desk`
//! call the command makes. The answer on the wire is `{code: "invalid", message, field}` naming
//! the case's field, and the list the window shows is unchanged.

use patchbay_testkit::corpus;

use corpus::{Raw, EXISTING};
use patchbay_core::desk::Desk;
use patchbay_core::model::*;
use patchbay_core::{Catalog, KeySource, MasterKey};
use serde_json::{json, Value};

/// The JSON the form sends for `form`, or None when the form cannot express it (a port that is
/// not a number: the form's port box only yields numbers).
fn wire(kind: Kind, form: &corpus::Form) -> Option<Value> {
    let draft = corpus::draft(kind, form)?;
    let mut secrets = serde_json::Map::new();
    for field in kind.secret_fields() {
        if let Some(v) = form.get(field.as_str()) {
            secrets.insert(field.as_str().into(), json!({"mode": "value", "value": v}));
        }
    }
    Some(json!({
        "name": draft.name,
        "env_tag": draft.env_tag,
        "spec": serde_json::to_value(&draft.spec).unwrap(),
        "secrets": secrets,
    }))
}

fn save(desk: &Desk, v: Value) -> Result<Value, Value> {
    let draft: ConnectionDraft = serde_json::from_value(v).expect("the form's JSON deserialises");
    desk.save(draft, None)
        .map(|c| serde_json::to_value(c).unwrap())
        .map_err(|e| serde_json::to_value(e).unwrap())
}

#[test]
fn every_hostile_case_sent_by_the_window_is_answered_with_an_error_naming_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::new(
        Catalog::open_in(
            dir.path(),
            KeySource::Given {
                key: MasterKey::generate().unwrap(),
                origin: "test".into(),
            },
        )
        .unwrap(),
    );
    let mut existing = corpus::valid_form(Kind::Database);
    existing.insert("name", EXISTING.into());
    save(&desk, wire(Kind::Database, &existing).unwrap()).unwrap();
    let before = serde_json::to_string(&desk.list().unwrap()).unwrap();

    let (mut refused, mut skipped) = (0, 0);
    let mut wrong = Vec::new();
    for case in corpus::cases() {
        let Raw::Text(value) = &case.value else {
            skipped += 1; // JSON text is UTF-8
            continue;
        };
        let mut form = corpus::valid_form(case.kind);
        form.insert(case.field, value.clone());
        let Some(v) = wire(case.kind, &form) else {
            skipped += 1;
            continue;
        };
        match save(&desk, v) {
            Ok(c) => wrong.push(format!("{}: saved as {c}", case.label)),
            Err(e) => {
                let ok = e["code"] == "invalid" || e["code"] == "duplicate";
                let names =
                    e["field"] == case.field || (e["code"] == "duplicate" && case.field == "name");
                let message = e["message"].as_str().unwrap_or_default();
                if !ok || !names || message.len() < 10 || message.len() > 400 {
                    wrong.push(format!("{}: {e}", case.label));
                } else {
                    refused += 1;
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cases not answered as they should be:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(
        serde_json::to_string(&desk.list().unwrap()).unwrap(),
        before,
        "the list changed"
    );
    println!("{refused} cases refused through the window's save command, {skipped} it cannot send");

    // Positive control: the valid forms save through the same path.
    for kind in Kind::ALL {
        save(&desk, wire(kind, &corpus::valid_form(kind)).unwrap())
            .unwrap_or_else(|e| panic!("valid {kind:?} form: {e}"));
    }
}
