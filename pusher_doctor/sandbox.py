"""A local soketi server with throwaway apps: the `demo` command's sandbox and the test suite's server.

soketi serves the WebSocket and the REST API on one port and reads its apps from a JSON config file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

#: where `make setup` installs soketi (see node/package.json)
PROJECT_SOKETI = Path(__file__).resolve().parent.parent / "node" / "node_modules" / ".bin" / "soketi"
SOKETI_ENV_VAR = "PUSHER_DOCTOR_SOKETI"


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

    def to_soketi(self) -> dict[str, object]:
        return {
            "id": self.id,
            "key": self.key,
            "secret": self.secret,
            "enabled": self.enabled,
            "enableClientMessages": False,
            "maxConnections": self.max_connections,
            "maxEventPayloadInKb": self.max_event_payload_kb,
        }


def find_soketi() -> Path | None:
    """The soketi executable: $PUSHER_DOCTOR_SOKETI, the project's own install, or one on PATH."""
    candidates = [os.environ.get(SOKETI_ENV_VAR), str(PROJECT_SOKETI), shutil.which("soketi")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


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
                "soketi is not installed; run `make setup` (or `npm ci --prefix node`) in the project, "
                f"or set {SOKETI_ENV_VAR} to a soketi executable"
            )
        self._workdir = tempfile.TemporaryDirectory(prefix="pusher-doctor-soketi-")
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
        try:
            self._process = subprocess.Popen(
                [str(self.executable), "start", f"--config={config_path}"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            )
        except OSError as error:  # not executable, not a program, gone since it was found
            self.stop()
            raise SandboxError(f"soketi at {self.executable} cannot be started: {error.strerror or error}") from None
        finally:
            log.close()
        try:
            self._wait_ready(self.ready_timeout if ready_timeout is None else ready_timeout)
        except BaseException:  # Ctrl-C included: soketi runs in its own session and would outlive us
            self.stop()
            raise
        # soketi has read its config; the file holds the apps' secrets and must not outlive a killed run.
        config_path.unlink(missing_ok=True)
        return self

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
            try:
                with urllib.request.urlopen(self.url + "/", timeout=1) as answer:
                    if answer.read().strip() == b"OK":
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise SandboxError(f"soketi did not become ready on port {self.port} within {timeout:.1f} s")

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
