//! How Airflow's `wasb` (and `adls`) connections and rclone's `azureblob` remotes become an Azure
//! Blob Storage connection, and Airflow's back: a connection string, a SAS, a service principal (`tenant_id` in the extras, the client
//! id and secret in login and password) or an account name and key.

use crate::foreign::airflow::AirflowConn;
use crate::foreign::Found;
use crate::model::*;
use crate::secret::SecretString;

/// Airflow's `wasb`/`adls` connection.
pub fn from_airflow(c: &AirflowConn) -> Found {
    let (origin, id) = (c.origin.as_str(), c.conn_id.as_str());
    if let Some(cs) = c.extra_str("connection_string") {
        return match super::paste::connection_string(cs.trim()) {
            Ok(p) => Found::of_pasted(origin, id, &cs, p),
            Err(e) => Found::skipped(origin, id, e.to_string()),
        };
    }
    let mut spec = match super::info().blank {
        Spec::Azure(a) => a,
        _ => unreachable!("the Azure form is an Azure spec"),
    };
    let host = c.host.clone().filter(|h| h.contains("://"));
    spec.allow_http = host.as_deref().is_some_and(|h| h.starts_with("http://"));
    let account_of_host = host.as_deref().and_then(|h| {
        let rest = h.split_once("://")?.1;
        let first = rest.split(['.', '/', ':']).next()?;
        // Azurite's form names the account in the path: http://127.0.0.1:10000/ACCOUNT.
        let path_account = rest.split('/').nth(1).filter(|a| !a.is_empty());
        Some(path_account.unwrap_or(first).to_string())
    });
    spec.endpoint_url = host.filter(|h| !h.contains(".blob.core.windows.net"));
    let (field, value) = if let Some(tenant) = c.extra_str("tenant_id") {
        spec.auth = AzureAuth::ServicePrincipal;
        spec.tenant_id = Some(tenant);
        spec.client_id = c.login.clone();
        spec.account = c
            .extra_str("account_name")
            .or(account_of_host)
            .unwrap_or_default();
        (SecretField::ClientSecret, c.password.clone())
    } else if let Some(sas) = c.extra_str("sas_token") {
        spec.auth = AzureAuth::Sas;
        spec.account = c.login.clone().or(account_of_host).unwrap_or_default();
        (SecretField::SasToken, Some(SecretString::new(sas)))
    } else {
        spec.account = c.login.clone().or(account_of_host).unwrap_or_default();
        (SecretField::AccountKey, c.password.clone())
    };
    if spec.account.is_empty() {
        return Found::skipped(
            origin,
            id,
            "names no storage account (login, host or account_name)",
        );
    }
    let mut draft = ConnectionDraft::new(id, Spec::Azure(spec));
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        draft = draft.with_secret(field, v);
    }
    Found::of(origin, draft)
}

/// An rclone `azureblob` remote: an account and key, a SAS URL, or a service principal.
/// Azurite's well-known development account and key (published by Microsoft).
const AZURITE_ACCOUNT: &str = "devstoreaccount1";
const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

