#!/usr/bin/env python3
"""A stand-in for AWS STS refusing an MFA code (moto accepts every code: it cannot say a code is
wrong). It answers AssumeRole with a TokenCode as AWS does for a wrong or used code: HTTP 403,
AccessDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code.". Anything
else gets 400 InvalidAction. Usage: sts_mfa_standin.py PORT"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PORT = int(sys.argv[1])
ERROR = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
  <RequestId>00000000-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        q = parse_qs(urlsplit(self.path).query)
        if q.get("Action") == ["AssumeRole"] and "TokenCode" in q:
            return self.reply(403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
        return self.reply(400, "InvalidAction", "this stand-in answers AssumeRole with an MFA code only")

    def reply(self, status, code, message):
        data = ERROR.format(code=code, message=message).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
