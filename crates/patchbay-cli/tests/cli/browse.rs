//! `patchbay ls`: the storage browser from the shell against s3s-fs, Azurite and fake-gcs-server
//! (behind Google's authentication stand-in), each holding the same "browse" bucket
//! (tests/servers/browse_seed.py): 10,000 objects in one prefix listed page by page, nested
//! prefixes, names that would fool a terminal shown escaped, a missing bucket named, and
//! credentials that may not list the store's buckets offered the ones known to work.

use crate::azure::Azurite;
use crate::common::{servers, stderr, text, Env};
use crate::gcs::Gcs;

/// `patchbay ls ARGS…`: what it printed on stdout, as lines, after asserting it succeeded.
fn ls(e: &Env, args: &[&str]) -> Vec<String> {
    let mut all = vec!["ls"];
    all.extend_from_slice(args);
    let o = e.run(&all);
    assert!(o.status.success(), "ls {args:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// `patchbay --json ls ARGS…` as JSON.
fn ls_json(e: &Env, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json", "ls"];
    all.extend_from_slice(args);
    let o = e.run(&all);
    assert!(o.status.success(), "ls {args:?}: {}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The names of a JSON listing's entries.
fn names(v: &serde_json::Value) -> Vec<String> {
    v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

/// What every store shows of the "browse" bucket: its top, the 10,000-object prefix in pages of
/// 1,000 (the default) and of `page`, a cut listing continued with `--after`, and the odd names.
/// `escape`: whether the store holds the name with an escape sequence (Azurite cannot list one).
fn the_browse_bucket_lists_the_same(e: &Env, name: &str, escape: bool) {
    assert_eq!(
        ls(e, &[&format!("{name}:browse")]),
        ["big/", "nested/", "odd/"]
    );
    assert_eq!(
        ls(e, &[&format!("{name}:browse/nested/")]),
        ["2026/", "readme.txt"]
    );

    let big = ls_json(e, &[&format!("{name}:browse/big")]);
    let all = names(&big);
    assert_eq!(all.len(), 10_000);
    assert_eq!(all[0], "big/obj-00000.csv");
    assert_eq!(all[9_999], "big/obj-09999.csv");
    assert!(all.windows(2).all(|w| w[0] < w[1]), "in order, none twice");
    assert!(big["next"].is_null(), "{}", big["next"]);
    assert_eq!(big["entries"][0]["shown"], "obj-00000.csv");
    assert_eq!(big["entries"][0]["size"], 8);

    // Cut after five: the rest continues where it stopped.
    let target = format!("{name}:browse/big/");
    let o = e.run(&["ls", &target, "--max", "5", "--page-size", "3"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "obj-00000.csv",
            "obj-00001.csv",
            "obj-00002.csv",
            "obj-00003.csv",
            "obj-00004.csv"
        ]
    );
    let err = stderr(&o);
    let token = err
        .trim()
        .strip_prefix(&format!("more: patchbay ls {target} --after "))
        .unwrap_or_else(|| panic!("{err}"));
    let rest = ls(e, &[&target, "--after", token, "--max", "2"]);
    assert_eq!(rest, ["obj-00005.csv", "obj-00006.csv"]);

    // Names shown escaped: nothing reaches the terminal that moves its cursor or turns text.
    let o = e.run(&["ls", &format!("{name}:browse/odd")]);
    let shown = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
        "{shown:?}"
    );
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(
        lines.contains(&"esc\\u{1b}[2Jcleared.txt"),
        escape,
        "{lines:?}"
    );
    assert!(lines.contains(&"report\\u{202e}gnp.exe"), "{lines:?}");
    assert!(lines.contains(&"日本語 データ+1.csv"), "{lines:?}");
    // …and given whole in JSON, to list or use.
    let odd = names(&ls_json(e, &[&format!("{name}:browse/odd")]));
    assert_eq!(
        odd.contains(&"odd/esc\u{1b}[2Jcleared.txt".to_string()),
        escape,
        "{odd:?}"
    );
    assert!(
        odd.contains(&"odd/report\u{202e}gnp.exe".to_string()),
        "{odd:?}"
    );
}

#[test]
#[ignore = "needs the test servers (s3s-fs)"]
fn an_s3_store_lists_its_buckets_then_ten_thousand_objects_page_by_page_with_names_shown_safely() {
    let srv = servers();
    let e = Env::new();
    e.add_s3s_fs(&srv, "lake");
    let top = ls(&e, &["lake"]);
    assert!(
        top.iter().any(|b| b == "browse/") && top.iter().any(|b| b == "reports/"),
        "{top:?}"
    );
    the_browse_bucket_lists_the_same(&e, "lake", true);

    let long = ls(&e, &["lake:browse/nested/2026/q4", "--long"]);
    assert_eq!(long.len(), 1, "{long:?}");
    let cols: Vec<&str> = long[0].split_whitespace().collect();
    assert_eq!(cols[2..], ["22", "report.csv"], "{long:?}");
    let uris = ls_json(&e, &["lake:browse/nested/"])["uris"].clone();
    assert_eq!(uris[0]["uri"], "s3://browse/nested/");
    assert_eq!(uris[1]["uri"], "s3a://browse/nested/");

    // A bucket that is not there is named, with the error's code.
    let o = e.run(&["--json", "ls", "lake:no-such-bucket"]);
    assert_eq!(o.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(err["error"]["code"], "not_found");
    assert_eq!(
        err["error"]["message"],
        "no bucket named \"no-such-bucket\" in this store: check its name (list the store's buckets to see them)"
    );
}

#[test]
#[ignore = "needs the test servers (moto)"]
fn an_s3_key_that_may_not_list_buckets_says_so_and_a_typed_bucket_is_listed_and_offered_after() {
    let srv = servers();
    let e = Env::new();
    e.ok(
        &[
            "add",
            "s3",
            "one",
            "--access-key-id",
            &srv["PB_MOTO_ONE_BUCKET_KEY_ID"],
            "--endpoint-url",
            &format!("http://127.0.0.1:{}", srv["PB_MOTO_PORT"]),
            "--allow-http",
            "--secret-key-stdin",
        ],
        &srv["PB_MOTO_ONE_BUCKET_KEY_SECRET"],
    );
    let denied = format!(
        "note: access key {} may not list the store's buckets (AccessDenied): type the bucket's name to list it",
        srv["PB_MOTO_ONE_BUCKET_KEY_ID"]
    );
    let o = e.run(&["ls", "one"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        (
            String::from_utf8_lossy(&o.stdout).to_string(),
            stderr(&o).trim().to_string()
        ),
        (String::new(), denied.clone())
    );
    // The bucket it may list: listed (it is empty), then offered with the same note.
    assert_eq!(ls(&e, &["one:reports"]), Vec::<String>::new());
    let o = e.run(&["ls", "one"]);
    assert_eq!(
        (
            String::from_utf8_lossy(&o.stdout).to_string(),
            stderr(&o).trim().to_string()
        ),
        ("reports/\n".to_string(), denied)
    );
    let json = ls_json(&e, &["one"]);
    assert_eq!(json["entries"][0]["kind"], "bucket");
    // Another bucket is refused by name, with what the key lacks.
    let o = e.run(&["ls", "one:archive"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).trim(),
        format!("patchbay: access key {} may not list bucket archive (AccessDenied): it needs s3:ListBucket on it", srv["PB_MOTO_ONE_BUCKET_KEY_ID"])
    );
}

#[test]
#[ignore = "needs the test servers (Azurite)"]
fn an_azure_account_lists_its_containers_and_blobs_and_a_container_sas_is_offered_what_it_can_list()
{
    let az = Azurite::new();
    let e = Env::new();
    let srv = servers();
    az.add_to(
        &e,
        "lake",
        &srv["PB_AZ_BROWSE_ACCOUNT"],
        &["--account-key-stdin"],
        &srv["PB_AZ_BROWSE_KEY"],
    );
    assert_eq!(ls(&e, &["lake"]), ["browse/"]);
    the_browse_bucket_lists_the_same(&e, "lake", false);
    let uris = ls_json(&e, &["lake:browse/nested/"])["uris"].clone();
    let account = &srv["PB_AZ_BROWSE_ACCOUNT"];
    assert_eq!(
        uris[0]["uri"],
        format!("abfss://browse@{account}.dfs.core.windows.net/nested/")
    );
    assert_eq!(uris[1]["uri"], "az://browse/nested/");
    // A 1 KiB name is one name, shown cut in its middle.
    let odd = ls_json(&e, &["lake:browse/odd/"]);
    let long = odd["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"].as_str().unwrap().starts_with("odd/lll"))
        .unwrap()
        .clone();
    assert_eq!(long["name"].as_str().unwrap().len(), 4 + 1000);
    assert_eq!(long["shown"].as_str().unwrap().chars().count(), 159);

    // A SAS for one container cannot list the account: said, with nothing known yet…
    let sas = az.get("PB_AZ_CONTAINER_SAS").to_string();
    az.add(&e, "one", &["--auth", "sas", "--sas-stdin"], &sas);
    let o = e.run(&["ls", "one"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "");
    assert_eq!(stderr(&o).trim(), "note: this SAS is scoped to one container (sr=c), so it cannot list the account's containers: type the container's name");
    // …a typed container lists, and is offered from then on.
    assert_eq!(ls(&e, &["one:reports"]), ["2026/"]);
    assert_eq!(ls(&e, &["one"]), ["reports/"]);
    // One it may not list is refused by the account, and its SAS is in no message.
    let o = e.run(&["ls", "one:browse"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.trim(), "patchbay: this SAS is for one container (sr=c), not for container browse: list the container it was made for");
    // Saved with the connection (the SAS stays): offered first from then on.
    let desk = crate::common::desk_of(&e);
    let c = desk
        .use_bucket(patchbay_core::model::Kind::Azure, "one", "reports")
        .unwrap();
    let patchbay_core::model::Spec::Azure(a) = &c.spec else {
        panic!()
    };
    assert_eq!(a.container.as_deref(), Some("reports"));
    assert_eq!(
        c.secrets.iter().map(|s| s.field).collect::<Vec<_>>(),
        [patchbay_core::model::SecretField::SasToken]
    );
    let e_lake = desk
        .use_bucket(patchbay_core::model::Kind::Database, "one", "x")
        .unwrap_err();
    assert_eq!(e_lake.code(), "not_found");
    let sig = sas.split('&').find(|p| p.starts_with("sig=")).unwrap();
    assert!(!err.contains(&sig[4..]) && !err.contains(&sas), "{err}");
}

#[test]
#[ignore = "needs the test servers (fake-gcs-server)"]
fn a_gcs_project_lists_its_buckets_and_objects_with_the_service_accounts_own_token() {
    let g = Gcs::new();
    let e = Env::new();
    g.add(&e, "lake", &["--service-account-key", g.key_path()], "");
    let top = ls(&e, &["lake"]);
    assert!(
        top.iter().any(|b| b == "browse/") && top.iter().any(|b| b == "reports/"),
        "{top:?}"
    );
    the_browse_bucket_lists_the_same(&e, "lake", true);
    let uris = ls_json(&e, &["lake:browse/nested/"])["uris"].clone();
    assert_eq!(uris[0]["uri"], "gs://browse/nested/");

    // A key the stand-in does not trust lists nothing, and says so.
    let bad = Gcs::untrusted();
    bad.add(
        &e,
        "stranger",
        &["--service-account-key", bad.key_path()],
        "",
    );
    let o = e.run(&["ls", "stranger:browse"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(
            "patchbay: Google refused the token of checker@pb-test-project.iam.gserviceaccount.com"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_database_or_a_prefix_without_a_bucket_is_refused_with_what_to_do() {
    let e = Env::new();
    e.ok(&crate::common::ADD_PG, "pw");
    let o = e.run(&["--json", "ls", "pg"]);
    assert_eq!(o.status.code(), Some(1));
    let err: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(err["error"]["code"], "invalid");
    assert_eq!(err["error"]["field"], "name");
    assert_eq!(err["error"]["message"], "name: pg is a database connection: only object stores (S3, Azure Blob, Google Cloud Storage) hold buckets to list");
    let o = e.run(&["--json", "ls", "pg", "--page-size", "0"]);
    let err: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
    assert_eq!(err["error"]["field"], "page_size");

    // A typed bucket that no store names so is refused before anything is sent: ".." would
    // otherwise be read as the store's root, and a control character reach the request.
    e.ok(
        &[
            "add",
            "s3",
            "lake",
            "--access-key-id",
            "AKIDEXAMPLE",
            "--endpoint-url",
            &format!("http://127.0.0.1:{}", crate::common::closed_port()),
            "--allow-http",
            "--secret-key-stdin",
        ],
        "secret",
    );
    for typed in ["lake:..", "lake:../x", "lake:a\u{1b}b", "lake:a b"] {
        let o = e.run(&["--json", "ls", typed]);
        assert_eq!(o.status.code(), Some(1), "{typed}");
        let err: serde_json::Value = serde_json::from_str(stderr(&o).trim()).unwrap();
        assert_eq!(
            (
                err["error"]["code"].as_str(),
                err["error"]["field"].as_str()
            ),
            (Some("invalid"), Some("bucket")),
            "{typed}: {err}"
        );
    }
}
