//! AWS Secrets Manager as a team's `SecretsEngine`, in the layout Airflow's
//! `SecretsManagerBackend` reads (`<prefix>/connections/<id>`, a JSON of Airflow's fields): its
//! JSON API signed with SigV4 by the member's keys, sent only to the endpoint the team was saved
//! with. Secrets Manager numbers no versions and has no check-and-set, so Patchbay labels each
//! version it writes `pb-v<N>` (a staging label, which the engine moves with the version) and
//! compares the current version's label with the one an edit started from just before writing:
//! a teammate's change is a conflict, except in the moment between that comparison and the
//! write. What a member may do is IAM's to say, when they try (there is no way to ask first).
//! A variable (a team's named secret) is kept as its value, as Airflow reads it there.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::engine::{May, Pending, Read, SecretsEngine, TokenInfo, Version};
use super::refusals::unreachable;
use crate::check::sigv4;
use crate::error::{Error, Result};
use crate::secret::SecretString;

/// The label Patchbay gives version `n` of a secret.
fn label(n: u64) -> String {
    format!("pb-v{n}")
}

/// The version number a version's labels carry (none for a version another tool wrote).
fn number(stages: &Value) -> Option<u64> {
    stages
        .as_array()?
        .iter()
        .filter_map(|s| s.as_str()?.strip_prefix("pb-v")?.parse().ok())
        .max()
}

pub struct SecretsManager {
    client: reqwest::Client,
    /// `https://secretsmanager.eu-west-1.amazonaws.com`, or the team's own endpoint.
    address: String,
    /// host[:port], as signed.
    authority: String,
    region: String,
    /// The team's prefix (`airflow`): connections are `<prefix>/connections/<id>`.
    prefix: String,
    key_id: String,
    secret: SecretString,
}

/// An engine error: its type (`ResourceNotFoundException`) and its message.
struct Refused {
    code: String,
    message: String,
}

impl SecretsManager {
    pub fn new(
        client: reqwest::Client,
        (address, region, prefix): (&str, &str, &str),
        key_id: &str,
        secret: SecretString,
    ) -> Result<SecretsManager> {
        let url = url::Url::parse(address)
            .map_err(|e| Error::invalid("address", format!("is not a URL ({e})")))?;
        let host = url.host_str().unwrap_or_default();
        let authority = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        Ok(SecretsManager {
            client,
            address: address.trim_end_matches('/').to_string(),
            authority,
            region: region.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            key_id: key_id.to_string(),
            secret,
        })
    }

    fn id(&self, key: &str) -> String {
        format!("{}/{key}", self.prefix)
    }

    /// Calls `operation` with `body`: its answer, or the engine's refusal by type.
    async fn call(
        &self,
        operation: &str,
        body: Value,
    ) -> Result<std::result::Result<Value, Refused>> {
        let body = zeroize::Zeroizing::new(body.to_string());
        let target = format!("secretsmanager.{operation}");
        let c = sigv4::Credentials {
            access_key_id: &self.key_id,
            secret: self.secret.expose(),
            session_token: None,
        };
        let now = crate::clock::now_ms();
        let headers = sigv4::sign_json_post(
            "secretsmanager",
            &self.authority,
            &target,
            body.as_bytes(),
            &self.region,
            &c,
            now,
        );
        let mut req = self
            .client
            .post(format!("{}/", self.address))
            .body(body.as_bytes().to_vec());
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let r = req
            .send()
            .await
            .map_err(|e| unreachable(&self.address, &e))?;
        let status = r.status().as_u16();
        let text =
            zeroize::Zeroizing::new(r.text().await.map_err(|e| unreachable(&self.address, &e))?);
        let v: Value = serde_json::from_str(&text).unwrap_or_default();
        if status == 200 {
            return Ok(Ok(v));
        }
        // AWS answers JSON (`__type`); an emulator may answer IAM's refusals in XML (`<Code>`).
        let code = v["__type"].as_str().and_then(|t| t.rsplit('#').next());
        let message = v["message"].as_str().or(v["Message"].as_str());
        Ok(Err(Refused {
            code: code
                .or_else(|| tag(&text, "Code"))
                .unwrap_or("")
                .to_string(),
            message: message
                .or_else(|| tag(&text, "Message"))
                .unwrap_or("")
                .trim()
                .to_string(),
        }))
    }

