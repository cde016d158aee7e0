//! What a check reports: overall ok or failed, the step that failed, a short message, the
//! underlying error, a hint a person can act on, every step with its time, and facts learned on
//! the way (server version, TLS version, brokers…). `Recorder` builds it step by step, bounds
//! every step by the check's deadline, and scrubs secret values from every string it returns.

use std::future::Future;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;
use ts_rs::TS;

use crate::model::Kind;

/// The stages a check goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    /// TCP connection to the SSH bastion.
    SshTcp,
    /// The SSH protocol's greeting and key exchange.
    SshHandshake,
    /// The bastion's host key, against known_hosts and Patchbay's own list.
    SshHostKey,
    /// Logging in to the bastion.
    SshAuth,
    /// The bastion opening the connection to the database (`direct-tcpip`).
    SshForward,
    /// Credentials from an AWS profile, through the AWS SDK's provider chain.
    Credentials,
    /// Who the credentials are (STS GetCallerIdentity).
    Identity,
    /// An IAM role assumed (STS AssumeRole), or the session minted earlier for it.
    AssumeRole,
    /// The MFA code a role asks for to mint a session (given, or missing).
    MfaCode,
    /// An IAM Identity Center profile's sign-in (there, and not expired).
    SsoLogin,
    /// Name lookup of the host.
    Dns,
    /// TCP connection to the port.
    Tcp,
    /// TLS handshake and certificate verification.
    Tls,
    /// Logging in.
    Auth,
    /// A trivial query after logging in.
    Query,
    /// A signed request to an object store.
    Request,
    /// Kafka metadata through the bootstrap servers.
    Metadata,
    /// Reaching the brokers at the addresses they advertise.
    Advertised,
    /// The Schema Registry.
    Registry,
    /// The connection's seal, verified before anything is sent: a connection changed outside
    /// Patchbay fails here.
    Seal,
}

impl StepName {
    pub fn as_str(self) -> &'static str {
        match self {
            StepName::SshTcp => "ssh_tcp",
            StepName::SshHandshake => "ssh_handshake",
            StepName::SshHostKey => "ssh_host_key",
            StepName::SshAuth => "ssh_auth",
            StepName::SshForward => "ssh_forward",
            StepName::Dns => "dns",
            StepName::Tcp => "tcp",
            StepName::Tls => "tls",
            StepName::Auth => "auth",
            StepName::Query => "query",
            StepName::Request => "request",
            StepName::Metadata => "metadata",
            StepName::Advertised => "advertised",
            StepName::Registry => "registry",
            StepName::Credentials => "credentials",
            StepName::Identity => "identity",
            StepName::AssumeRole => "assume_role",
            StepName::MfaCode => "mfa_code",
            StepName::SsoLogin => "sso_login",
            StepName::Seal => "seal",
        }
    }
}

/// One step as it went.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Step {
    pub name: StepName,
    pub ok: bool,
    pub ms: f64,
    pub detail: Option<String>,
}

/// Something learned during the check.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// The outcome of one check.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Verdict {
    pub name: String,
    pub kind: Kind,
    pub target: String,
    pub ok: bool,
    pub failed_step: Option<StepName>,
    /// One line: what happened.
    pub message: String,
    /// The underlying error text, when there is one.
    pub error: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
    pub steps: Vec<Step>,
    pub facts: Vec<Fact>,
    pub total_ms: f64,
    /// Milliseconds since the Unix epoch.
    #[ts(type = "number")]
    pub checked_at: i64,
}

impl Verdict {
    /// The verdict on a connection that was refused before anything was sent (its seal did
    /// not hold): `message` says why.
    pub fn refused(c: &crate::model::Connection, target: String, message: String) -> Verdict {
        Verdict {
            name: c.name.clone(),
            kind: c.kind,
            target,
            ok: false,
            failed_step: Some(StepName::Seal),
            message,
            error: None,
            // The message says what to do.
            hint: None,
            steps: vec![Step {
                name: StepName::Seal,
                ok: false,
                ms: 0.0,
                detail: None,
            }],
            facts: Vec::new(),
            total_ms: 0.0,
            checked_at: crate::clock::now_ms(),
        }
    }
}

/// Why a step failed.
#[derive(Debug, Clone)]
pub struct Failure {
    pub step: StepName,
    pub message: String,
    pub error: Option<String>,
    pub hint: Option<String>,
}

impl Failure {
    pub fn new(step: StepName, message: impl Into<String>) -> Failure {
        Failure {
            step,
            message: message.into(),
            error: None,
            hint: None,
        }
    }

    pub fn error(mut self, error: impl std::fmt::Display) -> Failure {
        self.error = Some(error.to_string());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }

    /// The failure in one sentence, with what to do: for an error outside a verdict.
    pub fn in_words(self) -> String {
        match self.hint {
            Some(h) => format!("{}: {h}", self.message),
            None => self.message,
        }
    }
}

