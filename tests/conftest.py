"""Fixtures: a real soketi for the whole session, and a way to run the real CLI with a clean environment.

Helpers that tests call directly live in tests/support, not here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pusher_doctor.cli import app
from pusher_doctor.sandbox import SoketiServer, find_soketi
from tests.support.cli import PUSHER_VARIABLES, CliResult
from tests.support.servers import ALL_APPS


@pytest.fixture(scope="session")
def soketi() -> Iterator[SoketiServer]:
    if find_soketi() is None:
        pytest.fail("soketi is not installed: run `make setup` (the README's test command does)")
    with SoketiServer(ALL_APPS) as server:
        yield server


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


@pytest.fixture(autouse=True)
def no_leftover_threads() -> Iterator[None]:
    """No pysher thread may outlive the run that started it."""
    before = set(threading.enumerate())
    yield
    left = [t.name for t in threading.enumerate() if t not in before and t.is_alive()
            and t.name.startswith("Pysher")]
    assert not left, f"threads left running: {left}"