    /// A refusal of `what`, by its cause.
    fn refusal(&self, what: &str, r: Refused) -> Error {
        let said = match r.message.as_str() {
            "" => r.code.clone(),
            m => format!("{}: {m}", r.code),
        };
        match r.code.as_str() {
            "AccessDeniedException" | "AccessDenied" => Error::Engine(format!(
                "the IAM policies do not allow these keys {what} (permission denied)"
            )),
            "UnrecognizedClientException" | "InvalidSignatureException" | "IncompleteSignature" | "ExpiredTokenException" => {
                Error::Engine(format!("Secrets Manager does not accept the team's keys ({said}): log in again with the right ones (patchbay team login TEAM)"))
            }
            "ResourceExistsException" => {
                Error::Conflict(format!("{what}: it exists already ({said})"))
            }
            _ => Error::Engine(format!("Secrets Manager refused {what} ({said})")),
        }
    }

    /// The version of `key` at `stage` (the current one when None): its data and number, whether
    /// Patchbay numbered it, and its id.
    async fn current(
        &self,
        key: &str,
        stage: Option<String>,
    ) -> Result<Option<(Read, bool, String)>> {
        let mut body = json!({ "SecretId": self.id(key) });
        if let Some(s) = stage {
            body["VersionStage"] = s.into();
        }
        match self.call("GetSecretValue", body).await? {
            Ok(v) => {
                let text = v["SecretString"].as_str().unwrap_or_default();
                let data: Map<String, Value> = match is_variable(key) {
                    true => Map::from_iter([("value".to_string(), Value::from(text))]),
                    false => serde_json::from_str(text).unwrap_or_default(),
                };
                let own = number(&v["VersionStages"]);
                let version = match own {
                    Some(n) => n,
                    // Written by another tool: one past the last version Patchbay numbered.
                    None => {
                        self.all_versions(key)
                            .await?
                            .last()
                            .map_or(0, |x| x.version)
                            + 1
                    }
                };
                let id = v["VersionId"].as_str().unwrap_or_default().to_string();
                Ok(Some((Read { data, version }, own.is_some(), id)))
            }
            Err(r) if r.code == "ResourceNotFoundException" => Ok(None),
            Err(r) => Err(self.refusal(&format!("to read {}", self.id(key)), r)),
        }
    }

    async fn read_at(&self, key: &str, version: Option<u64>) -> Result<Option<Read>> {
        Ok(self
            .current(key, version.map(label))
            .await?
            .map(|(r, ..)| r))
    }

    async fn write_over(&self, key: &str, data: &Map<String, Value>, base: u64) -> Result<u64> {
        let id = self.id(key);
        let what = format!("to write {id}");
        let text = zeroize::Zeroizing::new(match (is_variable(key), data.get("value")) {
            (true, Some(Value::String(v))) => v.clone(),
            _ => Value::Object(data.clone()).to_string(),
        });
        if base == 0 {
            let created = self
                .call(
                    "CreateSecret",
                    json!({ "Name": id, "SecretString": text.as_str() }),
                )
                .await?
                .map_err(|r| self.refusal(&what, r))?;
            let version_id = created["VersionId"].as_str().unwrap_or("").to_string();
            let moved =
                json!({ "SecretId": id, "VersionStage": label(1), "MoveToVersionId": version_id });
            self.call("UpdateSecretVersionStage", moved)
                .await?
                .map_err(|r| self.refusal(&what, r))?;
            return Ok(1);
        }
        // No check-and-set in Secrets Manager: the current version is compared just before.
        let previous = match self.current(key, None).await? {
            Some((r, true, id)) if r.version == base => id,
            _ => return Err(Error::Conflict(format!("{id} was changed by someone else since it was read (its version is not {base} any more): nothing was written; look at it again and redo the change"))),
        };
        let next = base + 1;
        let body = json!({ "SecretId": id, "SecretString": text.as_str(), "VersionStages": ["AWSCURRENT", label(next)] });
        self.call("PutSecretValue", body)
            .await?
            .map_err(|r| self.refusal(&what, r))?;
        // The version it replaced keeps its number (AWS leaves its labels; an emulator that moves
        // only AWSPREVIOUS there has it put back).
        let kept =
            json!({ "SecretId": id, "VersionStage": label(base), "MoveToVersionId": previous });
        self.call("UpdateSecretVersionStage", kept)
            .await?
            .map_err(|r| self.refusal(&what, r))?;
        Ok(next)
    }

