//! Human-readable output of connections and secrets (the `--json` output is the serialised
//! records themselves). Secret fields show only whether they are set and where from.

use patchbay_core::clock::rfc3339;
use patchbay_core::model::*;

fn secret_state(c: &Connection, field: SecretField) -> String {
    match c.secrets.iter().find(|s| s.field == field) {
        None => "(not set)".into(),
        Some(SecretSlot {
            source: SecretSource::Owned,
            ..
        }) => "******** (saved)".into(),
        Some(SecretSlot {
            source: SecretSource::Shared { name },
            ..
        }) => format!("secret \"{name}\""),
    }
}

fn line(label: &str, value: impl std::fmt::Display) {
    println!("  {label:<26}{value}");
}

fn pem_summary(pem: &Option<String>) -> String {
    match pem {
        None => "(none)".into(),
        Some(p) => format!("{} PEM block(s)", p.matches("-----BEGIN").count()),
    }
}

/// The CA a verifying connection trusts: the one given, or the system's roots.
fn ca_summary(pem: &Option<String>, verifies: bool) -> String {
    match pem {
        None if verifies => "(none: the system's trusted roots are used)".into(),
        other => pem_summary(other),
    }
}

/// The full view of one connection.
pub fn connection(c: &Connection) {
    let tag = c
        .env_tag
        .as_deref()
        .map(|t| format!(" [{t}]"))
        .unwrap_or_default();
    println!("{} ({}){tag}", c.name, c.kind);
    match &c.spec {
        Spec::Database(d) => {
            line("type", d.engine.as_str());
            line("host", &d.host);
            line("port", d.port);
            line("database", &d.database);
            line("user", &d.username);
            line("password", secret_state(c, SecretField::Password));
            line("ssl mode", d.ssl_mode.as_str());
            line(
                "ca certificate",
                ca_summary(&d.ca_cert, d.ssl_mode.verifies()),
            );
        }
        Spec::Storage(s) => {
            line("type", "s3");
            line("access key id", &s.access_key_id);
            line(
                "secret access key",
                secret_state(c, SecretField::SecretAccessKey),
            );
            line("region", &s.region);
            line("endpoint url", s.endpoint_url.as_deref().unwrap_or("(AWS)"));
            line("verify ssl", s.verify_ssl);
            line("allow unsafe http", s.allow_http);
            if c.has_secret(SecretField::SessionToken) {
                line("session token", secret_state(c, SecretField::SessionToken));
                line(
                    "session expires",
                    s.session_expires.as_deref().unwrap_or("(not given)"),
                );
            }
        }
        Spec::Azure(a) => {
            line("type", "azure");
            line("account", &a.account);
            line("auth", a.auth.as_str());
            if let Some(field) = c
                .spec
                .kind()
                .secret_fields()
                .iter()
                .find(|f| patchbay_core::kinds::applies(&c.spec, **f))
            {
                line(field.label(), secret_state(c, *field));
            }
            if a.auth == AzureAuth::ServicePrincipal {
                line("tenant id", a.tenant_id.as_deref().unwrap_or(""));
                line("client id", a.client_id.as_deref().unwrap_or(""));
            }
            line("container", a.container.as_deref().unwrap_or("(none)"));
            line(
                "endpoint url",
                a.endpoint_url.as_deref().unwrap_or("(Azure public cloud)"),
            );
            if let Some(at) = &a.sas_expires {
                line("SAS expires", at);
            }
        }
        Spec::Gcs(g) => {
            line("type", "gcs");
            line("auth", g.auth.as_str());
            line("project", g.project_id.as_deref().unwrap_or("(none)"));
            line("bucket", g.bucket.as_deref().unwrap_or("(none)"));
            match g.auth {
                GcsAuth::ServiceAccount => {
                    line("service account", g.client_email.as_deref().unwrap_or(""));
                    line("key", secret_state(c, SecretField::ServiceAccountKey));
                }
                GcsAuth::Hmac => {
                    line("hmac access id", g.hmac_access_id.as_deref().unwrap_or(""));
                    line("hmac secret", secret_state(c, SecretField::HmacSecret));
                }
                GcsAuth::ApplicationDefault => {}
            }
            line(
                "endpoint url",
                g.endpoint_url.as_deref().unwrap_or("(Google)"),
            );
        }
        Spec::Kafka(k) => {
            line("bootstrap servers", &k.bootstrap_servers);
            line("security protocol", k.security_protocol.as_str());
            line(
                "sasl mechanism",
                k.sasl_mechanism.map_or("(none)", SaslMechanism::as_str),
            );
            line("sasl user", k.sasl_username.as_deref().unwrap_or("(none)"));
            line("sasl password", secret_state(c, SecretField::SaslPassword));
            line(
                "ca certificate",
                ca_summary(&k.ca_cert, k.security_protocol.uses_tls()),
            );
            line("client certificate", pem_summary(&k.client_cert));
            line("client key", secret_state(c, SecretField::ClientKey));
            line(
                "schema registry",
                k.schema_registry_url.as_deref().unwrap_or("(none)"),
            );
            if k.schema_registry_url.is_some() {
                line(
                    "schema registry user",
                    k.schema_registry_username.as_deref().unwrap_or("(none)"),
                );
                line(
                    "schema registry password",
                    secret_state(c, SecretField::SchemaRegistryPassword),
                );
            }
        }
    }
    if let Some(w) = &c.transport_warning {
        line("transport", format!("! {w}"));
    }
    if let Some(w) = &c.credential_warning {
        line("credentials", format!("! {w}"));
    }
    line("created", rfc3339(c.created_at));
    line("updated", rfc3339(c.updated_at));
}

