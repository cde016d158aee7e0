//! DBeaver's connections: `data-sources.json` (connections by id: name, provider, host, port,
//! database, JDBC URL, connection type dev/test/prod, handlers such as an SSH tunnel) and
//! `credentials-config.json` — AES-128-CBC under DBeaver's published default key, the first 16
//! bytes the IV, the plaintext `{id: {"#connection": {"user", "password"}}}`. With a master
//! password set the file does not open under the default key: the connections come without
//! their secrets, and the reading says so. Written back as a `data-sources.json` DBeaver opens
//! (without `credentials-config.json`: its key is public, so a secret in it is not kept).

use std::collections::BTreeMap;
use std::path::PathBuf;

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use serde_json::Value;

use super::Env;
use crate::secret::SecretString;

/// DBeaver's default key for `credentials-config.json` (published in its source).
const DEFAULT_KEY: [u8; 16] = [
    0xba, 0xbb, 0x4a, 0x9f, 0x77, 0x4a, 0xb8, 0x53, 0xc9, 0x6c, 0x2d, 0x65, 0x3d, 0xfe, 0x54, 0x4a,
];

/// One DBeaver connection.
#[derive(Clone, Default)]
pub struct DbeaverConn {
    pub id: String,
    pub name: String,
    /// `postgresql`, `mysql`, `mariadb`, …
    pub provider: String,
    pub host: Option<String>,
    pub port: Option<String>,
    pub database: Option<String>,
    pub url: Option<String>,
    /// The connection type: `dev`, `test`, `prod` or one the user made.
    pub kind_type: Option<String>,
    pub user: Option<String>,
    pub password: Option<SecretString>,
    /// The driver properties set on the connection (`sslmode`, `sslMode`, …).
    pub properties: BTreeMap<String, String>,
    /// Its SSH tunnel, when turned on.
    pub ssh: Option<DbeaverSsh>,
    pub origin: String,
}

/// A DBeaver connection's SSH tunnel (`handlers.ssh_tunnel`): the bastion, how it logs in
/// (`authType` PASSWORD, PUBLIC_KEY or AGENT), the key file; the user and the password (or the
/// key's passphrase) from `credentials-config.json` (`network/ssh_tunnel`).
#[derive(Clone, Default)]
pub struct DbeaverSsh {
    pub host: Option<String>,
    pub port: Option<String>,
    pub user: Option<String>,
    pub auth_type: Option<String>,
    pub key_path: Option<String>,
    pub password: Option<SecretString>,
}

impl std::fmt::Debug for DbeaverConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "DbeaverConn({} {} from {})",
            self.name, self.provider, self.origin
        )
    }
}

/// Where DBeaver keeps its files (the default workspace).
pub fn folder(env: &Env) -> Option<PathBuf> {
    env.home()
        .map(|h| h.join(".local/share/DBeaverData/workspace6/General/.dbeaver"))
}

/// The plaintext of `credentials-config.json`, if it opens under the default key.
pub fn decrypt(bytes: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    if bytes.len() < 32 || !bytes.len().is_multiple_of(16) {
        return None;
    }
    let (iv, body) = bytes.split_at(16);
    let d = cbc::Decryptor::<aes::Aes128>::new(&DEFAULT_KEY.into(), iv.into());
    d.decrypt_padded_vec_mut::<Pkcs7>(body)
        .ok()
        .map(zeroize::Zeroizing::new)
}

