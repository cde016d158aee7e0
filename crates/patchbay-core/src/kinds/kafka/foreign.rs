//! How librdkafka's and Java's client properties become a Kafka connection — Airflow's `kafka`
//! connections (librdkafka properties in the extras), kcat's `kcat.conf` and a Java
//! `client.properties` — and Airflow's connection back.

use crate::foreign::airflow::AirflowConn;
use crate::foreign::Found;
use crate::model::*;
use crate::secret::SecretString;

/// Airflow's `kafka` connection.
pub fn from_airflow(c: &AirflowConn) -> Found {
    from_client_properties(&c.origin, &c.conn_id, &|k: &str| c.extra_str(k))
}

/// A properties file (kcat's or a Java client's): the last value of each key wins.
pub fn from_properties_file(origin: &str, name: &str, props: &[(String, String, usize)]) -> Found {
    let get = |k: &str| {
        props
            .iter()
            .rev()
            .find(|(key, _, _)| key == k)
            .map(|(_, v, _)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let (jaas_user, jaas_password) = get("sasl.jaas.config")
        .map(|j| crate::foreign::properties::jaas_credentials(&j))
        .unwrap_or_default();
    let with_jaas = |k: &str| match k {
        "sasl.username" => get(k).or(jaas_user.clone()),
        "sasl.password" => get(k).or(jaas_password.clone()),
        _ => get(k),
    };
    let f = from_client_properties(origin, name, &with_jaas);
    match get("ssl.truststore.location") {
        Some(p) if get("ssl.ca.location").is_none() => f.note(format!(
            "the Java truststore {p} is not read (JKS/PKCS#12): give the brokers' CA as PEM"
        )),
        _ => f,
    }
}

/// librdkafka's (and Java's) client properties, as `get` gives them.
fn from_client_properties(origin: &str, name: &str, get: &dyn Fn(&str) -> Option<String>) -> Found {
    let skip = |why: String| Found::skipped(origin, name, why);
    let Some(servers) = get("bootstrap.servers") else {
        return skip("has no bootstrap.servers".into());
    };
    let protocol = match get("security.protocol")
        .map(|p| p.to_ascii_uppercase())
        .as_deref()
    {
        None | Some("PLAINTEXT") => SecurityProtocol::Plaintext,
        Some("SSL") => SecurityProtocol::Ssl,
        Some("SASL_PLAINTEXT") => SecurityProtocol::SaslPlaintext,
        Some("SASL_SSL") => SecurityProtocol::SaslSsl,
        Some(other) => {
            return skip(format!(
                "security.protocol {other} is not one librdkafka knows"
            ))
        }
    };
    let mechanism = match get("sasl.mechanism").or(get("sasl.mechanisms")).as_deref() {
        None => None,
        Some("PLAIN") => Some(SaslMechanism::Plain),
        Some("SCRAM-SHA-256") => Some(SaslMechanism::ScramSha256),
        Some("SCRAM-SHA-512") => Some(SaslMechanism::ScramSha512),
        Some(other) => return skip(format!("SASL mechanism {other} is not one Patchbay keeps (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)")),
    };
    let mut notes = Vec::new();
    let ca_cert = crate::foreign::ca_file(get("ssl.ca.location"), &mut notes);
    let spec = Spec::Kafka(KafkaSpec {
        bootstrap_servers: servers,
        security_protocol: protocol,
        sasl_mechanism: mechanism,
        sasl_username: get("sasl.username"),
        ca_cert,
        client_cert: None,
        schema_registry_url: None,
        schema_registry_username: None,
        schema_registry_allow_http: false,
    });
    let mut draft = ConnectionDraft::new(name, spec);
    if let Some(p) = get("sasl.password") {
        draft = draft.with_secret(SecretField::SaslPassword, SecretString::new(p));
    }
    let mut f = Found::of(origin, draft);
    f.notes = notes;
    f
}

/// Airflow's `kafka` connection for `k` (the SASL password only when given).
pub fn to_airflow(id: &str, k: &KafkaSpec, password: Option<SecretString>) -> AirflowConn {
    let mut c = AirflowConn {
        conn_id: id.to_string(),
        conn_type: "kafka".into(),
        ..AirflowConn::default()
    };
    let mut put = |key: &str, v: &str| {
        c.extra.insert(key.into(), v.into());
    };
    put("bootstrap.servers", &k.bootstrap_servers);
    put("security.protocol", k.security_protocol.as_str());
    if let Some(m) = k.sasl_mechanism {
        put("sasl.mechanism", m.as_str());
    }
    if let Some(u) = &k.sasl_username {
        put("sasl.username", u);
    }
    if let Some(p) = &password {
        put("sasl.password", p.expose());
    }
    c
}
