"""A local HTTP server that speaks the part of Twilio's REST API digibuddy uses (create a message), so the
real Twilio backend and the official client are tested end to end without leaving the machine; and the
signing Twilio applies to its webhooks, to post signed (and wrongly signed) callbacks."""

import base64
import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
FROM_NUMBER = "+3225550100"


class FakeTwilio:
    """Records every message it accepts. `down` answers 503 (retry later); numbers in `invalid` get
    Twilio's 400 error 21211 (never deliverable)."""

    def __init__(self):
        self.messages: list[dict] = []
        self.down = False
        self.invalid: set[str] = set()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def _answer(self, status: int, payload: dict):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                expected_path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
                expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.headers.get("Authorization") != expected_auth:
                    return self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                if self.path != expected_path:
                    return self._answer(404, {"code": 20404, "message": "Not found", "status": 404})
                if fake.down:
                    return self._answer(503, {"code": 20503, "message": "Service unavailable", "status": 503})
                if form.get("To") in fake.invalid:
                    return self._answer(
                        400,
                        {
                            "code": 21211,
                            "message": "The 'To' number is not a valid phone number.",
                            "status": 400,
                        },
                    )
                sid = "SM" + secrets.token_hex(16)
                fake.messages.append({**form, "sid": sid})
                return self._answer(
                    201,
                    {
                        "sid": sid,
                        "account_sid": ACCOUNT_SID,
                        "to": form.get("To"),
                        "from": form.get("From"),
                        "messaging_service_sid": form.get("MessagingServiceSid"),
                        "body": form.get("Body"),
                        "status": "queued",
                        "num_segments": "1",
                        "direction": "outbound-api",
                        "api_version": "2010-04-01",
                        "uri": f"{expected_path[:-5]}/{sid}.json",
                    },
                )

        return Handler


def signature(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature as Twilio computes it for a webhook call."""
    return RequestValidator(token).compute_signature(url, params)
