//! `patchbay import` of DBeaver's connections and DataGrip's data sources. Neither IDE can run
//! here: the fixtures are built from their published formats (folders named "standin"), and
//! DBeaver's `credentials-config.json` is encrypted by the openssl tool with DBeaver's published
//! default key, as DBeaver writes it (IV first).

use std::process::Command;

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::import_fixtures::file;

const DEFAULT_KEY: &str = "babb4a9f774ab853c96c2d653dfe544a";

/// `plain` encrypted by openssl (AES-128-CBC, PKCS#7) under `key`, its IV first.
fn dbeaver_encrypt(dir: &std::path::Path, plain: &str, key: &str) -> Vec<u8> {
    let iv = "00112233445566778899aabbccddeeff";
    let input = file(dir, "credentials-plain.json", plain);
    let out = Command::new("openssl")
        .args(["enc", "-aes-128-cbc", "-K", key, "-iv", iv, "-in"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::remove_file(input).unwrap();
    let mut bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&iv[i * 2..i * 2 + 2], 16).unwrap())
        .collect();
    bytes.extend(out.stdout);
    bytes
}

fn rows(v: &Value) -> Vec<(String, String, Value, Value)> {
    v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
                r["env_tag"].clone(),
                r["secrets"].clone(),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn dbeavers_connections_import_with_their_saved_passwords_and_types_and_pass_their_checks() {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("dbeaver-standin");
    std::fs::create_dir(&d).unwrap();
    let sources = serde_json::json!({"folders": {}, "connections": {
        "postgres-jdbc-1": {"provider": "postgresql", "driver": "postgres-jdbc", "name": "Orders prod", "save-password": true,
            "configuration": {"host": "127.0.0.1", "port": srv["PB_PG_PORT"], "database": "app", "url": format!("jdbc:postgresql://127.0.0.1:{}/app", srv["PB_PG_PORT"]), "type": "prod", "auth-model": "native"}},
        // Both databases of the test bastion's network (5432 and 3306 there), through it: by key
        // file, and by password.
        "mariadb-2": {"provider": "mysql", "driver": "mariadb", "name": "Shop dev",
            "configuration": {"url": "jdbc:mariadb://127.0.0.1:3306/app", "type": "dev",
                "handlers": {"ssh_tunnel": {"type": "TUNNEL", "enabled": true, "save-password": true, "properties": {"host": "127.0.0.1", "port": srv["PB_SSH_PORT"], "authType": "PASSWORD"}}}}},
        "postgres-jdbc-4": {"provider": "postgresql", "driver": "postgres-jdbc", "name": "Orders behind bastion",
            "configuration": {"host": "127.0.0.1", "port": "5432", "database": "app", "type": "prod",
                "handlers": {"ssh_tunnel": {"type": "TUNNEL", "enabled": true, "properties": {"host": "127.0.0.1", "port": srv["PB_SSH_PORT"], "authType": "PUBLIC_KEY", "keyPath": srv["PB_SSH_KEY"]}}}}},
        "oracle-3": {"provider": "oracle", "name": "Legacy", "configuration": {"host": "ora.internal"}}}});
    let data = file(&d, "data-sources.json", &sources.to_string());
    let creds = serde_json::json!({"postgres-jdbc-1": {"#connection": {"user": "app", "password": srv["PB_PG_PASSWORD"]}},
        "mariadb-2": {"#connection": {"user": "app", "password": srv["PB_MY_PASSWORD"]}, "network/ssh_tunnel": {"user": srv["PB_SSH_USER"], "password": srv["PB_SSH_PASSWORD"]}},
        "postgres-jdbc-4": {"#connection": {"user": "app", "password": srv["PB_PG_PASSWORD"]}, "network/ssh_tunnel": {"user": srv["PB_SSH_USER"]}}});
    std::fs::write(
        d.join("credentials-config.json"),
        dbeaver_encrypt(&d, &creds.to_string(), DEFAULT_KEY),
    )
    .unwrap();
    let e = Env::new();
    let o = e.run(&["--json", "import", data.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"], "dbeaver");
    let pw = serde_json::json!(["password"]);
    // In the order of DBeaver's connection ids.
    assert_eq!(
        rows(&v),
        [
            (
                "Shop dev".into(),
                "new".into(),
                serde_json::json!("dev"),
                serde_json::json!(["password", "ssh_password"])
            ),
            (
                "Legacy".into(),
                "skipped".into(),
                Value::Null,
                serde_json::json!([])
            ),
            (
                "Orders prod".into(),
                "new".into(),
                serde_json::json!("prod"),
                pw.clone()
            ),
            (
                "Orders behind bastion".into(),
                "new".into(),
                serde_json::json!("prod"),
                pw
            ),
        ]
    );
    assert_eq!(
        v["rows"][0]["secrets"],
        serde_json::json!(["password", "ssh_password"])
    );

    assert_eq!(
        v["rows"][1]["reason"],
        "DBeaver's oracle connections are not a kind Patchbay keeps (PostgreSQL, MySQL, MariaDB)"
    );
    let shown: Value =
        serde_json::from_slice(&e.run(&["--json", "show", "Orders behind bastion"]).stdout)
            .unwrap();
    assert_eq!(
        shown["spec"]["ssh"],
        serde_json::json!({"host": "127.0.0.1", "port": srv["PB_SSH_PORT"].parse::<u32>().unwrap(), "user": srv["PB_SSH_USER"], "auth": "key", "key_file": srv["PB_SSH_KEY"]})
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains(&srv["PB_PG_PASSWORD"]) && !out.contains(&srv["PB_SSH_PASSWORD"]));
    let fp = patchbay_testkit::ssh_fingerprint(&srv["PB_SSH_HOST_KEY"]);
    for name in ["Orders prod", "Shop dev", "Orders behind bastion"] {
        let home = tempfile::tempdir().unwrap();
        let o = crate::common::feed(
            e.cmd(["test", name, "--accept-host-key", &fp])
                .env("HOME", home.path()),
            b"",
        );
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
    }
    // With a master password DBeaver encrypts under another key: no passwords, and it says so.
    std::fs::write(
        d.join("credentials-config.json"),
        dbeaver_encrypt(&d, &creds.to_string(), "00000000000000000000000000000001"),
    )
    .unwrap();
    let o = Env::new().run(&["--json", "import", data.to_str().unwrap()]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| panic!("{}", text(&o)));
    assert_eq!(v["problems"], serde_json::json!(["credentials-config.json does not open with DBeaver's default key (a master password is set?): connections come without their passwords"]));
    assert_eq!(
        (&v["rows"][0]["secrets"], &v["rows"][2]["secrets"]),
        (&serde_json::json!([]), &serde_json::json!([]))
    );
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn datagrips_data_sources_import_with_their_users_and_without_the_password_it_keeps_itself() {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let idea = dir.path().join("datagrip-standin").join(".idea");
    std::fs::create_dir_all(&idea).unwrap();
    let url = format!(
        "jdbc:postgresql://127.0.0.1:{}/app?ssl=true&amp;sslmode=require",
        srv["PB_PG_PORT"]
    );
    let shared = file(
        &idea,
        "dataSources.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="DataSourceManagerImpl" format="xml" multifile-model="true">
    <data-source source="LOCAL" name="app@127.0.0.1" uuid="0b8d5c1e-0000-4000-8000-000000000001">
      <driver-ref>postgresql</driver-ref>
      <synchronize>true</synchronize>
      <jdbc-driver>org.postgresql.Driver</jdbc-driver>
      <jdbc-url>{url}</jdbc-url>
      <working-dir>$ProjectFileDir$</working-dir>
    </data-source>
    <data-source source="LOCAL" name="warehouse" uuid="0b8d5c1e-0000-4000-8000-000000000002">
      <driver-ref>snowflake</driver-ref>
      <jdbc-url>jdbc:snowflake://acct.snowflakecomputing.com</jdbc-url>
    </data-source>
  </component>
</project>"#
        ),
    );
    file(
        &idea,
        "dataSources.local.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<project version="4">
  <component name="dataSourceStorageLocal" created-in="DB-243.21565.180">
    <data-source name="app@127.0.0.1" uuid="0b8d5c1e-0000-4000-8000-000000000001">
      <database-info product="PostgreSQL" version="15.18" />
      <user-name>app</user-name>
    </data-source>
  </component>
</project>"#,
    );
    let e = Env::new();
    let o = e.run(&["--json", "import", shared.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["source"], "datagrip");
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
    let target = format!("127.0.0.1:{}/app", srv["PB_PG_PORT"]);
    assert_eq!(
        rows,
        [
            ("app@127.0.0.1", "new", target.as_str()),
            ("warehouse", "skipped", "")
        ]
    );
    assert_eq!(
        v["rows"][0]["notes"][0],
        "no password: DataGrip keeps it in its own keychain entry (set it in Patchbay)"
    );
    assert_eq!(v["rows"][1]["reason"], "DataGrip's snowflake data sources are not a kind Patchbay keeps (PostgreSQL, MySQL, MariaDB)");
    let shown: Value =
        serde_json::from_slice(&e.run(&["--json", "show", "app@127.0.0.1"]).stdout).unwrap();
    assert_eq!(shown["spec"]["username"], "app");
    e.ok(
        &["edit", "app@127.0.0.1", "--password-stdin"],
        &srv["PB_PG_PASSWORD"],
    );
    let o = e.run(&["test", "app@127.0.0.1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}
