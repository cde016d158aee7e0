//! The spoiled values the corpus puts into one field at a time: control characters, broken PEM
//! blocks, hosts, URLs, bootstrap lists and ports that a form must refuse.

/// Control characters, each spoiling a value at its start, middle and end.
pub(super) const CONTROLS: [char; 10] = [
    '\0', '\t', '\n', '\r', '\u{7}', '\u{8}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}',
];

pub(super) fn pem(tag: &str, body: &str) -> String {
    format!("-----BEGIN {tag}-----\n{body}\n-----END {tag}-----\n")
}

/// A DER-looking body (starts with 0x30), so only the block's type is wrong.
pub(super) const DER_BODY: &str = "MIIBszCCAVmgAwIBAgIUZm9v";

pub(super) fn pem_cases(field: &str) -> Vec<(String, String)> {
    let mut v = vec![
        ("not PEM".into(), "not a certificate".into()),
        (
            "empty BEGIN line only".into(),
            "-----BEGIN CERTIFICATE-----".into(),
        ),
        (
            "no END line".into(),
            format!("-----BEGIN CERTIFICATE-----\n{DER_BODY}\n"),
        ),
        (
            "mismatched END".into(),
            format!("-----BEGIN CERTIFICATE-----\n{DER_BODY}\n-----END PRIVATE KEY-----"),
        ),
        (
            "broken base64".into(),
            pem("CERTIFICATE", "%%%not*base64%%%"),
        ),
        ("body that is not DER".into(), pem("CERTIFICATE", "AAAA")),
        ("empty body".into(), pem("CERTIFICATE", "")),
        (
            "larger than 64 KiB".into(),
            pem("CERTIFICATE", &"QUFB".repeat(20_000)),
        ),
        ("a JSON file".into(), "{\"cert\": \"-----BEGIN \"}".into()),
        (
            "a DER file read as text".into(),
            "0\u{82}\u{1}\n0\u{82}".into(),
        ),
        (
            "a path instead of content".into(),
            "/etc/ssl/certs/ca.pem".into(),
        ),
    ];
    if field == "client_key" {
        v.push((
            "a certificate instead of a key".into(),
            pem("CERTIFICATE", DER_BODY),
        ));
        v.push((
            "an encrypted key".into(),
            pem("ENCRYPTED PRIVATE KEY", DER_BODY),
        ));
        v.push(("a public key".into(), pem("PUBLIC KEY", DER_BODY)));
    } else {
        v.push((
            "a private key instead of a certificate".into(),
            pem("PRIVATE KEY", DER_BODY),
        ));
        v.push(("an RSA key".into(), pem("RSA PRIVATE KEY", DER_BODY)));
        v.push((
            "a certificate followed by a key".into(),
            format!(
                "{}{}",
                pem("CERTIFICATE", DER_BODY),
                pem("PRIVATE KEY", DER_BODY)
            ),
        ));
        v.push((
            "a certificate request".into(),
            pem("CERTIFICATE REQUEST", DER_BODY),
        ));
    }
    v
}

pub(super) fn host_cases() -> Vec<&'static str> {
    vec![
        "db host",
        "postgres://db",
        "http://db.example.com",
        "db:5432",
        "db.example.com:5432",
        "a..b",
        ".",
        "..",
        ".db",
        "-db",
        "db-",
        "a.-b.com",
        "a.b-.com",
        "db/path",
        "db?x=1",
        "db#frag",
        "user@db",
        "db@",
        "d\u{e9}b.example.com",
        "\u{2603}.net",
        "\u{ff44}b.example.com",
        "[::1",
        "::1]",
        "[db.example.com]",
        "$(reboot)",
        "`id`",
        "db;rm -rf /",
        "db|nc",
        "db&",
        "%00",
        "db%2fx",
        "*",
        "db*.example.com",
        "'db'",
        "\"db\"",
        "<script>",
        "db\\x",
        "db,other",
        "db example",
        "db\u{200b}x",
        "xn--",
        "a.b..c",
    ]
}

pub(super) fn url_cases() -> Vec<&'static str> {
    vec![
        "minio:9000 x",
        "minio",
        "minio.example.com:9000",
        "//minio",
        "ftp://minio",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/plain,x",
        "ws://minio",
        "s3://bucket",
        "https://",
        "https:///path",
        "https://ak:sk@minio",
        "https://user@minio",
        "https://:pw@minio",
        "https://minio:99999",
        "https://minio:-1",
        "https://minio:port",
        "https://[::1",
        "https://exa mple.com",
        "https//minio",
        "https:minio",
        "mailto:a@b",
        "http://",
        "http://user:pw@minio",
        "ht tp://minio",
    ]
}

pub(super) fn bootstrap_cases() -> Vec<&'static str> {
    vec![
        " , ",
        ",,,",
        "a",
        "a:9092,b",
        "a:0",
        "a:65536",
        "a:99999999999999999999",
        "a b:9092",
        "kafka://a:9092",
        "PLAINTEXT://a:9092",
        "a:9092:1",
        "[::1]9092",
        "[::1:9092",
        "a:abc",
        "a:-1",
        ":9092",
        "a:",
        "a;b:9092",
        "a:9092;b:9092",
        "a:9092 b:9092",
        "a..b:9092",
        "-a:9092",
        "a:9092\nb:9092",
        "a:9092,,b",
        "a:+",
        "a:9O92",
        "\u{2603}:9092",
        "a:9092/path",
        "a:9092?x",
        "[a:9092]",
    ]
}

pub(super) fn port_cases() -> Vec<&'static str> {
    vec![
        "0",
        "65536",
        "70000",
        "99999",
        "100000",
        "4294967295",
        "abc",
        "-1",
        "-0x1",
        "1e3",
        "0x50",
        "5432x",
        " ",
        "5 432",
        "5432.0",
        "\u{661}\u{662}\u{663}",
        "99999999999999999999",
        "\u{ff15}\u{ff14}\u{ff13}\u{ff12}",
        "5432,5433",
        "port",
    ]
}
