"""Small servers on loopback that the demo puts beside soketi: the app's auth endpoint for private
channels, a web server that is not Pusher, a server that never answers, and a port nobody listens on.

Each runs in a daemon thread of this process and is stopped by its context manager.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

HOST = "127.0.0.1"


def channel_signature(key: str, secret: str, socket_id: str, channel: str) -> str:
    """A Pusher auth endpoint's answer for a private channel: `key:HMAC-SHA256(secret, socket_id:channel)`."""
    digest = hmac.new(secret.encode(), f"{socket_id}:{channel}".encode(), hashlib.sha256).hexdigest()
    return f"{key}:{digest}"


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


class _Background:
    """A server run by a daemon thread; stopped (and its port closed) on exit."""

    def __init__(self, server: http.server.HTTPServer) -> None:
        self._server = server
        # A short poll: shutdown() waits for it, and the demo stops its servers on every run.
        self._thread = threading.Thread(target=server.serve_forever, args=(0.05,),
                                        name="pusher-doctor-sandbox-http", daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(2)


class AuthEndpoint(_Background):
    """The app's auth endpoint as a backend serves it: `POST /pusher/auth` with the form fields
    `socket_id` and `channel_name` answers `{"auth": "key:signature"}`.

    `signing_secret` stands for the backend's PUSHER_SECRET (another app's makes every signature wrong);
    `refuse_with` answers that HTTP status instead, as an endpoint does for a guest without a session.
    """

    PATH = "/pusher/auth"

    def __init__(self, key: str, signing_secret: str, refuse_with: int | None = None) -> None:
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = min(int(self.headers.get("Content-Length") or 0), 4096)
                form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
                socket_id, channel = form.get("socket_id", [""])[0], form.get("channel_name", [""])[0]
                if endpoint.refuse_with is not None:
                    self._answer(endpoint.refuse_with, {"error": "no session for this guest"})
                elif self.path != AuthEndpoint.PATH or not socket_id or not channel:
                    self._answer(404 if self.path != AuthEndpoint.PATH else 400, {"error": "bad request"})
                else:
                    self._answer(200, {"auth": channel_signature(key, signing_secret, socket_id, channel)})

            def _answer(self, status: int, body: dict[str, str]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass  # the demo's terminal shows the report, not an access log

        self.refuse_with = refuse_with
        super().__init__(_QuietServer((HOST, 0), Handler))

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.PATH}"


class WebServer(_Background):
    """A plain web server, not a Pusher one: every request gets a small HTML page."""

    def __init__(self) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def _page(self) -> None:
                body = b"<!doctype html><html><body><h1>Hotel Paradise</h1><p>Welcome!</p></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _page

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(_QuietServer((HOST, 0), Handler))


@contextmanager
def silent_server() -> Iterator[int]:
    """Accepts TCP connections on a free loopback port and never says a word; yields the port."""
    listener = socket.create_server((HOST, 0))
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, name="pusher-doctor-sandbox-silent", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(1)
        for connection in held:
            connection.close()
        listener.close()


def closed_port() -> int:
    """A loopback port nothing listens on (the kernel just handed it out and it was closed again)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])
