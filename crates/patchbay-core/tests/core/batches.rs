//! Many connections saved as one change (an import): all of them or none, each draft checked
//! before anything is written, a replaced connection keeping only the secrets the import brings.

use patchbay_core::catalog::Saving;
use patchbay_core::model::*;
use patchbay_testkit::*;

fn saving(draft: ConnectionDraft) -> Saving {
    Saving {
        draft,
        replaces: None,
        favourite: false,
    }
}

fn names(s: &Store) -> Vec<String> {
    s.catalog
        .list(None)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[test]
fn a_batch_is_saved_whole_with_its_favourites() {
    let mut s = store();
    let mut fav = saving(s3("lake", "sk"));
    fav.favourite = true;
    let saved = s
        .catalog
        .save_all(vec![saving(postgres("pg", "pw")), fav])
        .unwrap();
    assert_eq!(saved.len(), 2);
    assert_eq!(names(&s), ["pg", "lake"], "list order: by kind, then name");
    let usage = s.catalog.usage().unwrap();
    assert!(usage[&saved[1].id].favourite && !usage.get(&saved[0].id).is_some_and(|u| u.favourite));
    assert_eq!(
        s.catalog
            .reveal(Some(Kind::Database), "pg", SecretField::Password)
            .unwrap()
            .expose(),
        "pw"
    );
}

#[test]
fn a_draft_that_cannot_be_saved_fails_the_batch_before_anything_is_written() {
    let mut s = store();
    let mut bad = postgres("bad", "pw");
    if let Spec::Database(d) = &mut bad.spec {
        d.port = 0;
    }
    let e = s
        .catalog
        .save_all(vec![saving(postgres("first", "pw")), saving(bad)])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "port: 0 is not a TCP port; use a number from 1 to 65535 (in \"bad\")"
    );
    assert!(names(&s).is_empty());
}

#[test]
fn a_name_taken_when_writing_rolls_the_whole_batch_back() {
    let mut s = store();
    s.catalog.create(mysql("taken", "pw-old")).unwrap();
    let e = s
        .catalog
        .save_all(vec![
            saving(postgres("first", "pw")),
            saving(postgres("taken", "pw-new")),
        ])
        .unwrap_err();
    assert_eq!(e.code(), "duplicate");
    assert_eq!(
        names(&s),
        ["taken"],
        "the first draft was written, then rolled back"
    );
    assert_eq!(
        s.catalog
            .reveal(Some(Kind::Database), "taken", SecretField::Password)
            .unwrap()
            .expose(),
        "pw-old"
    );
}

#[test]
fn a_replacement_brings_its_own_secrets_and_no_others() {
    let mut s = store();
    let mut session = s3("lake", "sk-old").with_secret(SecretField::SessionToken, "token-old");
    if let Spec::S3(x) = &mut session.spec {
        x.endpoint_url = Some("https://old.example".into());
    }
    s.catalog.create(session).unwrap();
    let mut again = saving(s3("lake", "sk-new"));
    again.replaces = Some("lake".into());
    s.catalog.save_all(vec![again]).unwrap();
    let c = s.catalog.get(Some(Kind::S3), "lake").unwrap();
    let fields: Vec<SecretField> = c.secrets.iter().map(|x| x.field).collect();
    assert_eq!(
        fields,
        [SecretField::SecretAccessKey],
        "the old session token is gone"
    );
    assert_eq!(
        s.catalog
            .reveal(Some(Kind::S3), "lake", SecretField::SecretAccessKey)
            .unwrap()
            .expose(),
        "sk-new"
    );
}
