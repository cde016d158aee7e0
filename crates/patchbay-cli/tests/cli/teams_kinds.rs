//! Every kind in a team: a manager shares a MariaDB, an S3 (s3s-fs), an Azure Blob (Azurite), a
//! Google Cloud Storage (fake-gcs-server) and a Kafka (tansu, SASL_SSL) connection; a read-only
//! teammate checks each against its real server and hands two to their real clients through
//! `exec --team`; Airflow's own VaultBackend reads each as the fields its hooks use.

use crate::common::{servers, text, Env};
use crate::teams::{airflow_json, join, unique};

#[test]
#[ignore = "needs the test servers (OpenBao and every store), the OS keychain and Airflow"]
fn every_kind_shared_with_the_team_works_for_a_teammate_and_for_airflow() {
    let srv = servers();
    let alice = Env::new();
    let name = |k: &str| unique(&format!("team-{k}"));
    let (db, s3, az, gcs, kafka) = (
        name("mariadb"),
        name("s3"),
        name("azure"),
        name("gcs"),
        name("kafka"),
    );
    alice.add_verified_db(&srv, "mysql", &db);
    alice.add_s3s_fs(&srv, &s3);
    let azurite = crate::azure::Azurite::new();
    azurite.add(
        &alice,
        &az,
        &["--account-key-stdin"],
        azurite.get("PB_AZ_KEY"),
    );
    let g = crate::gcs::Gcs::new();
    g.add(&alice, &gcs, &["--service-account-key", g.key_path()], "");
    alice.add_kafka_sasl_ssl(&kafka, &srv);
    let o = join(&alice, &srv, "manager", &srv["PB_BAO_MANAGER_PASSWORD"]);
    assert!(o.status.success(), "alice joins: {}", text(&o));
    let all = [&db, &s3, &az, &gcs, &kafka];
    for n in all {
        let o = alice.run(&["share", n, "--team", "data-eng"]);
        assert!(o.status.success(), "share {n}: {}", text(&o));
    }

    // Bob may only use them: each checks against its real server.
    let bob = Env::new();
    let o = join(&bob, &srv, "reader", &srv["PB_BAO_READER_PASSWORD"]);
    assert!(o.status.success(), "bob joins: {}", text(&o));
    for n in all {
        let o = bob.run(&["--json", "test", n, "--team", "data-eng"]);
        assert_eq!(o.status.code(), Some(0), "{n}: {}", text(&o));
    }
    // The real clients, handed the connections by exec.
    let sql = "exec mariadb --defaults-file=\"$MYSQL_HOME/my.cnf\" -N -e \"select @@port\"";
    let o = bob.run(&["exec", &db, "--team", "data-eng", "--", "sh", "-c", sql]);
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stdout).trim()),
        (Some(0), srv["PB_MY_PORT"].as_str()),
        "{}",
        text(&o)
    );
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let aws = std::path::Path::new(&py).with_file_name("aws");
    let o = bob
        .cmd(["exec", &s3, "--team", "data-eng", "--"])
        .arg(&aws)
        .args(["s3api", "list-buckets", "--query", "length(Buckets) >= `0`"])
        .output()
        .unwrap();
    assert_eq!(
        (o.status.code(), String::from_utf8_lossy(&o.stdout).trim()),
        (Some(0), "true"),
        "{}",
        text(&o)
    );

    // Airflow's VaultBackend, as a worker configured for the team reads them.
    let script = r#"
import json, os
from airflow.providers.hashicorp.secrets.vault import VaultBackend
b = VaultBackend(url=os.environ["ADDR"], token=os.environ["TOKEN"], mount_point="secret",
                 connections_path="data-eng/connections", verify=os.environ["CA"])
out = {}
for n in os.environ["NAMES"].split():
    c = b.get_connection(n)
    out[n] = {"type": c.conn_type, "host": c.host, "port": c.port, "login": c.login, "schema": c.schema,
              "password": bool(c.password), "extra": sorted(c.extra_dejson)}
print(json.dumps(out))
"#;
    let names: Vec<&str> = all.iter().map(|n| n.as_str()).collect();
    let names = names.join(" ");
    let got = airflow_json(
        script,
        &[
            ("ADDR", &srv["PB_BAO_ADDR"]),
            ("TOKEN", &srv["PB_BAO_ROOT_TOKEN"]),
            ("CA", &srv["PB_BAO_CA"]),
            ("NAMES", &names),
        ],
    );
    let port = |k: &str| srv[k].parse::<u32>().unwrap();
    // What each hook reads: MySqlHook host/port/login/schema/password and extra ssl_mode; the
    // AWS hooks login/password and extra endpoint_url/region_name; WasbHook the account URL in
    // host, the account and its key; GoogleBaseHook extra keyfile_dict and project; the Kafka
    // hooks the client configuration in extra.
    let account_url = format!("https://127.0.0.1:10000/{}", azurite.get("PB_AZ_ACCOUNT"));
    let expected = serde_json::json!({
        db.as_str(): {"type": "mysql", "host": "127.0.0.1", "port": port("PB_MY_PORT"), "login": "app", "schema": "app", "password": true, "extra": ["ssl_mode"]},
        s3.as_str(): {"type": "aws", "host": null, "port": null, "login": srv["PB_S3_ACCESS_KEY"], "schema": null, "password": true, "extra": ["endpoint_url", "region_name"]},
        az.as_str(): {"type": "wasb", "host": account_url, "port": null, "login": azurite.get("PB_AZ_ACCOUNT"), "schema": null, "password": true, "extra": []},
        gcs.as_str(): {"type": "google_cloud_platform", "host": null, "port": null, "login": null, "schema": null, "password": false, "extra": ["keyfile_dict", "project"]},
        kafka.as_str(): {"type": "kafka", "host": null, "port": null, "login": null, "schema": null, "password": false,
                        "extra": ["bootstrap.servers", "sasl.mechanism", "sasl.password", "sasl.username", "security.protocol"]},
    });
    assert_eq!(got, expected);
}
