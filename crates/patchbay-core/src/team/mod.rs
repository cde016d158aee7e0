//! Teams: connections and named secrets kept in a secrets engine the team already runs (OpenBao
//! or HashiCorp Vault, KV version 2), in the layout Airflow's `VaultBackend` reads —
//! `<mount>/<path>/connections/<name>` with Airflow's connection fields and nothing else (Airflow
//! 3.3 hands every key to its `Connection` and fails on one it does not know), Patchbay's complete
//! definition beside it at `<path>/patchbay/<name>` (kind, fields, environment tag and every
//! secret field, naming the connection's version it describes), and named secrets at
//! `<path>/variables/<name>` (`value`). Access is the engine's: its policies, its audit log, its
//! versions. The engine is a `SecretsEngine` (`engine.rs`; KV v2 in `kv2.rs`). This module and
//! the engines name no kind; the Desk maps through the kinds.

pub mod engine;
pub mod kv2;
mod login;
mod refusals;
pub mod secrets_manager;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::{Kind, Spec};
use crate::secret::SecretString;

/// Where Airflow's connections are, under the team's path.
pub const CONNECTIONS: &str = "connections";
/// Where Patchbay's own definitions are, under the team's path.
pub const DEFINITIONS: &str = "patchbay";
/// Where Airflow's variables (Patchbay's named secrets) are, under the team's path.
pub const VARIABLES: &str = "variables";

/// Where a team's secrets are: the engine, its KV v2 mount, the path under it, the namespace.
#[derive(Debug, Clone)]
pub struct Place {
    pub address: String,
    pub mount: String,
    pub path: String,
    pub namespace: Option<String>,
    pub ca_cert: Option<String>,
}

/// How a member logs in to the team's engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TeamAuth {
    /// A token given as it is (from `bao login`, or an operator).
    Token,
    /// A user name and password (the engine's userpass method).
    Userpass,
    /// A role id and a secret id (the engine's AppRole method: pipelines, services).
    Approle,
    /// A JSON Web Token from an identity provider or a CI system (the engine's JWT method).
    Jwt,
    /// An AWS access key id and its secret access key (AWS Secrets Manager).
    AwsKeys,
}

/// Which secrets engine a team runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// OpenBao or HashiCorp Vault, KV version 2 (Airflow's `VaultBackend`).
    #[default]
    Vault,
    /// AWS Secrets Manager (Airflow's `SecretsManagerBackend`).
    AwsSecretsManager,
}

/// A team as this store knows it: where its engine and secrets are, and how its member logs in.
/// Its token is in the OS keychain, never here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Team {
    pub name: String,
    #[serde(default)]
    pub engine: EngineKind,
    /// `https://bao.internal:8200`.
    pub address: String,
    /// The KV v2 mount (`secret`; none for AWS Secrets Manager).
    pub mount: String,
    /// The team's folder under the mount (`data-eng`).
    pub path: String,
    pub namespace: Option<String>,
    /// The AWS region (AWS Secrets Manager).
    #[serde(default)]
    pub region: Option<String>,
    /// PEM of the CA that signs the engine's certificate (one behind a private CA).
    pub ca_cert: Option<String>,
    pub auth: TeamAuth,
    /// Who logs in: the user (userpass), the role id (AppRole), the role (JWT), the access key
    /// id (AWS keys).
    pub login_name: Option<String>,
    /// When the token stops working (ms since the epoch), when it does.
    #[ts(type = "number | null")]
    pub token_expires: Option<i64>,
}

impl Team {
    pub fn place(&self) -> Place {
        Place {
            address: self.address.clone(),
            mount: self.mount.clone(),
            path: self.path.clone(),
            namespace: self.namespace.clone(),
            ca_cert: self.ca_cert.clone(),
        }
    }
}

/// The team's engine, using the token it gave: the one place that chooses the engine's
/// implementation (KV v2 today).
pub fn connect(t: &Team, token: SecretString, timeout: Duration) -> Result<engine::Engine> {
    Ok(match t.engine {
        EngineKind::Vault => Arc::new(kv2::Kv2::with_token(t.place(), token, timeout)?),
        EngineKind::AwsSecretsManager => {
            let client = kv2::client(&t.place(), timeout)?;
            let region = t.region.as_deref().unwrap_or_default();
            let key_id = t.login_name.as_deref().unwrap_or_default();
            let at = (t.address.as_str(), region, t.path.as_str());
            Arc::new(secrets_manager::SecretsManager::new(
                client, at, key_id, token,
            )?)
        }
    })
}

