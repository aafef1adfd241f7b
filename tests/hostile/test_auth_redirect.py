"""An auth endpoint that redirects (issue #20, item 1): the redirect is named `auth-redirect` and never
followed, so the guest's cookie and headers reach no host the user did not point at."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pusher_doctor.protocol.auth import ask_endpoint, build_endpoint
from pusher_doctor.results import Problem

COOKIE = "sessionid=c00k1e-v4lue-7c1d"
TOKEN = "Authorization: Bearer t0ken-v4lue-2b9e"


@contextmanager
def http_server(status: int, location: str = "") -> Iterator[tuple[int, list[dict[str, str]]]]:
    """A loopback server answering every request with `status` (and a Location); yields its port and the
    headers of each request it received."""
    seen: list[dict[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(dict(self.headers.items()))
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_OPTIONS = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_origin_is_named_and_carries_no_credentials_there(status: int) -> None:
    # localhost is another origin than 127.0.0.1, on the same loopback
    with (http_server(200) as (other_port, other_seen),
          http_server(status, f"http://localhost:{other_port}/login?next=/auth") as (port, seen)):
        endpoint = build_endpoint(f"http://127.0.0.1:{port}/auth", headers=[TOKEN], cookies=[COOKIE])
        found = ask_endpoint(endpoint, "1234.5678", "private-hotel-room-1-chat", lambda: 2.0)
    assert len(seen) == 1
    assert other_seen == [], "the request followed the redirect to another host"
    assert isinstance(found, Problem) and found.cause == "auth-redirect", found
    assert f"HTTP {status}, a redirect to http://localhost:{other_port}/login" in found.summary
    assert "another origin" in found.summary


def test_a_same_origin_redirect_is_named_too() -> None:
    with http_server(302, "/accounts/login/") as (port, seen):
        endpoint = build_endpoint(f"http://127.0.0.1:{port}/auth", cookies=[COOKIE])
        found = ask_endpoint(endpoint, "1234.5678", "private-hotel-room-1-chat", lambda: 2.0)
    assert len(seen) == 1
    assert isinstance(found, Problem) and found.cause == "auth-redirect"
    assert f"a redirect to http://127.0.0.1:{port}/accounts/login/: usually a login page" in found.summary
