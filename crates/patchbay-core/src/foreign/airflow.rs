//! Airflow's connections: the record (`conn_type`, `host`, `login`, `password`, `port`,
//! `schema`, `extra`), read from `airflow connections export` files (JSON, YAML, and `.env` with a
//! URI or JSON per line) and from `AIRFLOW_CONN_<ID>` variables, and written back in those forms.
//! URIs follow Airflow's `Connection` parser and `get_uri`: `-` in the scheme is `_` in the
//! type, `postgresql` is `postgres`, extras are query parameters or one `__extra__` JSON.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{Map, Value};

use super::Env;
use crate::secret::SecretString;

/// One Airflow connection.
#[derive(Clone, Default)]
pub struct AirflowConn {
    pub conn_id: String,
    pub conn_type: String,
    pub host: Option<String>,
    pub login: Option<String>,
    pub password: Option<SecretString>,
    pub port: Option<u32>,
    pub schema: Option<String>,
    /// May hold secrets (tokens, keys): never printed.
    pub extra: Map<String, Value>,
    /// Where it was read: `file` or `file:ID` or the variable.
    pub origin: String,
}

impl std::fmt::Debug for AirflowConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let extra: Vec<&String> = self.extra.keys().collect();
        write!(
            f,
            "AirflowConn({} {} from {}, extra {extra:?})",
            self.conn_id, self.conn_type, self.origin
        )
    }
}

impl AirflowConn {
    /// An extra's value as text (Airflow's extras are JSON; numbers and booleans are said as such).
    pub fn extra_str(&self, key: &str) -> Option<String> {
        match self.extra.get(key)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// A connection that cannot be read, with why.
pub type Unread = (String, String);

/// An `airflow connections export` JSON file: `{conn_id: {fields}}`.
pub fn from_json(text: &str, origin: &str) -> Result<(Vec<AirflowConn>, Vec<Unread>), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("is not JSON ({e})"))?;
    from_export(v, origin)
}

/// An `airflow connections export --file-format yaml` file: the same mapping as the JSON one,
/// read as YAML (Airflow writes it with PyYAML's `dump`). Parse errors say where, never what.
pub fn from_yaml(text: &str, origin: &str) -> Result<(Vec<AirflowConn>, Vec<Unread>), String> {
    let v: Value = yaml_serde::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!(" at line {}, column {}", l.line(), l.column()))
            .unwrap_or_default();
        format!("is not YAML Patchbay can read{at}")
    })?;
    from_export(v, origin)
}

fn from_export(v: Value, origin: &str) -> Result<(Vec<AirflowConn>, Vec<Unread>), String> {
    let Value::Object(all) = v else {
        return Err("is not an Airflow export: expected an object of connections by id".into());
    };
    let mut out = Vec::new();
    let mut unread = Vec::new();
    for (id, fields) in all {
        match from_fields(&id, &fields, &format!("{origin}:{id}")) {
            Ok(c) => out.push(c),
            Err(why) => unread.push((id, why)),
        }
    }
    Ok((out, unread))
}

/// A connection from its fields (the JSON export's value, or an `AIRFLOW_CONN_` JSON).
pub fn from_fields(id: &str, fields: &Value, origin: &str) -> Result<AirflowConn, String> {
    let Value::Object(f) = fields else {
        return Err("is not an object of connection fields".into());
    };
    let text = |k: &str| match f.get(k) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    let port = match f.get("port") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => Some(
            n.as_u64()
                .and_then(|p| u32::try_from(p).ok())
                .ok_or("port is not a port number")?,
        ),
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(
            s.parse()
                .map_err(|_| format!("port \"{s}\" is not a number"))?,
        ),
        Some(_) => return Err("port is not a number".into()),
    };
    let extra = match f.get("extra") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::String(s)) if s.trim().is_empty() => Map::new(),
        Some(Value::String(s)) => match serde_json::from_str(s) {
            Ok(Value::Object(m)) => m,
            _ => return Err("extra is not a JSON object".into()),
        },
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err("extra is not a JSON object".into()),
    };
    Ok(AirflowConn {
        conn_id: id.to_string(),
        conn_type: normal_type(&text("conn_type").ok_or("has no conn_type")?),
        host: text("host"),
        login: text("login"),
        password: text("password").map(SecretString::new),
        port,
        schema: text("schema"),
        extra,
        origin: origin.to_string(),
    })
}

/// An `airflow connections export --file-format env` file: `ID=URI` or `ID=JSON` per line.
pub fn from_env_file(text: &str, origin: &str) -> (Vec<AirflowConn>, Vec<Unread>) {
    let mut out = Vec::new();
    let mut unread = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, value)) = line.split_once('=') else {
            unread.push((format!("line {}", i + 1), "is not ID=URI".into()));
            continue;
        };
        match from_value(id.trim(), value.trim(), &format!("{origin}:{}", i + 1)) {
            Ok(c) => out.push(c),
            Err(why) => unread.push((id.trim().to_string(), why)),
        }
    }
    (out, unread)
}

/// Every `AIRFLOW_CONN_<ID>` variable (the id is the rest of the name, lowercased, as
/// Airflow looks it up).
pub fn from_env(env: &Env) -> (Vec<AirflowConn>, Vec<Unread>) {
    let mut out = Vec::new();
    let mut unread = Vec::new();
    for (name, value) in env.with_prefix("AIRFLOW_CONN_") {
        let id = name["AIRFLOW_CONN_".len()..].to_ascii_lowercase();
        match from_value(&id, value.trim(), name) {
            Ok(c) => out.push(c),
            Err(why) => unread.push((name.to_string(), why)),
        }
    }
    (out, unread)
}

