"""Running the real CLI as a user would: in-process or as a separate process, with a clean environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pusher_doctor.sandbox import SandboxApp, SoketiServer

REPO = Path(__file__).resolve().parents[2]
PUSHER_VARIABLES = ("PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_APP_KEY", "PUSHER_SECRET", "PUSHER_APP_SECRET",
                    "PUSHER_CLUSTER", "PUSHER_APP_CLUSTER", "PUSHER_HOST", "PUSHER_PORT", "PUSHER_SCHEME",
                    "PUSHER_ENCRYPTION_MASTER_KEY_BASE64", "REVERB_APP_ID", "REVERB_APP_KEY", "REVERB_APP_SECRET",
                    "REVERB_HOST", "REVERB_PORT", "REVERB_SCHEME", "VITE_REVERB_APP_KEY", "VITE_REVERB_HOST",
                    "VITE_REVERB_PORT", "VITE_REVERB_SCHEME", "BROADCAST_CONNECTION", "BROADCAST_DRIVER",
                    "QUEUE_CONNECTION", "QUEUE_DRIVER")


def app_options(server: SoketiServer, sandbox_app: SandboxApp, **overrides: str) -> list[str]:
    """Command-line settings pointing at one app of a soketi server."""
    values = {"app-id": sandbox_app.id, "key": sandbox_app.key, "secret": sandbox_app.secret,
              "host": server.HOST, "port": str(server.port), "scheme": "http", **overrides}
    return [part for name, value in values.items() for part in (f"--{name}", value)]


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> dict:
        return json.loads(self.stdout)


def run_process(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None,
                timeout: float = 60) -> CliResult:
    """Runs `python -m pusher_doctor` as a separate process, as a user's shell would."""
    clean = {k: v for k, v in os.environ.items() if k not in PUSHER_VARIABLES}
    completed = subprocess.run([sys.executable, "-m", "pusher_doctor", *args], check=False, cwd=cwd,
                               env={**clean, **(env or {})}, capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
    return CliResult(completed.returncode, completed.stdout, completed.stderr)
