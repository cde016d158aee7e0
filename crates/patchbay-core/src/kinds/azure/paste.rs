//! Pasting Azure storage locations into the form: connection strings (`AccountName=…;AccountKey=…`,
//! `SharedAccessSignature=…`, `BlobEndpoint=…`, `UseDevelopmentStorage=true`),
//! `abfss://container@account.dfs.core.windows.net/path`, `wasbs://…` and
//! `https://account.blob.core.windows.net/container?SAS`. The answer never carries the secret:
//! it says where in the pasted text the secret is, and the form takes it from there.

use super::info;
use crate::error::{Error, Result};
use crate::model::{AzureAuth, AzureSpec, SecretField, Spec};
use crate::paste::{Pasted, PastedSecret};

/// Azurite's well-known development account and key (published in Microsoft's documentation).
const DEV_ACCOUNT: &str = "devstoreaccount1";
const DEV_ENDPOINT: &str = "http://127.0.0.1:10000/devstoreaccount1";

fn blank() -> AzureSpec {
    match info().blank {
        Spec::Azure(a) => a,
        _ => unreachable!("the Azure form is an Azure spec"),
    }
}

/// Whether `t` looks like an Azure connection string.
pub fn is_connection_string(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    lower.contains("accountname=") || lower.contains("usedevelopmentstorage=true")
}

/// The span of `value` inside `whole` (both from the same text), in UTF-16 units as the window
/// counts them.
fn span(whole: &str, start: usize, len: usize, field: SecretField) -> PastedSecret {
    let units = |s: &str| s.encode_utf16().count() as u32;
    let start16 = units(&whole[..start]);
    PastedSecret {
        field,
        start: start16,
        end: start16 + units(&whole[start..start + len]),
    }
}

/// `Key=Value;…` (keys case-insensitive).
pub fn connection_string(t: &str) -> Result<Pasted> {
    let mut spec = blank();
    let mut secret = None;
    let mut suffix = None;
    let mut protocol = "https".to_string();
    let mut offset = 0;
    for part in t.split(';') {
        let here = offset;
        offset += part.len() + 1;
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let value_at = here + k.len() + 1;
        match k.trim().to_ascii_lowercase().as_str() {
            "accountname" => spec.account = v.trim().to_string(),
            "accountkey" => {
                spec.auth = AzureAuth::AccountKey;
                secret = Some(span(t, value_at, v.len(), SecretField::AccountKey));
            }
            "sharedaccesssignature" => {
                spec.auth = AzureAuth::Sas;
                secret = Some(span(t, value_at, v.len(), SecretField::SasToken));
            }
            "blobendpoint" => spec.endpoint_url = Some(v.trim().trim_end_matches('/').to_string()),
            "endpointsuffix" => suffix = Some(v.trim().to_string()),
            "defaultendpointsprotocol" => protocol = v.trim().to_ascii_lowercase(),
            "usedevelopmentstorage" if v.trim().eq_ignore_ascii_case("true") => {
                spec.account = DEV_ACCOUNT.into();
                spec.endpoint_url = Some(DEV_ENDPOINT.into());
                spec.allow_http = true;
            }
            _ => {}
        }
    }
    if spec.account.is_empty() {
        return Err(Error::invalid(
            "url",
            "the connection string has no AccountName",
        ));
    }
    if spec.endpoint_url.is_none() {
        if let Some(sfx) = suffix.filter(|s| s != "core.windows.net") {
            spec.endpoint_url = Some(format!("{protocol}://{}.blob.{sfx}", spec.account));
        } else if protocol == "http" {
            spec.endpoint_url = Some(format!("http://{}.blob.core.windows.net", spec.account));
        }
    }
    spec.allow_http |= spec
        .endpoint_url
        .as_deref()
        .is_some_and(|e| e.starts_with("http://"));
    Ok(Pasted {
        suggested_name: spec.account.clone(),
        spec: Spec::Azure(spec),
        has_password: false,
        secret,
    })
}

