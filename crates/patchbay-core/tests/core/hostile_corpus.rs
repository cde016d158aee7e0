//! The hostile-input corpus through the core: every case is refused with an error that names
//! its field and says what to do, and the store is exactly as it was. The valid form of each
//! kind saves (so a case fails for the value it spoils, not for the rest of the form).

use patchbay_testkit::corpus;

use corpus::{Raw, EXISTING};
use patchbay_core::model::Kind;
use patchbay_testkit::*;

#[test]
fn every_hostile_case_is_refused_naming_its_field_and_the_store_is_unchanged() {
    let mut s = store();
    s.catalog.create(postgres(EXISTING, "pw")).unwrap();
    s.catalog.put_secret("shared", &"v".into(), None).unwrap();
    let before = s.snapshot();

    let cases = corpus::cases();
    let (mut refused, mut not_representable) = (0, 0);
    let mut wrong = Vec::new();
    for case in &cases {
        let Raw::Text(value) = &case.value else {
            not_representable += 1; // bytes that are not UTF-8 cannot reach the core
            continue;
        };
        let mut form = corpus::valid_form(case.kind);
        form.insert(case.field, value.clone());
        let Some(draft) = corpus::draft(case.kind, &form) else {
            not_representable += 1; // a port that is not a number
            continue;
        };
        let e = match s.catalog.create(draft) {
            Ok(c) => {
                wrong.push(format!("{}: saved as {:?}", case.label, c.spec));
                s.catalog.remove(Some(c.kind), &c.name).unwrap();
                continue;
            }
            Err(e) => e,
        };
        if e.field() != Some(case.field) {
            wrong.push(format!("{}: {e}", case.label));
            continue;
        }
        assert!(
            e.message().len() > 10,
            "{}: the message says what to do: {e}",
            case.label
        );
        assert!(
            e.message().len() < 400,
            "{}: the message stays readable (no echo of a huge value): {} bytes",
            case.label,
            e.message().len()
        );
        refused += 1;
    }
    assert!(
        wrong.is_empty(),
        "{} cases not refused as they should be:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert_eq!(s.snapshot(), before, "the store changed");
    for kind in Kind::ALL {
        println!("{}: {} cases", kind.as_str(), corpus::count(&cases, kind));
    }
    println!("{refused} refused by the core, {not_representable} only the command line can carry");

    // Positive control: each valid form saves.
    for kind in Kind::ALL {
        let d = corpus::draft(kind, &corpus::valid_form(kind)).unwrap();
        s.catalog
            .create(d)
            .unwrap_or_else(|e| panic!("valid {kind:?} form: {e}"));
    }
}
