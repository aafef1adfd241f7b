"""A local soketi server with throwaway apps: the `demo` command's sandbox and the test suite's server.

soketi serves the WebSocket and the REST API on one port and reads its apps from a JSON config file.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from pusher_doctor.sandbox.node_deps import SOKETI_ENV_VAR, find_soketi


class SandboxError(RuntimeError):
    """soketi is missing or did not start; the message says what to do."""


@dataclass(frozen=True)
class SandboxApp:
    """One app in soketi's config. -1 / 0 limits mean unlimited, as in soketi."""

    id: str
    key: str
    secret: str
    enabled: bool = True
    max_connections: int = -1
    max_event_payload_kb: int = 100
    #: events per batch trigger; Pusher's (and soketi's default) is 10
    max_event_batch_size: int = 10
    #: relay client events (`client-*`) between subscribers; Pusher's default is off
    client_messages: bool = False

    def to_soketi(self) -> dict[str, object]:
        return {
            "id": self.id,
            "key": self.key,
            "secret": self.secret,
            "enabled": self.enabled,
            "enableClientMessages": self.client_messages,
            "maxConnections": self.max_connections,
            "maxEventPayloadInKb": self.max_event_payload_kb,
            "maxEventBatchSize": self.max_event_batch_size,
        }


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class SoketiServer:
    """Starts soketi on free loopback ports with the given apps; stops it and removes its files on exit."""

    HOST = "127.0.0.1"

    def __init__(self, apps: Sequence[SandboxApp], executable: Path | None = None,
                 ready_timeout: float = 20.0) -> None:
        self.apps = tuple(apps)
        self.ready_timeout = ready_timeout
        self.executable = executable or find_soketi()
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._workdir: tempfile.TemporaryDirectory[str] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.HOST}:{self.port}"

    def start(self, ready_timeout: float | None = None) -> SoketiServer:
        """Starts soketi and waits until it answers; SandboxError (with what to do) when it cannot."""
        if self.executable is None:
            raise SandboxError(
                "soketi is not installed; run `make setup` in the project (or `pusher-doctor demo`, which "
                f"installs it with npm), or set {SOKETI_ENV_VAR} to a soketi executable"
            )
        try:
            self._workdir = tempfile.TemporaryDirectory(prefix="pusher-doctor-soketi-")
            config_path = self._launch()
            self._wait_ready(self.ready_timeout if ready_timeout is None else ready_timeout)
        except BaseException:  # Ctrl-C included, at any point after the folder exists: soketi runs in its own
            self.stop()        # session and would outlive us, and the folder holds the apps' secrets
            raise
        # soketi has read its config; the file holds the apps' secrets and must not outlive a killed run.
        config_path.unlink(missing_ok=True)
        return self

    def _launch(self) -> Path:
        """Writes soketi's config into the work folder and starts it; the config's path."""
        assert self._workdir is not None
        self.port = free_port(self.HOST)
        config = {
            "host": self.HOST,
            "port": self.port,
            "debug": False,
            # soketi opens its usage/metrics port even with metrics off: give each instance its own.
            "metrics": {"enabled": False, "port": free_port(self.HOST)},
            "appManager.array.apps": [app.to_soketi() for app in self.apps],
        }
        config_path = Path(self._workdir.name) / "soketi.json"
        config_path.write_text(json.dumps(config))
        log = open(Path(self._workdir.name) / "soketi.log", "wb")  # noqa: SIM115 - lives as long as the process
        # soketi loads pm2, which makes ~/.pm2 (logs, pids) on start: a throwaway server keeps it in its own
        # folder, removed with it, and writes nothing into the user's HOME (nor makes one that was not there).
        home = Path(self._workdir.name) / "home"
        home.mkdir()
        try:
            self._process = subprocess.Popen(
                [str(self.executable), "start", f"--config={config_path}"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                env={**os.environ, "HOME": str(home), "PM2_HOME": str(home / ".pm2")},
            )
        except OSError as error:  # not executable, not a program, gone since it was found
            why = error.strerror or error
            raise SandboxError(f"soketi at {self.executable} cannot be started: {why}") from None
        finally:
            log.close()
        return config_path

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            code = self._process.poll()
            if code is not None:
                output = " ".join(self.log_tail(5).split()) or "no output"
                self.stop()
                hint = " (is Node.js installed? soketi runs on it)" if code == 127 else ""
                raise SandboxError(f"soketi exited at start with code {code}{hint}: {output[-300:]}")
            if self._answers_ok():
                return
            time.sleep(0.1)
        self.stop()
        raise SandboxError(f"soketi did not become ready on port {self.port} within {timeout:.1f} s")

    def _answers_ok(self) -> bool:
        """soketi's readiness: `GET /` answers OK. (http.client: urllib.request costs ~15 ms to import.)"""
        connection = http.client.HTTPConnection(self.HOST, self.port, timeout=1)
        try:
            connection.request("GET", "/")
            return connection.getresponse().read().strip() == b"OK"
        except (OSError, http.client.HTTPException):
            return False
        finally:
            connection.close()

    def alive(self) -> bool:
        """Whether soketi still runs (it may stop by itself: killed, out of memory)."""
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        if self._workdir is None:
            return ""
        path = Path(self._workdir.name) / "soketi.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    #: seconds soketi gets to stop on SIGTERM; it often takes several, and a throwaway sandbox has no state
    STOP_GRACE = 0.3

    def stop(self) -> None:
        process, self._process = self._process, None
        try:
            if process is not None and process.poll() is None:
                # soketi runs under a node wrapper: signal the whole group so no child outlives us.
                _signal_group(process, signal.SIGTERM)
                process.wait(timeout=self.STOP_GRACE)
        except subprocess.TimeoutExpired:
            pass
        finally:
            # Also reached on Ctrl-C during the wait: whatever still runs is killed.
            if process is not None and process.poll() is None:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=5)
            if self._workdir is not None:
                self._workdir.cleanup()
                self._workdir = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass
