"""A web server for the guest pages written for the page tests (tests/page/fixtures), with the real
pusher-js browser build and React's UMD build from the project's npm dependencies.

- `/pages/NAME.html?room=R`: a guest page; it reads the Pusher server's settings from `/config.js` and the
  room from its own query, so each test gets a channel of its own.
- `/private/NAME.html?room=R`: the same page, answered only with the guest's session (the cookie
  `SESSION_COOKIE=SESSION_VALUE` or the header `Authorization: Bearer SESSION_VALUE`), else HTTP 403.
- `/api/messages`: the message history a page may reload after reconnecting (always empty).
- `/vendor/...`: pusher-js and React, from node/node_modules.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import REPO, CliResult
from tests.support.servers import HEALTHY, closed_port

FIXTURES = REPO / "tests" / "page" / "fixtures"
NODE_MODULES = REPO / "node" / "node_modules"
VENDOR = {
    "pusher.min.js": NODE_MODULES / "pusher-js" / "dist" / "web" / "pusher.min.js",
    "react.min.js": NODE_MODULES / "react" / "umd" / "react.production.min.js",
    "react-dom.min.js": NODE_MODULES / "react-dom" / "umd" / "react-dom.production.min.js",
}
SESSION_COOKIE = "guest_session"
#: long and odd enough to be searched for in any output
SESSION_VALUE = "S3ssion-guest-7f3a9c21e8"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


@dataclass(frozen=True)
class GuestPages:
    base: str

    def url(self, name: str, room: str, private: bool = False) -> str:
        return f"{self.base}/{'private' if private else 'pages'}/{name}.html?room={room}"


def _handler(config: bytes) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _has_session(self) -> bool:
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
            return (SESSION_COOKIE in cookie and cookie[SESSION_COOKIE].value == SESSION_VALUE) \
                or self.headers.get("Authorization") == f"Bearer {SESSION_VALUE}"

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            folder, _, name = path.lstrip("/").partition("/")
            if path == "/config.js":
                self._send(200, config, TYPES[".js"])
            elif path == "/api/messages":
                self._send(200, b"[]", "application/json")
            elif folder == "vendor" and name in VENDOR:
                self._send(200, VENDOR[name].read_bytes(), TYPES[".js"])
            elif folder == "private" and not self._has_session():
                self._send(403, b"<h1>Please log in</h1>", TYPES[".html"])
            elif folder in ("pages", "private") and "/" not in name and (FIXTURES / name).is_file():
                self._send(200, (FIXTURES / name).read_bytes(), TYPES.get(Path(name).suffix, "text/plain"))
            elif path == "/common.js":
                self._send(200, (FIXTURES / "common.js").read_bytes(), TYPES[".js"])
            else:
                self._send(404, b"not found", "text/plain")

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def guest_pages(server: SoketiServer) -> Iterator[GuestPages]:
    """Serves the guest pages for the HEALTHY app of `server` on a free loopback port."""
    missing = [str(path) for path in VENDOR.values() if not path.is_file()]
    assert not missing, f"run `make setup` (npm dependencies missing: {', '.join(missing)})"
    settings = {"key": HEALTHY.key, "host": server.HOST, "port": server.port, "hotel": "hotel-paradise",
                "otherPort": closed_port()}
    config = f"window.GUEST = {json.dumps(settings)};\n".encode()
    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(config))
    thread = threading.Thread(target=web.serve_forever, daemon=True)
    thread.start()
    try:
        yield GuestPages(f"http://127.0.0.1:{web.server_address[1]}")
    finally:
        web.shutdown()
        web.server_close()


def checks_by_id(result: CliResult) -> dict[str, dict]:
    """The checks of a `check --json` document, by id."""
    return {check["id"]: check for check in result.json()["checks"]}
