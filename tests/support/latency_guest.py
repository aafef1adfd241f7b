"""A pusher-js client that measures the latency probes itself: for each `pusher-doctor-latency` event it
takes its own clock minus the event's `sent_at_ms`, and prints its figures as one JSON line at the end."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pusher_doctor.sandbox import SandboxApp, SoketiServer
from tests.support.cli import REPO
from tests.support.servers import HEALTHY

SCRIPT = r"""
const Pusher = require("pusher-js");
const { performance } = require("perf_hooks");
const [host, port, key, channelName, count, timeoutMs] = process.argv.slice(2);
const say = (m) => process.stdout.write(JSON.stringify(m) + "\n");
const pusher = new Pusher(key, { cluster: "mt1", wsHost: host, wsPort: Number(port), forceTLS: false,
  enabledTransports: ["ws"], disableStats: true });
const latencies = [];
const finish = () => { say({ type: "done", latencies }); pusher.disconnect(); process.exit(0); };
const channel = pusher.subscribe(channelName);
channel.bind("pusher:subscription_succeeded", () => say({ type: "subscribed" }));
channel.bind("pusher-doctor-latency", (data) => {
  latencies.push(performance.timeOrigin + performance.now() - data.sent_at_ms);
  if (latencies.length >= Number(count)) finish();
});
setTimeout(finish, Number(timeoutMs));
"""


@contextmanager
def latency_guest(server: SoketiServer, channel: str, count: int, timeout_ms: int, workdir: Path,
                  app: SandboxApp = HEALTHY) -> Iterator[subprocess.Popen]:
    """Subscribed when this yields; read its last stdout line for {"type": "done", "latencies": [...]}."""
    script = workdir / "latency_guest.cjs"
    script.write_text(SCRIPT)
    guest = subprocess.Popen(["node", str(script), server.HOST, str(server.port), app.key, channel, str(count),
                              str(timeout_ms)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "NODE_PATH": str(REPO / "node" / "node_modules")})
    try:
        assert guest.stdout is not None
        first = json.loads(guest.stdout.readline() or "{}")
        assert first == {"type": "subscribed"}, f"pusher-js guest did not subscribe: {first}"
        yield guest
    finally:
        if guest.poll() is None:
            guest.kill()
        guest.wait(5)
