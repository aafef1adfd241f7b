"""On a real terminal (a pseudo-terminal here), `check` asks before messaging a live guest."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import PUSHER_VARIABLES, app_options
from tests.support.guests import pusher_js_guest
from tests.support.servers import HEALTHY


def _read_until(fd: int, marker: str, timeout: float) -> str:
    seen, deadline = "", time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 4096).decode(errors="replace")
            except OSError:
                break
    return seen


def _run_on_terminal(server: SoketiServer, room: str, answer: str, tmp_path: Path) -> str:
    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in PUSHER_VARIABLES}
    args = [sys.executable, "-m", "pusher_doctor", "check", "--hotel", "hotel-paradise", "--room", room,
            *app_options(server, HEALTHY)]
    process = subprocess.Popen(args, stdin=terminal, stdout=terminal, stderr=terminal, cwd=tmp_path,
                               env={**env, "NO_COLOR": "1", "COLUMNS": "200"}, close_fds=True)
    os.close(terminal)
    try:
        shown = _read_until(controller, "[y/N]", 20)
        assert "[y/N]" in shown, shown
        os.write(controller, answer.encode() + b"\r")
        shown += _read_until(controller, "Verdict:", 20)
        shown += _read_until(controller, "\n", 2)
        assert process.wait(10) == 0
        return shown
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)


@pytest.mark.parametrize(("answer", "delivered"), [("n", False), ("y", True)])
def test_asks_before_messaging_a_live_guest(soketi: SoketiServer, tmp_path: Path, answer: str,
                                            delivered: bool) -> None:
    room = f"40{int(delivered)}"
    with pusher_js_guest(soketi, f"hotel-paradise-room-{room}-chat", "new-staff-message", 4000) as guest:
        shown = _run_on_terminal(soketi, room, answer, tmp_path)
        out, _ = guest.communicate(timeout=15)
    assert "subscribed to hotel-paradise-room-" in shown
    assert ('"type":"event"' in out) is delivered
    if not delivered:
        assert "you declined" in shown
