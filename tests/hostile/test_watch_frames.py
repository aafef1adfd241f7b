"""watch against a server that sends frames soketi never would, and with stdout closed (issue #20,
item 3): the odd frame is left out and the watch goes on; nothing crashes."""

from __future__ import annotations

import json
import sys
import time

import pytest

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.protocol.guest import ChannelEvent
from pusher_doctor.protocol.listeners import own_marker
from pusher_doctor.triage.watch import Watch, WatchRequest
from tests.hostile.test_process import shell
from tests.support.hostile import assert_clean, pusher_server

CHANNEL = "hotel-paradise-room-101-chat"


def message(channel: str, message_id: int) -> str:
    return json.dumps({"event": "new-staff-message", "channel": channel,
                       "data": json.dumps({"id": message_id, "text": "hello"})})


def watch_line(port: int, *extra: str) -> str:
    return (f"{sys.executable} -m pusher_doctor watch --channel {CHANNEL} --key k --host 127.0.0.1 --port {port} "
            f"--scheme http --duration 1 {' '.join(extra)}")


@pytest.mark.parametrize("odd", [{"event": None}, {"event": 7}, {"event": ["x"]}, {"event": "x", "channel": 5},
                                 {"event": "x", "channel": [1]}], ids=str)
def test_an_odd_frame_is_left_out_and_the_watch_goes_on(tmp_path, odd: dict) -> None:
    frames = lambda channel: [message(channel, 1), json.dumps({"channel": channel, "data": "{}", **odd}),
                              message(channel, 2)]
    with pusher_server(frames) as port:
        done = shell(watch_line(port, "--json"), tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert_clean(done.stdout + done.stderr)
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["message_id"] for r in records if r["type"] == "event"] == ["1", "2"]
    assert records[-1]["type"] == "summary"


@pytest.mark.parametrize("mode", ["--json", ""])
def test_a_watch_with_stdout_closed_ends_with_its_exit_code(tmp_path, mode: str) -> None:
    with pusher_server(lambda channel: [message(channel, 1)]) as port:
        done = shell(watch_line(port, mode) + " >&-", tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr.strip() == ("pusher-doctor: stdout is closed: the report is not shown; the exit code still "
                                   "tells the result")


def test_an_event_on_the_watchs_own_marker_is_not_shown_as_the_backends() -> None:
    said: list = []
    watch = Watch(Endpoint("127.0.0.1", 9, False), "k", WatchRequest((CHANNEL,)), said.append)
    payload = json.dumps({"id": 1, "text": "hello"})
    # one read's events, as the watch's loop takes them from the inbox
    watch._handle_all([ChannelEvent(own_marker(CHANNEL), "new-staff-message", payload, time.monotonic()),
                       ChannelEvent(CHANNEL, "new-staff-message", payload, time.monotonic())])
    assert [event.channel for event in said] == [CHANNEL]


def _strict(word: str) -> float:
    raise ValueError(f"{word} is not JSON")


@pytest.mark.parametrize("number", ["NaN", "1e999", "-Infinity"])
def test_a_number_json_cannot_hold_is_written_as_null(tmp_path, number: str) -> None:
    frames = lambda channel: [json.dumps({"event": "new-staff-message", "channel": channel,
                                          "data": f'{{"id": {number}, "message": "x", "at": [{number}]}}'})]
    with pusher_server(frames) as port:
        done = shell(watch_line(port, "--json"), tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert_clean(done.stdout + done.stderr)
    records = [json.loads(line, parse_constant=_strict) for line in done.stdout.splitlines()]
    [event] = [record for record in records if record["type"] == "event"]
    assert event["data"] == {"id": None, "message": "x", "at": [None]}
    assert event["message_id"] is None
