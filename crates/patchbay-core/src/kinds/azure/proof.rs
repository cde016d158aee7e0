//! The proof an Azure Blob request carries, chosen by the connection's auth mode: a SharedKey
//! signature (the account key never travels), the SAS on the URL, a service principal's bearer
//! token, or the Azure CLI's. Shared by the check and the listing; the means themselves are
//! `auth.rs`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::auth::{self, VERSION};
use crate::check::verdict::{Failure, Recorder, StepName};
use crate::model::{AzureAuth, AzureSpec};

/// The secrets a request may use (only the auth mode's own is ever set).
pub struct AzureSecrets<'a> {
    pub account_key: Option<&'a str>,
    pub sas: Option<&'a str>,
    pub client_secret: Option<&'a str>,
}

/// How the request proves who sends it.
pub enum Proof {
    Key(String),
    Sas(String),
    Bearer(zeroize::Zeroizing<String>),
}

/// What a query value keeps unencoded (RFC 3986's unreserved characters).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn missing(what: &str, how: &str) -> Failure {
    Failure::new(StepName::Auth, format!("no {what} is saved")).hint(how.to_string())
}

/// The proof of `s`'s auth mode; a service principal's token is fetched with its own steps
/// recorded in `rec`.
pub async fn proof(
    rec: &mut Recorder,
    s: &AzureSpec,
    secrets: &AzureSecrets<'_>,
) -> Result<Proof, Failure> {
    Ok(match s.auth {
        AzureAuth::AccountKey => Proof::Key(
            secrets
                .account_key
                .ok_or_else(|| missing("account key", "enter key1 or key2 of the storage account"))?
                .to_string(),
        ),
        AzureAuth::Sas => {
            let sas = secrets
                .sas
                .ok_or_else(|| missing("SAS token", "paste the SAS token"))?;
            Proof::Sas(sas.trim().trim_start_matches('?').to_string())
        }
        AzureAuth::ServicePrincipal => {
            let secret = secrets
                .client_secret
                .ok_or_else(|| missing("client secret", "paste the client secret's value"))?;
            Proof::Bearer(auth::service_principal_token(rec, s, secret).await?)
        }
        AzureAuth::Ambient => Proof::Bearer(
            rec.step(StepName::Auth, async {
                Ok((cli_token().await?, Some("Azure CLI".to_string())))
            })
            .await?,
        ),
    })
}

impl Proof {
    /// A GET of `resource` (the URL path) with `query` (decoded pairs), proven: the headers to
    /// send (date and version included) and the encoded query (the SAS appended).
    pub fn authorize(
        &self,
        account: &str,
        resource: &str,
        query: &[(&str, &str)],
    ) -> Result<(Vec<(String, String)>, String), Failure> {
        let date = auth::rfc1123(crate::clock::now_ms());
        let mut headers = vec![
            ("x-ms-date".to_string(), date.clone()),
            ("x-ms-version".to_string(), VERSION.to_string()),
        ];
        let mut encoded = query
            .iter()
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, QUERY)))
            .collect::<Vec<_>>()
            .join("&");
        match self {
            Proof::Key(key) => {
                let signed = auth::shared_key(
                    account,
                    key,
                    resource,
                    query,
                    &[("x-ms-date", &date), ("x-ms-version", VERSION)],
                )
                .ok_or_else(|| {
                    Failure::new(StepName::Auth, "the saved account key is not base64")
                        .hint("enter key1 or key2 of the storage account again")
                })?;
                headers.push(("Authorization".into(), signed));
            }
            Proof::Sas(t) => encoded = format!("{encoded}&{t}"),
            Proof::Bearer(token) => {
                headers.push(("Authorization".into(), format!("Bearer {}", token.as_str())))
            }
        }
        Ok((headers, encoded))
    }
}

/// The Azure CLI's token for Azure Storage (`az account get-access-token`), when it is installed
/// and logged in; the chosen ambient mode never falls back to anything else.
async fn cli_token() -> Result<zeroize::Zeroizing<String>, Failure> {
    let out = tokio::process::Command::new("az")
        .args([
            "account",
            "get-access-token",
            "--resource",
            "https://storage.azure.com/",
            "--query",
            "accessToken",
            "--output",
            "tsv",
        ])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await;
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Failure::new(
            StepName::Auth,
            "this connection uses the Azure CLI's login, and the Azure CLI (az) is not installed here",
        )
        .hint("install the Azure CLI and run az login, or choose another auth mode")),
        Err(e) => Err(Failure::new(StepName::Auth, "the Azure CLI could not be run").error(e)),
        Ok(o) if !o.status.success() => Err(Failure::new(
            StepName::Auth,
            "the Azure CLI has no login to use",
        )
        .error(String::from_utf8_lossy(&o.stderr).lines().next().unwrap_or("").to_string())
        .hint("run az login (or az login --identity on a machine with a managed identity)")),
        Ok(o) => Ok(zeroize::Zeroizing::new(
            String::from_utf8_lossy(&o.stdout).trim().to_string(),
        )),
    }
}
