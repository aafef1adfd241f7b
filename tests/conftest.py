"""Fixtures: a real soketi for the whole session, and a way to run the real CLI with a clean environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pusher_doctor.cli import app
from pusher_doctor.sandbox import SandboxApp, SoketiServer, find_soketi
from tests.servers import ALL_APPS

REPO = Path(__file__).resolve().parent.parent
PUSHER_VARIABLES = ("PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_APP_KEY", "PUSHER_SECRET", "PUSHER_APP_SECRET",
                    "PUSHER_CLUSTER", "PUSHER_APP_CLUSTER", "PUSHER_HOST", "PUSHER_PORT", "PUSHER_SCHEME")


@pytest.fixture(scope="session")
def soketi() -> Iterator[SoketiServer]:
    if find_soketi() is None:
        pytest.fail("soketi is not installed: run `make setup` (the README's test command does)")
    with SoketiServer(ALL_APPS) as server:
        yield server


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


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Runs the CLI in-process from an empty directory with no PUSHER_* variables set."""
    monkeypatch.chdir(tmp_path)
    for name in PUSHER_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def invoke(args: Sequence[str], env: dict[str, str] | None = None) -> CliResult:
        result = CliRunner().invoke(app, list(args), env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return invoke


def run_process(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None,
                timeout: float = 60) -> CliResult:
    """Runs `python -m pusher_doctor` as a separate process, as a user's shell would."""
    clean = {k: v for k, v in os.environ.items() if k not in PUSHER_VARIABLES}
    completed = subprocess.run([sys.executable, "-m", "pusher_doctor", *args], check=False, cwd=cwd, env={**clean, **(env or {})},
                               capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return CliResult(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    """No pysher thread may outlive the run that started it."""
    before = set(threading.enumerate())
    yield
    left = [t.name for t in threading.enumerate() if t not in before and t.is_alive()
            and t.name.startswith("Pysher")]
    assert not left, f"threads left running: {left}"
