"""A real pusher-js guest under Node: the demo's stand-in for the hotel's guest page.

It runs `node/guest.cjs` (package data) with pusher-js from the node_modules that `node_deps` found, and
reads the JSON lines it prints in a thread of its own, so the demo can wait for "subscribed" before the
check and for the test event after the trigger. It is stopped, whatever happens, by its context manager.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from pusher_doctor.sandbox.node_deps import PACKAGE_NODE_DIR
from pusher_doctor.sandbox.soketi import SandboxError

GUEST_SCRIPT = PACKAGE_NODE_DIR / "guest.cjs"


@dataclass(frozen=True)
class GuestMessage:
    """One line the guest printed, and when it was read (time.monotonic())."""

    body: dict[str, Any]
    at: float


class PusherJsGuest:
    """pusher-js subscribed to `channel` on a soketi, bound to `event`; `lifetime` bounds the Node process
    even if this one is killed before it can stop it."""

    def __init__(self, node_modules: Path, host: str, port: int, key: str, channel: str, event: str,
                 lifetime: float, auth_endpoint: str | None = None) -> None:
        self.channel = channel
        self.event = event
        self._command = ["node", str(GUEST_SCRIPT), host, str(port), key, channel, event,
                         str(int(lifetime * 1000)), *([auth_endpoint] if auth_endpoint else [])]
        self._node_modules = node_modules
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._messages: list[GuestMessage] = []
        self._arrived = threading.Condition()
        #: the guest's output ended (it exited or was stopped): nothing more will arrive
        self._ended = False

    def start(self, timeout: float) -> Self:
        """Starts the guest and waits until the server acknowledged its subscription; SandboxError says
        why when it does not within `timeout`."""
        try:
            self._process = subprocess.Popen(
                self._command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                text=True, env={**os.environ, "NODE_PATH": str(self._node_modules)}, start_new_session=True)
        except OSError as error:
            raise SandboxError(f"the demo's pusher-js guest cannot start: node: {error.strerror or error} "
                               "(soketi and the guest run on Node.js)") from None
        self._reader = threading.Thread(target=self._read, name="pusher-doctor-demo-guest", daemon=True)
        self._reader.start()
        try:
            first = self.wait_for(lambda body: body.get("type") != "event", timeout)
        except BaseException:  # Ctrl-C included: the guest must not outlive the demo
            self.stop()
            raise
        if first is None or first.body.get("type") != "subscribed":
            said = "nothing" if first is None else json.dumps(first.body)[:200]
            self.stop()
            raise SandboxError(f"the demo's pusher-js guest did not subscribe to {self.channel} within "
                               f"{timeout:.1f} s (it said {said})")
        return self

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            try:
                body = json.loads(line)
            except ValueError:
                continue
            if isinstance(body, dict):
                with self._arrived:
                    self._messages.append(GuestMessage(body, time.monotonic()))
                    self._arrived.notify_all()
        with self._arrived:  # the guest ended: nobody should wait for more
            self._ended = True
            self._arrived.notify_all()

    def wait_for(self, wanted: Any, timeout: float) -> GuestMessage | None:
        """The first message whose body `wanted(body)` accepts, waiting at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                found = next((m for m in self._messages if wanted(m.body)), None)
                left = deadline - time.monotonic()
                if found is not None or left <= 0 or self._ended:
                    return found
                self._arrived.wait(min(left, 0.5))

    def received(self, probe: str, timeout: float) -> GuestMessage | None:
        """The guest's report of the test event carrying `probe`, once it arrives."""
        def ours(body: dict[str, Any]) -> bool:
            data = body.get("data")
            return (body.get("type") == "event" and isinstance(data, dict)
                    and data.get("pusher_doctor_probe") == probe)

        return self.wait_for(ours, timeout)

    @property
    def pid(self) -> int | None:
        """The Node process's id while it is ours to stop."""
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        """Ends the Node process (at once: it holds nothing worth a graceful close); safe to repeat."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=5)
        if self._reader is not None:
            self._reader.join(2)
        if process.stdout is not None:
            process.stdout.close()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __enter__(self) -> Self:
        return self
