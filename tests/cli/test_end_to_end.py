"""The real CLI against a real soketi, and a real pusher-js guest under Node."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pusher_doctor.checks import CHECKS
from pusher_doctor.sandbox import SoketiServer
from tests.support.cli import app_options, run_process
from tests.support.guests import pusher_js_guest
from tests.support.servers import HEALTHY

CHECK = ["check", "--hotel", "hotel-paradise", "--room", "101"]
EXPECTED_EVENTS = [
    ("hotel-paradise-room-101-chat", "new-staff-message"),
    ("hotel-paradise-conversation-45-chat", "new-message"),
    ("hotel-paradise-conversation-45-chat", "message-delivered"),
]


def test_healthy_app_delivers_all_three_events(cli, soketi: SoketiServer) -> None:
    result = cli([*CHECK, "--conversation", "45", "--json", *app_options(soketi, HEALTHY)])

    assert result.exit_code == 0, result.output
    document = result.json()
    assert document["ok"] is True
    assert [c["id"] for c in document["checks"]] == [check.id for check in CHECKS]
    assert {c["id"]: c["status"] for c in document["checks"]}["delivery"] == "pass"
    assert [(e["channel"], e["event"]) for e in document["events"]] == EXPECTED_EVENTS
    assert all(e["received"] and e["latency_ms"] >= 0 for e in document["events"])
    assert "not subscribed" in document["verdict"]


def test_terminal_report_names_each_step_and_the_verdict(cli, soketi: SoketiServer) -> None:
    result = cli([*CHECK, *app_options(soketi, HEALTHY)])

    assert result.exit_code == 0, result.output
    for title in ("Settings", "Channel names", "REST API", "WebSocket", "Live guest", "Subscribe", "Trigger",
                  "Delivery", "Verdict:"):
        assert title in result.stdout
    assert "new-staff-message" in result.stdout
    assert HEALTHY.secret not in result.output


def _guest_messages(guest: subprocess.Popen) -> list[dict]:
    out, _ = guest.communicate(timeout=15)
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_pusher_js_guest_receives_the_test_message(cli, soketi: SoketiServer) -> None:
    channel = "hotel-paradise-room-202-chat"
    with pusher_js_guest(soketi, channel, "new-staff-message", 8000) as guest:
        result = cli(["check", "--hotel", "hotel-paradise", "--room", "202", "--yes", "--json",
                      *app_options(soketi, HEALTHY)])
        received = _guest_messages(guest)

    assert result.exit_code == 0, result.output
    checks = {c["id"]: c for c in result.json()["checks"]}
    assert checks["live-guest"]["status"] == "pass"
    assert checks["live-guest"]["summary"].startswith("1 connection(s) subscribed")
    probe = checks["trigger"]["summary"].rsplit("probe ", 1)[1]
    event = next(m for m in received if m["type"] == "event")
    assert event["event"] == "new-staff-message"
    assert event["data"]["sender_type"] == "staff"
    assert event["data"]["pusher_doctor_probe"] == probe
    assert "pusher-doctor test message" in event["data"]["message"]


def test_live_guest_is_not_messaged_without_yes(cli, soketi: SoketiServer) -> None:
    channel = "hotel-paradise-room-303-chat"
    with pusher_js_guest(soketi, channel, "new-staff-message", 2500) as guest:
        result = cli(["check", "--hotel", "hotel-paradise", "--room", "303", "--json", *app_options(soketi, HEALTHY)])
        received = _guest_messages(guest)

    assert result.exit_code == 0, result.output
    checks = {c["id"]: c for c in result.json()["checks"]}
    assert checks["trigger"]["status"] == "skip"
    assert "--yes" in checks["trigger"]["summary"]
    assert checks["delivery"]["status"] == "skip"
    assert [m["type"] for m in received] == ["timeout"]


@pytest.mark.parametrize("flag", ["--json", None])
def test_demo_runs_the_full_check_on_a_sandbox_and_leaves_nothing_behind(tmp_path, flag) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    (tmp_path / ".env").write_text("PUSHER_KEY=someone-elses-key\nPUSHER_PORT=1\n")  # must not leak into the sandbox
    result = run_process(["demo", *([flag] if flag else [])], cwd=tmp_path,
                         env={"TMPDIR": str(scratch), "PUSHER_KEY": "nope"})

    assert result.exit_code == 0, result.output
    assert list(scratch.iterdir()) == []  # soketi's config and log are gone
    still_running = subprocess.run(["pgrep", "-f", str(scratch)], capture_output=True, check=False)
    assert still_running.stdout == b"", "soketi outlived the demo"
    if flag:
        document = result.json()
        assert document["ok"] and len(document["events"]) == 3
        assert all(e["received"] for e in document["events"])
    else:
        assert "Verdict:" in result.stdout


def test_ctrl_c_during_demo_leaves_no_soketi_behind(tmp_path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen([sys.executable, "-m", "pusher_doctor", "demo", "--timeout", "30"], cwd=tmp_path,
                               env={**os.environ, "TMPDIR": str(scratch)}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while not list(scratch.iterdir()) and time.monotonic() < deadline:  # soketi is starting
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=20)
    assert process.returncode == 130
    assert subprocess.run(["pgrep", "-f", str(scratch)], capture_output=True, check=False).stdout == b""
    assert list(scratch.iterdir()) == []
