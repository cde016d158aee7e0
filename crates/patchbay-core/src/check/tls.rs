//! TLS for checks: a handshake on an open TCP stream with the connection's verification policy
//! (none, chain only, chain and host name), reporting the negotiated protocol and explaining
//! certificate errors (unknown issuer, wrong host name, not TLS at all).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::client::TlsStream;

use super::verdict::{Failure, StepName};

/// How much of the server's certificate to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    /// Encrypt, but accept any certificate.
    Nothing,
    /// The chain must lead to a trusted CA; the host name is not checked.
    Chain,
    /// The chain and the host name.
    Full,
}

/// What the handshake needs besides the stream.
pub struct TlsSettings<'a> {
    pub verify: Verify,
    /// PEM CA certificates; without them the OS's trusted roots are used.
    pub ca_pem: Option<&'a str>,
    /// A client certificate and key for mutual TLS.
    pub client: Option<(&'a str, &'a str)>,
    /// How this kind of connection stops verifying, for hints ("choose SSL mode require"), or
    /// None when it always verifies.
    pub unverified: Option<&'static str>,
}

impl<'a> TlsSettings<'a> {
    /// Full verification against `ca_pem` (or the OS's roots), no client certificate.
    pub fn verified(ca_pem: Option<&'a str>) -> TlsSettings<'a> {
        TlsSettings {
            verify: Verify::Full,
            ca_pem,
            client: None,
            unverified: None,
        }
    }
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// How long the system's trusted roots, once read, serve later checks: reading and parsing them
/// costs ~5 ms of CPU, which `test --all` over connections that trust them paid per check; a CA
/// added to the system is seen within this time, without restarting the window.
const SYSTEM_ROOTS_KEPT: std::time::Duration = std::time::Duration::from_secs(30);

/// The OS's trusted roots, read at most once per `SYSTEM_ROOTS_KEPT`.
fn system_roots() -> Arc<RootCertStore> {
    static KEPT: Mutex<Option<(Instant, Arc<RootCertStore>)>> = Mutex::new(None);
    let mut kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
    match &*kept {
        Some((read, roots)) if read.elapsed() < SYSTEM_ROOTS_KEPT => roots.clone(),
        _ => {
            let mut roots = RootCertStore::empty();
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            let roots = Arc::new(roots);
            *kept = Some((Instant::now(), roots.clone()));
            roots
        }
    }
}

fn roots(ca_pem: Option<&str>) -> Result<Arc<RootCertStore>, Failure> {
    let Some(pem) = ca_pem else {
        return Ok(system_roots());
    };
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        let cert = cert.map_err(|e| {
            Failure::new(StepName::Tls, "the CA certificate cannot be read").error(e)
        })?;
        roots.add(cert).map_err(|e| {
            Failure::new(StepName::Tls, "the CA certificate is not usable").error(e)
        })?;
    }
    Ok(Arc::new(roots))
}

pub fn client_config(s: &TlsSettings) -> Result<ClientConfig, Failure> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Failure::new(StepName::Tls, "TLS setup failed").error(e))?;
    let verifier: Arc<dyn ServerCertVerifier> = match s.verify {
        Verify::Nothing => Arc::new(AcceptAny(provider.clone())),
        Verify::Chain | Verify::Full => {
            let inner =
                WebPkiServerVerifier::builder_with_provider(roots(s.ca_pem)?, provider.clone())
                    .build()
                    .map_err(|e| {
                        Failure::new(
                            StepName::Tls,
                            "no trusted CA certificate to verify the server with",
                        )
                        .error(e)
                        .hint("add the server's CA certificate")
                    })?;
            if s.verify == Verify::Chain {
                Arc::new(ChainOnly(inner))
            } else {
                inner
            }
        }
    };
    let builder = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    match s.client {
        None => Ok(builder.with_no_client_auth()),
        Some((cert, key)) => {
            let certs: Vec<CertificateDer<'static>> =
                CertificateDer::pem_slice_iter(cert.as_bytes())
                    .collect::<Result<_, _>>()
                    .map_err(|e| {
                        Failure::new(StepName::Tls, "the client certificate cannot be read")
                            .error(e)
                    })?;
            let key = PrivateKeyDer::from_pem_slice(key.as_bytes()).map_err(|_| {
                Failure::new(StepName::Tls, "the client key cannot be read")
                    .hint("paste an unencrypted PEM private key")
            })?;
            builder.with_client_auth_cert(certs, key).map_err(|e| {
                Failure::new(
                    StepName::Tls,
                    "the client certificate and key do not fit together",
                )
                .error(e)
            })
        }
    }
}

