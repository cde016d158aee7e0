//! Handing a saved connection over: its URL or its environment, with or without its secrets.
//! The window's Copy, the tray's Copy and the CLI's `url`/`env` all come through here, so "without
//! secrets" means the same everywhere: every non-secret variable (including `DATABASE_URL`
//! without its password), and the secret ones named as withheld.

use serde::Serialize;
use ts_rs::TS;

use super::Desk;
use crate::catalog::Resolved;
use crate::error::{Error, Result};
use crate::handoff::Handoff;
use crate::model::{Kind, SecretField};

/// What a front end asks to hand over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoffKind {
    Url,
    UrlWithPassword,
    Env,
    EnvWithSecrets,
}

impl HandoffKind {
    pub fn parse(what: &str) -> Result<HandoffKind> {
        Ok(match what {
            "url" => HandoffKind::Url,
            "url_with_password" => HandoffKind::UrlWithPassword,
            "env" => HandoffKind::Env,
            "env_with_secrets" => HandoffKind::EnvWithSecrets,
            other => {
                return Err(Error::invalid(
                    "what",
                    format!("\"{other}\" is not something to copy; use url, url_with_password, env, env_with_secrets or snippet:ID"),
                ))
            }
        })
    }

    pub fn with_secrets(self) -> bool {
        matches!(
            self,
            HandoffKind::UrlWithPassword | HandoffKind::EnvWithSecrets
        )
    }

    fn label(self) -> &'static str {
        match self {
            HandoffKind::Url => "URL (without password)",
            HandoffKind::UrlWithPassword => "URL with password",
            HandoffKind::Env => "environment variables (without secrets)",
            HandoffKind::EnvWithSecrets => "environment variables with secrets",
        }
    }
}

/// What "copy" put on the clipboard (never the text itself).
#[derive(Debug, Clone, Serialize, TS)]
pub struct Copied {
    pub what: String,
    pub includes_secrets: bool,
    /// Seconds until the clipboard is cleared (copies with secrets), if it will be.
    pub clears_in_seconds: Option<u32>,
}

impl Desk {
    /// The connection as a hand-off sees it: decrypted secrets only when they are asked for
    /// (without them no key is needed).
    pub fn handoff_source(
        &self,
        kind: Option<Kind>,
        name: &str,
        with_secrets: bool,
    ) -> Result<Resolved> {
        let r = {
            let cat = self.cat();
            if with_secrets {
                cat.resolve(kind, name)?
            } else {
                Resolved::new(cat.get(kind, name)?, Default::default())
            }
        };
        self.used(r.connection.id);
        Ok(r)
    }

    /// The variables for `env`/`exec`.
    pub fn environment(
        &self,
        kind: Option<Kind>,
        name: &str,
        with_secrets: bool,
    ) -> Result<Handoff> {
        Ok(crate::kinds::env(
            &self.handoff_source(kind, name, with_secrets)?,
            with_secrets,
        ))
    }

    /// The URL (with its password only when asked for).
    pub fn url(&self, kind: Option<Kind>, name: &str, with_password: bool) -> Result<String> {
        Ok(crate::kinds::url(
            &self.handoff_source(kind, name, with_password)?,
            with_password,
        ))
    }

    /// The saved S3 connection `name` as an AWS `credential_process` answer (JSON, version 1):
    /// its keys, or the session its AWS profile or role gives now. `endpoint`: the endpoint the AWS
    /// profile sends the keys to, as its command line states it (see
    /// `kinds::s3::credential_process`).
    pub async fn aws_credentials(
        &self,
        name: &str,
        endpoint: Option<&str>,
        mfa_code: Option<&str>,
    ) -> Result<zeroize::Zeroizing<String>> {
        let r = self.resolve(Kind::S3, name)?;
        let r = self.with_minted(r, mfa_code).await?;
        self.used(r.connection.id);
        let crate::model::Spec::S3(s) = &r.connection.spec else {
            unreachable!("resolved as a storage connection")
        };
        let secret = |f: SecretField| r.secret(f).map(|v| v.expose());
        let c = crate::kinds::s3::credential_process(
            &r.connection.name,
            s,
            secret(SecretField::SecretAccessKey),
            secret(SecretField::SessionToken),
            endpoint,
            crate::clock::now_ms(),
        )?;
        Ok(zeroize::Zeroizing::new(
            serde_json::to_string(&c).expect("plain JSON"),
        ))
    }

    /// Code snippets that use the connection through `patchbay exec` (no secret in them).
    pub fn snippets(&self, kind: Kind, name: &str) -> Result<Vec<crate::snippets::Snippet>> {
        let c = self.get(kind, name)?;
        let choices = crate::kinds::snippet_choices(&c.spec);
        Ok(crate::snippets::for_connection(&c, choices))
    }

    /// The snippet `id` of a connection, or an error that names the ones it has.
    pub fn snippet(&self, kind: Kind, name: &str, id: &str) -> Result<crate::snippets::Snippet> {
        pick_snippet(self.snippets(kind, name)?, name, id)
    }

