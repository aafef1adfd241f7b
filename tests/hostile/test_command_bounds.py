"""Commands that must end within their bound, or refuse at once, whatever feeds or reads them (hostile review
round 3): a watch whose reader left, a latency run longer than its --timeout, trigger's piped DATA, init on a
large app, scan-logs on a device, and the demo's soketi writing into HOME."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pusher
import pytest

from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import REPO, app_options
from tests.support.servers import HEALTHY


def _pipeline(command: str, cwd: Path) -> subprocess.Popen[str]:
    """A shell pipeline as a user types it, exiting with the pusher-doctor side's code (bounded by `timeout`
    so that a watch that never ends fails the test instead of hanging it)."""
    return subprocess.Popen(["bash", "-c", f"{command}; exit ${{PIPESTATUS[0]}}"], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"})


def _watch(server: SoketiServer, channel: str, *extra: str) -> str:
    options = " ".join(app_options(server, HEALTHY))
    return f"timeout 20 {sys.executable} -m pusher_doctor watch --channel {channel} {options} {' '.join(extra)}"


@pytest.mark.parametrize("json_mode", [False, True])
def test_watch_ends_when_its_reader_leaves_though_nothing_more_is_written(tmp_path, soketi, json_mode) -> None:
    started = time.monotonic()
    watch = _pipeline(_watch(soketi, "bounds-room-1-chat", "--json" if json_mode else "") + " | head -1", tmp_path)
    out, err = watch.communicate(timeout=30)
    took = time.monotonic() - started
    assert watch.returncode == 0, err  # the watch's own code: nothing failed (124 would be timeout's)
    assert "connected to" in out and err == ""
    assert took < 8, f"took {took:.1f} s"


def test_watch_piped_to_grep_m1_returns_once_the_event_came(tmp_path, soketi) -> None:
    client = pusher.Pusher(app_id=HEALTHY.id, key=HEALTHY.key, secret=HEALTHY.secret, host=soketi.HOST,
                           port=soketi.port, ssl=False)
    watch = _pipeline(_watch(soketi, "bounds-room-2-chat") + " | grep -m1 new-staff-message", tmp_path)
    started = time.monotonic()
    while watch.poll() is None and time.monotonic() - started < 25:
        client.trigger("bounds-room-2-chat", "new-staff-message", {"id": 1, "message": "hi"})
        time.sleep(0.3)
    out, err = watch.communicate(timeout=10)
    assert watch.returncode == 0, err
    assert "new-staff-message" in out
    assert time.monotonic() - started < 15
