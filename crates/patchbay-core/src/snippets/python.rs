//! The Python snippets' code, one constant per client: each reads everything from what
//! `patchbay exec NAME` sets. Which ones a kind offers is the kind's (`kinds::snippet_choices`).

pub const PSYCOPG: &str = r#"import psycopg

# libpq reads PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE and PGSSLROOTCERT.
with psycopg.connect("") as conn:
    print(conn.execute("select current_user").fetchone()[0])
"#;

pub const SQLALCHEMY_PG: &str = r#"from sqlalchemy import create_engine, text

# An empty URL: psycopg (libpq) takes the connection from the PG* variables.
engine = create_engine("postgresql+psycopg://")
with engine.connect() as conn:
    print(conn.execute(text("select current_user")).scalar())
"#;

pub const PYMYSQL: &str = r#"import os
import pymysql

# exec writes host, port, user, password, database and TLS settings to $MYSQL_HOME/my.cnf.
conn = pymysql.connect(read_default_file=os.path.join(os.environ["MYSQL_HOME"], "my.cnf"))
with conn.cursor() as cur:
    cur.execute("select current_user()")
    print(cur.fetchone()[0])
conn.close()
"#;

pub const SQLALCHEMY_MY: &str = r#"import os
from sqlalchemy import create_engine, text

# PyMySQL reads host, port, user, password, database and TLS from exec's option file.
option_file = os.path.join(os.environ["MYSQL_HOME"], "my.cnf")
engine = create_engine("mysql+pymysql://", connect_args={"read_default_file": option_file})
with engine.connect() as conn:
    print(conn.execute(text("select current_user()")).scalar())
"#;

pub const BOTO3: &str = r#"import boto3

# boto3 reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,
# AWS_ENDPOINT_URL and AWS_CA_BUNDLE.
s3 = boto3.client("s3")
for bucket in s3.list_buckets()["Buckets"]:
    print(bucket["Name"])
"#;

pub const POLARS_S3: &str = r#"import os
import polars as pl

# Polars (object_store) reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
# AWS_REGION and AWS_ENDPOINT_URL; a plain-HTTP endpoint also needs AWS_ALLOW_HTTP.
if os.environ.get("AWS_ENDPOINT_URL", "").startswith("http://"):
    os.environ["AWS_ALLOW_HTTP"] = "true"
df = pl.read_csv("s3://BUCKET/path/to/file.csv")  # your bucket and object
print(df.head())
"#;

pub const AZURE_STRING: &str = r#"import os
from azure.storage.blob import BlobServiceClient

# exec builds AZURE_STORAGE_CONNECTION_STRING from the saved account, endpoint and key or SAS.
client = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"])
for container in client.list_containers():
    print(container.name)
"#;

pub const AZURE_IDENTITY: &str = r#"import os
from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient

# DefaultAzureCredential reads AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or uses
# your Azure CLI login).
client = BlobServiceClient(os.environ["AZURE_STORAGE_BLOB_ENDPOINT"], credential=DefaultAzureCredential())
for container in client.list_containers():
    print(container.name)
"#;

pub const GCS: &str = r#"import os
from google.cloud import storage

# The client reads GOOGLE_APPLICATION_CREDENTIALS (exec's private copy of the key file),
# GOOGLE_CLOUD_PROJECT and, for another endpoint, API_ENDPOINT_OVERRIDE.
client = storage.Client(project=os.environ.get("GOOGLE_CLOUD_PROJECT"))
for bucket in client.list_buckets():
    print(bucket.name)
"#;

pub const KAFKA: &str = r#"import os
from confluent_kafka.admin import AdminClient

# KAFKA_BOOTSTRAP_SERVERS -> bootstrap.servers, KAFKA_SASL_PASSWORD -> sasl.password, and so on:
# each KAFKA_* variable exec sets is a librdkafka setting.
conf = {k[len("KAFKA_"):].lower().replace("_", "."): v for k, v in os.environ.items() if k.startswith("KAFKA_")}
admin = AdminClient(conf)
print(len(admin.list_topics(timeout=10).brokers), "broker(s)")
"#;
