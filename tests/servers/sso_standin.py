#!/usr/bin/env python3
"""A stand-in for AWS IAM Identity Center (moto has none): its OIDC service (RegisterClient,
StartDeviceAuthorization, CreateToken with the device-code and refresh-token grants) and its
portal's GetRoleCredentials, on http://127.0.0.1:PORT, as the AWS SDKs call them
(AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO point here). The person's sign-in in a browser
is a GET of the verification URL (what the window opens). Role credentials are real ones: the
stand-in assumes the role at moto (ROLE in ACCOUNT) with the keys it is given, so what a login
yields works against moto's S3. Usage: sso_standin.py PORT MOTO_URL  (keys in SSO_STANDIN_KEY_ID
and SSO_STANDIN_KEY_SECRET)"""
import json
import os
import secrets
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import botocore.session

PORT, MOTO = int(sys.argv[1]), sys.argv[2]
BASE = f"http://127.0.0.1:{PORT}"
lock = threading.Lock()
clients, devices, tokens = {}, {}, {}
sts = botocore.session.get_session().create_client(
    "sts", region_name="us-east-1", endpoint_url=MOTO,
    aws_access_key_id=os.environ["SSO_STANDIN_KEY_ID"], aws_secret_access_key=os.environ["SSO_STANDIN_KEY_SECRET"])


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        path = urlsplit(self.path).path
        with lock:
            if path == "/client/register":
                cid, secret = "pb-" + secrets.token_hex(6), secrets.token_hex(16)
                clients[cid] = secret
                return self.reply(200, {"clientId": cid, "clientSecret": secret, "clientIdIssuedAt": int(time.time()),
                                        "clientSecretExpiresAt": int(time.time()) + 90 * 86400})
            if clients.get(body.get("clientId")) != body.get("clientSecret"):
                return self.error(400, "InvalidClientException", "invalid_client")
            if path == "/device_authorization":
                device, user = secrets.token_hex(12), secrets.token_hex(2).upper() + "-" + secrets.token_hex(2).upper()
                devices[device] = {"user": user, "approved": False, "start_url": body.get("startUrl")}
                return self.reply(200, {"deviceCode": device, "userCode": user, "verificationUri": f"{BASE}/device",
                                        "verificationUriComplete": f"{BASE}/device?user_code={user}", "expiresIn": 600, "interval": 1})
            if path == "/token":
                if body.get("grantType") == "refresh_token":
                    if body.get("refreshToken") not in tokens.values():
                        return self.error(400, "InvalidGrantException", "invalid_grant")
                    return self.reply(200, self.token())
                d = devices.get(body.get("deviceCode"))
                if d is None:
                    return self.error(400, "ExpiredTokenException", "expired_token")
                if not d["approved"]:
                    return self.error(400, "AuthorizationPendingException", "authorization_pending")
                del devices[body["deviceCode"]]
                return self.reply(200, self.token())
        return self.error(404, "ResourceNotFoundException", "not found")

    def token(self):
        access, refresh = "at-" + secrets.token_hex(16), "rt-" + secrets.token_hex(16)
        tokens[access] = refresh
        return {"accessToken": access, "tokenType": "Bearer", "expiresIn": 3600, "refreshToken": refresh}

    def do_GET(self):
        u = urlsplit(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        if u.path == "/device":
            with lock:
                for d in devices.values():
                    if d["user"] == q.get("user_code"):
                        d["approved"] = True
                        return self.reply(200, {"approved": d["user"]})
            return self.error(404, "NotFound", "no such code")
        if u.path == "/federation/credentials":
            if self.headers.get("x-amz-sso_bearer_token") not in tokens:
                return self.error(401, "UnauthorizedException", "Session token not found or invalid")
            role = f"arn:aws:iam::{q.get('account_id')}:role/{q.get('role_name')}"
            c = sts.assume_role(RoleArn=role, RoleSessionName="sso")["Credentials"]
            return self.reply(200, {"roleCredentials": {
                "accessKeyId": c["AccessKeyId"], "secretAccessKey": c["SecretAccessKey"], "sessionToken": c["SessionToken"],
                "expiration": int(c["Expiration"].timestamp() * 1000)}})
        return self.error(404, "ResourceNotFoundException", "not found")

    def error(self, status, kind, error):
        self.reply(status, {"error": error, "error_description": kind, "message": error}, kind)

    def reply(self, status, body, kind=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        if kind:
            self.send_header("x-amzn-ErrorType", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
