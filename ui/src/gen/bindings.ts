// Generated from the Rust types in crates/patchbay-core by tests/core/bindings.rs. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p patchbay-core --test core bindings` instead.

export type Kind = "database" | "storage" | "azure" | "gcs" | "kafka";

export type SecretField = "password" | "secret_access_key" | "session_token" | "account_key" | "sas_token" | "client_secret" | "service_account_key" | "hmac_secret" | "sasl_password" | "client_key" | "schema_registry_password" | "ssh_password" | "ssh_private_key" | "ssh_passphrase";

export type DbEngine = "postgresql" | "mysql";

export type SslMode = "disable" | "prefer" | "require" | "verify-ca" | "verify-full";

export type SecurityProtocol = "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";

export type SaslMechanism = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";

export type DatabaseSpec = { engine: DbEngine, host: string, 
/**
 * 1–65535; forms fill in the engine's default (5432 / 3306).
 */
port: number, database: string, username: string, ssl_mode: SslMode, 
/**
 * PEM text of the CA that signs the server's certificate (for verify-ca / verify-full).
 */
ca_cert: string | null, 
/**
 * Reached through an SSH bastion: `host` and `port` are then the database as the bastion
 * sees it.
 */
ssh?: SshTunnel | null, };

export type SshTunnel = { host: string, 
/**
 * 1–65535 (22 unless given).
 */
port: number, user: string, auth: SshAuth, 
/**
 * The private key's file (key auth); without one the key itself is a saved secret.
 */
key_file: string | null, 
/**
 * Jump hosts to go through first, in order (`ssh -J`): each reaches the next.
 */
jump?: Array<SshHop>, };

export type SshHop = { host: string, port: number, user: string, auth: SshAuth, key_file: string | null, };

export type SshAuth = "key" | "password" | "agent";

export type S3Spec = { access_key_id: string, region: string, 
/**
 * A custom endpoint for S3-compatible stores (MinIO…); requests then use path-style.
 */
endpoint_url: string | null, verify_ssl: boolean, 
/**
 * An `http://` endpoint is refused unless this is on.
 */
allow_http: boolean, 
/**
 * PEM text of the CA that signs the endpoint's certificate (a store behind a private CA).
 */
ca_cert: string | null, 
/**
 * When temporary credentials (with a session token) stop working, RFC 3339 in UTC.
 */
session_expires: string | null, 
/**
 * A named profile of the AWS CLI's files (~/.aws/config, AWS_CONFIG_FILE): the credentials
 * come from the AWS SDK's provider chain for it each time they are used (static keys, a
 * role from a source profile, credential_process, SSO), and none are saved here.
 */
profile: string | null, 
/**
 * An IAM role assumed (STS AssumeRole) with the connection's keys, its profile, or another
 * saved S3 connection's credentials; the sessions it mints are what requests are signed with.
 */
role: AssumeRole | null, };

export type AssumeRole = { 
/**
 * `arn:aws:iam::ACCOUNT:role/NAME`.
 */
role_arn: string, 
/**
 * The external ID the role's trust policy asks for (`sts:ExternalId`), when it asks one.
 */
external_id: string | null, 
/**
 * The session's name, shown in CloudTrail and in the assumed role's ARN ("patchbay" when none).
 */
session_name: string | null, 
/**
 * How long a minted session lasts, 900 to 43,200 seconds (3,600 when none).
 */
duration_seconds: number | null, 
/**
 * The MFA device (its ARN or serial) whose code the role asks for; the code is asked each
 * time a session is minted, never saved.
 */
mfa_serial: string | null, 
/**
 * A saved S3 connection whose credentials assume the role; none: this connection's own keys
 * or profile.
 */
source: string | null, };

export type AzureAuth = "account_key" | "sas" | "service_principal" | "ambient";

