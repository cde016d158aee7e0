//! What Kafka clients, the aws CLI and psql get from Patchbay works in them: properties files
//! read back exactly and connect over SSL and SASL_SSL, a private CA is used with verification
//! on, and an S3 check uses only the saved keys, never the ambient AWS credentials.

use crate::common::*;

#[test]
fn kafka_env_and_properties_describe_the_client_settings() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "kafka",
            "events",
            "--bootstrap",
            "127.0.0.1:9092",
            "--security-protocol",
            "SASL_PLAINTEXT",
            "--sasl-mechanism",
            "SCRAM-SHA-256",
            "--sasl-user",
            "alice",
            "--sasl-password-stdin",
        ],
        "KAFKA-pw-5\n",
    );
    let props = e.ok(
        &["env", "events", "--format", "properties", "--with-password"],
        "",
    );
    assert!(props.contains("bootstrap.servers=127.0.0.1:9092\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.username=alice\nsasl.password=KAFKA-pw-5"), "{props}");
    let env = e.ok(&["env", "events"], "");
    assert!(env.contains("KAFKA_BOOTSTRAP_SERVERS") && !env.contains("KAFKA-pw-5"));
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn an_s3_check_uses_only_the_saved_keys_never_the_ambient_aws_credentials() {
    let srv = crate::common::servers();
    let (ak, sk) = (&srv["PB_S3_ACCESS_KEY"], &srv["PB_S3_SECRET_KEY"]);
    let endpoint = format!("http://127.0.0.1:{}", srv["PB_S3_HTTP_PORT"]);
    let e = Env::new();
    for (name, secret) in [("good", sk.as_str()), ("bad", "wrong-secret-key")] {
        e.ok(
            &[
                "add",
                "s3",
                name,
                "--access-key-id",
                ak,
                "--endpoint-url",
                &endpoint,
                "--allow-http",
                "--secret-key-stdin",
            ],
            secret,
        );
    }
    // The right keys all around do not rescue a saved wrong secret...
    let aws = tempfile::tempdir().unwrap();
    let mut c = e.cmd(["test", "bad"]);
    ambient_aws(&mut c, aws.path(), ak, sk);
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(text(&o).contains("wrong secret access key"), "{}", text(&o));
    // ...and wrong keys all around do not spoil the saved right ones.
    let mut c = e.cmd(["test", "good"]);
    ambient_aws(
        &mut c,
        aws.path(),
        "AKIAWRONGAMBIENT",
        "wrong-ambient-secret",
    );
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Every place an AWS SDK would look for credentials, filled with these keys.
fn ambient_aws(c: &mut std::process::Command, dir: &std::path::Path, ak: &str, sk: &str) {
    let creds = dir.join(format!("credentials-{ak}"));
    std::fs::write(
        &creds,
        format!(
            "[default]\naws_access_key_id = {ak}\naws_secret_access_key = {sk}\n[ambient]\naws_access_key_id = {ak}\naws_secret_access_key = {sk}\n"
        ),
    )
    .unwrap();
    c.env("AWS_ACCESS_KEY_ID", ak)
        .env("AWS_SECRET_ACCESS_KEY", sk)
        .env("AWS_SESSION_TOKEN", "ambient-session-token")
        .env("AWS_PROFILE", "ambient")
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds)
        .env("AWS_CONFIG_FILE", &creds);
}

/// Values that trip up quoting: quotes, backslashes, `$` and `${…}`, backticks, `#`, `=`, `:`,
/// spaces at both ends, line breaks, tabs and non-ASCII.
pub const AWKWARD: [&str; 12] = [
    "it's \"quoted\"",
    "back\\slash\\\\double",
    "$HOME and ${HOME} and $(id)",
    "`backticks`",
    "# not a comment",
    "a=b:c",
    "  spaces at both ends  ",
    "line one\nline two",
    "carriage\rreturn",
    "tab\there",
    "päss wörd 数据 🔑",
    "!bang first",
];

