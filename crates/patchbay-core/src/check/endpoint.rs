//! An HTTP(S) endpoint reached step by step (name lookup, TCP, TLS), then one GET: shared by the
//! object-store check and the Schema Registry check.

use tokio::io::{AsyncRead, AsyncWrite};

use super::http::{self, Response};
use super::net;
use super::tls::{self, TlsSettings};
use super::verdict::{Failure, Recorder, StepName};

/// A parsed endpoint URL.
pub struct Endpoint {
    pub https: bool,
    /// Host for name lookup and TLS (no brackets).
    pub host: String,
    pub port: u16,
    /// The Host header value.
    pub authority: String,
    /// The base path, without a trailing slash.
    pub base_path: String,
}

impl Endpoint {
    /// Parses `raw` as `parse` does, and refuses an `http://` one unless unsafe HTTP is allowed,
    /// naming `what` it is ("the endpoint") and how to fix it.
    pub fn parse_allowing(
        raw: &str,
        step: StepName,
        allow_http: bool,
        what: &str,
        hint: &str,
    ) -> Result<Endpoint, Failure> {
        let ep = Endpoint::parse(raw, step)?;
        if !ep.https && !allow_http {
            return Err(Failure::new(
                step,
                format!("{what} is http:// but unsafe HTTP is not allowed"),
            )
            .hint(hint));
        }
        Ok(ep)
    }

    pub fn parse(raw: &str, step: StepName) -> Result<Endpoint, Failure> {
        let u = url::Url::parse(raw)
            .map_err(|e| Failure::new(step, format!("\"{raw}\" is not a URL")).error(e))?;
        let https = match u.scheme() {
            "https" => true,
            "http" => false,
            other => {
                return Err(Failure::new(
                    step,
                    format!("unsupported scheme \"{other}\""),
                ))
            }
        };
        let host_str = u
            .host_str()
            .ok_or_else(|| Failure::new(step, "the URL has no host"))?;
        let host = host_str
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = u
            .port_or_known_default()
            .unwrap_or(if https { 443 } else { 80 });
        let authority = match u.port() {
            Some(p) => format!("{host_str}:{p}"),
            None => host_str.to_string(),
        };
        Ok(Endpoint {
            https,
            host,
            port,
            authority,
            base_path: u.path().trim_end_matches('/').to_string(),
        })
    }
}

/// The hint for an object store's http:// endpoint that is not allowed.
pub const HTTP_HINT: &str = "use https://, or turn on \"allow unsafe HTTP\" for this connection";

/// Opens the endpoint with `dns`, `tcp` and (for https) `tls` steps recorded in `rec`.
pub async fn open(
    rec: &mut Recorder,
    ep: &Endpoint,
    tls_settings: &TlsSettings<'_>,
) -> Result<Box<dyn AsyncIo>, Failure> {
    let addrs = net::lookup(rec, &ep.host, ep.port).await?;
    let stream = net::connect(rec, &ep.host, &addrs).await?;
    if !ep.https {
        return Ok(Box::new(stream));
    }
    let host = ep.host.clone();
    let (tls, version) = rec
        .step(StepName::Tls, async move {
            let (s, v) = tls::handshake(stream, &host, tls_settings).await?;
            Ok(((s, v.clone()), Some(v)))
        })
        .await?;
    rec.fact("tls", version);
    Ok(Box::new(tls))
}

/// A plain or TLS stream, boxed, for one request.
pub trait AsyncIo: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> AsyncIo for T {}

/// Sends one GET on an opened endpoint as the `step` step; `judge` turns the response into the
/// step's result (so a refusal marks the step itself as failed).
pub async fn get<T>(
    rec: &mut Recorder,
    step: StepName,
    io: Box<dyn AsyncIo>,
    ep: &Endpoint,
    path: &str,
    headers: Vec<(String, String)>,
    judge: impl FnOnce(Response) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let (method, body) = ("GET", Vec::new());
    send(rec, step, io, ep, (method, path, body), headers, judge).await
}

/// Sends one request (method, path, body) on an opened endpoint as the `step` step.
pub async fn send<T>(
    rec: &mut Recorder,
    step: StepName,
    mut io: Box<dyn AsyncIo>,
    ep: &Endpoint,
    (method, path, body): (&'static str, &str, Vec<u8>),
    headers: Vec<(String, String)>,
    judge: impl FnOnce(Response) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let authority = ep.authority.clone();
    let path = path.to_string();
    let body = zeroize::Zeroizing::new(body);
    rec.step(step, async move {
        let req = http::Request {
            method,
            path: &path,
            headers: &headers,
            body: &body,
        };
        let r = http::send(&mut io, &authority, &req)
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => {
                    Failure::new(step, "the server did not answer with HTTP")
                        .error(e)
                        .hint("is this the right URL and port?")
                }
                _ => net::io_failure(step, "the request", &e),
            })?;
        let detail = format!("HTTP {}", r.status);
        Ok((judge(r)?, Some(detail)))
    })
    .await
}