pub fn from_rclone(origin: &str, r: &crate::foreign::ini::Section) -> Found {
    let get = |k: &str| r.get(k).filter(|v| !v.is_empty()).map(str::to_string);
    if let Some(url) = get("sas_url") {
        return match super::paste::url(&url) {
            Ok(p) => Found::of_pasted(origin, &r.name, &url, p),
            Err(e) => Found::skipped(origin, &r.name, e.to_string()),
        };
    }
    if get("env_auth").is_some_and(|v| v == "true") || get("use_msi").is_some_and(|v| v == "true") {
        return Found::skipped(origin, &r.name, "uses the environment's or a managed identity: choose the ambient mode in Patchbay instead");
    }
    // use_emulator: Azurite at its well-known address, account and key (rclone's defaults).
    let emulator = get("use_emulator").is_some_and(|v| v == "true");
    let Some(account) = get("account").or(emulator.then(|| AZURITE_ACCOUNT.to_string())) else {
        return Found::skipped(origin, &r.name, "names no storage account");
    };
    let mut spec = match super::info().blank {
        Spec::Azure(a) => a,
        _ => unreachable!("the Azure form is an Azure spec"),
    };
    // rclone's endpoint is a host suffix up to 1.60 (it dials https://ACCOUNT.SUFFIX, the
    // default suffix being blob.core.windows.net) and a whole URL in later versions.
    let endpoint = match get("endpoint") {
        _ if emulator => Some(format!("http://127.0.0.1:10000/{account}")),
        Some(url) if url.contains("://") => Some(url),
        Some(sfx) if sfx != "blob.core.windows.net" => Some(format!("https://{account}.{sfx}")),
        _ => None,
    };
    spec.allow_http = endpoint.as_ref().is_some_and(|u| u.starts_with("http://"));
    spec.endpoint_url = endpoint;
    spec.account = account;
    let (field, value) = match (get("tenant"), get("client_id")) {
        (Some(t), Some(c)) => {
            spec.auth = AzureAuth::ServicePrincipal;
            spec.tenant_id = Some(t);
            spec.client_id = Some(c);
            (SecretField::ClientSecret, get("client_secret"))
        }
        _ => (
            SecretField::AccountKey,
            get("key").or(emulator.then(|| AZURITE_KEY.to_string())),
        ),
    };
    let mut draft = ConnectionDraft::new(&r.name, Spec::Azure(spec));
    if let Some(v) = value {
        draft = draft.with_secret(field, SecretString::new(v));
    }
    Found::of(origin, draft)
}

