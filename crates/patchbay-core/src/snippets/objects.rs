//! Snippets that read one object of an S3 store (chosen in the storage browser) with Polars or
//! DuckDB, through `patchbay exec`: the object's URI is in the code (a Python string literal,
//! whatever its name holds), its credentials only in the environment exec sets. The reader
//! follows the object's extension (Parquet, newline-delimited JSON, else CSV).

use super::Snippet;
use crate::error::{Error, Result};

/// Which reader an object's name asks for: Polars' and DuckDB's function names.
fn reader(key: &str) -> (&'static str, &'static str) {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("parquet" | "pq") => ("read_parquet", "read_parquet"),
        Some("json" | "jsonl" | "ndjson") => ("read_ndjson", "read_json"),
        _ => ("read_csv", "read_csv"),
    }
}

const POLARS: &str = r#"import os
import polars as pl

# Polars (object_store) reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
# AWS_REGION and AWS_ENDPOINT_URL; a plain-HTTP endpoint also needs AWS_ALLOW_HTTP.
if os.environ.get("AWS_ENDPOINT_URL", "").startswith("http://"):
    os.environ["AWS_ALLOW_HTTP"] = "true"
df = pl.READER(URI)
print(df.head())
"#;

const DUCKDB: &str = r#"import os
import duckdb

# DuckDB's httpfs extension (installed once, from the network) gets the keys exec sets.
con = duckdb.connect()
con.install_extension("httpfs")
con.load_extension("httpfs")
env = os.environ.get
quote = lambda v: "'" + v.replace("'", "''") + "'"
endpoint = env("AWS_ENDPOINT_URL", "")
settings = [f"KEY_ID {quote(env('AWS_ACCESS_KEY_ID', ''))}", f"SECRET {quote(env('AWS_SECRET_ACCESS_KEY', ''))}",
            f"REGION {quote(env('AWS_REGION', 'us-east-1'))}"]
if env("AWS_SESSION_TOKEN"):
    settings.append(f"SESSION_TOKEN {quote(env('AWS_SESSION_TOKEN'))}")
if endpoint:
    settings += [f"ENDPOINT {quote(endpoint.split('://', 1)[1])}", "URL_STYLE 'path'",
                 f"USE_SSL {'true' if endpoint.startswith('https://') else 'false'}"]
con.execute(f"CREATE SECRET patchbay (TYPE s3, {', '.join(settings)})")
print(con.READER(URI).limit(10).fetchall())
"#;

/// The object snippets' ids.
pub const IDS: [&str; 2] = ["polars", "duckdb"];

/// The snippet `id` ("polars" or "duckdb") that reads `s3://bucket/key` through `exec NAME`.
pub fn for_object(run: &str, bucket: &str, key: &str, id: &str) -> Result<Snippet> {
    if key.is_empty() || key.ends_with('/') {
        return Err(Error::invalid(
            "object",
            "name an object (bucket/path/to/file.csv), not a bucket or a prefix",
        ));
    }
    let uri = serde_json::to_string(&format!("s3://{bucket}/{key}")).unwrap_or_default();
    let (polars, duckdb) = reader(key);
    let (label, body) = match id {
        "polars" => ("Polars", POLARS.replace("READER", polars)),
        "duckdb" => ("DuckDB", DUCKDB.replace("READER", duckdb)),
        other => {
            return Err(Error::invalid(
                "id",
                format!(
                    "an object has no \"{other}\" snippet; choose one of {}",
                    IDS.join(", ")
                ),
            ))
        }
    };
    Ok(Snippet {
        id: id.into(),
        label: format!("Python: {label} (this object)"),
        code: format!("{run}{}", body.replace("URI", &uri)),
    })
}
