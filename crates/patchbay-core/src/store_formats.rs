//! The object stores (S3, Azure Blob, Google Cloud Storage) handed to dataframe tools: the
//! `storage_options` that object_store, Polars and delta-rs take (a JSON object of its documented
//! config keys), and a DuckDB `CREATE SECRET` statement. Secrets are included only with
//! `with_secrets`; without them the secret keys are named as withheld.

use crate::catalog::Resolved;
use crate::error::{Error, Result};
use crate::handoff::{EnvBuilder, Handoff};
use crate::kinds::{self, azure, gcs, ObjectStore};
use crate::model::{AzureAuth, GcsAuth, SecretField};
use crate::secret::SecretString;

fn not_a_store(name: &str) -> Error {
    Error::invalid(
        "format",
        format!("\"{name}\" is not an object store; storage-options and duckdb are for S3, Azure and Google Cloud Storage connections"),
    )
}

/// object_store's configuration keys for the connection (Polars `storage_options`).
/// Plain and secret values only (an `EnvBuilder`'s, so "without secrets" means the same as
/// for `env`: the secret keys named as withheld).
pub fn storage_options(r: &Resolved, with_secrets: bool) -> Result<Handoff> {
    let mut b = EnvBuilder::new(r, with_secrets);
    let http = |u: &Option<String>| u.as_deref().is_some_and(|u| u.starts_with("http://"));
    let store =
        kinds::object_store(&r.connection.spec).ok_or_else(|| not_a_store(&r.connection.name))?;
    match store {
        ObjectStore::S3(s) => {
            b.plain("aws_access_key_id", s.access_key_id.clone());
            b.secret("aws_secret_access_key", SecretField::SecretAccessKey);
            b.secret("aws_session_token", SecretField::SessionToken);
            b.plain("aws_region", s.region.clone());
            if let Some(e) = &s.endpoint_url {
                b.plain("aws_endpoint", e.clone());
                b.plain("aws_virtual_hosted_style_request", "false");
            }
            if http(&s.endpoint_url) {
                b.plain("allow_http", "true");
            }
        }
        ObjectStore::Azure(a) => {
            b.plain("azure_storage_account_name", a.account.clone());
            match a.auth {
                AzureAuth::AccountKey => {
                    b.secret("azure_storage_account_key", SecretField::AccountKey)
                }
                AzureAuth::Sas => b.secret("azure_storage_sas_key", SecretField::SasToken),
                AzureAuth::ServicePrincipal => {
                    b.plain(
                        "azure_storage_tenant_id",
                        a.tenant_id.clone().unwrap_or_default(),
                    );
                    b.plain(
                        "azure_storage_client_id",
                        a.client_id.clone().unwrap_or_default(),
                    );
                    b.secret("azure_storage_client_secret", SecretField::ClientSecret);
                    if let Some(h) = &a.authority_host {
                        b.plain("azure_storage_authority_host", h.clone());
                    }
                }
                AzureAuth::Ambient => b.plain("azure_use_azure_cli", "true"),
            }
            if a.endpoint_url.is_some() {
                b.plain("azure_storage_endpoint", azure::blob_endpoint(a));
            }
            if let Some(c) = &a.container {
                b.plain("azure_container_name", c.clone());
            }
            if http(&a.endpoint_url) {
                b.plain("allow_http", "true");
            }
        }
        ObjectStore::Gcs(g) => {
            match g.auth {
                GcsAuth::ServiceAccount => {
                    b.secret("google_service_account_key", SecretField::ServiceAccountKey)
                }
                GcsAuth::Hmac => {
                    return Err(Error::invalid("format", "object_store speaks HMAC keys through its S3 store: use the S3 options (aws_access_key_id, aws_secret_access_key, aws_endpoint https://storage.googleapis.com), or a service account key"));
                }
                GcsAuth::ApplicationDefault => {}
            }
            if let Some(bucket) = &g.bucket {
                b.plain("google_bucket", bucket.clone());
            }
            if g.endpoint_url.is_some() {
                b.plain("google_base_url", gcs::endpoint(g));
            }
        }
    }
    Ok(b.finish())
}