    async fn list_folder(&self, folder: &str) -> Result<Vec<String>> {
        let under = format!("{}/", self.id(folder.trim_end_matches('/')));
        let mut names = Vec::new();
        let mut next: Option<String> = None;
        loop {
            let mut body =
                json!({ "MaxResults": 100, "Filters": [{ "Key": "name", "Values": [under] }] });
            if let Some(t) = &next {
                body["NextToken"] = t.clone().into();
            }
            let page = self
                .call("ListSecrets", body)
                .await?
                .map_err(|r| self.refusal(&format!("to list {under}"), r))?;
            for s in page["SecretList"].as_array().into_iter().flatten() {
                let Some(rest) = s["Name"].as_str().and_then(|n| n.strip_prefix(&under)) else {
                    continue;
                };
                names.push(match rest.split_once('/') {
                    Some((dir, _)) => format!("{dir}/"),
                    None => rest.to_string(),
                });
            }
            next = page["NextToken"].as_str().map(str::to_string);
            if next.is_none() {
                break;
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }

    async fn all_versions(&self, key: &str) -> Result<Vec<Version>> {
        let id = self.id(key);
        let body = json!({ "SecretId": id, "IncludeDeprecated": true, "MaxResults": 100 });
        let v = self
            .call("ListSecretVersionIds", body)
            .await?
            .map_err(|r| self.refusal(&format!("to read the history of {id}"), r))?;
        let mut out: Vec<Version> = v["Versions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|x| {
                let n = number(&x["VersionStages"])?;
                let at = x["CreatedDate"].as_f64().unwrap_or(0.0);
                Some(Version {
                    version: n,
                    created: crate::clock::rfc3339((at * 1000.0) as i64),
                    deleted: None,
                    destroyed: false,
                })
            })
            .collect();
        out.sort_by_key(|x| x.version);
        Ok(out)
    }
}

impl SecretsEngine for SecretsManager {
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

    /// IAM cannot be asked beforehand: everything is offered, and IAM refuses at use.
    fn may<'a>(&'a self, keys: &'a [String]) -> Pending<'a, HashMap<String, May>> {
        let all = May {
            read: true,
            change: true,
        };
        Box::pin(async move { Ok(keys.iter().map(|k| (k.clone(), all)).collect()) })
    }

    /// Keys do not expire.
    fn renew(&self) -> Pending<'_, TokenInfo> {
        Box::pin(async {
            Ok(TokenInfo {
                ttl: 0,
                renewable: false,
            })
        })
    }
}

/// Airflow's Secrets Manager layout keeps a variable as its value, not a JSON of fields.
fn is_variable(key: &str) -> bool {
    key.starts_with(&format!("{}/", super::VARIABLES))
}

/// The text of the first `<name>` element of an XML answer.
fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let from = xml.find(&open)? + open.len();
    let len = xml[from..].find(&format!("</{name}>"))?;
    Some(&xml[from..from + len])
}

/// The default endpoint of `region`.
pub fn endpoint(region: &str) -> String {
    format!("https://secretsmanager.{region}.amazonaws.com")
}
