//! `patchbay list`'s lines are read without whole records (`Desk::each_line`): they say what the
//! list's rows say — name, type, tag, target, credential warning — in the same order, and a row
//! of a kind this build does not know is named, not left out.

use patchbay_core::desk::Desk;
use patchbay_core::model::*;
use patchbay_testkit::*;

fn lines(d: &Desk, kind: Option<Kind>) -> Vec<(String, String, Option<String>, String)> {
    let mut out = Vec::new();
    d.each_line(kind, |l| {
        let warning = l.credential_warning.map(|w| format!("  ! {w}"));
        out.push((
            l.name.to_owned(),
            l.type_word.to_owned(),
            l.env_tag.map(str::to_owned),
            format!("{}{}", l.target, warning.unwrap_or_default()),
        ))
    })
    .unwrap();
    out
}

#[test]
fn a_listings_lines_say_what_the_lists_rows_say_in_the_same_order() {
    let Store {
        dir: _dir,
        mut catalog,
        ..
    } = store();
    let expired = patchbay_core::clock::now_ms() - 3 * 60_000;
    let mut s3_draft = s3("bucket-keys", "sk").with_secret(SecretField::SessionToken, "token");
    if let Spec::S3(s) = &mut s3_draft.spec {
        s.session_expires = Some(patchbay_core::clock::rfc3339(expired));
    }
    let mut tagged = mysql("Orders", "pw");
    tagged.env_tag = Some("prod".into());
    for d in [
        kafka("events", "pw"),
        s3_draft,
        tagged,
        postgres("ana", "pw"),
        postgres("zed", "pw"),
    ] {
        catalog.create(d).unwrap();
    }
    let d = Desk::new(catalog);
    for kind in [None, Some(Kind::Database), Some(Kind::S3)] {
        let from_rows: Vec<_> = d
            .list_of(kind)
            .unwrap()
            .into_iter()
            .map(|r| {
                let c = r.connection;
                let warning = c.credential_warning.map(|w| format!("  ! {w}"));
                (
                    c.name,
                    patchbay_core::kinds::type_word(&c.spec).to_owned(),
                    c.env_tag,
                    format!("{}{}", r.target, warning.unwrap_or_default()),
                )
            })
            .collect();
        assert_eq!(lines(&d, kind), from_rows, "{kind:?}");
    }
    let all = lines(&d, None);
    let names: Vec<&str> = all.iter().map(|l| l.0.as_str()).collect();
    assert_eq!(names, ["ana", "Orders", "zed", "bucket-keys", "events"]);
    assert_eq!(
        all[3].3,
        "https://127.0.0.1:9000  ! session token expired 3 min ago"
    );
}

#[test]
fn a_listing_names_a_row_of_a_kind_this_build_does_not_know() {
    let s = store();
    let mut catalog = s.reopen_with(s.key.clone());
    catalog.create(postgres("pg", "pw")).unwrap();
    s.raw()
        .execute(
            "UPDATE connections SET kind = 'redis' WHERE name = 'pg'",
            [],
        )
        .unwrap();
    let d = Desk::new(s.reopen_with(s.key.clone()));
    let e = d.each_line(None, |_| {}).unwrap_err();
    assert_eq!(e.code(), "storage");
    assert_eq!(
        e.to_string(),
        "the connection store failed: connection \"pg\" has an unknown kind \"redis\": written by a newer Patchbay, or edited outside it"
    );
}
