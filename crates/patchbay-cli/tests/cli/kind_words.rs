//! The words for a kind are the kinds' own (`kinds::words`) and every command takes the same
//! ones: `add TYPE` and `--kind` agree (`db` once worked with `--kind` but not with `add`), and
//! `add --help` names them all (it once named four words and two kinds).

use patchbay_core::kinds::words;
use patchbay_core::model::Kind;

use crate::common::{text, Env};

#[test]
fn every_word_for_a_kind_works_with_add_and_with_kind() {
    let e = Env::new();
    // A database word names the kind; postgres/mysql words also the engine.
    for (i, word) in words(Kind::Database).iter().enumerate() {
        let name = format!("db-{i}");
        e.ok(&["add", word, &name, "--host", "h", "--user", "u"], "");
        let shown: serde_json::Value =
            serde_json::from_str(&e.ok(&["--json", "show", &name, "--kind", word], "")).unwrap();
        let engine = match *word {
            "mysql" | "mariadb" => "mysql",
            _ => "postgresql",
        };
        assert_eq!(shown["spec"]["engine"], engine, "{word}: {shown}");
    }
    for (kind, fields) in [
        (
            Kind::S3,
            vec!["--access-key-id", "AK", "--secret-key-stdin"],
        ),
        (
            Kind::Kafka,
            vec!["--bootstrap", "k1:9092", "--security-protocol", "PLAINTEXT"],
        ),
    ] {
        for (i, word) in words(kind).iter().enumerate() {
            let name = format!("{}-{i}", kind.as_str());
            let mut args = vec!["add", word, &name];
            args.extend(fields.iter().copied());
            e.ok(&args, "sk");
            let listed = e.ok(&["list", "--kind", word], "");
            assert!(listed.contains(&name), "{word}: {listed}");
        }
    }
    // The others parse with --kind too, and an unknown word is refused the same way by both.
    for kind in [Kind::Azure, Kind::Gcs] {
        for word in words(kind) {
            let o = e.run(&["list", "--kind", word]);
            assert_eq!(o.status.code(), Some(0), "{word}: {}", text(&o));
        }
    }
    let o = e.run(&["list", "--kind", "redis"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = e.run(&["add", "redis", "x"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}

#[test]
fn add_help_names_every_kind_by_the_words_add_takes() {
    let e = Env::new();
    let help = e.ok(&["add", "--help"], "");
    for kind in Kind::ALL {
        let line = format!("  {:<10} {}", kind.short_label(), words(kind).join(", "));
        assert!(
            help.lines().any(|l| l == line),
            "{line:?} is not in add --help:\n{help}"
        );
    }
    // The short help in the command list names two words of each kind.
    let list = e.ok(&["--help"], "");
    let add = list
        .lines()
        .find(|l| l.trim_start().starts_with("add "))
        .unwrap_or_default();
    assert_eq!(
        add.trim_start().split_once("  ").map(|x| x.1.trim()),
        Some("Save a new connection: TYPE is database/db, storage/s3, azure/adls, gcs/gs, kafka"),
        "{list}"
    );
}
