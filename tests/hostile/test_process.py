"""The real process under broken environments: closed, full, narrow and abandoned streams, and signals.
Every case ends within its bound with its documented exit code, no traceback, nothing left running and
no file left behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import REPO, app_options
from tests.support.hostile import assert_clean
from tests.support.servers import HEALTHY, accepting_server

PYTHON = [sys.executable, "-m", "pusher_doctor"]


def shell(command: str, cwd: Path, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs a shell line (for redirections such as >&- and <&-) with the project on the path."""
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **env}, check=False)


def healthy(server: SoketiServer) -> str:
    return " ".join(["check", "--hotel", "proc", "--room", "1", "--yes", *app_options(server, HEALTHY)])


def test_a_full_disk_is_one_line_and_exit_74(tmp_path, soketi) -> None:
    done = shell(f"{sys.executable} -m pusher_doctor {healthy(soketi)} --json > /dev/full", tmp_path)
    assert done.returncode == 74, done.stderr
    assert done.stderr.strip() == "pusher-doctor: the report could not be written to stdout: No space left on device"


def test_a_reader_that_leaves_early_does_not_change_the_exit_code(tmp_path, soketi) -> None:
    done = shell(f"{sys.executable} -m pusher_doctor {healthy(soketi)} | head -1; exit ${{PIPESTATUS[0]}}", tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("pusher-doctor check: proc, room 1") and done.stderr == ""


def test_a_closed_stdout_still_gives_the_exit_code_and_says_why_nothing_shows(tmp_path, soketi) -> None:
    done = shell(f"{sys.executable} -m pusher_doctor {healthy(soketi)} >&-", tmp_path)
    assert done.returncode == 0
    assert "stdout is closed" in done.stderr and "Traceback" not in done.stderr


def test_a_closed_stdin_is_nobody_to_ask(tmp_path, soketi) -> None:
    done = shell(f"{sys.executable} -m pusher_doctor {healthy(soketi)} <&-", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert_clean(done.stdout + done.stderr)


@pytest.mark.parametrize("json_mode", [True, False])
def test_an_ascii_only_stdout_gets_ascii_output(tmp_path, soketi, json_mode) -> None:
    flag = " --json" if json_mode else ""
    done = shell(f"{sys.executable} -m pusher_doctor {healthy(soketi)}{flag}", tmp_path, PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    done.stdout.encode("ascii")
    if json_mode:
        assert json.loads(done.stdout)["ok"] is True
    else:
        assert "+ Settings" in done.stdout


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _gone(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_demo_stops_soketi_and_removes_its_files(tmp_path, signum, code) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # Signalled while soketi starts or the check runs: either way, nothing may be left behind.
    demo = subprocess.Popen([*PYTHON, "demo", "--timeout", "30"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(scratch),
                                                                    "PYTHONPATH": str(REPO)})
    children: list[int] = []
    assert _wait_for(lambda: bool(children.extend(_children(demo.pid)) or children), 20), "soketi never started"
    time.sleep(0.3)
    demo.send_signal(signum)
    out, err = demo.communicate(timeout=10)
    assert demo.returncode == code, err
    assert "Traceback" not in out + err
    assert _wait_for(lambda: all(_gone(pid) for pid in children), 2), "soketi outlived the demo"
    assert list(scratch.iterdir()) == []


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False).stdout
    return [int(line) for line in found.split()]


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_during_a_hung_check_keeps_what_was_learned(tmp_path, signum, code) -> None:
    asked: list[socket.socket] = []
    with accepting_server(lambda connection: asked.append(connection) or [connection]) as port:
        check = subprocess.Popen([*PYTHON, "check", "--hotel", "h", "--room", "1", "--app-id", "1", "--key", "k",
                                  "--secret", "signal-secret-9d8c", "--host", "127.0.0.1", "--port", str(port),
                                  "--scheme", "http", "--timeout", "30", "--json"], cwd=tmp_path,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": str(REPO)})
        # Signalled once the REST call has waited a while, however long the start took on a busy machine.
        assert _wait_for(lambda: bool(asked), 20), "the REST call never came"
        time.sleep(0.7)
        check.send_signal(signum)
        out, err = check.communicate(timeout=10)
    assert check.returncode == code, err
    document = json.loads(out)
    assert document["interrupted"] is True
    assert document["interrupted_during"]["check"] == "rest-api"
    assert document["interrupted_during"]["waited_ms"] > 500
    assert document["verdict"].startswith("Interrupted while REST API had waited")
    assert [c["id"] for c in document["checks"]][:2] == ["settings", "channels"]
    assert_clean(out + err, "signal-secret-9d8c")
