//! Hostile files through every reader: each source's own file spoiled — empty, cut in half,
//! binary garbage, NUL bytes, one endless line, 50 MiB, unicode and colliding names. None
//! panics; each is refused naming the file, or read into rows that each have a name (distinct
//! among those saved) or a reason; a preview never carries a secret; an import either saves
//! every chosen row or leaves the store as it was.

use std::collections::BTreeSet;
use std::path::Path;

use patchbay_core::desk::{OnConflict, Outcome};
use patchbay_core::foreign::Env;
use patchbay_core::import::{self, Source};
use patchbay_core::{Desk, KeySource, MasterKey};

const SECRET: &str = "pw-hostile-1";

/// A file each source reads, with two records of one name and a unicode one where the format
/// has names.
fn sample(source: Source) -> String {
    let p = SECRET;
    match source {
        Source::Pgpass => format!("db.example:5432:app:app:{p}\ndb.example:5432:app:app:{p}\nデータ.example:5432:app:app:{p}\n"),
        Source::PgService => format!("[orders]\nhost=db.example\ndbname=app\nuser=app\npassword={p}\n[注文]\nhost=db.example\nuser=app\n[orders]\nhost=other\n"),
        Source::MyCnf => format!("[client]\nhost=db.example\nuser=app\npassword={p}\n[mysql]\ndatabase=ショップ\n"),
        Source::MyLogin => "not a login path file".into(),
        Source::Aws => format!("[default]\naws_access_key_id=AKIA1\naws_secret_access_key={p}\n[profile 湖]\naws_access_key_id=AKIA2\naws_secret_access_key={p}\n[default]\nregion=eu-west-1\n"),
        Source::Airflow | Source::AirflowEnv => format!("{{\"pg\": {{\"conn_type\": \"postgres\", \"host\": \"db.example\", \"login\": \"app\", \"password\": \"{p}\"}}, \"注文\": {{\"conn_type\": \"mysql\", \"host\": \"db.example\", \"login\": \"app\"}}}}"),
        Source::Dotenv => format!("DATABASE_URL=postgres://app:{p}@db.example/app\nDATABASE_URL=postgres://app:{p}@db.example/other\n"),
        Source::KafkaProperties => format!("bootstrap.servers=k.example:9093\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\nsasl.username=u\nsasl.password={p}\n"),
        Source::Dbeaver => format!("{{\"connections\": {{\"a\": {{\"provider\": \"postgresql\", \"name\": \"注文\", \"configuration\": {{\"host\": \"db.example\", \"user\": \"app\", \"password\": \"{p}\"}}}}, \"b\": {{\"provider\": \"mysql\", \"name\": \"注文\", \"configuration\": {{\"host\": \"db.example\"}}}}}}}}"),
        Source::GcsKey => format!("{{\"type\": \"service_account\", \"project_id\": \"p\", \"client_email\": \"a@p.iam.gserviceaccount.com\", \"private_key\": \"{p}\", \"token_uri\": \"https://oauth2.googleapis.com/token\"}}"),
        Source::Datagrip => "<project version=\"4\"><component name=\"DataSourceManagerImpl\"><data-source name=\"注文\" uuid=\"1\"><driver-ref>postgresql</driver-ref><jdbc-url>jdbc:postgresql://db.example:5432/app</jdbc-url></data-source><data-source name=\"注文\" uuid=\"2\"><driver-ref>mysql</driver-ref><jdbc-url>jdbc:mysql://db.example/app</jdbc-url></data-source></component></project>".into(),
        Source::Rclone => format!("[湖]\ntype = s3\naccess_key_id = AKIA1\nsecret_access_key = {p}\n[湖]\ntype = s3\naccess_key_id = AKIA2\n"),
        Source::Patchbay => format!("{{\"format\": \"patchbay-connections\", \"connections\": [{{\"name\": \"注文\", \"secrets\": {{\"password\": \"{p}\"}}}}]}}"),
    }
}

