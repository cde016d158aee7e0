//! `patchbay import` of text files other tools read: a `.env` file's connection URLs and Azure
//! connection strings (as python-dotenv reads it, other variables left alone), kcat's
//! `kcat.conf` (kcat lists the cluster with it) and a Java `client.properties` (as jproperties
//! reads it, the credentials in its `sasl.jaas.config`).

use std::process::Command;

use serde_json::Value;

use crate::common::{servers, text, Env};
use crate::import_fixtures::{client, file};

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn a_dotenv_files_database_url_and_azure_connection_string_import_and_the_url_passes_its_check() {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let pw = &srv["PB_PG_PASSWORD"];
    let url = format!(
        "postgres://app:{pw}@127.0.0.1:{}/app?sslmode=require",
        srv["PB_PG_PORT"]
    );
    let azure = "DefaultEndpointsProtocol=https;AccountName=lakeacct;AccountKey=cGF0Y2hiYXkgaW1wb3J0IHRlc3Q6IGFuIGFjY291bnQga2V5IG9mIDY0IGJ5dGVzLCBub3QgYSByZWFsIG9uZQ==;EndpointSuffix=core.windows.net";
    let env = file(dir.path(), ".env", &format!("# app settings\nexport DATABASE_URL=\"{url}\"\nAZURE_STORAGE_CONNECTION_STRING='{azure}'\nREDIS_URL=redis://cache:6379 # not a kind\nDEBUG=1\n"));
    // python-dotenv reads the same two values.
    let python =
        std::env::var("PATCHBAY_TEST_PYTHON").expect("PATCHBAY_TEST_PYTHON: run tests/run");
    let read = client(Command::new(python).args(["-c", "import dotenv, json, sys; v = dotenv.dotenv_values(sys.argv[1]); print(json.dumps([v['DATABASE_URL'], v['AZURE_STORAGE_CONNECTION_STRING']]))"]).arg(&env));
    assert_eq!(
        serde_json::from_str::<Vec<String>>(&read).unwrap(),
        [url.clone(), azure.to_string()]
    );
    let e = Env::new();
    let o = e.run(&["--json", "import", env.to_str().unwrap(), "--yes"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows: Vec<(&str, &str, &str, &Value)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap(),
                r["type_word"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
                &r["secrets"],
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "database",
                "postgresql",
                "new",
                &serde_json::json!(["password"])
            ),
            (
                "azure-storage",
                "azure",
                "new",
                &serde_json::json!(["account_key"])
            )
        ]
    );
    assert_eq!(v["source"], "dotenv");
    assert!(!String::from_utf8_lossy(&o.stdout).contains(pw.as_str()));
    assert_eq!(e.run(&["test", "database"]).status.code(), Some(0));
    assert_eq!(
        e.ok(&["reveal", "azure-storage", "account_key"], ""),
        "cGF0Y2hiYXkgaW1wb3J0IHRlc3Q6IGFuIGFjY291bnQga2V5IG9mIDY0IGJ5dGVzLCBub3QgYSByZWFsIG9uZQ==\n"
    );
}

#[test]
#[ignore = "needs the test servers, kcat and tests/run's Python"]
fn a_kcat_conf_kcat_lists_the_cluster_with_and_a_java_client_properties_import_and_pass_their_checks(
) {
    let srv = servers();
    let dir = tempfile::tempdir().unwrap();
    let port = &srv["PB_KAFKA_SASL_SSL_PORT"];
    let pw = &srv["PB_KAFKA_PASSWORD_256"];
    let conf = file(dir.path(), "kcat.conf", &format!("bootstrap.servers=127.0.0.1:{port}\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=SCRAM-SHA-256\nsasl.username=alice\nsasl.password={pw}\nssl.ca.location={}\n", srv["PB_CA_CERT"]));
    let lib = crate::kcat::current_librdkafka();
    let listed = client(
        Command::new("kcat")
            .arg("-F")
            .arg(&conf)
            .args(["-L", "-m", "10"])
            .env("LD_LIBRARY_PATH", lib.path()),
    );
    assert!(
        listed.starts_with("Metadata for all topics (from broker "),
        "{listed}"
    );
    // A Java client's file: the credentials in sasl.jaas.config, a continuation line, ':' separators.
    let java = file(dir.path(), "client.properties", &format!("bootstrap.servers: 127.0.0.1:{port}\nsecurity.protocol = SASL_SSL\nsasl.mechanism = SCRAM-SHA-256\nsasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required \\\n    username=\"alice\" password=\"{pw}\";\nssl.ca.location={}\n", srv["PB_CA_CERT"]));
    let python =
        std::env::var("PATCHBAY_TEST_PYTHON").expect("PATCHBAY_TEST_PYTHON: run tests/run");
    let jaas = client(Command::new(python).args(["-c", "import jproperties, sys; p = jproperties.Properties(); p.load(open(sys.argv[1], 'rb')); print(p['sasl.jaas.config'].data)"]).arg(&java));
    assert_eq!(jaas, format!("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" password=\"{pw}\";"));
    for (file, name) in [(&conf, "kcat"), (&java, "java")] {
        let e = Env::new();
        let o = e.run(&["--json", "import", file.to_str().unwrap(), "--yes"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["rows"][0]["name"], "127-0-0-1", "{name}");
        assert_eq!(
            v["rows"][0]["secrets"],
            serde_json::json!(["sasl_password"]),
            "{name}"
        );
        assert_eq!(v["source"], "kafka-properties");
        let o = e.run(&["test", "127-0-0-1"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o));
    }
}
