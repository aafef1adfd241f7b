"""Real guests for the tests: a pusher-js client under Node, subscribed as a browser page would be."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from pusher_doctor.sandbox import SandboxApp, SoketiServer
from tests.support.cli import REPO
from tests.support.servers import HEALTHY


@contextmanager
def pusher_js_guest(server: SoketiServer, channel: str, event: str, timeout_ms: int,
                    app: SandboxApp = HEALTHY) -> Iterator[subprocess.Popen]:
    """A pusher-js client subscribed to `channel`, ready when this yields."""
    guest = subprocess.Popen(
        ["node", str(REPO / "node" / "guest.cjs"), server.HOST, str(server.port), app.key, channel, event,
         str(timeout_ms)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert guest.stdout is not None
        first = json.loads(guest.stdout.readline() or "{}")
        assert first == {"type": "subscribed"}, f"pusher-js guest did not subscribe: {first}, {guest.stderr.read()}"
        yield guest
    finally:
        if guest.poll() is None:
            guest.kill()
        guest.wait(5)