/// Runs the Python interpreter tests/run prepared (with python-dotenv and jproperties).
pub fn python(script: &str, file: &std::path::Path) -> String {
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect(
        "PATCHBAY_TEST_PYTHON: a Python with python-dotenv and jproperties (tests/run makes it)",
    );
    let o = std::process::Command::new(py)
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// Saves Kafka connection `k-{i}` whose SASL password is `password` and writes what
/// `env --format FORMAT --with-password` prints for it to `dir/{i}.FORMAT`.
pub fn kafka_properties(
    e: &Env,
    dir: &std::path::Path,
    i: usize,
    password: &str,
    format: &str,
) -> std::path::PathBuf {
    let k = format!("k-{i}");
    e.ok(
        &[
            "add",
            "kafka",
            &k,
            "--bootstrap",
            "k1:9092",
            "--security-protocol",
            "SASL_PLAINTEXT",
            "--sasl-mechanism",
            "SCRAM-SHA-512",
            "--sasl-user",
            "u",
            "--sasl-password-stdin",
        ],
        password,
    );
    let file = dir.join(format!("{i}.{format}"));
    std::fs::write(
        &file,
        e.ok(&["env", &k, "--with-password", "--format", format], ""),
    )
    .unwrap();
    file
}

#[test]
#[ignore = "needs tests/run's Python with python-dotenv and jproperties"]
fn properties_output_reads_back_exactly_with_a_properties_parser() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    for (i, value) in AWKWARD.iter().enumerate() {
        let props = kafka_properties(&e, dir.path(), i, value, "properties");
        let got = python(
            "import json, sys; from jproperties import Properties\np = Properties()\np.load(open(sys.argv[1], 'rb'), 'iso-8859-1')\nprint(json.dumps({k: v.data for k, v in p.items()}))",
            &props,
        );
        let got: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(
            got["sasl.password"], *value,
            "jproperties read back {value:?}"
        );
        assert_eq!(got["bootstrap.servers"], "k1:9092");
    }
}

#[test]
#[ignore = "needs the test servers and tests/run's Python with confluent-kafka"]
fn confluent_kafka_connects_with_nothing_but_the_generated_properties_over_ssl_and_sasl_ssl() {
    let srv = crate::common::servers();
    let e = Env::new();
    let ca = srv["PB_CA_CERT"].clone();
    e.ok(
        &[
            "add",
            "kafka",
            "tls",
            "--bootstrap",
            &format!("127.0.0.1:{}", srv["PB_KAFKA_SSL_PORT"]),
            "--security-protocol",
            "SSL",
            "--ca-cert",
            &ca,
        ],
        "",
    );
    e.add_kafka_sasl_ssl("sasl-tls", &srv);
    let dir = tempfile::tempdir().unwrap();
    for name in ["tls", "sasl-tls"] {
        let file = dir.path().join(format!("{name}.properties"));
        let props = e.ok(
            &["env", name, "--with-password", "--format", "properties"],
            "",
        );
        assert!(
            props.contains("ssl.ca.pem=-----BEGIN CERTIFICATE-----\\n"),
            "{props}"
        );
        std::fs::write(&file, props).unwrap();
        // The client gets the file's settings and nothing else (no CA path, no environment).
        let brokers = python(
            "import sys\nfrom jproperties import Properties\nfrom confluent_kafka.admin import AdminClient\np = Properties()\np.load(open(sys.argv[1], 'rb'), 'iso-8859-1')\nconf = {k: v.data for k, v in p.items()}\nmd = AdminClient(conf).list_topics(timeout=10)\nprint(len(md.brokers))",
            &file,
        );
        assert_eq!(
            brokers.trim(),
            "1",
            "{name}: confluent-kafka got the metadata"
        );
    }
    // Java clients get theirs: PEM trust store, JAAS line.
    let java = e.ok(
        &[
            "env",
            "sasl-tls",
            "--with-password",
            "--format",
            "java-properties",
        ],
        "",
    );
    for line in [
        "ssl.truststore.type=PEM",
        "ssl.truststore.certificates=-----BEGIN CERTIFICATE-----\\n",
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\"",
    ] {
        assert!(java.contains(line), "{line} in\n{java}");
    }
}

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn url_of_a_verifying_connection_says_it_cannot_carry_the_ca_and_ca_file_makes_psql_connect() {
    let srv = crate::common::servers();
    let e = Env::new();
    e.add_verified_db(&srv, "postgres", "pg");
    let o = e.run(&["url", "pg", "--with-password"]);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot carry"),
        "{}",
        text(&o)
    );
    let json: serde_json::Value =
        serde_json::from_str(&e.ok(&["--json", "url", "pg"], "")).unwrap();
    assert!(
        json["note"].as_str().unwrap().contains("--ca-file"),
        "{json}"
    );

    let ca = e.dir.path().join("ca for psql.pem");
    let url = e.ok(
        &[
            "url",
            "pg",
            "--with-password",
            "--ca-file",
            ca.to_str().unwrap(),
        ],
        "",
    );
    let url = url.trim();
    assert!(url.contains("sslrootcert="), "{url}");
    let psql = std::process::Command::new("psql")
        .args([url, "-Atc", "select current_user"])
        .env("PGCONNECT_TIMEOUT", "5")
        .env("HOME", e.dir.path()) // no ~/.postgresql/root.crt to fall back on
        .output()
        .unwrap();
    assert!(psql.status.success(), "{}", text(&psql));
    assert_eq!(String::from_utf8_lossy(&psql.stdout).trim(), "app");
}