/// The connections of `data-sources.json`, with the credentials of `credentials` (its bytes, if
/// the file is there); the problems found on the way.
pub fn read(
    data_sources: &str,
    credentials: Option<&[u8]>,
    origin: &str,
) -> Result<(Vec<DbeaverConn>, Vec<String>), String> {
    let v: Value = serde_json::from_str(data_sources)
        .map_err(|e| format!("is not DBeaver's data-sources.json ({e})"))?;
    let Some(all) = v["connections"].as_object() else {
        return Err("is not DBeaver's data-sources.json (no \"connections\")".into());
    };
    let mut problems = Vec::new();
    let creds: Value = match credentials {
        None => Value::Null,
        Some(bytes) => match decrypt(bytes).and_then(|p| serde_json::from_slice(&p).ok()) {
            Some(v) => v,
            None => {
                problems.push("credentials-config.json does not open with DBeaver's default key (a master password is set?): connections come without their passwords".into());
                Value::Null
            }
        },
    };
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut out = Vec::new();
    for (id, c) in all {
        let cfg = &c["configuration"];
        let saved = &creds[id]["#connection"];
        out.push(DbeaverConn {
            id: id.clone(),
            name: text(&c["name"]).unwrap_or_else(|| id.clone()),
            provider: text(&c["provider"]).unwrap_or_default(),
            host: text(&cfg["host"]),
            port: text(&cfg["port"]),
            database: text(&cfg["database"]),
            url: text(&cfg["url"]),
            kind_type: text(&cfg["type"]),
            user: text(&saved["user"]).or_else(|| text(&cfg["user"])),
            password: text(&saved["password"])
                .or_else(|| text(&cfg["password"]))
                .map(SecretString::new),
            properties: cfg["properties"]
                .as_object()
                .map(|p| {
                    p.iter()
                        .filter_map(|(k, v)| Some((k.clone(), text(v)?)))
                        .collect()
                })
                .unwrap_or_default(),
            ssh: ssh_tunnel(
                &cfg["handlers"]["ssh_tunnel"],
                &creds[id]["network/ssh_tunnel"],
            ),
            origin: format!("{origin}:{id}"),
        });
    }
    Ok((out, problems))
}

fn ssh_tunnel(handler: &Value, saved: &Value) -> Option<DbeaverSsh> {
    if handler["enabled"].as_bool() != Some(true) {
        return None;
    }
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let p = &handler["properties"];
    Some(DbeaverSsh {
        host: text(&p["host"]),
        port: text(&p["port"]),
        user: text(&saved["user"]).or_else(|| text(&p["user"])),
        auth_type: text(&p["authType"]),
        key_path: text(&p["keyPath"]),
        password: text(&saved["password"]).map(SecretString::new),
    })
}

/// DBeaver's own connection types; another one is declared in the file's `connection-types`.
const BUILT_IN_TYPES: [&str; 3] = ["dev", "test", "prod"];

/// `data-sources.json` holding `conns` (their passwords are not written), in the given order.
pub fn write(conns: &[DbeaverConn]) -> String {
    let mut all = serde_json::Map::new();
    let mut types = serde_json::Map::new();
    for c in conns {
        let mut cfg = serde_json::Map::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                cfg.insert(k.into(), Value::String(v.clone()));
            }
        };
        put("host", &c.host);
        put("port", &c.port);
        put("database", &c.database);
        put("url", &c.url);
        put("user", &c.user);
        put("type", &c.kind_type);
        cfg.insert("configurationType".into(), "MANUAL".into());
        cfg.insert("auth-model".into(), "native".into());
        if !c.properties.is_empty() {
            cfg.insert("properties".into(), serde_json::json!(c.properties));
        }
        if let Some(t) = &c.ssh {
            let mut p = serde_json::Map::new();
            for (k, v) in [
                ("host", &t.host),
                ("port", &t.port),
                ("user", &t.user),
                ("authType", &t.auth_type),
                ("keyPath", &t.key_path),
            ] {
                if let Some(v) = v {
                    p.insert(k.into(), Value::String(v.clone()));
                }
            }
            cfg.insert("handlers".into(), serde_json::json!({"ssh_tunnel": {"type": "TUNNEL", "enabled": true, "save-password": false, "properties": p}}));
        }
        if let Some(t) = c.kind_type.as_deref() {
            if !BUILT_IN_TYPES.contains(&t) {
                types.insert(t.into(), serde_json::json!({"name": t, "color": "255,255,255", "description": "from Patchbay", "auto-commit": true, "confirm-execute": false, "confirm-data-change": false}));
            }
        }
        let driver = if c.provider == "postgresql" {
            "postgres-jdbc"
        } else {
            "mysql8"
        };
        all.insert(
            c.id.clone(),
            serde_json::json!({"provider": c.provider, "driver": driver, "name": c.name, "save-password": false, "configuration": cfg}),
        );
    }
    let mut doc = serde_json::Map::new();
    doc.insert("folders".into(), serde_json::json!({}));
    if !types.is_empty() {
        doc.insert("connection-types".into(), Value::Object(types));
    }
    doc.insert("connections".into(), Value::Object(all));
    let mut text = serde_json::to_string_pretty(&doc).expect("serialisable");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_that_does_not_open_under_the_default_key_is_none() {
        assert!(super::decrypt(&[0u8; 48]).is_none());
        assert!(super::decrypt(b"short").is_none());
    }
}
