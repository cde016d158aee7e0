#!/usr/bin/env python3
"""A STAND-IN for Google's authentication in front of fake-gcs-server (which accepts any token),
for tests only: no Google identity service runs on 127.0.0.1. Over https it
- answers OAuth's JWT-bearer grant, POST /token, as Google's token endpoint does: the assertion
  must be an RS256 JWT whose signature the trusted service account's public key verifies, issued
  by that account, for Google's token endpoint (aud), unexpired and at most an hour long; it then issues an
  opaque access token (Google's "invalid_grant" error otherwise);
- lets through to fake-gcs-server only requests that carry "Authorization: Bearer" with a token
  it issued, or a self-signed JWT for Cloud Storage (aud https://storage.googleapis.com/) signed by
  the trusted key; anything else gets Google's 401 (anonymous, or "Invalid Credentials").
So a check or an SDK that drops the Authorization header, or signs with another key, fails.
Every refusal is written to standard error with its reason.

usage: gcs_auth_standin.py PORT CERT KEY UPSTREAM_PORT SERVICE_ACCOUNT_KEY_JSON
"""
import base64
import http.client
import json
import secrets
import ssl
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

PORT, CERT, KEY, UPSTREAM, ACCOUNT = sys.argv[1:6]
account = json.load(open(ACCOUNT))
EMAIL = account["client_email"]
PUBLIC = serialization.load_pem_private_key(account["private_key"].encode(), None).public_key()
# A grant's audience is Google's token endpoint, whatever the key's token_uri says (as Google's
# libraries send it and its documentation requires).
GRANT_AUDIENCE = "https://oauth2.googleapis.com/token"
STORAGE_AUDIENCE = "https://storage.googleapis.com/"
issued = {}  # access token -> expiry (seconds since the epoch)
HOP = {"connection", "transfer-encoding", "keep-alive", "content-length"}


def unb64(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verified_claims(jwt, audience):
    """The claims of `jwt` if the trusted key signed it for `audience` and it is current, else
    the reason it is refused."""
    try:
        head, body, sig = jwt.split(".")
        header, claims = json.loads(unb64(head)), json.loads(unb64(body))
    except ValueError:
        return None, "not a JWT"
    if header.get("alg") != "RS256":
        return None, f"alg {header.get('alg')!r} is not RS256"
    try:
        PUBLIC.verify(unb64(sig), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except Exception:
        return None, "Invalid JWT Signature."
    now = time.time()
    if claims.get("iss") != EMAIL:
        return None, f"issuer {claims.get('iss')!r} is not the trusted account"
    if claims.get("aud") != audience:
        return None, f"audience {claims.get('aud')!r} is not {audience}"
    iat, exp = claims.get("iat", 0), claims.get("exp", 0)
    if not (iat - 300 <= now < exp) or exp - iat > 3600:
        return None, "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
    return claims, None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if not any(k.lower() == "content-type" for k, _ in headers):
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def refuse(self, why, message):
        print(f"refused {self.command} {self.path}: {why}", file=sys.stderr, flush=True)
        self.answer(401, {"error": {"code": 401, "message": message,
                                    "errors": [{"message": message, "domain": "global", "reason": "required"}]}},
                    [("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/"')])

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def token(self):
        form = urllib.parse.parse_qs(self.body().decode())
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
            return self.answer(400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"})
        claims, why = verified_claims(form.get("assertion", [""])[0], GRANT_AUDIENCE)
        if claims is None:
            print(f"refused a token grant: {why}", file=sys.stderr, flush=True)
            return self.answer(400, {"error": "invalid_grant", "error_description": why})
        token = "ya29.standin-" + secrets.token_urlsafe(24)
        issued[token] = time.time() + 3600
        self.answer(200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"})

    def handle_any(self):
        if self.command == "POST" and self.path == "/token":
            return self.token()
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            self.body()
            return self.refuse("no bearer token", "Anonymous caller does not have storage.objects.list access to the Google Cloud Storage bucket.")
        bearer = auth[len("Bearer "):]
        if issued.get(bearer, 0) <= time.time():
            claims, why = verified_claims(bearer, STORAGE_AUDIENCE)
            if claims is None:
                self.body()
                return self.refuse(f"token not issued here and not a valid self-signed JWT ({why})", "Invalid Credentials")
        upstream = http.client.HTTPConnection("127.0.0.1", int(UPSTREAM), timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP | {"authorization", "host"}}
        upstream.request(self.command, self.path, body=self.body(), headers=headers)
        r = upstream.getresponse()
        data = r.read()
        self.answer(r.status, data, [(k, v) for k, v in r.getheaders() if k.lower() not in HOP])
        upstream.close()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


server = ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler)
tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
tls.load_cert_chain(CERT, KEY)
server.socket = tls.wrap_socket(server.socket, server_side=True)
server.serve_forever()
