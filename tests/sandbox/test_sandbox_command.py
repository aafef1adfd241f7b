"""`pusher-doctor sandbox` as a user runs it: a process that stays up, whose printed export lines make
`check` work against it, and that stops cleanly (soketi included) on SIGTERM or Ctrl-C."""

from __future__ import annotations

import os
import select
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.cli import PUSHER_VARIABLES, REPO, run_process

#: seconds the sandbox may take to print its lines (soketi starts under Node on a busy machine)
START_BOUND = 60.0


@contextmanager
def running_sandbox(*args: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str], list[str]]]:
    """The sandbox as a process; yields it with the PUSHER_* values it printed and its suggested commands.
    Killed at the end whatever happened."""
    env = {k: v for k, v in os.environ.items() if k not in PUSHER_VARIABLES}
    process = subprocess.Popen([sys.executable, "-m", "pusher_doctor", "sandbox", *args], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        lines = _lines_until(process, "pusher-doctor rooms", START_BOUND)
        exports = dict(shlex.split(line)[1].split("=", 1) for line in lines if line.startswith("export "))
        yield process, exports, [line for line in lines if line.startswith("pusher-doctor ")]
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def _lines_until(process: subprocess.Popen[str], start: str, seconds: float) -> list[str]:
    """stdout's lines up to the one that starts with `start`, read from the descriptor (a text stream's
    buffer would hide lines already read from select)."""
    assert process.stdout is not None
    received = b""
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        ready, _, _ = select.select([process.stdout.fileno()], [], [], 0.2)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            received += chunk
            lines = received.decode().splitlines()
            if any(line.startswith(start) for line in lines):
                return lines
    raise AssertionError(f"the sandbox printed no {start!r} line within {seconds} s: {received!r}")


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _suggested_check(commands: list[str]) -> list[str]:
    return shlex.split(next(c for c in commands if c.startswith("pusher-doctor check")))[1:]


@pytest.mark.parametrize(("stop", "name"), [(signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "Ctrl-C")])
def test_the_sandbox_stays_up_for_check_and_stops_cleanly(tmp_path: Path, stop: int, name: str) -> None:
    with running_sandbox() as (process, exports, commands):
        port = int(exports["PUSHER_PORT"])
        assert set(exports) == {"PUSHER_APP_ID", "PUSHER_KEY", "PUSHER_SECRET", "PUSHER_HOST", "PUSHER_PORT",
                                "PUSHER_SCHEME"}
        result = run_process([*_suggested_check(commands), "--json"], cwd=tmp_path, env=exports)
        checks = {c["id"]: c["status"] for c in result.json()["checks"]}
        assert checks["delivery"] == checks["channel-auth"] == checks["channel-privacy"] == "pass", result.output
        assert process.poll() is None, "the sandbox must stay up after a check"
        process.send_signal(stop)
        assert process.wait(30) == 0, name
        assert process.stderr is not None and "sandbox stopped" in process.stderr.read()
    assert not _port_open(port)


def test_a_broken_sandbox_exports_the_fault(tmp_path: Path) -> None:
    with running_sandbox("--broken", "wrong-secret") as (process, exports, commands):
        result = run_process([*_suggested_check(commands), "--json"], cwd=tmp_path, env=exports)
        assert result.exit_code == 1
        failed = [c["cause"] for c in result.json()["checks"] if c["status"] == "fail"]
        assert failed[:1] == ["wrong-secret"], failed
        process.terminate()
        assert process.wait(30) == 0


def test_an_unknown_broken_cause_is_a_usage_error_naming_the_list(tmp_path: Path) -> None:
    result = run_process(["sandbox", "--broken", "nope"], cwd=tmp_path, timeout=30)
    assert result.exit_code == 2 and "pusher-doctor sandbox --broken list" in result.stderr
