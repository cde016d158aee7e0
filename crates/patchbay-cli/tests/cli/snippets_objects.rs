//! The snippets for one S3 object (the storage browser's choice): Polars and DuckDB read it as it
//! is, through `patchbay exec`, with no credential in their code — a CSV with quotes in its name
//! that the aws CLI put in s3s-fs, and a Parquet file Polars wrote, in moto (Parquet readers ask
//! byte ranges from the end, which s3s-fs does not serve; both check SigV4).
//! DuckDB's httpfs extension comes from PyPI into a home of the test's own (no extension server
//! is reachable).

use std::path::{Path, PathBuf};

use crate::common::{feed, servers, text, Env};

fn python() -> PathBuf {
    PathBuf::from(std::env::var("PATCHBAY_TEST_PYTHON").expect("tests/run's Python"))
}

/// Puts `bytes` at `s3://reports/KEY` of connection `name` through exec and the aws CLI.
fn put(e: &Env, name: &str, key: &str, bytes: &[u8]) {
    let aws = python().with_file_name("aws");
    let mut c = e.cmd(["exec", name, "--"]);
    c.arg(&aws)
        .args(["s3", "cp", "-", &format!("s3://reports/{key}")]);
    let o = feed(&mut c, bytes);
    assert!(o.status.success(), "put {key}: {}", text(&o));
}

/// A home where DuckDB finds its httpfs extension installed (from the PyPI package).
fn duckdb_home() -> tempfile::TempDir {
    let o = std::process::Command::new(python())
        .args(["-c", "import duckdb, duckdb_extension_httpfs, os; print(duckdb.__version__); print(os.path.dirname(duckdb_extension_httpfs.__file__))"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&o.stdout).to_string();
    let mut lines = said.lines();
    let (version, package) = (lines.next().unwrap(), lines.next().unwrap());
    let from = Path::new(package).join(format!("extensions/v{version}/httpfs.duckdb_extension"));
    let home = tempfile::tempdir().unwrap();
    let to = home
        .path()
        .join(format!(".duckdb/extensions/v{version}/linux_amd64"));
    std::fs::create_dir_all(&to).unwrap();
    std::fs::copy(&from, to.join("httpfs.duckdb_extension")).unwrap();
    home
}

/// `patchbay snippet NAME --id ID --object reports/KEY`, run under exec (with `home`).
fn run(e: &Env, name: &str, id: &str, key: &str, home: &Path) -> String {
    let object = format!("reports/{key}");
    let code = e.ok(&["snippet", name, "--id", id, "--object", &object], "");
    let srv = servers();
    for secret in [&srv["PB_S3_SECRET_KEY"], &srv["PB_MOTO_KEY_SECRET"]] {
        assert!(!code.contains(secret.as_str()), "a secret in {id}: {code}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("read.py");
    std::fs::write(&file, &code).unwrap();
    let o = e
        .cmd(["exec", name, "--"])
        .arg(python())
        .arg(&file)
        .env("HOME", home)
        .output()
        .unwrap();
    assert!(o.status.success(), "{id} {key}: {}\n{code}", text(&o));
    String::from_utf8_lossy(&o.stdout).to_string()
}

#[test]
#[ignore = "needs the test servers (s3s-fs, moto) and tests/run's Python (aws CLI, Polars, DuckDB)"]
fn polars_and_duckdb_read_the_chosen_object_through_exec() {
    let srv = servers();
    let e = Env::new();
    e.add_s3s_fs(&srv, "lake");
    let moto = format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"]);
    e.ok(
        &[
            "add",
            "s3",
            "moto",
            "--endpoint-url",
            &moto,
            "--allow-http",
            "--access-key-id",
            &srv["PB_MOTO_KEY_ID"],
            "--secret-key-stdin",
        ],
        &srv["PB_MOTO_KEY_SECRET"],
    );
    let odd = r#"objects/it's "odd".csv"#;
    put(&e, "lake", odd, b"region,total\nnorth,17\nsouth,4\n");
    // A Parquet file as Polars writes it.
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("sales.parquet");
    let o = std::process::Command::new(python())
        .args(["-c", "import polars as pl, sys; pl.DataFrame({'region': ['east'], 'total': [23]}).write_parquet(sys.argv[1])"])
        .arg(&parquet)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    put(
        &e,
        "moto",
        "objects/sales.parquet",
        &std::fs::read(&parquet).unwrap(),
    );

    let home = duckdb_home();
    let csv = run(&e, "lake", "polars", odd, home.path());
    assert!(csv.contains("north") && csv.contains("17"), "{csv}");
    let pq = run(&e, "moto", "polars", "objects/sales.parquet", home.path());
    assert!(pq.contains("east") && pq.contains("23"), "{pq}");
    assert_eq!(
        run(&e, "lake", "duckdb", odd, home.path()).trim(),
        "[('north', 17), ('south', 4)]"
    );
    assert_eq!(
        run(&e, "moto", "duckdb", "objects/sales.parquet", home.path()).trim(),
        "[('east', 23)]"
    );
}

#[test]
fn an_object_snippet_names_what_is_wrong_by_field() {
    let e = Env::new();
    e.ok(
        &[
            "add",
            "s3",
            "lake",
            "--access-key-id",
            "AKIAEXAMPLE",
            "--secret-key-stdin",
        ],
        "example-secret",
    );
    e.ok(
        &[
            "add",
            "postgres",
            "db",
            "--host",
            "db.example",
            "--user",
            "app",
        ],
        "",
    );
    for (args, field) in [
        (
            vec!["lake", "--id", "polars", "--object", "reports/dir/"],
            "object",
        ),
        (
            vec!["lake", "--id", "pandas", "--object", "reports/a.csv"],
            "id",
        ),
        (vec!["lake", "--object", "reports/a.csv"], "id"),
        (
            vec!["db", "--id", "polars", "--object", "reports/a.csv"],
            "name",
        ),
    ] {
        let mut all = vec!["--json", "snippet"];
        all.extend(&args);
        let o = e.run(&all);
        let err: serde_json::Value = serde_json::from_slice(&o.stderr).unwrap_or_default();
        assert_eq!(
            (o.status.code(), err["error"]["field"].as_str()),
            (Some(1), Some(field)),
            "{args:?}: {err}"
        );
    }
}
