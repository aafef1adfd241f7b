"""The real servers the suite talks to: one soketi with an app per situation, and small misbehaving servers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pusher_doctor.sandbox import SandboxApp

# The misbehaving servers the sandbox already has serve the tests too: one definition of each.
from pusher_doctor.sandbox.loopback import WebServer, closed_port, silent_server  # noqa: F401 - re-exported

HEALTHY = SandboxApp("1001", "healthy-key", "healthy-secret-3f9a7c1d")
DISABLED = SandboxApp("1002", "disabled-key", "disabled-secret-8b2e", enabled=False)
FULL = SandboxApp("1003", "full-key", "full-secret-5d1c", max_connections=1)
TINY_PAYLOAD = SandboxApp("1004", "tiny-key", "tiny-secret-77ae", max_event_payload_kb=1)
#: an app whose secret is easy to search for in any output
SENTINEL = SandboxApp("1005", "sentinel-key", "S3CRET-sentinel-9f8e7d6c")
#: the throwaway app of the README's CI recipe (its soketi service's SOKETI_DEFAULT_APP_*)
CI_RECIPE = SandboxApp("1", "app-key", "app-secret")
ALL_APPS = (HEALTHY, DISABLED, FULL, TINY_PAYLOAD, SENTINEL, CI_RECIPE)


@contextmanager
def plain_http_server() -> Iterator[int]:
    """A web server that is not a Pusher server (the sandbox's own, which `demo --broken not-pusher` uses)."""
    with WebServer() as server:
        yield server.port


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