/// Performs the handshake; returns the stream and the protocol name ("TLS 1.3").
pub async fn handshake<S: AsyncRead + AsyncWrite + Unpin>(
    stream: S,
    host: &str,
    s: &TlsSettings<'_>,
) -> Result<(TlsStream<S>, String), Failure> {
    let config = client_config(s)?;
    let name = ServerName::try_from(host.to_string()).map_err(|e| {
        Failure::new(
            StepName::Tls,
            format!("\"{host}\" cannot be used as a TLS server name"),
        )
        .error(e)
    })?;
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tls = connector
        .connect(name, stream)
        .await
        .map_err(|e| explain(host, s, e))?;
    let version = match tls.get_ref().1.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLS 1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLS 1.2".to_string(),
        Some(v) => format!("{v:?}"),
        None => "TLS".to_string(),
    };
    Ok((tls, version))
}

/// Turns a handshake error into a failure with a hint.
fn explain(host: &str, s: &TlsSettings, e: std::io::Error) -> Failure {
    let inner = e
        .get_ref()
        .and_then(|i| i.downcast_ref::<rustls::Error>())
        .cloned();
    match inner {
        Some(rustls::Error::InvalidCertificate(c)) => {
            let (msg, hint) = match &c {
                CertificateError::UnknownIssuer => (
                    "the server's certificate is not signed by a trusted CA".to_string(),
                    if s.ca_pem.is_some() {
                        "the CA certificate you gave did not sign the server's certificate: check you have the right CA".to_string()
                    } else {
                        match s.unverified {
                            Some(how) => format!("add the server's CA certificate, or {how}"),
                            None => "add the server's CA certificate".to_string(),
                        }
                    },
                ),
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => (
                    format!("the server's certificate is not valid for \"{host}\""),
                    "connect using a name the certificate lists, or verify the chain only (verify-ca)".to_string(),
                ),
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => (
                    "the server's certificate has expired".to_string(),
                    "renew the server's certificate".to_string(),
                ),
                other => (format!("the server's certificate was refused ({other:?})"), "check the server's certificate".to_string()),
            };
            Failure::new(StepName::Tls, msg)
                .error(rustls::Error::InvalidCertificate(c))
                .hint(hint)
        }
        Some(
            err @ (rustls::Error::InvalidMessage(_)
            | rustls::Error::InappropriateMessage { .. }
            | rustls::Error::InappropriateHandshakeMessage { .. }),
        ) => Failure::new(StepName::Tls, "the server did not answer with TLS")
            .error(err)
            .hint("this port does not speak TLS: turn SSL off or use the server's TLS port"),
        Some(rustls::Error::AlertReceived(alert)) => Failure::new(
            StepName::Tls,
            format!("the server refused the TLS handshake ({alert:?})"),
        )
        .error(rustls::Error::AlertReceived(alert))
        .hint(if s.client.is_none() {
            "the server may require a client certificate"
        } else {
            "the server refused the client certificate or the TLS settings"
        }),
        Some(other) => Failure::new(StepName::Tls, "TLS handshake failed").error(other),
        None => super::net::io_failure(StepName::Tls, "the TLS handshake", &e),
    }
}

/// Verification off: any certificate is accepted (the handshake's signatures are still checked).
#[derive(Debug)]
struct AcceptAny(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(m, c, d, &self.0.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(m, c, d, &self.0.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The chain is verified, the host name is not (PostgreSQL's verify-ca).
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        e: &CertificateDer<'_>,
        i: &[CertificateDer<'_>],
        n: &ServerName<'_>,
        o: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(e, i, n, o, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(m, c, d)
    }
    fn verify_tls13_signature(
        &self,
        m: &[u8],
        c: &CertificateDer<'_>,
        d: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(m, c, d)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
