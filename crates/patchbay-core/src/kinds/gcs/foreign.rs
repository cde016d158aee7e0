//! How Airflow's `google_cloud_platform` connections, rclone's remotes and a key file become a
//! Google Cloud Storage connection, and Airflow's back: the service account key in `keyfile_dict` (or a file named by `key_path`), the
//! project in `project`; without a key, application default credentials.

use crate::foreign::airflow::AirflowConn;
use crate::foreign::Found;
use crate::model::*;
use crate::secret::SecretString;

/// Airflow's `google_cloud_platform` connection (extras with or without Airflow's old
/// `extra__google_cloud_platform__` prefix).
pub fn from_airflow(c: &AirflowConn) -> Found {
    let get = |k: &str| {
        c.extra_str(k)
            .or_else(|| c.extra_str(&format!("extra__google_cloud_platform__{k}")))
    };
    let mut spec = match super::info().blank {
        Spec::Gcs(g) => g,
        _ => unreachable!("the GCS form is a GCS spec"),
    };
    spec.project_id = get("project");
    let key = match (c.extra.get("keyfile_dict"), get("key_path")) {
        (Some(serde_json::Value::Object(m)), _) => {
            Some(serde_json::Value::Object(m.clone()).to_string())
        }
        (Some(serde_json::Value::String(s)), _) if !s.trim().is_empty() => Some(s.clone()),
        (_, Some(path)) => match std::fs::read_to_string(&path) {
            Ok(text) => Some(text),
            Err(e) => {
                return Found::skipped(
                    &c.origin,
                    &c.conn_id,
                    format!("its key file {path} cannot be read ({e})"),
                )
            }
        },
        _ => None,
    };
    let mut draft = match key {
        Some(k) => {
            spec.auth = GcsAuth::ServiceAccount;
            ConnectionDraft::new(&c.conn_id, Spec::Gcs(spec))
                .with_secret(SecretField::ServiceAccountKey, SecretString::new(k))
        }
        None => {
            spec.auth = GcsAuth::ApplicationDefault;
            ConnectionDraft::new(&c.conn_id, Spec::Gcs(spec))
        }
    };
    draft.env_tag = None;
    let f = Found::of(&c.origin, draft);
    match get("keyfile_dict").or(get("key_path")) {
        None => f.note("no key: application default credentials (what Airflow's worker would use)"),
        Some(_) => f,
    }
}

/// A service account's JSON key file (`GOOGLE_APPLICATION_CREDENTIALS`, a downloaded key), named
/// after the service account.
pub fn from_key_file(origin: &str, text: &str) -> Found {
    let key = match super::service_account_key(text) {
        Ok(k) => k,
        Err(e) => return Found::skipped(origin, "service-account", e.to_string()),
    };
    let name = key
        .client_email
        .split('@')
        .next()
        .unwrap_or("service-account")
        .to_string();
    let mut spec = match super::info().blank {
        Spec::Gcs(g) => g,
        _ => unreachable!("the GCS form is a GCS spec"),
    };
    spec.auth = GcsAuth::ServiceAccount;
    Found::of(
        origin,
        ConnectionDraft::new(name, Spec::Gcs(spec)).with_secret(
            SecretField::ServiceAccountKey,
            SecretString::new(text.trim()),
        ),
    )
}

/// An rclone `google cloud storage` remote: its service account key (inline or a file).
pub fn from_rclone(origin: &str, r: &crate::foreign::ini::Section) -> Found {
    let get = |k: &str| r.get(k).filter(|v| !v.is_empty()).map(str::to_string);
    let key =
        match (
            get("service_account_credentials"),
            get("service_account_file"),
        ) {
            (Some(k), _) => k,
            (None, Some(path)) => match std::fs::read_to_string(&path) {
                Ok(k) => k,
                Err(e) => {
                    return Found::skipped(
                        origin,
                        &r.name,
                        format!("its service_account_file {path} cannot be read ({e})"),
                    )
                }
            },
            (None, None) => return Found::skipped(
                origin,
                &r.name,
                "has no service account key (rclone's OAuth token or env_auth are not imported)",
            ),
        };
    let mut spec = match super::info().blank {
        Spec::Gcs(g) => g,
        _ => unreachable!("the GCS form is a GCS spec"),
    };
    spec.auth = GcsAuth::ServiceAccount;
    Found::of(
        origin,
        ConnectionDraft::new(&r.name, Spec::Gcs(spec))
            .with_secret(SecretField::ServiceAccountKey, SecretString::new(key)),
    )
}

/// Airflow's `google_cloud_platform` connection for `g` (the key only when given).
pub fn to_airflow(id: &str, g: &GcsSpec, key: Option<SecretString>) -> Result<AirflowConn, String> {
    if g.auth == GcsAuth::Hmac {
        return Err("Cloud Storage HMAC keys have no Airflow google_cloud_platform form (use an aws connection to the S3-interoperable endpoint)".into());
    }
    let mut c = AirflowConn {
        conn_id: id.to_string(),
        conn_type: "google_cloud_platform".into(),
        ..AirflowConn::default()
    };
    if let Some(p) = &g.project_id {
        c.extra.insert("project".into(), p.clone().into());
    }
    if let Some(k) = key {
        c.extra.insert("keyfile_dict".into(), k.expose().into());
    }
    Ok(c)
}