/// A URI, or (Airflow 2.3 and later) a JSON object.
fn from_value(id: &str, value: &str, origin: &str) -> Result<AirflowConn, String> {
    if value.starts_with('{') {
        let v: Value = serde_json::from_str(value).map_err(|e| format!("is not JSON ({e})"))?;
        return from_fields(id, &v, origin);
    }
    from_uri(id, value, origin)
}

/// Airflow's URI form.
pub fn from_uri(id: &str, uri: &str, origin: &str) -> Result<AirflowConn, String> {
    let schemes = uri.matches("://").count();
    let Some((scheme, rest)) = uri.split_once("://") else {
        return Err("is not a connection URI (no scheme://)".into());
    };
    if schemes > 2 {
        return Err("has more than two '://'".into());
    }
    let (protocol, rest) = match (schemes == 2).then(|| rest.split_once("://")).flatten() {
        Some((p, r)) if !p.contains(['@', ':']) => (Some(p), r),
        Some(_) => return Err("is not a valid Airflow URI".into()),
        None => (None, rest),
    };
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (authority, path) = before_query.split_once('/').unwrap_or((before_query, ""));
    let (userinfo, hostport) = authority.rsplit_once('@').unwrap_or(("", authority));
    let (login, password) = match userinfo.split_once(':') {
        Some((l, p)) => (l, Some(p)),
        None => (userinfo, None),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => {
            let port = p
                .parse::<u32>()
                .map_err(|_| format!("port \"{p}\" is not a number"))?;
            (h, Some(port))
        }
        _ => (hostport, None),
    };
    let host = unquote(host);
    let mut extra = Map::new();
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        if k == "__extra__" {
            match serde_json::from_str(&v) {
                Ok(Value::Object(m)) => extra = m,
                _ => return Err("__extra__ is not a JSON object".into()),
            }
        } else {
            extra.insert(k.into_owned(), Value::String(v.into_owned()));
        }
    }
    let some = |s: String| (!s.is_empty()).then_some(s);
    Ok(AirflowConn {
        conn_id: id.to_string(),
        conn_type: normal_type(scheme),
        host: some(match protocol {
            Some(p) => format!("{p}://{host}"),
            None => host,
        }),
        login: some(unquote(login)),
        password: password.map(|p| SecretString::new(unquote(p))),
        port,
        schema: some(unquote(path)),
        extra,
        origin: origin.to_string(),
    })
}

fn unquote(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Airflow's spelling of a type: `postgresql` is `postgres`, `-` is `_`.
fn normal_type(t: &str) -> String {
    match t.to_ascii_lowercase().replace('-', "_").as_str() {
        "postgresql" => "postgres".to_string(),
        t => t.to_string(),
    }
}

/// Python's `quote(s, safe="")`: everything but letters, digits and `_.-~`.
const QUOTE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~');

fn quote(s: &str) -> String {
    utf8_percent_encode(s, QUOTE).to_string()
}

/// The URI Airflow's `get_uri` writes for `c` (the password included, if it has one).
pub fn to_uri(c: &AirflowConn) -> String {
    let mut uri = format!("{}://", c.conn_type.to_ascii_lowercase().replace('_', "-"));
    let (protocol, host) = match c.host.as_deref().and_then(|h| h.split_once("://")) {
        Some((p, h)) => (Some(p), Some(h)),
        None => (None, c.host.as_deref()),
    };
    if let Some(p) = protocol {
        uri.push_str(&format!("{p}://"));
    }
    let mut authority = String::new();
    if let Some(l) = &c.login {
        authority.push_str(&quote(l));
    }
    if let Some(p) = &c.password {
        authority.push(':');
        authority.push_str(&quote(p.expose()));
    }
    if !authority.is_empty() {
        uri.push_str(&authority);
        uri.push('@');
    }
    let mut host_block = host.map(quote).unwrap_or_default();
    if let Some(port) = c.port {
        if host_block.is_empty() && authority.is_empty() {
            host_block.push('@');
        }
        host_block.push_str(&format!(":{port}"));
    }
    if let Some(s) = &c.schema {
        host_block.push('/');
        host_block.push_str(&quote(s));
    }
    uri.push_str(&host_block);
    if !c.extra.is_empty() {
        uri.push_str(if c.schema.is_some() { "?" } else { "/?" });
        let flat = c.extra.values().all(Value::is_string);
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if flat {
            for (k, v) in &c.extra {
                q.append_pair(k, v.as_str().unwrap_or(""));
            }
        } else {
            q.append_pair("__extra__", &Value::Object(c.extra.clone()).to_string());
        }
        uri.push_str(&q.finish());
    }
    uri
}

/// The fields of the JSON export (`extra` as a JSON string, as Airflow writes it).
pub fn to_fields(c: &AirflowConn) -> Value {
    let extra = (!c.extra.is_empty()).then(|| Value::Object(c.extra.clone()).to_string());
    serde_json::json!({
        "conn_type": c.conn_type,
        "description": null,
        "login": c.login,
        "password": c.password.as_ref().map(|p| p.expose()),
        "host": c.host,
        "port": c.port,
        "schema": c.schema,
        "extra": extra,
    })
}

#[cfg(test)]
#[path = "airflow_tests.rs"]
mod tests;
