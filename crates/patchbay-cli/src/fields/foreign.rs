//! Which options belong to which kind: an option of another kind is refused (naming it) rather
//! than ignored, and at most one value may come from stdin.

use patchbay_core::model::*;
use patchbay_core::{Error, Result};

use super::FieldArgs;

impl FieldArgs {
    /// Options that belong to another kind are refused rather than ignored.
    pub(super) fn refuse_foreign(&self, kind: Kind) -> Result<()> {
        let db = [
            ("--host", self.host.is_some()),
            ("--port", self.port.is_some()),
            ("--database", self.database.is_some()),
            ("--user", self.user.is_some()),
            ("--ssl-mode", self.ssl_mode.is_some()),
            (
                "--password",
                self.password
                    || self.password_stdin
                    || self.password_secret.is_some()
                    || self.no_password,
            ),
        ];
        let s3 = [
            ("--access-key-id", self.access_key_id.is_some()),
            (
                "--secret-key",
                self.secret_key || self.secret_key_stdin || self.secret_key_secret.is_some(),
            ),
            ("--region", self.region.is_some()),
            ("--no-verify-ssl", self.no_verify_ssl || self.verify_ssl),
            (
                "--session-token",
                self.session_token || self.session_token_stdin || self.no_session_token,
            ),
            ("--session-expires", self.session_expires.is_some()),
            ("--aws-credentials-stdin", self.aws_credentials_stdin),
        ];
        let kafka = [
            ("--bootstrap", self.bootstrap.is_some()),
            ("--security-protocol", self.security_protocol.is_some()),
            ("--sasl-mechanism", self.sasl_mechanism.is_some()),
            ("--sasl-user", self.sasl_user.is_some()),
            (
                "--sasl-password",
                self.sasl_password
                    || self.sasl_password_stdin
                    || self.sasl_password_secret.is_some(),
            ),
            ("--client-cert", self.client_cert.is_some()),
            ("--client-key", self.client_key.is_some()),
            ("--schema-registry-url", self.schema_registry_url.is_some()),
            (
                "--schema-registry-user",
                self.schema_registry_user.is_some(),
            ),
            (
                "--schema-registry-password",
                self.schema_registry_password || self.schema_registry_password_stdin,
            ),
            (
                "--schema-registry-allow-http",
                self.schema_registry_allow_http || self.no_schema_registry_allow_http,
            ),
        ];
        // The object stores share the endpoint options.
        let stores = [
            ("--endpoint-url", self.endpoint_url.is_some()),
            ("--allow-http", self.allow_http || self.no_allow_http),
        ];
        let auth = [("--auth", self.auth.is_some())];
        let (azure, gcs, ssh) = (self.azure.used(), self.gcs.used(), self.ssh.used());
        let role = self.role.used();
        // Each kind's foreign options: every other kind's own, and the object stores' shared
        // ones for the kinds that are not object stores.
        let lists: &[&[(&str, bool)]] = match kind {
            Kind::Database => &[&s3, &role, &stores, &auth, &azure, &gcs, &kafka],
            Kind::S3 => &[&db, &auth, &azure, &gcs, &kafka, &ssh],
            Kind::Azure => &[&db, &s3, &role, &gcs, &kafka, &ssh],
            Kind::Gcs => &[&db, &s3, &role, &azure, &kafka, &ssh],
            Kind::Kafka => &[&db, &s3, &role, &stores, &auth, &azure, &gcs, &ssh],
        };
        let foreign: Vec<&(&str, bool)> = lists.iter().copied().flatten().collect();
        let foreign: Vec<&str> = foreign
            .into_iter()
            .filter(|(_, used)| *used)
            .map(|(flag, _)| *flag)
            .collect();
        if let Some(flag) = foreign.first() {
            return Err(Error::invalid(
                flag.trim_start_matches('-'),
                format!("{flag} does not apply to {}", kind.a_label()),
            ));
        }
        let stdin_users = [
            self.password_stdin,
            self.secret_key_stdin,
            self.sasl_password_stdin,
            self.schema_registry_password_stdin,
            self.session_token_stdin,
            self.aws_credentials_stdin,
        ];
        let (azure_stdin, gcs_stdin) = (self.azure.stdin_users(), self.gcs.stdin_users());
        let ssh_stdin = self.ssh.stdin_users();
        let users = stdin_users
            .iter()
            .chain(&azure_stdin)
            .chain(&gcs_stdin)
            .chain(&ssh_stdin);
        if users.filter(|b| **b).count() > 1 {
            return Err(Error::invalid(
                "stdin",
                "only one value can come from stdin; use a prompt or a saved secret for the others",
            ));
        }
        Ok(())
    }
}
