// Generated from crates/patchbay-core/src/kinds by crates/patchbay-core/tests/core/bindings.rs. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings` instead.

import type { AzureAuth, DbEngine, GcsAuth, Kind, SaslMechanism, SecretField, SecurityProtocol, Spec, SslMode } from "./bindings";

export type KindDescriptions = { 
/**
 * The kinds, in tab order.
 */
kinds: Array<KindInfo>, 
/**
 * The tabs: kinds with the same tab title share one (S3 and Azure: Cloud Storage).
 */
tabs: Array<TabInfo>, 
/**
 * Azure's auth modes with their labels and the secret field each uses.
 */
azure_auths: Array<AzureAuthInfo>, 
/**
 * Google Cloud Storage's auth modes, likewise.
 */
gcs_auths: Array<GcsAuthInfo>, engines: Array<EngineInfo>, security_protocols: Array<ProtocolInfo>, sasl_mechanisms: Array<SaslMechanism>, ssl_modes: Array<SslModeInfo>, 
/**
 * Environment tags that mark a connection as production (lower case).
 */
production_tags: Array<string>, 
/**
 * Tags the form suggests.
 */
suggested_tags: Array<string>, };

export type KindInfo = { kind: Kind, 
/**
 * The tab's title ("Cloud Storage").
 */
tab: string, 
/**
 * How a person calls one ("S3 connection").
 */
label: string, 
/**
 * Its name in a type picker ("AWS S3 / S3-compatible").
 */
type_label: string, 
/**
 * A short badge on rows of a tab shared with other kinds ("S3", "Azure").
 */
short_label: string, 
/**
 * The empty list's help text.
 */
empty_help: string, secret_fields: Array<SecretFieldInfo>, 
/**
 * Whether it holds buckets to browse (an object store).
 */
browsable: boolean, 
/**
 * Whether it is saved with a bucket (container) of its own, which the browser can set.
 */
default_bucket: boolean, 
/**
 * The fields of a new form.
 */
blank: Spec, };

export type TabInfo = { 
/**
 * The tab's id: its first kind's name ("storage").
 */
id: string, title: string, kinds: Array<Kind>, 
/**
 * The empty list's help text.
 */
empty_help: string, };

export type AzureAuthInfo = { auth: AzureAuth, label: string, 
/**
 * The secret field this mode uses, if any.
 */
secret_field: SecretField | null, };

export type GcsAuthInfo = { auth: GcsAuth, label: string, 
/**
 * The secret field this mode uses, if any.
 */
secret_field: SecretField | null, };

export type SecretFieldInfo = { field: SecretField, 
/**
 * The form's label ("Client private key (PEM)").
 */
label: string, 
/**
 * Multi-line text (PEM) rather than a password.
 */
multiline: boolean, };

export type EngineInfo = { engine: DbEngine, label: string, 
/**
 * A row's badge and a pasted URL's name ("PostgreSQL", "MySQL").
 */
short_label: string, default_port: number, };

export type ProtocolInfo = { protocol: SecurityProtocol, 
/**
 * SASL fields (mechanism, user, password) apply.
 */
uses_sasl: boolean, 
/**
 * TLS fields (CA, client certificate and key) apply.
 */
uses_tls: boolean, };

export type SslModeInfo = { mode: SslMode, 
/**
 * Whether the server's certificate is verified.
 */
verifies: boolean, };

