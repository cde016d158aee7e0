//! Code snippets per connection ("Copy code snippet"): short Python programs for the usual
//! client of each kind (psycopg and SQLAlchemy, PyMySQL, boto3 and Polars, azure-storage-blob,
//! google-cloud-storage, confluent-kafka) that read everything from the environment
//! `patchbay exec NAME` sets — never a credential inline, so a snippet can be pasted anywhere.
//! Each one is run by the tests against the real servers, through `exec`.

use serde::Serialize;
use ts_rs::TS;

use crate::handoff::shell_quote;
use crate::model::{AzureAuth, Connection, DbEngine, GcsAuth, Spec};

/// One snippet: what it uses and its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Snippet {
    /// "psycopg", "sqlalchemy", "boto3"…
    pub id: String,
    /// "Python: psycopg".
    pub label: String,
    pub code: String,
}

/// The snippets for a connection, its usual client first.
pub fn for_connection(c: &Connection) -> Vec<Snippet> {
    let name = if c
        .name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || "-_.".contains(ch))
    {
        c.name.clone()
    } else {
        shell_quote(&c.name)
    };
    let run = format!("# Run it with: patchbay exec {name} -- python3 this_file.py\n");
    let make = |id: &str, label: &str, body: &str| Snippet {
        id: id.into(),
        label: format!("Python: {label}"),
        code: format!("{run}{body}"),
    };
    match &c.spec {
        Spec::Database(d) if d.engine == DbEngine::Postgresql => vec![
            make("psycopg", "psycopg", PSYCOPG),
            make("sqlalchemy", "SQLAlchemy (psycopg)", SQLALCHEMY_PG),
        ],
        Spec::Database(_) => vec![
            make("pymysql", "PyMySQL", PYMYSQL),
            make("sqlalchemy", "SQLAlchemy (PyMySQL)", SQLALCHEMY_MY),
        ],
        Spec::S3(_) => vec![
            make("boto3", "boto3", BOTO3),
            make("polars", "Polars", POLARS_S3),
        ],
        Spec::Gcs(g) if g.auth == GcsAuth::Hmac => vec![make("boto3", "boto3 (HMAC key)", BOTO3)],
        Spec::Gcs(_) => vec![make("google-cloud-storage", "google-cloud-storage", GCS)],
        Spec::Azure(a) => match a.auth {
            AzureAuth::AccountKey | AzureAuth::Sas => vec![make(
                "azure-storage-blob",
                "azure-storage-blob",
                AZURE_STRING,
            )],
            AzureAuth::ServicePrincipal | AzureAuth::Ambient => vec![make(
                "azure-storage-blob",
                "azure-storage-blob (azure-identity)",
                AZURE_IDENTITY,
            )],
        },
        Spec::Kafka(_) => vec![make("confluent-kafka", "confluent-kafka", KAFKA)],
    }
}

const PSYCOPG: &str = r#"import psycopg

# libpq reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE and PGSSLROOTCERT.
with psycopg.connect("") as conn:
    print(conn.execute("select current_user").fetchone()[0])
"#;

const SQLALCHEMY_PG: &str = r#"from sqlalchemy import create_engine, text

# An empty URL: psycopg (libpq) takes the connection from the PG* variables.
engine = create_engine("postgresql+psycopg://")
with engine.connect() as conn:
    print(conn.execute(text("select current_user")).scalar())
"#;

const PYMYSQL: &str = r#"import os
import pymysql

# exec writes host, port, user, password, database and TLS settings to $MYSQL_HOME/my.cnf.
conn = pymysql.connect(read_default_file=os.path.join(os.environ["MYSQL_HOME"], "my.cnf"))
with conn.cursor() as cur:
    cur.execute("select current_user()")
    print(cur.fetchone()[0])
conn.close()
"#;

const SQLALCHEMY_MY: &str = r#"import os
from sqlalchemy import create_engine, text

# PyMySQL reads host, port, user, password, database and TLS from exec's option file.
option_file = os.path.join(os.environ["MYSQL_HOME"], "my.cnf")
engine = create_engine("mysql+pymysql://", connect_args={"read_default_file": option_file})
with engine.connect() as conn:
    print(conn.execute(text("select current_user()")).scalar())
"#;

const BOTO3: &str = r#"import boto3

# boto3 reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,
# AWS_ENDPOINT_URL and AWS_CA_BUNDLE.
s3 = boto3.client("s3")
for bucket in s3.list_buckets()["Buckets"]:
    print(bucket["Name"])
"#;

const POLARS_S3: &str = r#"import os
import polars as pl

# Polars (object_store) reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
# AWS_REGION and AWS_ENDPOINT_URL; a plain-HTTP endpoint also needs AWS_ALLOW_HTTP.
if os.environ.get("AWS_ENDPOINT_URL", "").startswith("http://"):
    os.environ["AWS_ALLOW_HTTP"] = "true"
df = pl.read_csv("s3://BUCKET/path/to/file.csv")  # your bucket and object
print(df.head())
"#;

const AZURE_STRING: &str = r#"import os
from azure.storage.blob import BlobServiceClient

# exec builds AZURE_STORAGE_CONNECTION_STRING from the saved account, endpoint and key or SAS.
client = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"])
for container in client.list_containers():
    print(container.name)
"#;

const AZURE_IDENTITY: &str = r#"import os
from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient

# DefaultAzureCredential reads AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or uses
# your Azure CLI login).
client = BlobServiceClient(os.environ["AZURE_STORAGE_BLOB_ENDPOINT"], credential=DefaultAzureCredential())
for container in client.list_containers():
    print(container.name)
"#;

const GCS: &str = r#"import os
from google.cloud import storage

# The client reads GOOGLE_APPLICATION_CREDENTIALS (exec's private copy of the key file),
# GOOGLE_CLOUD_PROJECT and, for an emulator, STORAGE_EMULATOR_HOST.
client = storage.Client(project=os.environ.get("GOOGLE_CLOUD_PROJECT"))
for bucket in client.list_buckets():
    print(bucket.name)
"#;

const KAFKA: &str = r#"import os
from confluent_kafka.admin import AdminClient

# KAFKA_BOOTSTRAP_SERVERS -> bootstrap.servers, KAFKA_SASL_PASSWORD -> sasl.password, and so on:
# each KAFKA_* variable exec sets is a librdkafka setting.
conf = {k[len("KAFKA_"):].lower().replace("_", "."): v for k, v in os.environ.items() if k.startswith("KAFKA_")}
admin = AdminClient(conf)
print(len(admin.list_topics(timeout=10).brokers), "broker(s)")
"#;
