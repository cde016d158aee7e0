//! A minimal HTTP/1.1 request (GET, or a POST with a form body) over an already open (and possibly TLS) stream: enough for a signed S3
//! request and a Schema Registry call, with each network stage timed by the check itself.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest response read.
const MAX_BODY: usize = 1 << 20;

pub struct Response {
    pub status: u16,
    pub body: String,
}

/// One request: `method path` with `headers` and `body` (sent with its Content-Length when not
/// empty).
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// Sends a request and reads the whole response. The request is written in one piece and its
/// buffer wiped afterwards (a token request's body holds a client secret).
pub async fn send<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut S,
    host: &str,
    r: &Request<'_>,
) -> std::io::Result<Response> {
    let mut req = zeroize::Zeroizing::new(format!(
        "{} {} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: patchbay-check\r\nAccept: */*\r\nConnection: close\r\n",
        r.method, r.path
    ));
    for (k, v) in r.headers {
        req.push_str(k);
        req.push_str(": ");
        req.push_str(v);
        req.push_str("\r\n");
    }
    if !r.body.is_empty() {
        req.push_str(&format!("Content-Length: {}\r\n", r.body.len()));
    }
    req.push_str("\r\n");
    let mut bytes = zeroize::Zeroizing::new(req.as_bytes().to_vec());
    bytes.extend_from_slice(r.body);
    s.write_all(&bytes).await?;
    s.flush().await?;
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf).await {
            Ok(0) => break,
            Ok(n) => {
                raw.extend_from_slice(&buf[..n]);
                let not_http = raw.len() >= 5 && !raw.starts_with(b"HTTP/");
                if not_http || raw.len() > MAX_BODY || complete(&raw) {
                    break;
                }
            }
            // Servers often close TLS without close_notify once the body is sent.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !raw.is_empty() => break,
            Err(e) => return Err(e),
        }
    }
    parse(&raw).ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "the answer is not HTTP")
    })
}

fn split_head(raw: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some((&raw[..at], &raw[at + 4..]))
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Whether the whole response has arrived (by Content-Length or the last chunk).
fn complete(raw: &[u8]) -> bool {
    let Some((head, body)) = split_head(raw) else {
        return false;
    };
    let head = String::from_utf8_lossy(head);
    if let Some(len) = header(&head, "content-length").and_then(|v| v.parse::<usize>().ok()) {
        return body.len() >= len;
    }
    header(&head, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        && body.ends_with(b"0\r\n\r\n")
}

fn parse(raw: &[u8]) -> Option<Response> {
    let (head, body) = split_head(raw)?;
    let head = String::from_utf8_lossy(head).into_owned();
    let status_line = head.lines().next()?;
    if !status_line.starts_with("HTTP/1.") {
        return None;
    }
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let body =
        if header(&head, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            dechunk(body)
        } else {
            body.to_vec()
        };
    Some(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap_or("")
                .trim(),
            16,
        )
        .unwrap_or(0);
        b = &b[eol + 2..];
        if size == 0 || size > b.len() {
            break;
        }
        out.extend_from_slice(&b[..size]);
        b = b.get(size + 2..).unwrap_or_default();
    }
    out
}

/// The text of an XML element, e.g. `<Code>…</Code>`.
pub fn xml_tag<'a>(body: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = body.find(&open)? + open.len();
    let end = body[start..].find(&format!("</{tag}>"))? + start;
    Some(&body[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_and_sized_responses_are_read() {
        let r = parse(b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<Code\r\n3\r\n>X<\r\n0\r\n\r\n").unwrap();
        assert_eq!((r.status, r.body.as_str()), (403, "<Code>X<"));
        let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assert!(complete(raw));
        assert_eq!(parse(raw).unwrap().body, "ok");
        assert!(parse(b"SSH-2.0-OpenSSH\r\n\r\n").is_none());
    }
}
