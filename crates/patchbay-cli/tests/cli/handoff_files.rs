//! What `env` writes for other programs reads back exactly in the readers it is for, and never
//! runs code: a `.env` file in python-dotenv and in a POSIX shell that sources it
//! (`set -a; . .env`), a Java properties file's JAAS line in `java.util.Properties` and a JAAS
//! parser built as Kafka's is.

use crate::client_settings::{kafka_properties, python, AWKWARD};
use crate::common::{text, Env};

/// Values a `.env` file can carry for every reader (each is tried as a password).
const WRITABLE: [&str; 9] = [
    "\"double\" quotes",
    "lone\\backslash",
    "$HOME and $(touch pwned) and `touch pwned`",
    "# not a comment",
    "a=b:c",
    "  spaces at both ends  ",
    "tab\there",
    "päss wörd 数据 🔑",
    "; touch pwned #",
];

fn add_postgres(e: &Env, name: &str, user: &str, password: &str) {
    e.ok(
        &[
            "add",
            "postgres",
            name,
            "--host",
            "h",
            "--user",
            user,
            "--password-stdin",
        ],
        password,
    );
}

/// What `sh` sees after `set -a; . FILE` in `dir`, as JSON of the variables asked for.
fn sourced(dir: &std::path::Path, file: &std::path::Path) -> serde_json::Value {
    let o = std::process::Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(r#"set -a; . "$1"; printf '%s\0%s\0%s' "$PGHOST" "$PGUSER" "$PGPASSWORD""#)
        .arg("sh")
        .arg(file)
        .output()
        .unwrap();
    assert!(o.status.success(), "sh: {}", text(&o));
    let parts: Vec<String> = o
        .stdout
        .split(|b| *b == 0)
        .map(|p| String::from_utf8(p.to_vec()).unwrap())
        .collect();
    serde_json::json!({"PGHOST": parts[0], "PGUSER": parts[1], "PGPASSWORD": parts[2]})
}

#[test]
#[ignore = "needs tests/run's Python with python-dotenv"]
fn a_dotenv_file_reads_back_exactly_in_python_dotenv_and_a_shell_and_never_runs_code() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    for (i, value) in WRITABLE.iter().enumerate() {
        let name = format!("pg-{i}");
        // A user name holds no control characters (a tab is refused there).
        let user = value.replace('\t', " ");
        add_postgres(&e, &name, &user, value);
        let file = dir.path().join(format!("{i}.env"));
        std::fs::write(
            &file,
            e.ok(&["env", &name, "--with-password", "--format", "dotenv"], ""),
        )
        .unwrap();
        let got: serde_json::Value = serde_json::from_str(&python(
            "import json, sys; from dotenv import dotenv_values; print(json.dumps(dotenv_values(sys.argv[1])))",
            &file,
        ))
        .unwrap();
        let shell = sourced(dir.path(), &file);
        for reader in [&got, &shell] {
            assert_eq!(reader["PGPASSWORD"], *value, "{reader}");
            assert_eq!(reader["PGUSER"], user.trim(), "{reader}"); // names are trimmed
            assert_eq!(reader["PGHOST"], "h", "{reader}");
        }
    }
    assert!(
        !dir.path().join("pwned").exists(),
        "sourcing a .env file ran code"
    );
}

#[test]
fn a_value_no_dotenv_file_can_carry_for_every_reader_is_refused_naming_its_variable() {
    let e = Env::new();
    let refused = [
        ("it's", "a single quote"),
        ("line one\nline two", "a line break"),
        ("carriage\rreturn", "a line break"),
        ("x${HOME}y", "\"${\", which python-dotenv expands"),
        (
            "double\\\\backslash",
            "a backslash that python-dotenv reads as an escape",
        ),
        (
            "trailing\\",
            "a backslash that python-dotenv reads as an escape",
        ),
    ];
    for (i, (value, why)) in refused.iter().enumerate() {
        let name = format!("pg-{i}");
        add_postgres(&e, &name, "u", value);
        let o = e.run(&["env", &name, "--with-password", "--format", "dotenv"]);
        assert_eq!(o.status.code(), Some(1), "{value:?}: {}", text(&o));
        assert!(o.stdout.is_empty(), "{value:?}: nothing half-written");
        assert_eq!(
            String::from_utf8_lossy(&o.stderr).trim_end(),
            format!("patchbay: PGPASSWORD: holds {why}: a .env file cannot carry it so that a shell, python-dotenv and docker compose read it the same; use --format shell or --format json"),
            "{value:?}"
        );
        // The formats that can carry it still do.
        let json = e.ok(&["env", &name, "--with-password", "--format", "json"], "");
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["PGPASSWORD"], *value);
    }
    // The audit's case: a user name from a pasted URL that would run code when sourced.
    add_postgres(&e, "pasted", "'; touch x #", "pw");
    let o = e.run(&["env", "pasted", "--format", "dotenv"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stderr).starts_with("patchbay: PGUSER: holds a single quote"),
        "{}",
        text(&o)
    );
}

/// A stand-in for Kafka's `JaasConfig` parser (which needs the Kafka client jar): the same
/// `java.io.StreamTokenizer` set-up, reading the line `java.util.Properties` loaded.
const JAAS_STANDIN: &str = r#"
import java.io.*;
import java.util.*;
public class KafkaJaasStandin {
  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    try (InputStream in = new FileInputStream(a[0])) { p.load(in); }
    StreamTokenizer t = new StreamTokenizer(new StringReader(p.getProperty("sasl.jaas.config")));
    t.slashSlashComments(true); t.slashStarComments(true);
    t.wordChars('-', '-'); t.wordChars('_', '_'); t.wordChars('$', '$');
    t.wordChars('{', '{'); t.wordChars('}', '}');
    t.nextToken(); t.nextToken(); // login module, control flag
    Map<String, String> options = new HashMap<>();
    while (t.nextToken() != ';') {
      if (t.ttype == StreamTokenizer.TT_EOF) throw new IOException("no ';' at the end");
      String key = t.sval;
      if (t.nextToken() != '=') throw new IOException("no '=' after " + key);
      t.nextToken();
      if (t.ttype != StreamTokenizer.TT_WORD && t.ttype != '"') throw new IOException("bad value of " + key);
      options.put(key, t.sval);
    }
    System.out.print(options.get("password"));
  }
}
"#;

#[test]
fn the_jaas_line_of_java_properties_carries_any_password_exactly() {
    let e = Env::new();
    let dir = tempfile::tempdir().unwrap();
    let standin = dir.path().join("KafkaJaasStandin.java");
    std::fs::write(&standin, JAAS_STANDIN).unwrap();
    for (i, value) in AWKWARD.iter().enumerate() {
        let props = kafka_properties(&e, dir.path(), i, value, "java-properties");
        let o = std::process::Command::new("java")
            .arg(&standin)
            .arg(&props)
            .output()
            .expect("java (OpenJDK) runs the JAAS stand-in");
        assert!(o.status.success(), "{value:?}: {}", text(&o));
        assert_eq!(String::from_utf8(o.stdout).unwrap(), *value);
    }
}