    /// The text for "copy as URL / as environment" (shell lines): returned to the Rust caller
    /// only, which puts it on the clipboard, never into the web view.
    pub fn copy_text(&self, kind: Kind, name: &str, what: &str) -> Result<(String, Copied)> {
        if let Some(id) = what.strip_prefix("snippet:") {
            return Ok(snippet_copy(self.snippet(kind, name, id)?));
        }
        let what = HandoffKind::parse(what)?;
        // Refused before the secrets are opened (and before the connection counts as used).
        if what.with_secrets() {
            nothing_saved_to_copy(&self.get(kind, name)?)?;
        }
        let r = self.handoff_source(Some(kind), name, what.with_secrets())?;
        Ok((handoff_text(&r, what), copied(what)))
    }
}

/// The snippet `id` among `all` (the snippets of `name`), or an error that names the ones it has.
pub fn pick_snippet(
    all: Vec<crate::snippets::Snippet>,
    name: &str,
    id: &str,
) -> Result<crate::snippets::Snippet> {
    let ids: Vec<String> = all.iter().map(|s| s.id.clone()).collect();
    all.into_iter().find(|s| s.id == id).ok_or_else(|| {
        let choose = ids.join(", ");
        Error::invalid(
            "id",
            format!("{name} has no \"{id}\" snippet; choose one of {choose}"),
        )
    })
}

/// A snippet copied: its code, and what the copy says it is (it holds no secret).
pub(super) fn snippet_copy(s: crate::snippets::Snippet) -> (String, Copied) {
    let what = format!(
        "{} snippet (it reads its credentials from patchbay exec)",
        s.label
    );
    let c = Copied {
        what,
        includes_secrets: false,
        clears_in_seconds: None,
    };
    (s.code, c)
}

/// What a copy of `what` says it put on the clipboard.
pub(super) fn copied(what: HandoffKind) -> Copied {
    Copied {
        what: what.label().into(),
        includes_secrets: what.with_secrets(),
        clears_in_seconds: None,
    }
}

/// A connection by an AWS profile has no secret of its own to copy with it: it gets a session
/// from the profile each time it is used.
pub(super) fn nothing_saved_to_copy(c: &crate::model::Connection) -> Result<()> {
    match &c.spec {
        crate::model::Spec::S3(s) => match &s.profile {
            Some(p) => Err(Error::invalid(
                "what",
                format!("{} gets a session from AWS profile {p} each time it is used, so no secret is saved to copy: patchbay exec {} hands the session to a program", c.name, c.name),
            )),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The text Copy puts on the clipboard for `r` (a URL, or shell lines of its environment).
pub(super) fn handoff_text(r: &Resolved, what: HandoffKind) -> String {
    let with_secrets = what.with_secrets();
    match what {
        HandoffKind::Url | HandoffKind::UrlWithPassword => crate::kinds::url(r, with_secrets),
        HandoffKind::Env | HandoffKind::EnvWithSecrets => crate::kinds::env(r, with_secrets)
            .shell_lines(false)
            .join("\n"),
    }
}

/// What "Open in terminal" started.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Opened {
    /// The terminal program ("xterm").
    pub terminal: String,
    /// The client it runs ("psql", or "a shell").
    pub client: String,
    /// Said when a shell stands in for a missing client.
    pub note: Option<String>,
}

impl Desk {
    /// Opens the user's terminal running the connection's client through `patchbay exec` (see
    /// `terminal.rs`): the secrets go to the client's environment only.
    pub fn open_in_terminal(&self, kind: Kind, name: &str) -> Result<Opened> {
        let c = self.get(kind, name)?;
        if let crate::keys::KeySource::Given { origin, .. } = self.key_source() {
            return Err(Error::invalid(
                "terminal",
                format!("the terminal runs patchbay exec, which cannot open the store with the key given in {origin} (that key stays in this process): keep the key in the keychain or a key file"),
            ));
        }
        let opened = launch(None, &c)?;
        self.used(c.id);
        Ok(opened)
    }
}

/// Starts the user's terminal running `patchbay exec` for `c` (kept in `team`, or locally).
pub(super) fn launch(team: Option<&str>, c: &crate::model::Connection) -> Result<Opened> {
    let patchbay = crate::process::sibling("patchbay").ok_or_else(|| {
        Error::invalid(
            "terminal",
            "the patchbay command is not installed (next to the app or on PATH)",
        )
    })?;
    let terminal_var = std::env::var("TERMINAL").ok();
    let launch = crate::terminal::plan(
        team,
        c.kind,
        &c.name,
        &c.spec,
        &patchbay,
        terminal_var.as_deref(),
        &crate::terminal::which,
    )?;
    crate::terminal::start(&launch)?;
    Ok(Opened {
        terminal: launch
            .terminal
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default(),
        client: launch.client,
        note: launch.note,
    })
}
