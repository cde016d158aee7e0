//! OpenBao / HashiCorp Vault's KV version 2 over its HTTP API, as a team's `SecretsEngine`: log
//! in, look the token up, read, write with check-and-set, list, read a secret's versions, ask what
//! the token may do (`sys/capabilities-self`). Every refusal is said by its cause — the engine unreachable, its TLS
//! certificate not trusted, sealed, the token expired or revoked, permission denied, no such
//! mount, a namespace it does not know, a write that lost the check-and-set race — and no
//! answer, token or secret is ever part of a message.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Map, Value};

use super::engine::{May, Pending, Read, SecretsEngine, TokenInfo, Version};
use super::refusals::{refused, said, unreachable};
use super::Place;
use crate::check::tls::TlsSettings;
use crate::error::{Error, Result};
use crate::secret::SecretString;

#[derive(Clone)]
pub struct Kv2 {
    pub(super) client: reqwest::Client,
    pub(super) place: Place,
    pub(super) token: SecretString,
}

/// A client for `place` (its CA, or the system's), bounded by `timeout`.
pub(super) fn client(place: &Place, timeout: Duration) -> Result<reqwest::Client> {
    let settings = TlsSettings::verified(place.ca_cert.as_deref());
    crate::web::client(&settings, timeout).map_err(|why| {
        Error::Engine(format!(
            "no client for the engine at {}: {why}",
            place.address
        ))
    })
}

impl Kv2 {
    /// An engine client that uses `token`.
    pub fn with_token(place: Place, token: SecretString, timeout: Duration) -> Result<Kv2> {
        Ok(Kv2 {
            client: client(&place, timeout)?,
            place,
            token,
        })
    }

    /// Why `what` was refused: a "permission denied" is first told apart from a token that
    /// is no longer valid (engines answer both alike), by looking the token up.
    async fn refusal(&self, what: &str, status: u16, body: &str) -> Error {
        if status == 403 {
            if let Err(e) = self.lookup_self().await {
                return e;
            }
        }
        refused(&self.place, what, status, body)
    }

    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// `key` as a person finds it: under the team's path.
    fn shown(&self, key: &str) -> String {
        match self.place.path.trim_matches('/') {
            "" => key.to_string(),
            p => format!("{p}/{key}"),
        }
    }

    fn url(&self, api: &str, key: &str) -> String {
        let base = self.place.address.trim_end_matches('/');
        let path = self.place.path.trim_matches('/');
        let mut out = format!("{base}/v1/{}/{api}", self.place.mount.trim_matches('/'));
        for part in path
            .split('/')
            .chain(key.split('/'))
            .filter(|p| !p.is_empty())
        {
            out.push('/');
            out.push_str(&urlencoding(part));
        }
        out
    }

