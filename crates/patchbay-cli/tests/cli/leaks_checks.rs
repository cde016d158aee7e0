//! The leak audit against the real servers: checks that pass and checks that fail (wrong
//! passwords, refused logins) print no secret in any verdict, text or JSON.

use crate::common::{servers, text, Env};
use crate::leaks_fixtures::*;

#[test]
#[ignore = "needs the test servers: run tests/run"]
fn checks_against_real_servers_that_pass_and_fail_leak_no_secret() {
    let srv = servers();
    let get = |k: &str| srv.get(k).cloned().unwrap_or_else(|| panic!("{k} missing"));
    let e = Env::new();
    let (pg, my, s3, kafka, registry) = (
        get("PB_PG_PASSWORD"),
        get("PB_MY_PASSWORD"),
        get("PB_S3_SECRET_KEY"),
        get("PB_KAFKA_PASSWORD_256"),
        get("PB_REGISTRY_PASSWORD"),
    );
    let wrong = [
        "LEAK-wrong-pg-51c2",
        "LEAK-wrong-my-0e9a",
        "LEAK-wrong-s3-c4d8",
        "LEAK-wrong-kafka-77b1",
        "LEAK-wrong-registry-2a6f",
    ];
    let (pg_port, my_port, s3_port, k_port, r_url) = (
        get("PB_PG_PORT"),
        get("PB_MY_PORT"),
        get("PB_S3_HTTP_PORT"),
        get("PB_KAFKA_SASL_PORT"),
        format!("http://127.0.0.1:{}", get("PB_REGISTRY_PORT")),
    );
    let ak = get("PB_S3_ACCESS_KEY");
    let endpoint = format!("http://127.0.0.1:{s3_port}");
    let bootstrap = format!("127.0.0.1:{k_port}");
    let mut seen = String::new();
    let mut add = |args: Vec<&str>, stdin: &str| {
        let o = run(&mut e.cmd(&args), stdin);
        assert!(o.status.success(), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    };
    for (name, pw) in [("pg-ok", pg.as_str()), ("pg-wrong", wrong[0])] {
        add(
            vec![
                "add",
                "postgres",
                name,
                "--host",
                "127.0.0.1",
                "--port",
                &pg_port,
                "--database",
                "app",
                "--user",
                "app",
                "--ssl-mode",
                "require",
                "--password-stdin",
            ],
            pw,
        );
    }
    for (name, pw) in [("my-ok", my.as_str()), ("my-wrong", wrong[1])] {
        add(
            vec![
                "add",
                "mysql",
                name,
                "--host",
                "127.0.0.1",
                "--port",
                &my_port,
                "--database",
                "app",
                "--user",
                "app",
                "--password-stdin",
            ],
            pw,
        );
    }
    for (name, pw) in [("s3-ok", s3.as_str()), ("s3-wrong", wrong[2])] {
        add(
            vec![
                "add",
                "s3",
                name,
                "--access-key-id",
                &ak,
                "--endpoint-url",
                &endpoint,
                "--allow-http",
                "--secret-key-stdin",
            ],
            pw,
        );
    }
    for (name, pw, rpw) in [
        ("k-ok", kafka.as_str(), registry.as_str()),
        ("k-wrong", wrong[3], wrong[4]),
    ] {
        add(
            vec![
                "add",
                "kafka",
                name,
                "--bootstrap",
                &bootstrap,
                "--security-protocol",
                "SASL_PLAINTEXT",
                "--sasl-mechanism",
                "SCRAM-SHA-256",
                "--sasl-user",
                "alice",
                "--schema-registry-url",
                &r_url,
                "--schema-registry-user",
                "registry",
                "--schema-registry-allow-http",
                "--sasl-password-stdin",
            ],
            pw,
        );
        add(vec!["edit", name, "--schema-registry-password-stdin"], rpw);
    }

    let mut outcomes = String::new();
    for name in [
        "pg-ok", "pg-wrong", "my-ok", "my-wrong", "s3-ok", "s3-wrong", "k-ok", "k-wrong",
    ] {
        for json in [false, true] {
            let args: Vec<&str> = if json {
                vec!["--json", "test", name]
            } else {
                vec!["test", name]
            };
            let o = run(&mut e.cmd(&args), "");
            outcomes.push_str(&format!("{name} {:?}\n", o.status.code()));
            seen.push_str(&text(&o));
        }
    }
    for (args, code) in [
        (vec!["test", "--all"], 3),
        (vec!["--json", "test", "--all"], 3),
        (vec!["list"], 0),
        (vec!["--json", "list"], 0),
    ] {
        let o = run(&mut e.cmd(&args), "");
        assert_eq!(o.status.code(), Some(code), "{args:?}: {}", text(&o));
        seen.push_str(&text(&o));
    }
    // The checks really ran: the right secrets pass, the wrong ones fail at authentication.
    for ok in ["pg-ok", "my-ok", "s3-ok", "k-ok"] {
        assert!(
            outcomes.contains(&format!("{ok} Some(0)")),
            "{ok} passes:\n{outcomes}\n{seen}"
        );
    }
    for bad in ["pg-wrong", "my-wrong", "s3-wrong", "k-wrong"] {
        assert!(
            outcomes.contains(&format!("{bad} Some(3)")),
            "{bad} fails:\n{outcomes}"
        );
    }

    let secrets: Vec<&str> = [
        pg.as_str(),
        my.as_str(),
        s3.as_str(),
        kafka.as_str(),
        registry.as_str(),
    ]
    .into_iter()
    .chain(wrong)
    .collect();
    for s in &secrets {
        assert!(
            !seen.contains(s),
            "{s} leaked into the output of a check:\n{seen}"
        );
    }
    assert_store_files_clean(e.dir.path(), &secrets);

    // What a panic message, a dbg! or a log line would print of the values that hold them.
    let cat = crate::common::catalog_of(&e);
    let resolved = cat.resolve_all(None).unwrap();
    let debug = format!("{resolved:?} {resolved:#?} {cat:?} {:?}", cat.key_source());
    assert!(debug.contains("pg-ok"), "the Debug output is the real one");
    for s in secrets.iter().chain([&e.key.as_str()]) {
        assert!(!debug.contains(s), "{s} is in a Debug output");
    }
}