/// Logs in to the team's engine as `who` with `secret` (see `TeamAuth`): the engine, the token
/// it gave (for the keychain), how long it lives.
pub async fn log_in(
    t: &Team,
    who: &str,
    secret: &SecretString,
    timeout: Duration,
) -> Result<(engine::Engine, SecretString, engine::TokenInfo)> {
    if t.engine == EngineKind::AwsSecretsManager {
        // Keys are not exchanged for a token: they are what is kept, and what signs.
        let e = connect(t, secret.clone(), timeout)?;
        let forever = engine::TokenInfo {
            ttl: 0,
            renewable: false,
        };
        return Ok((e, secret.clone(), forever));
    }
    let (kv, info) = kv2::Kv2::login(t.place(), t.auth, who, secret, timeout).await?;
    let token = kv.token().clone();
    Ok((Arc::new(kv), token, info))
}

/// Patchbay's complete definition of a team connection, kept beside Airflow's fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Definition {
    pub kind: Kind,
    pub spec: Spec,
    pub env_tag: Option<String>,
    /// Every secret field, by its name.
    pub secrets: BTreeMap<String, String>,
    /// The version of Airflow's fields it was written with: when the connection was changed
    /// since (by Airflow's users), the fields win and this is not used.
    pub for_version: u64,
}

impl Drop for Definition {
    fn drop(&mut self) {
        use zeroize::Zeroize as _;
        for v in self.secrets.values_mut() {
            v.zeroize();
        }
    }
}

/// A team's fields, checked: a name, an http(s) address, a mount and a path.
pub fn validate(t: &Team) -> Result<Team> {
    let name = t.name.trim();
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    {
        return Err(Error::invalid(
            "team",
            "a team's name is 1 to 64 letters, digits and - _ .",
        ));
    }
    let sm = t.engine == EngineKind::AwsSecretsManager;
    let region = match (
        sm,
        t.region.as_deref().map(str::trim).filter(|r| !r.is_empty()),
    ) {
        (false, _) => None,
        (true, Some(r))
            if r.len() <= 32
                && r.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') =>
        {
            Some(r.to_string())
        }
        (true, Some(_)) => {
            return Err(Error::invalid("region", "is an AWS region, like eu-west-1"))
        }
        (true, None) => {
            return Err(Error::invalid(
                "region",
                "AWS Secrets Manager needs the team's region (--region), like eu-west-1",
            ))
        }
    };
    match (sm, t.auth) {
        (true, TeamAuth::AwsKeys)
        | (false, TeamAuth::Token | TeamAuth::Userpass | TeamAuth::Approle | TeamAuth::Jwt) => {}
        (true, _) => {
            return Err(Error::invalid(
                "auth",
                "AWS Secrets Manager is used with an access key (--auth aws-keys)",
            ))
        }
        (false, _) => {
            return Err(Error::invalid(
                "auth",
                "OpenBao / Vault logs in with token, userpass, approle or jwt",
            ))
        }
    }
    let default_address = region.as_deref().map(secrets_manager::endpoint);
    let address = match t.address.trim().trim_end_matches('/') {
        "" | "https:" | "https://" if sm => default_address.as_deref().unwrap_or_default(),
        a => a,
    };
    let parsed = url::Url::parse(address).map_err(|e| {
        Error::invalid(
            "address",
            format!(
                "is not a URL ({e}): give the engine's address, like https://bao.internal:8200"
            ),
        )
    })?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() {
        return Err(Error::invalid(
            "address",
            "is the engine's https:// address, like https://bao.internal:8200",
        ));
    }
    let segment = |field: &str, v: &str, empty_ok: bool| -> Result<String> {
        let v = v.trim().trim_matches('/');
        let fits = (empty_ok || !v.is_empty())
            && v.len() <= 256
            && v.split('/').all(|p| !p.is_empty() || v.is_empty())
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
            && !v.split('/').any(|p| p == "." || p == "..");
        match fits {
            true => Ok(v.to_string()),
            false => Err(Error::invalid(
                field,
                "is a path of letters, digits and - _ . separated by /",
            )),
        }
    };
    Ok(Team {
        name: name.to_string(),
        engine: t.engine,
        address: address.to_string(),
        // Secrets Manager has no mounts; its names start with the team's prefix (the path).
        mount: match sm {
            true => String::new(),
            false => segment("mount", &t.mount, false)?,
        },
        path: segment("path", &t.path, !sm)?,
        namespace: t
            .namespace
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty() && !sm)
            .map(|n| segment("namespace", n, false))
            .transpose()?,
        region,
        ca_cert: crate::validate::optional_certificates("ca_cert", &t.ca_cert)?,
        auth: t.auth,
        login_name: t
            .login_name
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string),
        token_expires: t.token_expires,
    })
}