export type AzureSpec = { 
/**
 * The storage account's name (3–24 lowercase letters and digits).
 */
account: string, auth: AzureAuth, 
/**
 * A container to check and hand over (required for a container-scoped SAS).
 */
container: string | null, 
/**
 * The Blob service URL when it is not `https://ACCOUNT.blob.core.windows.net` (sovereign
 * clouds, private endpoints, Azurite's `http://127.0.0.1:10000/ACCOUNT`).
 */
endpoint_url: string | null, 
/**
 * An `http://` endpoint is refused unless this is on.
 */
allow_http: boolean, 
/**
 * PEM text of the CA that signs the endpoint's certificate.
 */
ca_cert: string | null, 
/**
 * Service principal: the directory (tenant) id.
 */
tenant_id: string | null, 
/**
 * Service principal: the application (client) id.
 */
client_id: string | null, 
/**
 * Where tokens come from when it is not `https://login.microsoftonline.com` (sovereign
 * clouds).
 */
authority_host: string | null, 
/**
 * When the saved SAS stops working (its `se`), read from it when saved; RFC 3339.
 */
sas_expires: string | null, };

export type GcsAuth = "service_account" | "hmac" | "application_default";

export type GcsSpec = { auth: GcsAuth, 
/**
 * The project whose buckets are listed (read from the service account key when empty).
 */
project_id: string | null, 
/**
 * The service account the saved key belongs to (read from the key when it is saved).
 */
client_email: string | null, 
/**
 * A bucket to check and hand over.
 */
bucket: string | null, 
/**
 * HMAC mode: the key's access id (GOOG…).
 */
hmac_access_id: string | null, 
/**
 * Another endpoint than `https://storage.googleapis.com` (an emulator, a private endpoint).
 */
endpoint_url: string | null, 
/**
 * An `http://` endpoint is refused unless this is on.
 */
allow_http: boolean, 
/**
 * PEM text of the CA that signs the endpoint's certificate.
 */
ca_cert: string | null, };

export type KafkaSpec = { 
/**
 * Comma-separated `host:port` list.
 */
bootstrap_servers: string, security_protocol: SecurityProtocol, sasl_mechanism: SaslMechanism | null, sasl_username: string | null, 
/**
 * PEM text of the CA that signs the brokers' certificates.
 */
ca_cert: string | null, 
/**
 * PEM text of the client certificate (its key is a secret field).
 */
client_cert: string | null, schema_registry_url: string | null, schema_registry_username: string | null, 
/**
 * Whether a registry URL with basic-auth credentials may use plain `http://` (the password
 * then travels unencrypted): chosen explicitly, like S3's `allow_http`.
 */
schema_registry_allow_http: boolean, };

export type Spec = { "kind": "database" } & DatabaseSpec | { "kind": "storage" } & S3Spec | { "kind": "azure" } & AzureSpec | { "kind": "gcs" } & GcsSpec | { "kind": "kafka" } & KafkaSpec;

export type SecretInput = { "mode": "keep" } | { "mode": "clear" } | { "mode": "value", value: string, } | { "mode": "secret", name: string, };

export type ConnectionDraft = { name: string, env_tag: string | null, spec: Spec, secrets: Partial<Record<SecretField, SecretInput>>, 
/**
 * When editing: the user confirmed that saved secrets left as "keep" go to the changed
 * endpoint (see `catalog::kept`). Never needed for a check, which refuses instead.
 */
confirm_kept_secrets: boolean, };

export type SecretSource = { "source": "owned" } | { "source": "shared", name: string, };

export type SecretSlot = { field: SecretField, } & ({ "source": "owned" } | { "source": "shared", name: string, });

export type Connection = { id: number, name: string, kind: Kind, env_tag: string | null, spec: Spec, 
/**
 * The secret fields that have a value.
 */
secrets: Array<SecretSlot>, 
/**
 * Why the way this connection travels is not fully protected (no TLS, TLS that may fall
 * back, a certificate not verified), for marking it; None when TLS is verified.
 */
transport_warning: string | null, 
/**
 * Credentials that have expired or expire soon (a session token, a SAS), in words.
 */
credential_warning: string | null, 
/**
 * Milliseconds since the Unix epoch.
 */
created_at: number, updated_at: number, };