/// Airflow's `wasb` connection for `a` (its secret only when given).
pub fn to_airflow(
    id: &str,
    a: &AzureSpec,
    secret: Option<SecretString>,
) -> Result<AirflowConn, String> {
    let mut c = AirflowConn {
        conn_id: id.to_string(),
        conn_type: "wasb".into(),
        host: a.endpoint_url.clone(),
        ..AirflowConn::default()
    };
    match a.auth {
        AzureAuth::AccountKey => {
            c.login = Some(a.account.clone());
            c.password = secret;
        }
        AzureAuth::Sas => {
            c.login = Some(a.account.clone());
            if let Some(s) = secret {
                c.extra.insert("sas_token".into(), s.expose().into());
            }
        }
        AzureAuth::ServicePrincipal => {
            c.login = a.client_id.clone();
            c.password = secret;
            c.host = Some(super::blob_endpoint(a));
            c.extra.insert("tenant_id".into(), a.tenant_id.clone().unwrap_or_default().into());
            c.extra.insert("account_name".into(), a.account.clone().into());
        }
        AzureAuth::Ambient => return Err("Azure connections that use the ambient identity have no Airflow form (Airflow's would use the worker's own)".into()),
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(
        login: Option<&str>,
        password: Option<&str>,
        host: Option<&str>,
        extra: serde_json::Value,
    ) -> AirflowConn {
        AirflowConn {
            conn_id: "az".into(),
            conn_type: "wasb".into(),
            login: login.map(str::to_string),
            password: password.map(SecretString::new),
            host: host.map(str::to_string),
            extra: extra.as_object().cloned().unwrap_or_default(),
            origin: "test".into(),
            ..AirflowConn::default()
        }
    }

    fn read(c: &AirflowConn) -> (AzureSpec, Vec<(SecretField, String)>) {
        let d = from_airflow(c).draft.unwrap();
        let Spec::Azure(a) = d.spec else {
            panic!("not Azure")
        };
        let secrets = d
            .secrets
            .iter()
            .map(|(f, i)| match i {
                SecretInput::Value { value } => (*f, value.expose().to_string()),
                _ => panic!("not a value"),
            })
            .collect();
        (a, secrets)
    }

    #[test]
    fn each_of_airflows_wasb_forms_reads_as_its_auth_mode() {
        let (a, s) = read(&conn(
            None,
            None,
            None,
            serde_json::json!({"connection_string": "DefaultEndpointsProtocol=https;AccountName=lake;AccountKey=KEY==;EndpointSuffix=core.windows.net"}),
        ));
        assert_eq!(
            (a.account.as_str(), a.auth, s),
            (
                "lake",
                AzureAuth::AccountKey,
                vec![(SecretField::AccountKey, "KEY==".to_string())]
            )
        );
        let (a, s) = read(&conn(
            Some("lake"),
            None,
            None,
            serde_json::json!({"sas_token": "sv=2024&sig=x"}),
        ));
        assert_eq!(
            (a.account.as_str(), a.auth, s),
            (
                "lake",
                AzureAuth::Sas,
                vec![(SecretField::SasToken, "sv=2024&sig=x".to_string())]
            )
        );
        let (a, s) = read(&conn(
            Some("client-1"),
            Some("cs"),
            Some("https://lake.blob.core.windows.net"),
            serde_json::json!({"tenant_id": "t-1"}),
        ));
        assert_eq!(
            (
                a.account.as_str(),
                a.auth,
                a.client_id.as_deref(),
                a.tenant_id.as_deref(),
                a.endpoint_url.as_deref()
            ),
            (
                "lake",
                AzureAuth::ServicePrincipal,
                Some("client-1"),
                Some("t-1"),
                None
            )
        );
        assert_eq!(s, vec![(SecretField::ClientSecret, "cs".to_string())]);
        let (a, _) = read(&conn(
            None,
            Some("k"),
            Some("http://127.0.0.1:10000/devstoreaccount1"),
            serde_json::json!({}),
        ));
        assert_eq!(
            (a.account.as_str(), a.allow_http, a.endpoint_url.as_deref()),
            (
                "devstoreaccount1",
                true,
                Some("http://127.0.0.1:10000/devstoreaccount1")
            )
        );
        assert_eq!(
            from_airflow(&conn(None, Some("k"), None, serde_json::json!({})))
                .draft
                .unwrap_err(),
            "names no storage account (login, host or account_name)"
        );
    }

    #[test]
    fn rclones_endpoint_is_a_host_suffix_or_a_whole_url_and_use_emulator_is_azurite() {
        let remote = |extra: &str| {
            let text = format!("[r]\ntype = azureblob\naccount = lake\nkey = K==\n{extra}");
            let (sections, _, _) =
                crate::foreign::ini::parse(&text, crate::foreign::ini::Dialect::Aws);
            match from_rclone("x", &sections[0]).draft.unwrap().spec {
                Spec::Azure(a) => (a.account, a.endpoint_url, a.allow_http),
                _ => unreachable!(),
            }
        };
        // rclone 1.60 (Debian 12) dials https://ACCOUNT.SUFFIX: with a whole URL as the
        // endpoint its request said "Host: patchbaytest.https:".
        assert_eq!(remote(""), ("lake".into(), None, false));
        assert_eq!(
            remote("endpoint = blob.core.windows.net\n"),
            ("lake".into(), None, false)
        );
        assert_eq!(
            remote("endpoint = blob.core.chinacloudapi.cn\n"),
            (
                "lake".into(),
                Some("https://lake.blob.core.chinacloudapi.cn".into()),
                false
            )
        );
        assert_eq!(
            remote("endpoint = http://127.0.0.1:10000/lake\n"),
            (
                "lake".into(),
                Some("http://127.0.0.1:10000/lake".into()),
                true
            )
        );
        let text = "[dev]\ntype = azureblob\nuse_emulator = true\n";
        let (sections, _, _) = crate::foreign::ini::parse(text, crate::foreign::ini::Dialect::Aws);
        let d = from_rclone("x", &sections[0]).draft.unwrap();
        match &d.spec {
            Spec::Azure(a) => assert_eq!(
                (a.account.as_str(), a.endpoint_url.as_deref(), a.allow_http),
                (
                    "devstoreaccount1",
                    Some("http://127.0.0.1:10000/devstoreaccount1"),
                    true
                )
            ),
            _ => unreachable!(),
        }
        assert_eq!(d.secrets.len(), 1);
    }
}
