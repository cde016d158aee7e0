#!/usr/bin/env python3
"""A stand-in for a Confluent Schema Registry (none is installable here): just enough of its API
(/subjects, /config) behind HTTP basic auth for Patchbay's registry check to be tested for real;
over https when given a certificate and its key.
Usage: registry_standin.py PORT USER PASSWORD [CERT KEY]"""
import base64
import json
import ssl
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, USER, PASSWORD = int(sys.argv[1]), sys.argv[2], sys.argv[3]
EXPECTED = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != EXPECTED:
            return self.reply(401, {"error_code": 40101, "message": "Unauthorized"})
        if self.path.rstrip("/") == "/subjects":
            return self.reply(200, ["orders-value", "payments-value"])
        if self.path.rstrip("/") == "/config":
            return self.reply(200, {"compatibilityLevel": "BACKWARD"})
        return self.reply(404, {"error_code": 404, "message": "HTTP 404 Not Found"})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
if len(sys.argv) > 5:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(sys.argv[4], sys.argv[5])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
server.serve_forever()