/// `abfss://container@account.dfs.core.windows.net/path`, `wasbs://container@account.blob…`, or
/// `https://account.blob.core.windows.net/container?SAS`.
pub fn url(t: &str) -> Result<Pasted> {
    let u = url::Url::parse(t)
        .map_err(|e| Error::invalid("url", format!("is not a valid URL ({e})")))?;
    let host = u.host_str().unwrap_or("");
    let mut spec = blank();
    let (account, rest) = host.split_once('.').ok_or_else(|| {
        Error::invalid(
            "url",
            "names no storage account (account.blob.core.windows.net)",
        )
    })?;
    spec.account = account.to_string();
    let suffix = ["blob.", "dfs."]
        .iter()
        .find_map(|s| rest.strip_prefix(s))
        .unwrap_or("core.windows.net");
    if suffix != "core.windows.net" {
        spec.endpoint_url = Some(format!("https://{account}.blob.{suffix}"));
    }
    let container = match u.scheme() {
        "abfs" | "abfss" | "wasb" | "wasbs" => u.username().to_string(),
        _ => u
            .path_segments()
            .and_then(|mut s| s.next())
            .unwrap_or("")
            .to_string(),
    };
    spec.container = (!container.is_empty()).then_some(container);
    let mut secret = None;
    if let Some(q) = u.query().filter(|q| q.contains("sig=")) {
        spec.auth = AzureAuth::Sas;
        let at = t.find('?').map_or(0, |i| i + 1);
        secret = Some(span(
            t,
            at,
            q.len().min(t.len() - at),
            SecretField::SasToken,
        ));
    }
    Ok(Pasted {
        suggested_name: spec
            .container
            .clone()
            .unwrap_or_else(|| spec.account.clone()),
        spec: Spec::Azure(spec),
        has_password: false,
        secret,
    })
}

/// Whether an https URL is an Azure storage one.
pub fn is_azure_host(host: &str) -> bool {
    [".blob.", ".dfs."].iter().any(|p| host.contains(p))
        && [
            "core.windows.net",
            "core.chinacloudapi.cn",
            "core.usgovcloudapi.net",
        ]
        .iter()
        .any(|s| host.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn azure(p: &Pasted) -> &AzureSpec {
        match &p.spec {
            Spec::Azure(a) => a,
            other => panic!("not Azure: {other:?}"),
        }
    }

    #[test]
    fn a_connection_string_fills_the_form_and_points_at_its_key_without_carrying_it() {
        let t = "DefaultEndpointsProtocol=https;AccountName=mystore;AccountKey=c2VjcmV0a2V5;EndpointSuffix=core.windows.net";
        let p = connection_string(t).unwrap();
        let a = azure(&p);
        assert_eq!(
            (a.account.as_str(), a.auth),
            ("mystore", AzureAuth::AccountKey)
        );
        assert_eq!(a.endpoint_url, None);
        let s = p.secret.as_ref().unwrap();
        assert_eq!(s.field, SecretField::AccountKey);
        assert_eq!(&t[s.start as usize..s.end as usize], "c2VjcmV0a2V5");
        assert!(!serde_json::to_string(&p).unwrap().contains("c2VjcmV0a2V5"));
    }

    #[test]
    fn development_storage_and_sovereign_suffixes_become_endpoints() {
        let a = connection_string("UseDevelopmentStorage=true").unwrap();
        assert_eq!(azure(&a).endpoint_url.as_deref(), Some(DEV_ENDPOINT));
        assert!(azure(&a).allow_http);
        let c = connection_string(
            "AccountName=x1y;SharedAccessSignature=sv=1&sig=a;EndpointSuffix=core.chinacloudapi.cn",
        )
        .unwrap();
        assert_eq!(azure(&c).auth, AzureAuth::Sas);
        assert_eq!(
            azure(&c).endpoint_url.as_deref(),
            Some("https://x1y.blob.core.chinacloudapi.cn")
        );
    }

    #[test]
    fn abfss_and_sas_urls_name_account_container_and_token() {
        let p = url("abfss://raw@lakehouse.dfs.core.windows.net/events/2026").unwrap();
        let a = azure(&p);
        assert_eq!(
            (a.account.as_str(), a.container.as_deref()),
            ("lakehouse", Some("raw"))
        );
        let t = "https://lakehouse.blob.core.windows.net/raw?sv=2022-11-02&sr=c&se=2030-01-01&sp=rl&sig=abc%3D";
        let p = url(t).unwrap();
        let s = p.secret.as_ref().unwrap();
        assert_eq!(
            &t[s.start as usize..s.end as usize],
            "sv=2022-11-02&sr=c&se=2030-01-01&sp=rl&sig=abc%3D"
        );
        assert_eq!(azure(&p).auth, AzureAuth::Sas);
    }
}
