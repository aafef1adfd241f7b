"""`pusher-doctor demo` as a person runs it: the whole chain ends all green with the demo's own pusher-js
guest, which gets the test message; and the guest, soketi and their files are gone on every way out."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pusher_doctor.checks import CHECKS
from tests.sandbox.support import clean_env, processes_marked, run

DEMO = [sys.executable, "-m", "pusher_doctor", "demo"]


def test_the_healthy_demo_is_all_green_and_its_guest_got_the_message(tmp_path: Path) -> None:
    marker = f"healthy-json-{tmp_path.name}"
    done = run([*DEMO, "--json"], tmp_path, clean_env(PUSHER_DOCTOR_TEST_MARKER=marker))

    assert done.exit_code == 0, done.stderr
    assert done.stderr == ""
    document = json.loads(done.stdout)
    assert document["ok"] is True
    checks = {c["id"]: c for c in document["checks"]}
    # The registry's checks, and the guest's step right after delivery.
    ids = [check.id for check in CHECKS]
    ids.insert(ids.index("delivery") + 1, "demo-guest")
    assert list(checks) == ids
    assert {c["status"] for c in checks.values()} == {"pass"}, {i: c["status"] for i, c in checks.items()}
    live = checks["live-guest"]["summary"]
    assert live == "1 connection(s) subscribed to private-demo-hotel-room-101-chat right now"
    assert checks["trigger"]["status"] == "pass"  # the live guest is the demo's own: no --yes needed
    guest = checks["demo-guest"]
    assert guest["data"]["guest_received"] is True and guest["data"]["latency_ms"] >= 0
    assert "received new-staff-message on private-demo-hotel-room-101-chat" in guest["summary"]
    assert all(e["received"] for e in document["events"]) and len(document["events"]) == 3
    assert processes_marked(marker) == []


def test_the_terminal_report_marks_every_step_passed(tmp_path: Path) -> None:
    done = run(DEMO, tmp_path, clean_env())
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "the demo's own pusher-js guest is on private-demo-hotel-room-101-chat" in lines[0]
    marked = [line.strip() for line in lines if line.strip()[:2] in ("✓ ", "! ", "✗ ", "- ")]
    assert len(marked) == len(CHECKS) + 1 + 3  # the checks, the guest's step, the three events
    assert all(line.startswith("✓ ") for line in marked), marked
    assert any(line.startswith("✓ Demo guest") and "received new-staff-message" in line for line in lines)


def _guest_running(marker: str) -> bool:
    for pid in processes_marked(marker):
        try:
            if b"guest.cjs" in Path(f"/proc/{pid}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


@pytest.mark.parametrize(("signum", "code"),
                         [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_while_the_guest_waits_stops_guest_and_soketi(tmp_path: Path, signum: int,
                                                                code: int) -> None:
    # `--broken timeout`: the check hangs on a silent server while the guest and soketi run.
    marker = f"signal-{signum}-{tmp_path.name}"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    demo = subprocess.Popen([*DEMO, "--broken", "timeout", "--timeout", "30"], cwd=tmp_path,
                            env=clean_env(PUSHER_DOCTOR_TEST_MARKER=marker, TMPDIR=str(scratch)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not _guest_running(marker) and time.monotonic() < deadline and demo.poll() is None:
            time.sleep(0.05)
        assert _guest_running(marker), "the demo's guest never started"
        time.sleep(0.3)  # the check is now waiting on the silent server
        demo.send_signal(signum)
        out, err = demo.communicate(timeout=15)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait(5)
    assert demo.returncode == code, err
    assert "Traceback" not in out + err
    deadline = time.monotonic() + 3
    while processes_marked(marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_marked(marker) == [], "the guest or soketi outlived the demo"
    assert list(scratch.iterdir()) == []


def test_quiet_shows_only_problems_and_the_verdict(tmp_path: Path) -> None:
    done = run([*DEMO, "-q", "--broken", "public-guest-channel"], tmp_path, clean_env())
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("! Privacy") and not any(line.startswith("✓") for line in lines)
    assert any(line.startswith("Verdict:") for line in lines)
