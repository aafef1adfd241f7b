"""The real servers the suite talks to: one soketi with an app per situation, and small misbehaving servers."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from pusher_doctor.sandbox import SandboxApp

HEALTHY = SandboxApp("1001", "healthy-key", "healthy-secret-3f9a7c1d")
DISABLED = SandboxApp("1002", "disabled-key", "disabled-secret-8b2e", enabled=False)
FULL = SandboxApp("1003", "full-key", "full-secret-5d1c", max_connections=1)
TINY_PAYLOAD = SandboxApp("1004", "tiny-key", "tiny-secret-77ae", max_event_payload_kb=1)
#: an app whose secret is easy to search for in any output
SENTINEL = SandboxApp("1005", "sentinel-key", "S3CRET-sentinel-9f8e7d6c")
ALL_APPS = (HEALTHY, DISABLED, FULL, TINY_PAYLOAD, SENTINEL)


@contextmanager
def plain_http_server() -> Iterator[int]:
    """A web server that is not a Pusher server: answers every request with a small HTML page."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = b"<html><body>It works!</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def accepting_server(on_accept: Callable[[socket.socket], list[socket.socket]]) -> Iterator[int]:
    """Listens on a free loopback port, hands each connection to on_accept in a background thread, and
    closes every socket on_accept returned when done; yields the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection = listener.accept()[0]
            except OSError:
                continue
            held.extend(on_accept(connection))

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(1)
        for conn in held:
            conn.close()
        listener.close()


def silent_server() -> AbstractContextManager[int]:
    """Accepts TCP connections and never says a word."""
    return accepting_server(lambda connection: [connection])


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
