use super::*;

#[test]
fn airflows_own_uris_read_back_with_every_field() {
    // What `airflow connections export --file-format env` wrote for these (Airflow 3.3).
    let c = from_uri(
        "pg_main",
        "postgres://app:p%40ss%3Aw%2Frd@127.0.0.1:5432/orders?sslmode=require",
        "x",
    )
    .unwrap();
    assert_eq!(c.conn_type, "postgres");
    assert_eq!(
        (
            c.host.as_deref(),
            c.port,
            c.schema.as_deref(),
            c.login.as_deref()
        ),
        (Some("127.0.0.1"), Some(5432), Some("orders"), Some("app"))
    );
    assert_eq!(c.password.as_ref().unwrap().expose(), "p@ss:w/rd");
    assert_eq!(c.extra_str("sslmode").as_deref(), Some("require"));
    let k = from_uri("k1", "kafka:///?bootstrap.servers=127.0.0.1%3A9092", "x").unwrap();
    assert_eq!(
        (
            k.host.as_deref(),
            k.extra_str("bootstrap.servers").as_deref()
        ),
        (None, Some("127.0.0.1:9092"))
    );
    let g = from_uri(
        "g",
        "google-cloud-platform://?__extra__=%7B%22project%22%3A+%22p%22%2C+%22n%22%3A+1%7D",
        "x",
    )
    .unwrap();
    assert_eq!(
        (
            g.conn_type.as_str(),
            g.extra_str("project").as_deref(),
            g.extra_str("n").as_deref()
        ),
        ("google_cloud_platform", Some("p"), Some("1"))
    );
    let w = from_uri(
        "w",
        "wasb://acct:key@http%3A%2F%2F127.0.0.1%3A10000%2Facct",
        "x",
    )
    .unwrap();
    assert_eq!(w.host.as_deref(), Some("http://127.0.0.1:10000/acct"));
    let h = from_uri("h", "http://https://example.com:8443/x", "x").unwrap();
    assert_eq!(
        (h.host.as_deref(), h.port),
        (Some("https://example.com"), Some(8443))
    );
}

#[test]
fn written_uris_read_back_to_the_same_connection() {
    let mut c = AirflowConn {
        conn_id: "x".into(),
        conn_type: "google_cloud_platform".into(),
        host: Some("db.internal".into()),
        login: Some("a@b c".into()),
        password: Some(SecretString::new("p:@/?#&= +%")),
        port: Some(6543),
        schema: Some("my db".into()),
        ..AirflowConn::default()
    };
    c.extra
        .insert("sslmode".into(), Value::String("verify-full".into()));
    let back = from_uri("x", &to_uri(&c), "x").unwrap();
    assert_eq!(
        (back.host, back.login, back.port, back.schema),
        (c.host.clone(), c.login.clone(), c.port, c.schema.clone())
    );
    assert_eq!(back.password.unwrap().expose(), "p:@/?#&= +%");
    assert_eq!(back.conn_type, "google_cloud_platform");
    assert_eq!(back.extra, c.extra);
    c.extra.insert("n".into(), Value::from(1));
    assert_eq!(
        from_uri("x", &to_uri(&c), "x").unwrap().extra,
        c.extra,
        "nested extras go as __extra__"
    );
}

#[test]
fn an_export_file_reads_each_connection_or_says_why_not() {
    let text = r#"{"a": {"conn_type": "postgres", "host": "h", "port": "5432", "extra": "{\"sslmode\": \"disable\"}", "password": "pw"},
                  "b": {"conn_type": "mysql", "port": "x"}, "c": {"host": "h"}, "d": 3}"#;
    let (ok, bad) = from_json(text, "f.json").unwrap();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].port, Some(5432));
    assert_eq!(ok[0].origin, "f.json:a");
    let why: Vec<(&str, &str)> = bad.iter().map(|(i, w)| (i.as_str(), w.as_str())).collect();
    assert_eq!(
        why,
        [
            ("b", "port \"x\" is not a number"),
            ("c", "has no conn_type"),
            ("d", "is not an object of connection fields")
        ]
    );
    assert!(!format!("{:?}", ok[0]).contains("pw"));
    assert_eq!(
        from_json("[1]", "f").unwrap_err(),
        "is not an Airflow export: expected an object of connections by id"
    );
}

#[test]
fn variables_and_env_files_take_uris_and_json() {
    let env = Env::of(
        &[
            ("AIRFLOW_CONN_MY_DB", "mysql://u:p@h:3306/s"),
            ("AIRFLOW_CONN_J", r#"{"conn_type": "aws", "login": "AKIA"}"#),
            ("OTHER", "x"),
        ],
        None,
    );
    let (ok, bad) = from_env(&env);
    assert!(bad.is_empty());
    let ids: Vec<&str> = ok.iter().map(|c| c.conn_id.as_str()).collect();
    assert_eq!(ids, ["j", "my_db"]);
    let (ok, bad) = from_env_file(
        "# c\npg=postgres://h/d\nbroken\nbad=postgres://h:port/d\n",
        "e.env",
    );
    assert_eq!(ok.len(), 1);
    assert_eq!(
        bad,
        [
            ("line 3".to_string(), "is not ID=URI".to_string()),
            (
                "bad".to_string(),
                "port \"port\" is not a number".to_string()
            )
        ]
    );
}

#[test]
fn airflows_yaml_export_reads_as_its_json_export_does() {
    // What `airflow connections export c.yaml --file-format yaml` wrote (Airflow 3.x).
    let text = "pg1:\n  conn_type: postgres\n  description: null\n  extra: '{\"sslmode\": \"require\"}'\n  host: 127.0.0.1\n  login: app\n  password: 'p@ss: x'\n  port: 5432\n  schema: orders\n";
    let (conns, unread) = from_yaml(text, "c.yaml").unwrap();
    assert!(unread.is_empty());
    let c = &conns[0];
    assert_eq!(
        (
            c.conn_id.as_str(),
            c.conn_type.as_str(),
            c.host.as_deref(),
            c.port,
            c.schema.as_deref(),
            c.login.as_deref()
        ),
        (
            "pg1",
            "postgres",
            Some("127.0.0.1"),
            Some(5432),
            Some("orders"),
            Some("app")
        )
    );
    assert_eq!(c.password.as_ref().unwrap().expose(), "p@ss: x");
    assert_eq!(c.extra_str("sslmode").as_deref(), Some("require"));
}

#[test]
fn a_broken_yaml_file_says_where_and_never_what() {
    let e = from_yaml("pg1:\n  password: 'hunter2\n  host: [", "c.yaml").unwrap_err();
    assert!(
        e.starts_with("is not YAML Patchbay can read at line "),
        "{e}"
    );
    assert!(!e.contains("hunter2"), "{e}");
    let e = from_yaml("- just\n- a list\n", "c.yaml").unwrap_err();
    assert_eq!(
        e,
        "is not an Airflow export: expected an object of connections by id"
    );
}
