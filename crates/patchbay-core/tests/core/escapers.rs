//! The hand-off escapers, exactly and against their readers: shell quoting read back by a real
//! POSIX shell (dash), `.env` values sourced by it with `set -a`, Java properties escapes as
//! `java.util.Properties.load` defines them, and MariaDB's option file as exec hands it over.
//! (The CLI's tests also read them with python-dotenv, OpenJDK and my_print_defaults; these run
//! in the core's suite, so that mutation testing of the escapers sees them.)

use patchbay_core::handoff::{dotenv_quote, properties_escape, shell_quote, Value};
use patchbay_core::kinds;
use patchbay_core::model::*;
use patchbay_testkit::*;
use proptest::prelude::*;

/// What `sh` prints for `printf %s <word>`: the shell's reading of a quoted word.
fn sh_reads(word: &str) -> String {
    let o = std::process::Command::new("sh")
        .args(["-c", &format!("printf %s {word}")])
        .output()
        .unwrap();
    assert!(o.status.success(), "sh refused {word}");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn shell_quoting_is_single_quotes_with_each_quote_closed_escaped_and_reopened() {
    for (v, quoted) in [
        ("", "''"),
        ("plain", "'plain'"),
        ("it's", r"'it'\''s'"),
        ("''", r"''\'''\'''"),
        ("$(touch x) `id` $HOME", "'$(touch x) `id` $HOME'"),
    ] {
        assert_eq!(shell_quote(v), quoted);
        assert_eq!(sh_reads(&shell_quote(v)), v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn the_shell_reads_back_any_quoted_value(v in "[ -~\\t\\n]{0,24}") {
        prop_assert_eq!(sh_reads(&shell_quote(&v)), v);
    }
}

#[test]
fn a_dotenv_value_is_single_quoted_or_refused_with_the_reason() {
    for (v, answer) in [
        ("abc", Ok("'abc'")),
        ("$HOME and $(id)", Ok("'$HOME and $(id)'")),
        (r"C:\temp", Ok(r"'C:\temp'")),
        ("a'b", Err("a single quote")),
        ("a\nb", Err("a line break")),
        ("a\rb", Err("a line break")),
        ("${HOME}", Err("\"${\", which python-dotenv expands")),
        (
            r"a\\b",
            Err("a backslash that python-dotenv reads as an escape"),
        ),
        (
            r"ends\",
            Err("a backslash that python-dotenv reads as an escape"),
        ),
    ] {
        assert_eq!(dotenv_quote(v), answer.map(str::to_string), "{v:?}");
        if let Ok(q) = answer {
            // Sourced by a shell (set -a; . .env), the value comes back unchanged and runs nothing.
            let o = std::process::Command::new("sh")
                .args(["-c", &format!("set -a; V={q}; printf %s \"$V\"")])
                .output()
                .unwrap();
            assert_eq!(String::from_utf8(o.stdout).unwrap(), v);
        }
    }
}

#[test]
fn java_properties_escapes_are_those_properties_load_reads_back() {
    for (v, key, escaped) in [
        ("plain", false, "plain"),
        ("a b", true, r"a\ b"),
        ("a b", false, "a b"),
        (" lead", false, r"\ lead"),
        ("k=v:w", true, r"k\=v\:w"),
        ("k=v:w", false, "k=v:w"),
        ("#x!", false, r"\#x!"),
        ("!x#", true, r"\!x#"),
        ("back\\slash", false, r"back\\slash"),
        ("l1\nl2\rl3\tl4\x0cl5", false, r"l1\nl2\rl3\tl4\fl5"),
        ("~é", false, r"~\u00E9"),
        ("\x7f", false, r"\u007F"),
        ("😀", false, r"\uD83D\uDE00"),
    ] {
        assert_eq!(properties_escape(v, key), escaped, "{v:?} as a key: {key}");
    }
}

#[test]
fn the_mariadb_option_file_quotes_every_value_and_asks_for_the_tls_the_mode_names() {
    let mut s = store();
    let mut d = mysql("my", "p\"w\\1\n\t\r");
    if let Spec::Database(db) = &mut d.spec {
        db.database = "shop \"db\"".into();
        db.username = "app \"o'neil\"".into();
    }
    s.catalog.create(d).unwrap();
    let file = |mode: SslMode| -> String {
        let mut r = s.catalog.resolve(None, "my").unwrap();
        if let Spec::Database(db) = &mut r.connection.spec {
            db.ssl_mode = mode;
        }
        let h = kinds::env(&r, true);
        let Some(Value::OptionDir { content, .. }) = h.vars.get("MYSQL_HOME") else {
            panic!(
                "no option file for MariaDB: {:?}",
                h.vars.keys().collect::<Vec<_>>()
            );
        };
        content.expose().to_string()
    };
    let head = "[mysql]\ndatabase=\"shop \\\"db\\\"\"\n[client]\nuser=\"app \\\"o'neil\\\"\"\npassword=\"p\\\"w\\\\1\\n\\t\\r\"\nhost=\"127.0.0.1\"\nport=3306\n";
    for (mode, tls) in [
        (SslMode::Disable, "skip-ssl\n"),
        (SslMode::Prefer, ""),
        (SslMode::Require, "ssl\n"),
        (SslMode::VerifyFull, "ssl\nssl-verify-server-cert\n"),
    ] {
        assert_eq!(file(mode), format!("{head}{tls}"), "{mode:?}");
    }
}

#[test]
fn exec_removes_the_callers_variables_of_the_connections_ecosystem_that_it_does_not_set() {
    let mut s = store();
    s.catalog.create(postgres("pg", "pw")).unwrap();
    let r = s.catalog.resolve(None, "pg").unwrap();
    let h = kinds::env(&r, true);
    assert!(h.vars.contains_key("PGHOST") && !h.vars.contains_key("PGSERVICE"));
    let caller = [
        "PGHOST",
        "PGSERVICE",
        "PGSSLROOTCERT_EXTRA",
        "HOME",
        "PATH",
        "AWS_PROFILE",
    ];
    let mut expected: Vec<&str> = vec!["PGSERVICE", "PGSSLROOTCERT_EXTRA"];
    expected.extend(h.unset.iter().map(String::as_str));
    assert_eq!(h.to_remove(caller.into_iter()), expected);
}

#[test]
fn shell_and_dotenv_lines_quote_values_and_name_what_only_exec_can_hand_over() {
    use patchbay_core::handoff::{Handoff, OptionVar};
    use patchbay_core::SecretString;
    let mut h = Handoff::default();
    h.vars.insert("A_PLAIN".into(), Value::Plain("it's".into()));
    h.vars
        .insert("B_SECRET".into(), Value::Secret(SecretString::new("s $x")));
    h.vars.insert("C_CA".into(), Value::PemFile(CA.into()));
    h.vars.insert(
        "D_KEY".into(),
        Value::SecretFile {
            name: "key.json",
            content: SecretString::new("{}"),
        },
    );
    for (var, name) in [(OptionVar::Dir, "my.cnf"), (OptionVar::File, "kcat.conf")] {
        h.vars.insert(
            format!("E_{name}"),
            Value::OptionDir {
                name,
                var,
                content: SecretString::new(""),
                files: vec![],
                paths: vec![],
            },
        );
    }
    h.unset.push("PGSERVICE".into());
    let comments = [
        "# C_CA is set by `patchbay exec` (a temporary file holding the PEM)",
        "# D_KEY is set by `patchbay exec` (a temporary file holding the key.json)",
        "# E_kcat.conf is set by `patchbay exec` (a temporary kcat.conf)",
        "# E_my.cnf is set by `patchbay exec` (a temporary directory with its my.cnf)",
    ];
    let mut shell = vec![r"export A_PLAIN='it'\''s'", "export B_SECRET='s $x'"];
    shell.extend(comments);
    shell.push("unset PGSERVICE");
    assert_eq!(h.shell_lines(false), shell);
    let mut dotenv = vec![r"A_PLAIN='it'\''s'", "B_SECRET='s $x'"];
    dotenv.extend(comments);
    assert_eq!(h.shell_lines(true), dotenv);
}

const CA: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

#[test]
fn a_database_url_percent_encodes_its_user_and_password_and_brackets_an_ipv6_host() {
    let mut s = store();
    let mut d = postgres("pg", "p@ss:w/rd %+é");
    if let Spec::Database(db) = &mut d.spec {
        db.username = "app user@corp".into();
        db.host = "::1".into();
    }
    s.catalog.create(d).unwrap();
    let r = s.catalog.resolve(None, "pg").unwrap();
    assert_eq!(
        kinds::url(&r, false),
        "postgresql://app%20user%40corp@[::1]:5432/app?sslmode=require"
    );
    assert_eq!(
        kinds::url(&r, true),
        "postgresql://app%20user%40corp:p%40ss%3Aw%2Frd%20%25%2B%C3%A9@[::1]:5432/app?sslmode=require"
    );
}

#[test]
fn dotenv_lines_are_quoted_and_a_value_a_dotenv_cannot_carry_is_refused_by_its_variable() {
    use patchbay_core::handoff::Handoff;
    use patchbay_core::SecretString;
    let mut h = Handoff::default();
    h.vars.insert("A_PLAIN".into(), Value::Plain("a b".into()));
    h.vars
        .insert("B_SECRET".into(), Value::Secret(SecretString::new("s $x")));
    h.vars.insert("C_CA".into(), Value::PemFile(CA.into()));
    assert_eq!(
        h.dotenv_lines().unwrap(),
        [
            "A_PLAIN='a b'",
            "B_SECRET='s $x'",
            "# C_CA is set by `patchbay exec` (a temporary file)"
        ]
    );
    h.vars
        .insert("D_BAD".into(), Value::Secret(SecretString::new("it's")));
    let e = h.dotenv_lines().unwrap_err();
    assert_eq!(e.field(), Some("D_BAD"));
    assert!(e.message().starts_with("holds a single quote: "), "{e}");
}

#[test]
fn the_debug_form_of_a_key_or_a_vault_says_what_it_is_and_hides_the_key() {
    let key = patchbay_core::MasterKey::generate().unwrap();
    let vault = patchbay_core::Vault::new(key.clone());
    assert_eq!(format!("{key:?}"), "MasterKey(***)");
    assert_eq!(format!("{vault:?}"), "Vault(***)");
}
