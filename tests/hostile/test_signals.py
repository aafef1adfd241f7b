"""SIGTERM and SIGHUP for every command (issue #20, item 7): exit 143 and 129 as the README says, from the
first moment of the process on, and with --json still one document, with what was learned."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import REPO, app_options
from tests.support.hostile import assert_clean
from tests.support.servers import HEALTHY, silent_server

SECRET = "signal-secret-4c2e9a"
CODES = [(signal.SIGTERM, 143), (signal.SIGHUP, 129)]


def start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "pusher_doctor", *args], cwd=cwd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})


def catches_sigterm(pid: int) -> bool:
    """Whether the process has a handler for SIGTERM yet (SigCgt in /proc: bit 14 is signal 15)."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught, 16) >> (signal.SIGTERM - 1) & 1)


def wait_until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        time.sleep(0.005)


def stopped(process: subprocess.Popen[str], signum: int) -> tuple[str, str]:
    process.send_signal(signum)
    try:
        return process.communicate(timeout=15)
    finally:
        process.kill()


def server_args(port: int) -> list[str]:
    return ["--app-id", "1", "--key", "k", "--secret", SECRET, "--host", "127.0.0.1", "--port", str(port),
            "--scheme", "http", "--timeout", "20", "--json"]


COMMANDS = {
    "rooms": ["rooms", "--hotel", "hotel-paradise"],
    "trigger": ["trigger", "--hotel", "hotel-paradise", "--room", "101", "--yes"],
    "latency": ["latency", "--hotel", "hotel-paradise", "--room", "101", "--yes"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(("signum", "code"), CODES, ids=["SIGTERM", "SIGHUP"])
def test_a_command_waiting_on_a_server_ends_with_the_signals_code_and_a_document(tmp_path, command, signum,
                                                                                 code) -> None:
    with silent_server() as port:
        process = start([*COMMANDS[command], *server_args(port)], tmp_path)
        time.sleep(1.0)
        out, err = stopped(process, signum)
    assert process.returncode == code, err[-2000:]
    assert_clean(out + err, SECRET, json_output=True)
    document = json.loads(out)
    assert document["interrupted"] is True and document["error"]["cause"] == "interrupted"
    assert document["error"]["message"] == f"stopped by {signum.name} before the command had a result"


@pytest.mark.parametrize(("signum", "code"), CODES, ids=["SIGTERM", "SIGHUP"])
def test_a_signal_in_the_first_moment_is_kept_until_the_command_can_report_it(tmp_path, signum, code) -> None:
    with silent_server() as port:
        process = start([*COMMANDS["latency"], *server_args(port)], tmp_path)
        wait_until(lambda: catches_sigterm(process.pid), 10)  # the earliest handler, before the CLI loads
        out, err = stopped(process, signum)
    assert process.returncode == code, err[-2000:]
    assert json.loads(out)["interrupted"] is True


def test_latency_stopped_midway_reports_the_probes_sent(tmp_path, soketi: SoketiServer) -> None:
    process = start(["latency", "--hotel", "hotel-paradise", "--room", "101", "--count", "200", "--rate", "20",
                     "--yes", "--json", *app_options(soketi, HEALTHY)], tmp_path)
    time.sleep(2.0)
    out, err = stopped(process, signal.SIGTERM)
    assert process.returncode == 143, err[-2000:]
    document = json.loads(out)
    assert document["interrupted"] is True and document["ok"] is False
    assert 0 < document["sent"] < 200 and document["received"] <= document["sent"]


@pytest.mark.parametrize(("signum", "code"), CODES, ids=["SIGTERM", "SIGHUP"])
def test_scan_logs_reading_a_pipe_ends_with_the_signals_code_and_a_document(tmp_path, signum, code) -> None:
    process = start(["scan-logs", "-", "--json"], tmp_path)
    assert process.stdin is not None
    process.stdin.write("2026-12-03 10:00:00 INFO message 7 created\n")
    process.stdin.flush()
    time.sleep(1.0)
    out, err = stopped(process, signum)
    assert process.returncode == code, err[-2000:]
    assert json.loads(out)["interrupted"] is True
