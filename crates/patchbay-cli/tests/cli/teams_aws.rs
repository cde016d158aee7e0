//! A team in AWS Secrets Manager (moto, its IAM policies enforced), the second engine behind the
//! same commands: a member whose policy allows everything shares a PostgreSQL connection and a
//! named secret in Airflow's layout there; two saves from one version make one conflict; a member
//! who may only read lists, checks and execs it and is refused an edit in IAM's words; Airflow's
//! own SecretsManagerBackend reads the connection and the variable.

use crate::common::{servers, text, Env, Servers};
use crate::teams::{airflow_json, json_err, unique};

/// `team add NAME` of the team whose names start with `prefix`, with an IAM user's keys.
fn join_aws(e: &Env, srv: &Servers, prefix: &str, who: &str) -> std::process::Output {
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"]);
    let key = |k: &str| {
        format!(
            "PB_MOTO_{who}{}KEY_{k}",
            if who.is_empty() { "" } else { "_" }
        )
    };
    let id = &srv[&key("ID")];
    let args = [
        "--json",
        "team",
        "add",
        "lake-team",
        "--engine",
        "aws-secrets-manager",
        "--address",
        &endpoint,
        "--region",
        "us-east-1",
        "--path",
        prefix,
        "--auth",
        "aws-keys",
        "--access-key-id",
        id,
        "--secret-stdin",
    ];
    e.run_with_stdin(&args, &srv[&key("SECRET")])
}

#[test]
#[ignore = "needs the test servers (moto, PostgreSQL), the OS keychain and Airflow"]
fn a_team_in_aws_secrets_manager_is_shared_used_by_a_reader_and_read_by_airflow() {
    let srv = servers();
    let prefix = unique("airflow");
    let alice = Env::new();
    let name = unique("orders");
    alice.add_verified_db(&srv, "postgres", &name);
    let o = join_aws(&alice, &srv, &prefix, "");
    assert!(o.status.success(), "alice joins: {}", text(&o));
    let o = alice.run(&["share", &name, "--team", "lake-team"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!("shared {name} with team lake-team (version 1)\n"),
        "{}",
        text(&o)
    );
    let o = alice.run_with_stdin(
        &[
            "secret",
            "set",
            "region",
            "--team",
            "lake-team",
            "--value-stdin",
        ],
        "eu-west-1",
    );
    assert!(o.status.success(), "secret set: {}", text(&o));

    // Two saves from version 1: the second is a conflict naming what the first changed.
    let desk = crate::common::desk_of(&alice);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let read = rt.block_on(desk.team_resolve("lake-team", &name)).unwrap();
    let with_database = |db: &str| crate::teams_versions::with_database(&read, db);
    let first = rt.block_on(desk.team_save("lake-team", &with_database("app"), 1));
    assert_eq!(first.unwrap(), 2);
    let err = rt
        .block_on(desk.team_save("lake-team", &with_database("postgres"), 1))
        .unwrap_err();
    assert_eq!(err.code(), "conflict", "{err}");
    assert_eq!(
        crate::teams_versions::history(&alice, &name, "lake-team"),
        [1, 2]
    );

    // Carol may only read the team's secrets.
    let carol = Env::new();
    let o = join_aws(&carol, &srv, &prefix, "CAROL");
    assert!(o.status.success(), "carol joins: {}", text(&o));
    let o = carol.run(&["--json", "team", "ls", "lake-team"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    let rows: Vec<(&str, u64)> = list["rows"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| (r["name"].as_str().unwrap(), r["version"].as_u64().unwrap()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(rows, [(name.as_str(), 2)], "{}", text(&o));
    let o = carol.run(&["--json", "test", &name, "--team", "lake-team"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let sql = ["-XAtc", "select current_user"];
    let o = carol
        .cmd(["exec", &name, "--team", "lake-team", "--", "psql"])
        .args(sql)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "app",
        "{}",
        text(&o)
    );
    let o = carol.run(&[
        "--json",
        "edit",
        &name,
        "--team",
        "lake-team",
        "--database",
        "x",
    ]);
    let e = json_err(&o);
    assert_eq!(
        (e["error"]["code"].as_str(), e["error"]["message"].as_str()),
        (Some("engine"), Some(format!("the IAM policies do not allow these keys to write {prefix}/connections/{name} (permission denied)").as_str())),
        "{}",
        text(&o)
    );

    // Airflow's SecretsManagerBackend, as a worker configured for the team (carol's keys).
    let script = r#"
import json, os
from airflow.providers.amazon.aws.secrets.secrets_manager import SecretsManagerBackend
p = os.environ["PREFIX"]
b = SecretsManagerBackend(connections_prefix=f"{p}/connections", variables_prefix=f"{p}/variables",
                          region_name="us-east-1", endpoint_url=os.environ["ENDPOINT"],
                          aws_access_key_id=os.environ["KEY_ID"], aws_secret_access_key=os.environ["KEY_SECRET"])
c = b.get_connection(os.environ["NAME"])
print(json.dumps({"type": c.conn_type, "host": c.host, "port": c.port, "login": c.login, "schema": c.schema,
                  "password": c.password, "extra": c.extra_dejson, "variable": b.get_variable("region")}))
"#;
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"]);
    let got = airflow_json(
        script,
        &[
            ("PREFIX", &prefix),
            ("ENDPOINT", &endpoint),
            ("KEY_ID", &srv["PB_MOTO_CAROL_KEY_ID"]),
            ("KEY_SECRET", &srv["PB_MOTO_CAROL_KEY_SECRET"]),
            ("NAME", &name),
        ],
    );
    assert_eq!(
        got,
        serde_json::json!({"type": "postgres", "host": "127.0.0.1", "port": srv["PB_PG_PORT"].parse::<u32>().unwrap(),
                           "login": "app", "schema": "app", "password": srv["PB_PG_PASSWORD"],
                           "extra": {"sslmode": "verify-full"}, "variable": "eu-west-1"})
    );
}
