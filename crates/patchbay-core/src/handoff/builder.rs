//! `EnvBuilder`: what each kind's module calls to say which variables it sets (plain, secret,
//! files for `exec`, the ecosystem it claims, what a child must not inherit), honouring "without
//! secrets" the same way for every kind.

use super::{Handoff, OptionVar, Value};
use crate::model::Resolved;
use crate::model::SecretField;
use crate::secret::SecretString;

/// Builds a `Handoff` for one connection; each kind's module says which variables it sets.
pub struct EnvBuilder<'a> {
    pub(super) r: &'a Resolved,
    pub(super) with_secrets: bool,
    pub(super) h: Handoff,
}

impl<'a> EnvBuilder<'a> {
    /// A builder for `r`'s variables (or options), with its secrets only when `with_secrets`.
    pub(crate) fn new(r: &'a Resolved, with_secrets: bool) -> EnvBuilder<'a> {
        EnvBuilder {
            r,
            with_secrets,
            h: Handoff::default(),
        }
    }

    pub(crate) fn finish(self) -> Handoff {
        self.h
    }
}

impl EnvBuilder<'_> {
    pub fn plain(&mut self, k: &str, v: impl Into<String>) {
        self.h.vars.insert(k.to_string(), Value::Plain(v.into()));
    }

    /// A secret field's value; without secrets, named as withheld when the connection has it
    /// (whether or not the caller decrypted it).
    pub fn secret(&mut self, k: &str, field: SecretField) {
        if self.with_secrets {
            if let Some(v) = self.r.secret(field) {
                self.h.vars.insert(k.to_string(), Value::Secret(v.clone()));
            }
        } else if self.r.connection.has_secret(field) {
            self.h.withheld.push(k.to_string());
        }
    }

    /// A secret value built from the connection's secrets (a connection string); only made when
    /// secrets were asked for.
    pub fn derived_secret(&mut self, k: &str, value: String) {
        if self.with_secrets {
            self.h
                .vars
                .insert(k.to_string(), Value::Secret(SecretString::new(value)));
        }
    }

    /// Names `k` as withheld when the connection has `field` but secrets were not asked for.
    pub fn withheld_if_set(&mut self, k: &str, field: SecretField) {
        if !self.with_secrets && self.r.connection.has_secret(field) {
            self.h.withheld.push(k.to_string());
        }
    }

    /// A secret written to a private file for `exec` (`Value::SecretFile`); without secrets,
    /// named as withheld when the connection has it.
    pub fn secret_file(&mut self, k: &str, field: SecretField, name: &'static str) {
        if self.with_secrets {
            if let Some(v) = self.r.secret(field) {
                let content = v.clone();
                self.h
                    .vars
                    .insert(k.to_string(), Value::SecretFile { name, content });
            }
        } else if self.r.connection.has_secret(field) {
            self.h.withheld.push(k.to_string());
        }
    }

    /// Whether the connection has a value for `field` (whether or not secrets were asked for).
    pub fn has_secret(&self, field: SecretField) -> bool {
        // A saved one, or one minted for this hand-off (an AWS profile's session token).
        self.r.secret(field).is_some() || self.r.connection.has_secret(field)
    }

    /// PEM text that tools want as a file (`exec` writes it to a private temporary file).
    pub fn pem_file(&mut self, k: &str, pem: &str) {
        self.h
            .vars
            .insert(k.to_string(), Value::PemFile(pem.to_string()));
    }

    /// Something the user should know before a child uses the variables (see
    /// `Handoff::warnings`).
    pub fn warn(&mut self, text: String) {
        self.h.warnings.push(text);
    }

    /// Claims the caller's variables starting with `prefix` for this connection (see
    /// `Handoff::ecosystem`).
    pub fn ecosystem(&mut self, prefix: &'static str) {
        self.h.ecosystem.push(prefix);
    }

    /// An option file in a private directory, `k` naming the directory or the file (see
    /// `Value::OptionDir`); only when secrets were asked for, since it carries them.
    pub fn option_file(
        &mut self,
        k: &str,
        var: OptionVar,
        name: &'static str,
        content: SecretString,
        files: Vec<(&'static str, SecretString)>,
        paths: Vec<(&'static str, &'static str)>,
    ) {
        if self.with_secrets {
            self.h.vars.insert(
                k.to_string(),
                Value::OptionDir {
                    name,
                    content,
                    files,
                    paths,
                    var,
                },
            );
        }
    }

    /// Whether secrets were asked for (what `exec` asks for).
    pub fn with_secrets(&self) -> bool {
        self.with_secrets
    }

    /// Whether secrets were asked for, and the value of `field` then.
    pub fn secret_value(&self, field: SecretField) -> Option<&SecretString> {
        self.with_secrets.then(|| self.r.secret(field)).flatten()
    }

    /// A variable a child must not inherit.
    pub fn unset(&mut self, k: &str) {
        self.h.unset.push(k.to_string());
    }

    /// The connection's URL `u` (built by its kind, with the secret only when secrets were
    /// asked for), as a variable: a secret when it carries one.
    pub fn url(&mut self, k: &str, u: String, secret_in_it: Option<SecretField>) {
        let carries = self.with_secrets && secret_in_it.is_some_and(|f| self.r.secret(f).is_some());
        let v = if carries {
            Value::Secret(SecretString::new(u))
        } else {
            Value::Plain(u)
        };
        self.h.vars.insert(k.to_string(), v);
    }
}
