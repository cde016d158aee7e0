//! The hostile-input corpus through a database's SSH tunnel: every spoiled host, port and user
//! of the corpus, put where the bastion's go, is refused naming the SSH field; key texts and key
//! files that are not keys (cut short, the public half, garbage, a megabyte) are refused naming
//! theirs; nothing is saved. The good ones save: a whole key, an encrypted one (its passphrase
//! is asked for when it is used), a key file, an agent's .pub.

use std::process::Command;

use patchbay_core::model::*;
use patchbay_core::SecretString;
use patchbay_testkit::corpus::{self, Raw};
use patchbay_testkit::*;

fn tunnelled(t: SshTunnel) -> ConnectionDraft {
    ConnectionDraft::new(
        "behind",
        Spec::Database(DatabaseSpec {
            engine: DbEngine::Postgresql,
            host: "10.0.0.5".into(),
            port: 5432,
            database: "app".into(),
            username: "app".into(),
            ssl_mode: SslMode::Require,
            ca_cert: None,
            ssh: Some(t),
        }),
    )
}

fn bastion(auth: SshAuth, key_file: Option<String>) -> SshTunnel {
    SshTunnel {
        host: "bastion.example".into(),
        port: 22,
        user: "ops".into(),
        auth,
        key_file,
        jump: Vec::new(),
    }
}

/// An ed25519 key pair made by ssh-keygen (with `passphrase`); the private key's path.
fn keygen(dir: &std::path::Path, name: &str, passphrase: &str) -> String {
    let path = dir.join(name);
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", passphrase, "-f"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(ok.success());
    path.display().to_string()
}

#[test]
fn every_spoiled_bastion_host_port_and_user_is_refused_naming_the_ssh_field() {
    let mut s = store();
    let before = s.snapshot();
    let (mut refused, mut wrong) = (0, Vec::new());
    for case in corpus::cases().iter().filter(|c| c.kind == Kind::Database) {
        let (Raw::Text(v), Some(field)) = (
            &case.value,
            match case.field {
                "host" => Some("ssh_host"),
                "port" => Some("ssh_port"),
                "username" => Some("ssh_user"),
                _ => None,
            },
        ) else {
            continue;
        };
        let mut t = bastion(SshAuth::Password, None);
        match field {
            "ssh_host" => t.host = v.clone(),
            "ssh_port" => match v.trim().parse() {
                Ok(p) => t.port = p,
                Err(_) => continue, // only a text interface can carry a port that is no number
            },
            _ => t.user = v.clone(),
        }
        let d = tunnelled(t).with_secret(SecretField::SshPassword, SecretString::new("pw"));
        match s.catalog.create(d) {
            Ok(c) => wrong.push(format!("{}: saved as {:?}", case.label, c.spec)),
            Err(e) if e.field() == Some(field) => refused += 1,
            Err(e) => wrong.push(format!("{}: {e}", case.label)),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(refused > 50, "{refused}");
    assert_eq!(s.snapshot(), before, "the store changed");
}

#[test]
fn key_texts_and_key_files_that_are_not_private_keys_are_refused_and_good_ones_save() {
    let dir = tempfile::tempdir().unwrap();
    let plain = keygen(dir.path(), "id_plain", "");
    let locked = keygen(dir.path(), "id_locked", "a passphrase");
    let text = std::fs::read_to_string(&plain).unwrap();
    let public = std::fs::read_to_string(format!("{plain}.pub")).unwrap();
    let mut s = store();
    let before = s.snapshot();
    let bad_texts = [
        ("cut short", text[..text.len() / 2].to_string()),
        ("the public half", public.clone()),
        // A key's armour around garbage (the armour assembled here, so that no key-shaped text
        // sits in the repository).
        ("garbage", {
            let armour = |edge: &str| format!("-----{edge} OPENSSH PRIVATE KEY-----");
            format!("{}\nAAAA!!!!\n{}\n", armour("BEGIN"), armour("END"))
        }),
        ("a megabyte", "a".repeat(1 << 20)),
        ("empty", String::new()),
    ];
    for (what, value) in &bad_texts {
        let d = tunnelled(bastion(SshAuth::Key, None))
            .with_secret(SecretField::SshPrivateKey, SecretString::new(value.clone()));
        let e = s
            .catalog
            .create(d)
            .err()
            .unwrap_or_else(|| panic!("{what}: saved"));
        assert_eq!(e.field(), Some("ssh_private_key"), "{what}: {e}");
        assert!(
            e.message().len() < 400 && !e.message().contains("AAAA!!!!"),
            "{what}: {e}"
        );
    }
    let not_keys = dir.path().join("notes.txt");
    std::fs::write(&not_keys, "not a key\n").unwrap();
    for (auth, file, what) in [
        (SshAuth::Key, not_keys.display().to_string(), "a text file"),
        (SshAuth::Key, format!("{plain}.pub"), "the public half"),
        (
            SshAuth::Key,
            dir.path().display().to_string(),
            "a directory",
        ),
        (
            SshAuth::Key,
            "relative/id_ed25519".to_string(),
            "a relative path",
        ),
        (
            SshAuth::Agent,
            not_keys.display().to_string(),
            "no key for the agent",
        ),
    ] {
        let e = s
            .catalog
            .create(tunnelled(bastion(auth, Some(file))))
            .err()
            .unwrap_or_else(|| panic!("{what}: saved"));
        assert_eq!(e.field(), Some("ssh_key_file"), "{what}: {e}");
    }
    assert_eq!(s.snapshot(), before, "the store changed");
    // The good ones.
    let whole = tunnelled(bastion(SshAuth::Key, None))
        .with_secret(SecretField::SshPrivateKey, SecretString::new(text));
    s.catalog.create(whole).unwrap();
    let mut encrypted = tunnelled(bastion(SshAuth::Key, Some(locked)));
    encrypted.name = "behind-locked".into();
    s.catalog.create(encrypted).unwrap();
    let mut agent = tunnelled(bastion(SshAuth::Agent, Some(format!("{plain}.pub"))));
    agent.name = "behind-agent".into();
    s.catalog.create(agent).unwrap();
}
