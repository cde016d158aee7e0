//! `patchbay import --from mylogin`: MySQL's login path file. `mysql_config_editor` (MySQL's
//! own writer) is not in Debian, so a stand-in written here from the published format makes the
//! file, and the `myloginpath` reader from PyPI proves it reads as MySQL's; each login path
//! imports and passes its check against the real MariaDB.

use std::process::Command;

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::import_fixtures::client;

/// Writes `plain` as `mysql_config_editor` does (a stand-in: this file's Python, AES-128-ECB).
const STANDIN_WRITER: &str = r#"
import os, struct, sys
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
raw = os.urandom(20)
key = bytearray(16)
for i, b in enumerate(raw):
    key[i % 16] ^= b
out = b"\0\0\0\0" + raw
for line in sys.argv[2].splitlines(True):
    data = line.encode()
    pad = 16 - len(data) % 16
    data += bytes([pad]) * pad
    enc = Cipher(algorithms.AES(bytes(key)), modes.ECB()).encryptor()
    body = enc.update(data) + enc.finalize()
    out += struct.pack("<i", len(body)) + body
open(sys.argv[1], "wb").write(out)
os.chmod(sys.argv[1], 0o600)
"#;

#[test]
#[ignore = "needs the test servers and tests/run's Python: run tests/run"]
fn each_login_path_imports_with_the_clients_defaults_and_passes_its_check() {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mylogin-standin.cnf");
    let plain = format!("[client]\nhost = \"127.0.0.1\"\nport = {}\nuser = \"app\"\npassword = \"{}\"\n[reports]\nuser = \"tlsuser\"\npassword = \"{}\"\n", srv["PB_MY_PORT"], srv["PB_MY_PASSWORD"], srv["PB_MY_TLS_PASSWORD"]);
    let python =
        std::env::var("PATCHBAY_TEST_PYTHON").expect("PATCHBAY_TEST_PYTHON: run tests/run");
    client(
        Command::new(&python)
            .args(["-c", STANDIN_WRITER])
            .arg(&file)
            .arg(&plain),
    );
    let read = client(Command::new(&python).args(["-c", "import myloginpath, json, sys; print(json.dumps([myloginpath.parse(p, sys.argv[1]) for p in ('client', 'reports')]))"]).arg(&file));
    let read: Value = serde_json::from_str(&read).unwrap();
    // myloginpath reads each group as written; the mysql client lays a login path over [client].
    assert_eq!(
        (read[0]["user"].as_str(), read[0]["port"].as_u64()),
        (Some("app"), srv["PB_MY_PORT"].parse().ok())
    );
    assert_eq!(
        (read[1]["user"].as_str(), read[1]["port"].as_u64()),
        (Some("tlsuser"), None)
    );
    let e = Env::new();
    let o = e.run(&[
        "--json",
        "import",
        "--from",
        "mylogin",
        file.to_str().unwrap(),
        "--yes",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows: Vec<(&str, &str, &str)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
                r["target"].as_str().unwrap(),
            )
        })
        .collect();
    let target = format!("127.0.0.1:{}", srv["PB_MY_PORT"]);
    assert_eq!(
        rows,
        [
            ("mysql", "new", target.as_str()),
            ("reports", "new", target.as_str())
        ]
    );
    assert!(!String::from_utf8_lossy(&o.stdout).contains(&srv["PB_MY_PASSWORD"]));
    for (name, user) in [("mysql", "app"), ("reports", "tlsuser")] {
        let shown: Value =
            serde_json::from_slice(&e.run(&["--json", "show", name]).stdout).unwrap();
        assert_eq!(shown["spec"]["username"], user);
        let o = e.run(&["test", name]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
    }
    let o = e.run(&["import", "--from", "mylogin", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
}