#[test]
#[ignore = "needs the test servers and tests/run's Python with the aws CLI"]
fn an_s3_store_behind_a_private_ca_is_checked_and_used_by_the_aws_cli_with_verification_on() {
    let srv = crate::common::servers();
    let py = std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python");
    let aws = std::path::Path::new(&py).with_file_name("aws");
    let e = Env::new();
    let endpoint = format!("https://127.0.0.1:{}", srv["PB_S3_HTTPS_PORT"]);
    let add = |name: &str, ca: bool| {
        let mut args = vec![
            "add",
            "s3",
            name,
            "--access-key-id",
            &srv["PB_S3_ACCESS_KEY"],
            "--endpoint-url",
            &endpoint,
            "--secret-key-stdin",
        ];
        if ca {
            args.extend(["--ca-cert", &srv["PB_CA_CERT"]]);
        }
        e.ok(&args, &srv["PB_S3_SECRET_KEY"]);
    };
    add("private-ca", true);
    add("no-ca", false);
    // The check verifies against the saved CA…
    let o = e.run(&["test", "private-ca"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // …and the aws CLI gets it as AWS_CA_BUNDLE, with verification on.
    let o = e
        .cmd(["exec", "private-ca", "--"])
        .arg(&aws)
        .args(["s3", "ls"])
        .output()
        .unwrap();
    assert!(o.status.success(), "aws s3 ls: {}", text(&o));
    let mut buckets: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2).map(str::to_string))
        .collect();
    buckets.sort();
    assert_eq!(buckets, ["archive", "browse", "reports"], "{}", text(&o));
    // Without the CA both refuse the endpoint, and the check says what to do.
    let o = e.run(&["test", "no-ca"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    assert!(
        text(&o).contains("add the store's CA certificate"),
        "{}",
        text(&o)
    );
}

#[test]
#[ignore = "needs the test servers"]
fn test_all_verifies_each_store_that_trusts_the_system_roots_against_the_roots_of_that_run() {
    // The system's roots are read once and shared by the checks of a run: each check still
    // verifies against them, and a run with other roots says what those roots say.
    let srv = crate::common::servers();
    let e = Env::new();
    let endpoint = format!("https://127.0.0.1:{}", srv["PB_S3_HTTPS_PORT"]);
    for name in ["roots-a", "roots-b", "roots-c"] {
        e.ok(
            &[
                "add",
                "s3",
                name,
                "--access-key-id",
                &srv["PB_S3_ACCESS_KEY"],
            ]
            .into_iter()
            .chain(["--endpoint-url", &endpoint, "--secret-key-stdin"])
            .collect::<Vec<_>>(),
            &srv["PB_S3_SECRET_KEY"],
        );
    }
    let run = |roots: Option<&str>| {
        let mut c = e.cmd(["--json", "test", "--all"]);
        if let Some(file) = roots {
            c.env("SSL_CERT_FILE", file);
        }
        let o = c.output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON verdicts");
        let steps: Vec<(bool, Option<String>)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ok"].as_bool().unwrap(),
                    r["failed_step"].as_str().map(str::to_owned),
                )
            })
            .collect();
        (o.status.code(), steps)
    };
    let (code, steps) = run(Some(&srv["PB_CA_CERT"]));
    assert_eq!(code, Some(0));
    assert_eq!(steps, vec![(true, None); 3]);
    let (code, steps) = run(None);
    assert_eq!(code, Some(3));
    assert_eq!(steps, vec![(false, Some("tls".to_owned())); 3]);
}
