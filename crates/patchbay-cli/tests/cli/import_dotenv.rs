//! `patchbay import` of a `.env` file: the connection URLs and Azure connection strings in it
//! (as python-dotenv reads the file), the other variables left alone.

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
