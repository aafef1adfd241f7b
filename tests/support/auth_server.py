"""A small real auth endpoint on loopback, as a hotel backend would serve it: it signs with the `pusher`
library's own `authenticate`, and each path fails in one of the ways real endpoints do.

Tests only: no auth server ships to users.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pusher

from pusher_doctor.sandbox import SandboxApp

#: the app's encryption master key (32 bytes, base64) and another one
MASTER_KEY = base64.b64encode(bytes(range(32))).decode()
OTHER_MASTER_KEY = base64.b64encode(bytes(range(1, 33))).decode()
GUEST = {"user_id": "guest-101", "user_info": {"name": "Guest of room 101"}}
SIGNED_IN_USER = {"id": "guest-101", "user_info": {"name": "Guest of room 101"}}
SESSION_COOKIE = ("sessionid", "s3ss10n-v4lue-5e2f")
CSRF_HEADER = ("X-CSRF-TOKEN", "csrf-t0ken-91ab")
BEARER_HEADER = ("Authorization", "Bearer s4nctum-t0ken-77")
PAGE_ORIGIN = "http://guest.example.test"


@dataclass(frozen=True)
class ChattyApp(SandboxApp):
    """An app that relays client events (soketi's enableClientMessages)."""

    def to_soketi(self) -> dict[str, object]:
        return {**super().to_soketi(), "enableClientMessages": True}


@dataclass(frozen=True)
class SigninApp(SandboxApp):
    """An app that requires user authentication (soketi's enableUserAuthentication): a connection that
    neither signs in nor subscribes to a private channel in time is closed with 4009."""

    def to_soketi(self) -> dict[str, object]:
        return {**super().to_soketi(), "enableUserAuthentication": True}


@dataclass
class AuthServer:
    """The endpoint's address and every request it received (path, form, headers)."""

    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)

    def url(self, path: str = "/auth") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _signer(app: SandboxApp, secret: str | None = None, master_key: str = MASTER_KEY) -> pusher.Pusher:
    return pusher.Pusher(app_id=app.id, key=app.key, secret=secret or app.secret,
                         encryption_master_key_base64=master_key)


def _user_answer(key: str, secret: str, socket_id: str, user: dict[str, Any]) -> dict[str, str]:
    """A sign-in answer made by hand: the pusher library refuses to sign a user without an id."""
    user_data = json.dumps(user)
    digest = hmac.new(secret.encode(), f"{socket_id}::user::{user_data}".encode(), hashlib.sha256).hexdigest()
    return {"auth": f"{key}:{digest}", "user_data": user_data}


def _answer(app: SandboxApp, path: str, socket_id: str, channel: str) -> tuple[int, Any]:
    """(status, body) of each variant; a body that is a str is sent as it is."""
    presence = GUEST if channel.startswith("presence-") else None

    def signed(signer: pusher.Pusher, sign_socket: str = socket_id, sign_channel: str = channel,
               data: dict[str, Any] | None = presence) -> dict[str, Any]:
        answer = dict(signer.authenticate(sign_channel, sign_socket, data))
        if isinstance(answer.get("shared_secret"), bytes):
            answer["shared_secret"] = answer["shared_secret"].decode()
        return answer

    good = _signer(app)
    variants = {
        "/auth": lambda: (200, signed(good)),
        "/cors": lambda: (200, signed(good)),
        "/html": lambda: (200, "<!doctype html><html><body><form>Log in</form></body></html>"),
        "/envelope": lambda: (200, {"data": signed(good)}),
        "/no-auth": lambda: (200, {"token": "abc"}),
        "/other-secret": lambda: (200, signed(_signer(app, secret="not-the-app-secret"))),
        "/fixed-socket": lambda: (200, signed(good, sign_socket="1234.5678")),
        "/other-channel": lambda: (200, signed(good, sign_channel=channel.split("-", 1)[1])),
        "/presence-no-data": lambda: (200, {"auth": signed(good, data=None)["auth"]}),
        "/presence-no-user": lambda: (200, signed(good, data={"user_info": {"name": "x"}})),
        "/other-master-key": lambda: (200, signed(_signer(app, master_key=OTHER_MASTER_KEY))),
        "/crash": lambda: (500, "<h1>Server Error (500)</h1>"),
        # The user-authentication endpoint (pusher-js signin()): a form with socket_id alone.
        "/user-auth": lambda: (200, good.authenticate_user(socket_id, SIGNED_IN_USER)),
        "/user-no-id": lambda: (200, _user_answer(app.key, app.secret, socket_id, {"name": "x"})),
        "/user-other-secret": lambda: (200, _user_answer(app.key, "not-the-app-secret", socket_id, SIGNED_IN_USER)),
        "/user-fixed-socket": lambda: (200, good.authenticate_user("1234.5678", SIGNED_IN_USER)),
    }
    if path.startswith("/status/"):
        return int(path.removeprefix("/status/")), {"message": "refused"}
    return variants.get(path, lambda: (404, "<h1>Not Found</h1>"))()


@contextmanager
def auth_server(app: SandboxApp) -> Iterator[AuthServer]:
    """Serves the variants for `app` on a free loopback port.

    /session answers 401 without the session cookie, /csrf 419 without the CSRF header, then sign as
    /auth does; /cors allows PAGE_ORIGIN (and the CSRF header) where the others send no CORS headers;
    /login redirects to /html as a session middleware does. /web/broadcasting/auth is Laravel's default
    `/broadcasting/auth` (middleware `web`) whose channel callback refuses everyone: 403 for a guest it
    cannot identify (no session cookie, or a bearer token the session guard does not read) and 403 from the
    callback for a logged-in one; /sanctum is one under `auth:sanctum`: 401 without a bearer token; an
    unregistered /broadcasting/auth is a 404."""
    state = AuthServer(0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def _send(self, status: int, body: Any, extra: dict[str, str] | None = None) -> None:
            raw = (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if isinstance(body, str) else "application/json")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        def _cors(self) -> dict[str, str]:
            if urlsplit(self.path).path != "/cors":
                return {}
            return {"Access-Control-Allow-Origin": PAGE_ORIGIN, "Access-Control-Allow-Headers": CSRF_HEADER[0]}

        def do_OPTIONS(self) -> None:
            state.requests.append({"method": "OPTIONS", "path": self.path, "headers": dict(self.headers.items())})
            self._send(204, "", self._cors())

        def do_GET(self) -> None:
            self._send(200, "<!doctype html><html><body><form>Log in</form></body></html>")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            path = urlsplit(self.path).path
            state.requests.append({"method": "POST", "path": path, "form": form, "headers": dict(self.headers.items())})
            socket_id, channel = form.get("socket_id", ""), form.get("channel_name", "")
            if path == "/login":
                self._send(302, "", {"Location": "/html"})
                return
            if path == "/session" and f"{SESSION_COOKIE[0]}={SESSION_COOKIE[1]}" not in (self.headers.get("Cookie") or ""):
                self._send(401, {"message": "Unauthenticated."})
                return
            if path == "/web/broadcasting/auth":
                self._send(403, {"message": "This action is unauthorized."})
                return
            if path == "/sanctum" and self.headers.get(BEARER_HEADER[0]) != BEARER_HEADER[1]:
                self._send(401, {"message": "Unauthenticated."})
                return
            if path == "/csrf" and self.headers.get(CSRF_HEADER[0]) != CSRF_HEADER[1]:
                self._send(419, {"message": "CSRF token mismatch."})
                return
            status, body = _answer(app, "/auth" if path in ("/session", "/csrf", "/sanctum") else path, socket_id,
                                   channel)
            self._send(status, body, self._cors())

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
