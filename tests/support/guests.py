"""Real guests for the tests: a pusher-js client under Node, subscribed as a browser page would be."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from pusher_doctor.sandbox import SandboxApp, SoketiServer
from pusher_doctor.sandbox.node_deps import CLONE_NODE_DIR, PACKAGE_NODE_DIR
from tests.support.servers import HEALTHY


@contextmanager
def pusher_js_guest(server: SoketiServer, channel: str, event: str, timeout_ms: int,
                    app: SandboxApp = HEALTHY, auth_endpoint: str | None = None) -> Iterator[subprocess.Popen]:
    """A pusher-js client subscribed to `channel` (private ones through `auth_endpoint`), ready when this
    yields."""
    guest = subprocess.Popen(
        ["node", str(PACKAGE_NODE_DIR / "guest.cjs"), server.HOST, str(server.port), app.key, channel, event,
         str(timeout_ms), *([auth_endpoint] if auth_endpoint else [])],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # the script ships in the package; pusher-js is in the clone's npm install
        env={**os.environ, "NODE_PATH": str(CLONE_NODE_DIR / "node_modules")})
    try:
        assert guest.stdout is not None
        first = json.loads(guest.stdout.readline() or "{}")
        assert first == {"type": "subscribed"}, \
            f"pusher-js guest did not subscribe: {first}, {guest.stderr.read()}"
        yield guest
    finally:
        if guest.poll() is None:
            guest.kill()
        guest.wait(5)