/// A SQL string literal.
fn lit(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A DuckDB identifier for the secret's name.
fn ident(v: &str) -> String {
    format!("\"{}\"", v.replace('"', "\"\""))
}

/// `CREATE SECRET` for DuckDB's httpfs / azure extensions. Without secrets, the statement is
/// not made (it would not work): the error says to add --with-password.
pub fn duckdb_secret(r: &Resolved, with_secrets: bool) -> Result<SecretString> {
    let name = &r.connection.name;
    let secret = |f: SecretField| -> Result<String> {
        if !with_secrets {
            return Err(Error::invalid(
                "with_password",
                "a DuckDB secret carries the credentials: add --with-password",
            ));
        }
        r.secret(f).map(|v| v.expose().to_string()).ok_or_else(|| {
            Error::invalid(f.as_str(), format!("\"{name}\" has no {} saved", f.label()))
        })
    };
    let mut parts: Vec<String> = Vec::new();
    let store =
        kinds::object_store(&r.connection.spec).ok_or_else(|| not_a_store(&r.connection.name))?;
    match store {
        ObjectStore::S3(s) => {
            parts.push("TYPE s3".into());
            parts.push(format!("KEY_ID {}", lit(&s.access_key_id)));
            parts.push(format!(
                "SECRET {}",
                lit(&secret(SecretField::SecretAccessKey)?)
            ));
            if r.connection.has_secret(SecretField::SessionToken) {
                parts.push(format!(
                    "SESSION_TOKEN {}",
                    lit(&secret(SecretField::SessionToken)?)
                ));
            }
            parts.push(format!("REGION {}", lit(&s.region)));
            if let Some(e) = &s.endpoint_url {
                let (scheme, host) = e.split_once("://").unwrap_or(("https", e));
                parts.push(format!("ENDPOINT {}", lit(host.trim_end_matches('/'))));
                parts.push("URL_STYLE 'path'".into());
                parts.push(format!("USE_SSL {}", scheme == "https"));
            }
        }
        ObjectStore::Azure(a) => {
            parts.push("TYPE azure".into());
            match a.auth {
                AzureAuth::AccountKey | AzureAuth::Sas => {
                    let (key, sas) = match a.auth {
                        AzureAuth::AccountKey => (Some(secret(SecretField::AccountKey)?), None),
                        _ => (None, Some(secret(SecretField::SasToken)?)),
                    };
                    let cs = azure::connection_string(a, key.as_deref(), sas.as_deref())
                        .unwrap_or_default();
                    parts.push(format!("CONNECTION_STRING {}", lit(&cs)));
                }
                AzureAuth::ServicePrincipal => {
                    parts.push("PROVIDER service_principal".into());
                    parts.push(format!(
                        "TENANT_ID {}",
                        lit(a.tenant_id.as_deref().unwrap_or(""))
                    ));
                    parts.push(format!(
                        "CLIENT_ID {}",
                        lit(a.client_id.as_deref().unwrap_or(""))
                    ));
                    parts.push(format!(
                        "CLIENT_SECRET {}",
                        lit(&secret(SecretField::ClientSecret)?)
                    ));
                    parts.push(format!("ACCOUNT_NAME {}", lit(&a.account)));
                }
                AzureAuth::Ambient => {
                    parts.push("PROVIDER credential_chain".into());
                    parts.push("CHAIN 'cli;managed_identity'".into());
                    parts.push(format!("ACCOUNT_NAME {}", lit(&a.account)));
                }
            }
        }
        ObjectStore::Gcs(g) => match g.auth {
            GcsAuth::Hmac => {
                parts.push("TYPE gcs".into());
                parts.push(format!(
                    "KEY_ID {}",
                    lit(g.hmac_access_id.as_deref().unwrap_or(""))
                ));
                parts.push(format!("SECRET {}", lit(&secret(SecretField::HmacSecret)?)));
            }
            _ => {
                return Err(Error::invalid("format", "DuckDB reads Google Cloud Storage with HMAC keys only: save an HMAC key (--auth hmac) for DuckDB"));
            }
        },
    }
    Ok(SecretString::new(format!(
        "CREATE OR REPLACE SECRET {} ({});",
        ident(name),
        parts.join(", ")
    )))
}
