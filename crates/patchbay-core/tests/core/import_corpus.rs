//! The hostile-input corpus through an import: every spoiled field of a database form, written
//! into an Airflow export as Airflow's JSON would carry it, read and previewed. Nothing panics;
//! each spoiled record is either refused with a reason or, if the value is one a connection may
//! hold, imported whole (a name no connection may have replaced by the proposal the preview
//! shows); a preview never carries the password; an import that a spoiled row would fail leaves
//! the store as it was.

use patchbay_core::desk::{OnConflict, Outcome};
use patchbay_core::foreign::Env;
use patchbay_core::import::{self, Source};
use patchbay_core::model::Kind;
use patchbay_core::{Desk, KeySource, MasterKey};
use patchbay_testkit::corpus::{cases, valid_form, Raw};

fn airflow_json(form: &patchbay_testkit::corpus::Form) -> String {
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    serde_json::json!({ get("name"): {
        "conn_type": "postgres", "host": get("host"), "port": get("port"), "schema": get("database"),
        "login": get("username"), "password": get("password"), "extra": "{\"sslmode\": \"require\"}"
    }})
    .to_string()
}

#[test]
fn every_spoiled_database_field_in_an_airflow_export_is_refused_with_a_reason_or_imported_whole() {
    let dir = tempfile::tempdir().unwrap();
    let desk = Desk::open_in(
        dir.path(),
        KeySource::Given {
            key: MasterKey::generate().unwrap(),
            origin: "test".into(),
        },
    )
    .unwrap();
    let file = dir.path().join("export.json");
    let (mut refused, mut imported) = (0, 0);
    // The fields an Airflow connection carries (its environment tag and CA are not among them).
    let carried = ["name", "host", "port", "database", "username", "password"];
    for case in cases()
        .into_iter()
        .filter(|c| c.kind == Kind::Database && carried.contains(&c.field))
    {
        let Raw::Text(value) = &case.value else {
            continue;
        }; // a file is read as UTF-8 (refusal tested in the CLI)
        let mut form = valid_form(Kind::Database);
        form.insert(case.field, value.clone());
        std::fs::write(&file, airflow_json(&form)).unwrap();
        let reading = match import::read(Source::Airflow, Some(&file), &Env::default()) {
            Ok(r) => r,
            Err(e) => panic!("{}: a whole file refused: {e}", case.label),
        };
        if reading.found.is_empty() {
            assert_eq!(
                reading.problems.len(),
                1,
                "{}: neither a row nor a reason",
                case.label
            );
            refused += 1;
            continue;
        }
        let rows = desk
            .import_preview(&reading.found, OnConflict::Rename)
            .unwrap();
        assert_eq!(rows.len(), 1, "{}", case.label);
        let wire = serde_json::to_string(&rows).unwrap();
        if case.field != "password" {
            assert!(
                !wire.contains("pw-valid"),
                "{}: the password in the preview",
                case.label
            );
        }
        match rows[0].outcome {
            Outcome::Skipped => {
                assert!(
                    rows[0].reason.as_deref().is_some_and(|r| !r.is_empty()),
                    "{}: skipped without a reason",
                    case.label
                );
                let before = desk.list().unwrap().len();
                let chosen = [rows[0].found_as.clone()];
                assert!(
                    desk.import(reading.found, Vec::new(), Some(&chosen), OnConflict::Rename)
                        .is_err(),
                    "{}",
                    case.label
                );
                assert_eq!(
                    desk.list().unwrap().len(),
                    before,
                    "{}: a refused import saved something",
                    case.label
                );
                refused += 1;
            }
            _ => {
                let done = desk
                    .import(reading.found, Vec::new(), None, OnConflict::Rename)
                    .unwrap();
                assert_eq!(done.saved.len(), 1, "{}", case.label);
                // A name no connection may have is not refused but replaced by a proposal the
                // preview shows (at most 64 characters, never empty).
                let name = &done.saved[0].name;
                assert!(
                    !name.trim().is_empty() && name.chars().count() <= 64,
                    "{}: saved as {name:?}",
                    case.label
                );
                assert_eq!(name, &rows[0].name, "{}", case.label);
                imported += 1;
            }
        }
    }
    println!("{refused} spoiled records refused with a reason, {imported} imported whole");
    assert!(
        refused > 50 && imported > 0,
        "{refused} refused, {imported} imported"
    );
}
