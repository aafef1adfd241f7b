"""A watch that loses events with its connection up says so (issue #20, item 4): message ids skipped in a
run of consecutive ones, the server's own pusher:error frames, and falling behind, each as a notice and
in the summary (and the report)."""

from __future__ import annotations

import json
import sys

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.triage.model import WatchNotice
from pusher_doctor.triage.watch import Watch, WatchRequest
from tests.hostile.test_process import shell
from tests.support.hostile import pusher_error, pusher_server

CHANNEL = "hotel-paradise-room-101-chat"


def staff_message(channel: str, message_id: int) -> str:
    return json.dumps({"event": "new-staff-message", "channel": channel,
                       "data": json.dumps({"id": message_id, "message": f"message {message_id}"})})


def overloaded(channel: str) -> list[str]:
    """Ids 1-30 one by one, a block the server dropped (31-59), then 60-70, and the server's complaint."""
    return ([staff_message(channel, n) for n in range(1, 31)] + [pusher_error(4301, "Rate limit exceeded")]
            + [staff_message(channel, n) for n in range(60, 71)])


def test_skipped_ids_and_the_servers_errors_are_notices_and_in_the_summary(tmp_path) -> None:
    with pusher_server(overloaded) as port:
        done = shell(f"{sys.executable} -m pusher_doctor watch --channel {CHANNEL} --key k --host 127.0.0.1 "
                     f"--port {port} --scheme http --duration 1.5 --json --report watch.md", tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    records = [json.loads(line) for line in done.stdout.splitlines()]
    notices = {r["kind"]: r for r in records if r["type"] == "notice"}
    assert "message ids 31-59 (29) never arrived as new-staff-message" in notices["skipped"]["text"]
    assert notices["error"]["text"].startswith("the server said 4301: Rate limit exceeded")
    summary = records[-1]
    assert summary["skipped_ids"] == [{"channel": CHANNEL, "event": "new-staff-message", "after": 30,
                                       "before": 60, "count": 29}]
    assert [(e["code"], e["message"]) for e in summary["server_errors"]] == [(4301, "Rate limit exceeded")]
    report = (tmp_path / "watch.md").read_text()
    assert "Message ids 31-59 (29) never arrived" in report and "4301" in report


def test_ids_that_take_turns_with_other_rooms_are_not_called_lost(tmp_path) -> None:
    frames = lambda channel: [staff_message(channel, n) for n in range(1, 60, 2)]  # every other id
    with pusher_server(frames) as port:
        done = shell(f"{sys.executable} -m pusher_doctor watch --channel {CHANNEL} --key k --host 127.0.0.1 "
                     f"--port {port} --scheme http --duration 1 --json", tmp_path)
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records[-1]["skipped_ids"] == [] and records[-1]["events"] == 30
    assert not any(r.get("kind") == "skipped" for r in records)


def test_a_watch_that_falls_behind_says_so_once_until_it_catches_up() -> None:
    said: list[WatchNotice] = []
    watch = Watch(Endpoint("127.0.0.1", 9, False), "k", WatchRequest((CHANNEL,)), said.append)
    for waited in (0.1, 1.5, 2.5, 0.05, 1.2):
        watch._keep_up(waited)
    assert [n.kind for n in said] == ["behind", "behind"]
    assert said[0].text.startswith("the watch is 1.5 s behind the server")
    assert watch.tally.summary(1.0, (CHANNEL,), False).fell_behind


def test_a_server_that_drops_every_connection_is_reconnected_to_ever_more_slowly_and_exits_1(tmp_path) -> None:
    # the reconnects wait 1, 2, 4 s: three drops within 4.5 s, not a reconnect every few tenths of a second
    with pusher_server(lambda channel: [], then_drop=True) as port:
        done = shell(f"{sys.executable} -m pusher_doctor watch --channel {CHANNEL} --key k --host 127.0.0.1 "
                     f"--port {port} --scheme http --duration 4.5", tmp_path)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert 2 <= done.stdout.count("connection lost") <= 3, done.stdout
    assert "the server dropped 3 connections in a row within 5 s of making them: reconnecting in 4 s" in done.stdout
    assert "for until" not in done.stdout and "Traceback" not in done.stderr


def test_many_disconnections_are_said_in_one_line_with_the_first_and_last() -> None:
    from pusher_doctor.render.watch import _clock, disconnections
    from pusher_doctor.triage.model import Gap

    few = disconnections([Gap(1000.0, 1001.5), Gap(1010.0, None)])
    assert few == [f"disconnected at {_clock(1000.0)} for 1.5 s: events sent then are lost (Pusher keeps no history)",
                   (f"disconnected at {_clock(1010.0)} until the end: events sent then are lost (Pusher keeps no "
                   "history)")]
    many = disconnections([Gap(1000.0 + 10 * n, 1001.0 + 10 * n) for n in range(20)] + [Gap(1300.0, None)])
    assert many == [(f"disconnected 21 times from {_clock(1000.0)} to {_clock(1300.0)} (20.0 s down, then until the "
                    "end): events sent then are lost (Pusher keeps no history); --json lists each")]