    async fn send(
        &self,
        method: reqwest::Method,
        url: &str,
        body: Option<Value>,
    ) -> Result<(u16, zeroize::Zeroizing<String>)> {
        let mut req = self
            .client
            .request(method, url)
            .header("X-Vault-Token", self.token.expose());
        if let Some(ns) = &self.place.namespace {
            req = req.header("X-Vault-Namespace", ns);
        }
        if let Some(b) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(b.to_string());
        }
        let r = req
            .send()
            .await
            .map_err(|e| unreachable(&self.place.address, &e))?;
        let status = r.status().as_u16();
        let text = r
            .text()
            .await
            .map_err(|e| unreachable(&self.place.address, &e))?;
        Ok((status, zeroize::Zeroizing::new(text)))
    }

    /// What the token is (it is refused when expired or revoked).
    pub async fn lookup_self(&self) -> Result<TokenInfo> {
        let url = format!(
            "{}/v1/auth/token/lookup-self",
            self.place.address.trim_end_matches('/')
        );
        let (status, body) = self.send(reqwest::Method::GET, &url, None).await?;
        if status != 200 {
            return Err(refused(&self.place, "the token", status, &body));
        }
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        Ok(TokenInfo {
            ttl: v["data"]["ttl"].as_u64().unwrap_or(0),
            renewable: v["data"]["renewable"].as_bool().unwrap_or(false),
        })
    }

    /// Renews the token (its TTL starts again, up to its maximum); how long it lives now.
    pub async fn renew_self(&self) -> Result<TokenInfo> {
        let url = format!(
            "{}/v1/auth/token/renew-self",
            self.place.address.trim_end_matches('/')
        );
        let (status, body) = self
            .send(reqwest::Method::POST, &url, Some(json!({})))
            .await?;
        if status != 200 {
            return Err(refused(&self.place, "the token", status, &body));
        }
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        Ok(TokenInfo {
            ttl: v["auth"]["lease_duration"].as_u64().unwrap_or(0),
            renewable: v["auth"]["renewable"].as_bool().unwrap_or(false),
        })
    }

    async fn read_at(&self, key: &str, version: Option<u64>) -> Result<Option<Read>> {
        let mut url = self.url("data", key);
        if let Some(v) = version {
            url.push_str(&format!("?version={v}"));
        }
        let (status, body) = self.send(reqwest::Method::GET, &url, None).await?;
        if status == 404 && said(&body).is_empty() {
            return Ok(None);
        }
        if status != 200 {
            return Err(self
                .refusal(&format!("to read {}", self.shown(key)), status, &body)
                .await);
        }
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        let data = v["data"]["data"].as_object().cloned().unwrap_or_default();
        let version = v["data"]["metadata"]["version"].as_u64().unwrap_or(0);
        Ok(Some(Read { data, version }))
    }

    async fn write_over(&self, key: &str, data: &Map<String, Value>, cas: u64) -> Result<u64> {
        let url = self.url("data", key);
        let body = json!({ "data": data, "options": { "cas": cas } });
        let (status, answer) = self.send(reqwest::Method::POST, &url, Some(body)).await?;
        if status != 200 {
            let what = format!("to write {}", self.shown(key));
            return Err(self.refusal(&what, status, &answer).await);
        }
        let v: Value = serde_json::from_str(&answer).unwrap_or_default();
        Ok(v["data"]["version"].as_u64().unwrap_or(0))
    }

    async fn list_folder(&self, sub: &str) -> Result<Vec<String>> {
        let url = self.url("metadata", sub);
        let (status, body) = self
            .send(
                reqwest::Method::from_bytes(b"LIST").expect("a method"),
                &url,
                None,
            )
            .await?;
        if status == 404 && said(&body).is_empty() {
            return Ok(Vec::new());
        }
        if status != 200 {
            return Err(self
                .refusal(&format!("to list {}", self.shown(sub)), status, &body)
                .await);
        }
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        Ok(v["data"]["keys"]
            .as_array()
            .map(|k| {
                k.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default())
    }

    async fn all_versions(&self, key: &str) -> Result<Vec<Version>> {
        let url = self.url("metadata", key);
        let (status, body) = self.send(reqwest::Method::GET, &url, None).await?;
        if status != 200 {
            return Err(self
                .refusal(
                    &format!("to read the history of {}", self.shown(key)),
                    status,
                    &body,
                )
                .await);
        }
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        let mut out: Vec<Version> = v["data"]["versions"]
            .as_object()
            .map(|m| {
                m.iter()
                    .map(|(n, x)| Version {
                        version: n.parse().unwrap_or(0),
                        created: x["created_time"].as_str().unwrap_or("").to_string(),
                        deleted: x["deletion_time"]
                            .as_str()
                            .filter(|t| !t.is_empty())
                            .map(str::to_string),
                        destroyed: x["destroyed"].as_bool().unwrap_or(false),
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|x| x.version);
        Ok(out)
    }

    /// What the token may do with each of `keys` ("read", "create", "update", "delete", "list"…),
    /// asked in batches (one request for many).
    async fn capabilities(&self, keys: &[String]) -> Result<HashMap<String, Vec<String>>> {
        let url = format!(
            "{}/v1/sys/capabilities-self",
            self.place.address.trim_end_matches('/')
        );
        let mut out = HashMap::new();
        for batch in keys.chunks(250) {
            let paths: Vec<(String, String)> = batch
                .iter()
                .map(|k| {
                    (
                        k.clone(),
                        self.url("data", k)
                            .split("/v1/")
                            .nth(1)
                            .unwrap_or("")
                            .to_string(),
                    )
                })
                .collect();
            let body = json!({ "paths": paths.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>() });
            let (status, answer) = self.send(reqwest::Method::POST, &url, Some(body)).await?;
            if status != 200 {
                return Err(self.refusal("to say what it may do", status, &answer).await);
            }
            let v: Value = serde_json::from_str(&answer).unwrap_or_default();
            for (k, p) in paths {
                let caps = v[&p]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                out.insert(k, caps);
            }
        }
        Ok(out)
    }
}

/// A path segment as a URL takes it.
pub(super) fn urlencoding(s: &str) -> String {
    crate::check::sigv4::uri_encode(s, false)
}

impl SecretsEngine for Kv2 {
    fn read_version<'a>(&'a self, key: &'a str, version: Option<u64>) -> Pending<'a, Option<Read>> {
        Box::pin(self.read_at(key, version))
    }

    fn write<'a>(
        &'a self,
        key: &'a str,
        data: &'a Map<String, Value>,
        base: u64,
    ) -> Pending<'a, u64> {
        Box::pin(self.write_over(key, data, base))
    }

    fn list<'a>(&'a self, folder: &'a str) -> Pending<'a, Vec<String>> {
        Box::pin(self.list_folder(folder))
    }

    fn versions<'a>(&'a self, key: &'a str) -> Pending<'a, Vec<Version>> {
        Box::pin(self.all_versions(key))
    }

    /// Read where the policy grants "read", change where it grants "update" ("root": both).
    fn may<'a>(&'a self, keys: &'a [String]) -> Pending<'a, HashMap<String, May>> {
        Box::pin(async move {
            let caps = self.capabilities(keys).await?;
            let has = |c: &[String], w: &str| c.iter().any(|m| m == w || m == "root");
            Ok(caps
                .into_iter()
                .map(|(k, c)| {
                    let may = May {
                        read: has(&c, "read"),
                        change: has(&c, "update"),
                    };
                    (k, may)
                })
                .collect())
        })
    }

    fn renew(&self) -> Pending<'_, TokenInfo> {
        Box::pin(self.renew_self())
    }
}
