#!/usr/bin/env python3
"""A STAND-IN for Microsoft Entra ID's token endpoint, for tests only (no real identity service
runs on 127.0.0.1). It answers the OAuth client-credentials request of one service principal,
POST /<tenant>/oauth2/v2.0/token, like Entra does: a JWT-shaped access token for Azure Storage
(aud https://storage.azure.com, iss https://sts.windows.net/<tenant>/, nbf/exp), or Entra's
error codes for an unknown tenant (AADSTS90002), an unknown client (AADSTS700016) and a wrong
secret (AADSTS7000215). Azurite (--oauth basic) checks the token's claims, not its signature,
so the signature here is a placeholder.

usage: entra_standin.py PORT CERT KEY TENANT CLIENT_ID CLIENT_SECRET
"""
import base64
import json
import ssl
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, CERT, KEY, TENANT, CLIENT, SECRET = sys.argv[1:7]


def b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, code, text):
        self.answer(status, {"error": "invalid_client" if status == 401 else "invalid_request",
                             "error_description": f"{code}: {text}", "error_codes": [int(code[6:])]})

    def do_POST(self):
        parts = self.path.strip("/").split("/")
        length = int(self.headers.get("Content-Length", "0"))
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        if len(parts) != 4 or parts[1:] != ["oauth2", "v2.0", "token"]:
            return self.answer(404, {"error": "not_found"})
        if parts[0] != TENANT:
            return self.error(400, "AADSTS90002", f"Tenant '{parts[0]}' not found.")
        if form.get("grant_type") != "client_credentials" or form.get("scope") != "https://storage.azure.com/.default":
            return self.error(400, "AADSTS70011", "The provided request must include a valid scope.")
        if form.get("client_id") != CLIENT:
            return self.error(400, "AADSTS700016", f"Application with identifier '{form.get('client_id')}' was not found in the directory.")
        if form.get("client_secret") != SECRET:
            return self.error(401, "AADSTS7000215", "Invalid client secret provided.")
        now = int(time.time())
        claims = {"aud": "https://storage.azure.com", "iss": f"https://sts.windows.net/{TENANT}/",
                  "iat": now, "nbf": now - 60, "exp": now + 3600, "tid": TENANT, "appid": CLIENT, "oid": CLIENT}
        token = f"{b64({'typ': 'JWT', 'alg': 'RS256'})}.{b64(claims)}.c3RhbmQtaW4"
        self.answer(200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token})


server = ThreadingHTTPServer(("127.0.0.1", int(PORT)), Handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