/// The spoiled forms of `text`, by what was done to it.
fn spoiled(text: &str) -> Vec<(&'static str, Vec<u8>)> {
    let half = text.len() / 2;
    vec![
        ("the file itself", text.as_bytes().to_vec()),
        ("empty", Vec::new()),
        ("cut in half", text.as_bytes()[..half].to_vec()),
        (
            "binary garbage",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                .collect(),
        ),
        ("NUL bytes inside", text.replace('\n', "\n\0").into_bytes()),
        ("one endless line", "x".repeat(1 << 20).into_bytes()),
    ]
}

fn desk(dir: &Path) -> Desk {
    let key = KeySource::Given {
        key: MasterKey::generate().unwrap(),
        origin: "test".into(),
    };
    Desk::open_in(dir, key).unwrap()
}

#[test]
fn every_readers_file_spoiled_in_every_way_is_refused_by_name_or_read_into_named_rows() {
    let dir = tempfile::tempdir().unwrap();
    let desk = desk(&dir.path().join("store"));
    let env = Env::of(&[], Some(&dir.path().join("no-home")));
    let (mut refused, mut read) = (0, 0);
    for &source in Source::ALL.iter().filter(|s| **s != Source::AirflowEnv) {
        for (how, bytes) in spoiled(&sample(source)) {
            let label = format!("{} file, {how}", source.word());
            let file = dir.path().join(format!("{}.in", source.word()));
            std::fs::write(&file, &bytes).unwrap();
            let reading = match import::read(source, Some(&file), &env) {
                Err(e) => {
                    assert_eq!(e.field(), Some("path"), "{label}: {e}");
                    assert!(
                        e.to_string().contains(&file.display().to_string()),
                        "{label}: {e}"
                    );
                    assert!(!e.to_string().contains(SECRET), "{label}: {e}");
                    refused += 1;
                    continue;
                }
                Ok(r) => r,
            };
            read += 1;
            let rows = desk
                .import_preview(&reading.found, OnConflict::Rename)
                .unwrap();
            let wire = serde_json::to_string(&rows).unwrap() + &reading.problems.join("\n");
            assert!(!wire.contains(SECRET), "{label}: a secret in the preview");
            let mut saved_names = BTreeSet::new();
            for r in &rows {
                if r.outcome == Outcome::Skipped {
                    assert!(
                        r.reason.as_deref().is_some_and(|w| !w.is_empty()),
                        "{label}: {r:?}"
                    );
                } else {
                    assert!(
                        !r.name.trim().is_empty() && r.name.chars().count() <= 64,
                        "{label}: {r:?}"
                    );
                    assert!(
                        saved_names.insert((r.kind, r.name.clone())),
                        "{label}: two rows saved as {}",
                        r.name
                    );
                }
            }
            let before = desk.list().unwrap();
            match desk.import(reading.found, reading.named, None, OnConflict::Rename) {
                Ok(done) => assert_eq!(done.saved.len(), saved_names.len(), "{label}"),
                Err(e) => {
                    assert!(!e.to_string().contains(SECRET), "{label}: {e}");
                    assert_eq!(
                        desk.list().unwrap().len(),
                        before.len(),
                        "{label}: half saved"
                    );
                }
            }
        }
        // 50 MiB (sparse, so the test writes nothing): refused before it is read.
        let big = dir.path().join(format!("{}.big", source.word()));
        std::fs::File::create(&big)
            .unwrap()
            .set_len(50 << 20)
            .unwrap();
        let e = import::read(source, Some(&big), &env).unwrap_err();
        assert_eq!(e.field(), Some("path"), "{}: {e}", source.word());
        // (A Patchbay bundle may hold a whole store: its bound is 64 MiB, and zeros are no bundle.)
        if source != Source::Patchbay {
            assert!(
                e.to_string()
                    .contains(" is 50 MiB; a connection file is at most "),
                "{}: {e}",
                source.word()
            );
        }
    }
    println!("{refused} spoiled files refused by name, {read} read into rows or reasons");
    assert!(refused > 20 && read > 20, "{refused} refused, {read} read");
}
