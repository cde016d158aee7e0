//! Logging in to a team's engine with each method it offers — a token as it is, a user's
//! password, an AppRole's secret id, a JWT — into a KV v2 client holding the token it gives.
//! A refused secret is said by the field it came from; nothing of it is in a message.

use std::time::Duration;

use serde_json::{json, Value};

use super::engine::TokenInfo;
use super::kv2::{client, urlencoding, Kv2};
use super::refusals::{refused, said, unreachable};
use super::{Place, TeamAuth};
use crate::error::{Error, Result};
use crate::secret::SecretString;

impl Kv2 {
    /// Logs in with `method` as `who` (the user, the AppRole's role id, the JWT role) and its
    /// `secret` (the password, the secret id, the JWT): the token it gives, and how long it lives.
    pub async fn login(
        place: Place,
        method: TeamAuth,
        who: &str,
        secret: &SecretString,
        timeout: Duration,
    ) -> Result<(Kv2, TokenInfo)> {
        let c = client(&place, timeout)?;
        let base = place.address.trim_end_matches('/');
        let (url, body, field, what) = match method {
            TeamAuth::Userpass => (
                format!("{base}/v1/auth/userpass/login/{}", urlencoding(who)),
                json!({ "password": secret.expose() }),
                "password",
                format!("user {who}'s password"),
            ),
            TeamAuth::Approle => (
                format!("{base}/v1/auth/approle/login"),
                json!({ "role_id": who, "secret_id": secret.expose() }),
                "secret_id",
                format!("the secret id for role id {who}"),
            ),
            TeamAuth::Jwt => (
                format!("{base}/v1/auth/jwt/login"),
                json!({ "role": who, "jwt": secret.expose() }),
                "jwt",
                format!("the token (JWT) for role {who}"),
            ),
            // Keys are for AWS Secrets Manager (team::log_in): as a token here, refused by it.
            TeamAuth::Token | TeamAuth::AwsKeys => {
                let e = Kv2::with_token(place, secret.clone(), timeout)?;
                let info = e.lookup_self().await?;
                return Ok((e, info));
            }
        };
        let body = zeroize::Zeroizing::new(body.to_string());
        let mut req = c
            .post(&url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.as_bytes().to_vec());
        if let Some(ns) = &place.namespace {
            req = req.header("X-Vault-Namespace", ns);
        }
        let r = req
            .send()
            .await
            .map_err(|e| unreachable(&place.address, &e))?;
        let status = r.status().as_u16();
        let body = zeroize::Zeroizing::new(
            r.text()
                .await
                .map_err(|e| unreachable(&place.address, &e))?,
        );
        if status != 200 {
            let words = said(&body).to_ascii_lowercase();
            let refused_secret = status == 400
                && [
                    "invalid",
                    "expired",
                    "not yet valid",
                    "audience",
                    "claim",
                    "signature",
                    "failed to validate",
                ]
                .iter()
                .any(|w| words.contains(w));
            return Err(match refused_secret {
                true => Error::invalid(
                    field,
                    format!("the engine refused {what} ({})", said(&body)),
                ),
                false => refused(&place, &format!("to log in with {what}"), status, &body),
            });
        }
        let v: Value = serde_json::from_str(&body).unwrap_or_default();
        let token = v["auth"]["client_token"].as_str().unwrap_or("").to_string();
        let info = TokenInfo {
            ttl: v["auth"]["lease_duration"].as_u64().unwrap_or(0),
            renewable: v["auth"]["renewable"].as_bool().unwrap_or(false),
        };
        Ok((
            Kv2 {
                client: c,
                place,
                token: SecretString::new(token),
            },
            info,
        ))
    }
}