export type SecretInfo = { name: string, description: string | null, 
/**
 * The connections whose fields point at this secret, as "kind/name".
 */
used_by: Array<string>, 
/**
 * Milliseconds since the Unix epoch.
 */
created_at: number, updated_at: number, };

export type ErrorPayload = { code: string, message: string, field?: string, };

export type StepName = "ssh_tcp" | "ssh_handshake" | "ssh_host_key" | "ssh_auth" | "ssh_forward" | "credentials" | "identity" | "assume_role" | "mfa_code" | "sso_login" | "dns" | "tcp" | "tls" | "auth" | "query" | "request" | "metadata" | "advertised" | "registry" | "seal";

export type Step = { name: StepName, ok: boolean, ms: number, detail: string | null, };

export type Fact = { label: string, value: string, };

export type Verdict = { name: string, kind: Kind, target: string, ok: boolean, failed_step: StepName | null, 
/**
 * One line: what happened.
 */
message: string, 
/**
 * The underlying error text, when there is one.
 */
error: string | null, 
/**
 * What to do about it.
 */
hint: string | null, steps: Array<Step>, facts: Array<Fact>, total_ms: number, 
/**
 * Milliseconds since the Unix epoch.
 */
checked_at: number, };

export type CheckSummary = { ok: boolean, failed_step: string | null, message: string, total_ms: number, 
/**
 * Milliseconds since the Unix epoch.
 */
checked_at: number, 
/**
 * Made against another target than the connection has now (an edit changed it since).
 */
stale: boolean, };

export type Pasted = { spec: Spec, 
/**
 * A name to suggest (the database, or the host's first label).
 */
suggested_name: string, 
/**
 * Whether the URL carried a password (the form takes it from the pasted text itself).
 */
has_password: boolean, 
/**
 * Where a secret stands in the pasted text (an account key in a connection string, a SAS
 * in a URL), for the form to take from the text it holds; never the value itself.
 */
secret: PastedSecret | null, };

export type PastedSecret = { field: SecretField, start: number, end: number, };

export type Snippet = { 
/**
 * "psycopg", "sqlalchemy", "boto3"…
 */
id: string, 
/**
 * "Python: psycopg".
 */
label: string, code: string, };

export type Place = { 
/**
 * The bucket (S3, GCS) or container (Azure); none lists the buckets.
 */
bucket?: string, 
/**
 * What the names under the bucket start with: "" or a prefix ending in "/".
 */
prefix: string, };

export type EntryKind = "bucket" | "prefix" | "object";

export type Entry = { kind: EntryKind, 
/**
 * The whole name: a bucket's, a prefix's (ending in "/") or an object's key, exactly as
 * stored (give it back to list inside it).
 */
name: string, 
/**
 * The last part of the name for a person: control and direction characters escaped, very
 * long names cut in the middle (`names::shown`).
 */
shown: string, 
/**
 * Bytes (a JavaScript number holds every size a store allows exactly).
 */
size?: number, 
/**
 * When it was last written (a bucket: created), RFC 3339 as the store gave it.
 */
modified?: string, 
/**
 * The storage class or access tier, where the store says it.
 */
storage_class?: string, };

export type Uri = { 
/**
 * Who reads it: "aws cli, boto3, DuckDB", "Spark (ABFS)", …
 */
tools: string, uri: string, };

export type Page = { place: Place, 
/**
 * Buckets, or prefixes first and then objects, in the store's order.
 */
entries: Array<Entry>, 
/**
 * Where the next page starts (give it back as `after`); none on the last page.
 */
next?: string, 
/**
 * The place as the tools that read it name it (none for the store's buckets).
 */
uris: Array<Uri>, 
/**
 * Said about the listing rather than its entries: "these credentials may not list
 * buckets: type one" — then the entries are the buckets already known to work.
 */
note?: string, };
