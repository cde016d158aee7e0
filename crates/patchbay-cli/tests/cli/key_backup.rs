//! `patchbay key backup --out FILE`: the master key sealed with a passphrase in a new key file,
//! which then opens the store on its own (PATCHBAY_KEY_FILE); an existing file is never replaced,
//! and a backup of a key the store was rotated away from no longer counts.

use crate::common::Env;

fn backup(e: &Env, out: &std::path::Path, passphrase: &str) -> std::process::Output {
    e.run_with_stdin(
        &[
            "key",
            "backup",
            "--out",
            out.to_str().unwrap(),
            "--passphrase-stdin",
        ],
        passphrase,
    )
}

#[test]
fn a_backup_opens_the_store_alone_and_is_never_written_over() {
    let e = Env::new();
    e.add_pg("orders", "the-saved-pw");
    let file = e.dir.path().join("key-backup.json");
    let out = backup(&e, &file, "correct horse battery");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // The backup alone opens the store: no PATCHBAY_MASTER_KEY.
    let revealed = e
        .cmd(["reveal", "orders", "password"])
        .env_remove("PATCHBAY_MASTER_KEY")
        .env("PATCHBAY_KEY_FILE", &file)
        .env("PATCHBAY_PASSPHRASE", "correct horse battery")
        .output()
        .unwrap();
    assert_eq!(revealed.status.code(), Some(0), "{revealed:?}");
    assert_eq!(String::from_utf8_lossy(&revealed.stdout), "the-saved-pw\n");
    let status: serde_json::Value =
        serde_json::from_str(&e.ok(&["--json", "key", "status"], "")).unwrap();
    assert_eq!(status["backup"]["path"], file.to_str().unwrap());
    // A second backup to the same file is refused and leaves the first as it was.
    let before = std::fs::read(&file).unwrap();
    let again = backup(&e, &file, "another passphrase");
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        format!(
            "patchbay: file: {} exists already: choose a new file (a backup never replaces one)\n",
            file.display()
        )
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn a_short_passphrase_writes_nothing_and_a_rotated_key_needs_a_new_backup() {
    let e = Env::new();
    e.add_pg("orders", "pw");
    let file = e.dir.path().join("short.json");
    let out = backup(&e, &file, "short");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("patchbay: passphrase: a key file's passphrase needs at least 8 characters"));
    assert!(!file.exists());
    let file = e.dir.path().join("good.json");
    assert_eq!(backup(&e, &file, "long enough pass").status.code(), Some(0));
    let new_key = crate::common::generate_key();
    e.ok(&["key", "rotate", "--new-key-stdin"], &new_key);
    let status: serde_json::Value = serde_json::from_str(
        &String::from_utf8(
            e.cmd(["--json", "key", "status"])
                .env("PATCHBAY_MASTER_KEY", &new_key)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(status["unlocked"], true);
    assert_eq!(
        status["backup"],
        serde_json::Value::Null,
        "the old key's backup no longer counts"
    );
}