/// What to suggest when a step gets no answer in time.
fn timeout_hint(step: StepName) -> &'static str {
    match step {
        StepName::SshTcp => "nothing answered at the bastion's SSH port: a firewall may be dropping packets, or the host is down",
        StepName::SshHandshake => "the port accepted the connection but no SSH server answered: is this the bastion's SSH port?",
        StepName::SshHostKey => "the bastion did not finish the key exchange",
        StepName::SshAuth => "the bastion did not answer the login",
        StepName::SshForward => "the bastion did not open the connection to the database: it may be unreachable from the bastion",
        StepName::Dns => "the name server did not answer; check your network, DNS or VPN",
        StepName::Tcp => "nothing answered the connection: a firewall may be dropping packets, or the host is down",
        StepName::Tls => "the server accepted the connection but did not complete a TLS handshake: is this port really TLS?",
        StepName::Auth => "the server accepted the connection but never answered the login: is this the right port for this kind of server?",
        StepName::Query => "the server is logged in but the query did not return: the server may be overloaded",
        StepName::Request => "the endpoint accepted the connection but did not answer the request: is it an S3 endpoint?",
        StepName::Metadata => "the brokers did not answer: check the security protocol (TLS or SASL expected?) and the bootstrap ports",
        StepName::Advertised => "the advertised broker addresses did not answer",
        StepName::Registry => "the Schema Registry did not answer: check its URL",
        StepName::Seal => "the store did not answer",
        StepName::Credentials => "the AWS SDK got no credentials in time: a role's STS endpoint, a credential_process or an SSO login may be hanging",
        StepName::Identity => "STS did not answer GetCallerIdentity: check the region and the endpoint",
        StepName::AssumeRole => "STS did not answer AssumeRole in time: check the region and the endpoint",
        StepName::MfaCode => "no MFA code was given in time",
        StepName::SsoLogin => "the IAM Identity Center sign-in could not be read in time",
    }
}

/// "10" for 10 s, "1.5" for 1.5 s.
fn trim_secs(d: Duration) -> String {
    let s = format!("{:.1}", d.as_secs_f64());
    s.trim_end_matches(".0").to_string()
}

/// Builds a verdict step by step.
pub struct Recorder {
    started: Instant,
    deadline: Instant,
    timeout: Duration,
    steps: Vec<Step>,
    facts: Vec<Fact>,
    /// The secrets to scrub from outside text, zeroized when the check ends.
    secrets: Vec<zeroize::Zeroizing<String>>,
}

impl Recorder {
    pub fn new(timeout: Duration, secrets: Vec<zeroize::Zeroizing<String>>) -> Recorder {
        let started = Instant::now();
        Recorder {
            started,
            deadline: started + timeout,
            timeout,
            steps: Vec::new(),
            facts: Vec::new(),
            secrets,
        }
    }

    /// Time left before the check's deadline.
    pub fn remaining(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// Runs one step under the deadline and records it.
    pub async fn step<T>(
        &mut self,
        name: StepName,
        fut: impl Future<Output = Result<(T, Option<String>), Failure>>,
    ) -> Result<T, Failure> {
        self.step_hinted(name, timeout_hint(name), fut).await
    }

    /// Like [`Recorder::step`], with the hint to give if the step gets no answer in time.
    pub async fn step_hinted<T>(
        &mut self,
        name: StepName,
        on_timeout: &str,
        fut: impl Future<Output = Result<(T, Option<String>), Failure>>,
    ) -> Result<T, Failure> {
        let t = Instant::now();
        let out = match tokio::time::timeout_at(self.deadline, fut).await {
            Ok(r) => r,
            Err(_) => Err(Failure::new(
                name,
                format!(
                    "{}: no answer within {} s",
                    name.as_str(),
                    trim_secs(self.timeout)
                ),
            )
            .error("timed out")
            .hint(on_timeout)),
        };
        let ms = t.elapsed().as_secs_f64() * 1e3;
        match out {
            Ok((v, detail)) => {
                self.steps.push(Step {
                    name,
                    ok: true,
                    ms,
                    detail,
                });
                Ok(v)
            }
            Err(f) => {
                // A step can discover that the fault lies in another stage (a TLS error during
                // login): it is recorded under the stage that failed.
                self.steps.push(Step {
                    name: f.step,
                    ok: false,
                    ms,
                    detail: Some(f.message.clone()),
                });
                Err(f)
            }
        }
    }

    /// How many steps are recorded so far.
    pub fn step_count(&self) -> usize {
        self.steps.len()
    }

    /// Prefixes the details of the steps recorded since `from` (e.g. "Schema Registry: ").
    pub fn prefix_since(&mut self, from: usize, prefix: &str) {
        for s in self.steps.iter_mut().skip(from) {
            s.detail = Some(format!("{prefix}{}", s.detail.as_deref().unwrap_or("")));
        }
    }

    pub fn fact(&mut self, label: impl Into<String>, value: impl Into<String>) {
        self.facts.push(Fact {
            label: label.into(),
            value: value.into(),
        });
    }

    fn scrub(&self, s: String) -> String {
        let mut s = s;
        for secret in self.secrets.iter().filter(|x| x.len() >= 3) {
            if s.contains(secret.as_str()) {
                s = s.replace(secret.as_str(), "***");
            }
        }
        s
    }

    /// The verdict: ok when `outcome` is, else the failure's step, message and hint.
    pub fn finish(
        self,
        name: &str,
        kind: Kind,
        target: String,
        outcome: Result<String, Failure>,
    ) -> Verdict {
        let total_ms = self.started.elapsed().as_secs_f64() * 1e3;
        let (ok, failed_step, message, error, hint) = match outcome {
            Ok(message) => (true, None, message, None, None),
            Err(f) => (false, Some(f.step), f.message, f.error, f.hint),
        };
        let steps = self
            .steps
            .iter()
            .cloned()
            .map(|s| Step {
                detail: s.detail.map(|d| self.scrub(d)),
                ..s
            })
            .collect();
        let facts = self
            .facts
            .iter()
            .cloned()
            .map(|f| Fact {
                value: self.scrub(f.value),
                ..f
            })
            .collect();
        Verdict {
            name: name.to_string(),
            kind,
            target,
            ok,
            failed_step,
            // Patchbay's own words (message, hint) never hold a secret and are not scrubbed: a
            // password that is an ordinary word ("closed") must not garble them, nor be given
            // away by the gaps. Text that came from outside (errors, server details, facts)
            // is.
            message,
            error: error.map(|e| self.scrub(e)),
            hint,
            steps,
            facts,
            total_ms,
            checked_at: crate::clock::now_ms(),
        }
    }
}
