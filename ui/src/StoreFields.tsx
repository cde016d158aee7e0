// The object stores' fields in the connection form (S3, Azure Blob, Google Cloud Storage): which
// fields each auth mode shows, as the core's kind descriptions say. The form passes its
// field renderers in.
import type { ComponentChildren } from "preact";
import type { SecretField } from "./gen/bindings";
import type { Fields, FormState } from "./form";
import { KINDS } from "./gen/kinds";

export interface Renderers {
  text: (name: string, label: string, props?: { placeholder?: string; type?: string; help?: string }) => ComponentChildren;
  select: (name: string, label: string, options: [string, string][], onChange?: (v: string) => void) => ComponentChildren;
  secret: (f: SecretField) => ComponentChildren;
  check: (name: string, label: string) => ComponentChildren;
  area: (name: string, label: string, placeholder: string) => ComponentChildren;
}

/** The fields of an object store's form; nothing for the other kinds. */
export function storeFields(s: FormState, f: Fields, { text, select, secret, check, area }: Renderers) {
  return (
    <>
    {s.kind === "storage" && (
      <>
        {select("s3_auth", "Credentials", [["keys", "Access keys"], ["profile", "AWS profile (~/.aws/config)"], ["source", "Another saved S3 connection (assumes a role with it)"]])}
        {f.s3_auth === "profile"
          ? text("profile", "Profile", { placeholder: "the NAME of [profile NAME]", help: "Each use asks the AWS SDK for this profile's credentials (keys, a role, credential_process, SSO); none are saved here." })
          : f.s3_auth === "source"
          ? text("role_source", "Saved connection", { placeholder: "the name of a saved S3 connection", help: "Its credentials assume the role below; this connection keeps none of its own." })
          : <>
            {text("access_key_id", "Access key id")}
            {secret("secret_access_key")}
            {secret("session_token")}
            {(s.saved.includes("session_token") || (s.secrets.session_token ?? "") !== "" || f.session_expires) &&
              text("session_expires", "Session expires", { placeholder: "2026-12-01T16:00:00Z (as AWS prints it)" })}
          </>}
        {f.s3_auth !== "source" && <div class="field checks">{check("role_on", "Assume an IAM role with these credentials")}</div>}
        {(f.role_on === true || f.s3_auth === "source") && (
          <>
            {text("role_arn", "Role ARN", { placeholder: "arn:aws:iam::123456789012:role/analyst" })}
            {text("external_id", "External ID", { placeholder: "optional: when the role's trust policy asks for one" })}
            {text("mfa_serial", "MFA device", { placeholder: "optional: arn:aws:iam::123456789012:mfa/you", help: "Its code is asked when a session is minted (Test asks for it); the session is kept until it expires." })}
            {text("session_name", "Session name", { placeholder: "patchbay" })}
            {text("duration_seconds", "Session length (seconds)", { placeholder: "3600 (900 to 43200)" })}
          </>
        )}
        {text("region", "Region")}
        {text("endpoint_url", "Custom endpoint URL", { placeholder: "https://minio.internal:9000 (empty for AWS)" })}
        <div class="field checks">
          {check("verify_ssl", "Verify SSL certificate")}
          {check("allow_http", "Allow unsafe HTTP")}
        </div>
        {f.verify_ssl === true && area("ca_cert", "CA certificate (PEM, for a store behind a private CA)", "-----BEGIN CERTIFICATE-----")}
      </>
    )}
    {s.kind === "azure" && (
      <>
        {text("account", "Storage account", { placeholder: "mystore (from mystore.blob.core.windows.net)" })}
        {select("auth", "Authentication", KINDS.azure_auths.map((a): [string, string] => [a.auth, a.label]))}
        {(() => {
          const field = KINDS.azure_auths.find((a) => a.auth === f.auth)?.secret_field;
          return field ? secret(field) : <small class="help wide">Uses your Azure CLI login (az login) or the machine's managed identity; nothing secret is saved.</small>;
        })()}
        {f.auth === "service_principal" && (
          <>
            {text("tenant_id", "Tenant id", { placeholder: "00000000-0000-0000-0000-000000000000" })}
            {text("client_id", "Client id", { placeholder: "00000000-0000-0000-0000-000000000000" })}
            {text("authority_host", "Authority host", { placeholder: "https://login.microsoftonline.com (empty for Azure public)" })}
          </>
        )}
        {text("container", "Container", { placeholder: "optional; required for a container SAS" })}
        {text("endpoint_url", "Custom endpoint URL", { placeholder: "https://mystore.blob.core.chinacloudapi.cn (empty for Azure)" })}
        <div class="field checks">{check("allow_http", "Allow unsafe HTTP")}</div>
        {area("ca_cert", "CA certificate (PEM, for an endpoint behind a private CA)", "-----BEGIN CERTIFICATE-----")}
        {f.sas_expires && f.auth === "sas" && <small class="help wide" data-testid="sas-expires">The saved SAS expires {String(f.sas_expires)}.</small>}
      </>
    )}
    {s.kind === "gcs" && (
      <>
        {select("auth", "Authentication", KINDS.gcs_auths.map((a): [string, string] => [a.auth, a.label]))}
        {(() => {
          const field = KINDS.gcs_auths.find((a) => a.auth === f.auth)?.secret_field;
          return field ? secret(field) : <small class="help wide">Uses GOOGLE_APPLICATION_CREDENTIALS or your gcloud application-default login; nothing secret is saved.</small>;
        })()}
        {f.auth === "hmac" && text("hmac_access_id", "HMAC access id", { placeholder: "GOOG1…" })}
        {f.client_email && f.auth === "service_account" && <small class="help wide" data-testid="client-email">Service account {String(f.client_email)}</small>}
        {text("project_id", "Project id", { placeholder: "my-project-123 (read from the key when empty)" })}
        {text("bucket", "Bucket", { placeholder: "optional" })}
        {text("endpoint_url", "Custom endpoint URL", { placeholder: "https://storage.googleapis.com (empty for Google)" })}
        <div class="field checks">{check("allow_http", "Allow unsafe HTTP")}</div>
        {area("ca_cert", "CA certificate (PEM, for an endpoint behind a private CA)", "-----BEGIN CERTIFICATE-----")}
      </>
    )}
    </>
  );
}