/// One line per connection.
pub fn connection_table(list: &[Connection]) {
    if list.is_empty() {
        println!(
            "No saved connections. Add one with `patchbay add postgres NAME --host … --user …`."
        );
        return;
    }
    // Padded by the width the terminal gives each character (CJK names take two columns).
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(width(s))));
    let w = list
        .iter()
        .map(|c| width(&c.name))
        .max()
        .unwrap_or(4)
        .max(4);
    let tw = list
        .iter()
        .map(|c| c.env_tag.as_deref().map_or(1, width))
        .max()
        .unwrap_or(3)
        .max(3);
    println!(
        "{}  {:<10} {} TARGET",
        pad("NAME", w),
        "KIND",
        pad("ENV", tw)
    );
    for c in list {
        let kind = match &c.spec {
            Spec::Database(d) => d.engine.as_str(),
            Spec::Storage(_) => "s3",
            Spec::Azure(_) => "azure",
            Spec::Gcs(_) => "gcs",
            Spec::Kafka(_) => "kafka",
        };
        let warning = c
            .credential_warning
            .as_deref()
            .map(|w| format!("  ! {w}"))
            .unwrap_or_default();
        println!(
            "{}  {:<10} {} {}{warning}",
            pad(&c.name, w),
            kind,
            pad(c.env_tag.as_deref().unwrap_or("-"), tw),
            c.target()
        );
    }
}

/// One line per user secret.
pub fn secret_table(list: &[SecretInfo]) {
    if list.is_empty() {
        println!("No saved secrets. Add one with `patchbay secret set NAME`.");
        return;
    }
    let w = list
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    println!("{:<w$}  {:<30} USED BY", "NAME", "DESCRIPTION");
    for s in list {
        let used = if s.used_by.is_empty() {
            "-".to_string()
        } else {
            s.used_by.join(", ")
        };
        println!(
            "{:<w$}  {:<30} {used}",
            s.name,
            s.description.as_deref().unwrap_or("-")
        );
    }
}

/// The metadata of one secret.
pub fn secret(info: &SecretInfo) {
    println!("{}", info.name);
    println!(
        "  description   {}",
        info.description.as_deref().unwrap_or("-")
    );
    println!(
        "  used by       {}",
        if info.used_by.is_empty() {
            "-".into()
        } else {
            info.used_by.join(", ")
        }
    );
    println!("  created       {}", rfc3339(info.created_at));
    println!("  updated       {}", rfc3339(info.updated_at));
}