/** Each kind of connection as the core describes it (see kinds.rs). */
export const KINDS: KindDescriptions = {
  "kinds": [
    {
      "kind": "database",
      "tab": "Database",
      "label": "database connection",
      "type_label": "PostgreSQL / MySQL",
      "short_label": "DB",
      "empty_help": "Save a PostgreSQL or MySQL connection once, then use it by name: patchbay exec NAME -- psql.",
      "secret_fields": [
        {
          "field": "password",
          "label": "Password",
          "multiline": false
        },
        {
          "field": "ssh_password",
          "label": "SSH password",
          "multiline": false
        },
        {
          "field": "ssh_private_key",
          "label": "SSH private key (OpenSSH or PEM)",
          "multiline": true
        },
        {
          "field": "ssh_passphrase",
          "label": "SSH key passphrase",
          "multiline": false
        }
      ],
      "browsable": false,
      "default_bucket": false,
      "blank": {
        "kind": "database",
        "engine": "postgresql",
        "host": "",
        "port": 5432,
        "database": "",
        "username": "",
        "ssl_mode": "require",
        "ca_cert": null
      }
    },
    {
      "kind": "storage",
      "tab": "Cloud Storage",
      "label": "S3 connection",
      "type_label": "AWS S3 / S3-compatible",
      "short_label": "S3",
      "empty_help": "Save AWS S3, S3-compatible (MinIO…), Azure Blob or Google Cloud Storage credentials; other programs get them with patchbay env NAME.",
      "secret_fields": [
        {
          "field": "secret_access_key",
          "label": "Secret access key",
          "multiline": false
        },
        {
          "field": "session_token",
          "label": "Session token (temporary credentials)",
          "multiline": false
        }
      ],
      "browsable": true,
      "default_bucket": false,
      "blank": {
        "kind": "storage",
        "access_key_id": "",
        "region": "us-east-1",
        "endpoint_url": null,
        "verify_ssl": true,
        "allow_http": false,
        "ca_cert": null,
        "session_expires": null,
        "profile": null,
        "role": null
      }
    },
    {
      "kind": "azure",
      "tab": "Cloud Storage",
      "label": "Azure Blob Storage connection",
      "type_label": "Azure Blob / ADLS Gen2",
      "short_label": "Azure",
      "empty_help": "Save AWS S3, S3-compatible (MinIO…), Azure Blob or Google Cloud Storage credentials; other programs get them with patchbay env NAME.",
      "secret_fields": [
        {
          "field": "account_key",
          "label": "Account key",
          "multiline": false
        },
        {
          "field": "sas_token",
          "label": "SAS token",
          "multiline": false
        },
        {
          "field": "client_secret",
          "label": "Client secret",
          "multiline": false
        }
      ],
      "browsable": true,
      "default_bucket": true,
      "blank": {
        "kind": "azure",
        "account": "",
        "auth": "account_key",
        "container": null,
        "endpoint_url": null,
        "allow_http": false,
        "ca_cert": null,
        "tenant_id": null,
        "client_id": null,
        "authority_host": null,
        "sas_expires": null
      }
    },
    {
      "kind": "gcs",
      "tab": "Cloud Storage",
      "label": "Google Cloud Storage connection",
      "type_label": "Google Cloud Storage",
      "short_label": "GCS",
      "empty_help": "Save AWS S3, S3-compatible (MinIO…), Azure Blob or Google Cloud Storage credentials; other programs get them with patchbay env NAME.",
      "secret_fields": [
        {
          "field": "service_account_key",
          "label": "Service account key (JSON)",
          "multiline": true
        },
        {
          "field": "hmac_secret",
          "label": "HMAC secret",
          "multiline": false
        }
      ],
      "browsable": true,
      "default_bucket": true,
      "blank": {
        "kind": "gcs",
        "auth": "service_account",
        "project_id": null,
        "client_email": null,
        "bucket": null,
        "hmac_access_id": null,
        "endpoint_url": null,
        "allow_http": false,
        "ca_cert": null
      }
    },
    {
      "kind": "kafka",
      "tab": "Kafka",
      "label": "Kafka connection",
      "type_label": "Kafka",
      "short_label": "Kafka",
      "empty_help": "Save bootstrap servers, SASL and TLS settings, and an optional Schema Registry.",
      "secret_fields": [
        {
          "field": "sasl_password",
          "label": "SASL password",
          "multiline": false
        },
        {
          "field": "client_key",
          "label": "Client private key (PEM)",
          "multiline": true
        },
        {
          "field": "schema_registry_password",
          "label": "Schema Registry password",
          "multiline": false
        }
      ],
      "browsable": false,
      "default_bucket": false,
      "blank": {
        "kind": "kafka",
        "bootstrap_servers": "",
        "security_protocol": "PLAINTEXT",
        "sasl_mechanism": null,
        "sasl_username": null,
        "ca_cert": null,
        "client_cert": null,
        "schema_registry_url": null,
        "schema_registry_username": null,
        "schema_registry_allow_http": false
      }
    }
  ],
  "tabs": [
    {
      "id": "database",
      "title": "Database",
      "kinds": [
        "database"
      ],
      "empty_help": "Save a PostgreSQL or MySQL connection once, then use it by name: patchbay exec NAME -- psql."
    },
    {
      "id": "storage",
      "title": "Cloud Storage",
      "kinds": [
        "storage",
        "azure",
        "gcs"
      ],
      "empty_help": "Save AWS S3, S3-compatible (MinIO…), Azure Blob or Google Cloud Storage credentials; other programs get them with patchbay env NAME."
    },
    {
      "id": "kafka",
      "title": "Kafka",
      "kinds": [
        "kafka"
      ],
      "empty_help": "Save bootstrap servers, SASL and TLS settings, and an optional Schema Registry."
    }
  ],
  "azure_auths": [
    {
      "auth": "account_key",
      "label": "Account key",
      "secret_field": "account_key"
    },
    {
      "auth": "sas",
      "label": "SAS token",
      "secret_field": "sas_token"
    },
    {
      "auth": "service_principal",
      "label": "Service principal",
      "secret_field": "client_secret"
    },
    {
      "auth": "ambient",
      "label": "Azure CLI login / managed identity",
      "secret_field": null
    }
  ],
  "gcs_auths": [
    {
      "auth": "service_account",
      "label": "Service account key (JSON)",
      "secret_field": "service_account_key"
    },
    {
      "auth": "hmac",
      "label": "HMAC key (S3-interoperable)",
      "secret_field": "hmac_secret"
    },
    {
      "auth": "application_default",
      "label": "Application default credentials",
      "secret_field": null
    }
  ],
  "engines": [
    {
      "engine": "postgresql",
      "label": "PostgreSQL",
      "short_label": "PostgreSQL",
      "default_port": 5432
    },
    {
      "engine": "mysql",
      "label": "MySQL / MariaDB",
      "short_label": "MySQL",
      "default_port": 3306
    }
  ],
  "security_protocols": [
    {
      "protocol": "PLAINTEXT",
      "uses_sasl": false,
      "uses_tls": false
    },
    {
      "protocol": "SSL",
      "uses_sasl": false,
      "uses_tls": true
    },
    {
      "protocol": "SASL_PLAINTEXT",
      "uses_sasl": true,
      "uses_tls": false
    },
    {
      "protocol": "SASL_SSL",
      "uses_sasl": true,
      "uses_tls": true
    }
  ],
  "sasl_mechanisms": [
    "PLAIN",
    "SCRAM-SHA-256",
    "SCRAM-SHA-512"
  ],
  "ssl_modes": [
    {
      "mode": "disable",
      "verifies": false
    },
    {
      "mode": "prefer",
      "verifies": false
    },
    {
      "mode": "require",
      "verifies": false
    },
    {
      "mode": "verify-ca",
      "verifies": true
    },
    {
      "mode": "verify-full",
      "verifies": true
    }
  ],
  "production_tags": [
    "prod",
    "production",
    "prd",
    "live"
  ],
  "suggested_tags": [
    "dev",
    "staging",
    "prod"
  ]
};
