"""`watch` against real soketi: bursts complete and in order, a server restart survived with its gap
reported, new rooms picked up, key-only JSON Lines, Ctrl-C ending with a summary."""

from __future__ import annotations

import json
import os
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pusher
import pytest

from pusher_doctor.config.endpoints import Endpoint
from pusher_doctor.config.secret import Secret
from pusher_doctor.protocol.guest import ChannelEvent
from pusher_doctor.protocol.rest import RestClient
from pusher_doctor.sandbox import SoketiServer
from pusher_doctor.triage.model import WatchEvent, WatchNotice
from pusher_doctor.triage.watch import Watch, WatchRequest, describe
from tests.support.cli import REPO, app_options
from tests.support.guests import pusher_js_guest
from tests.support.relay import relay
from tests.support.servers import HEALTHY


def _library(server: SoketiServer) -> pusher.Pusher:
    return pusher.Pusher(app_id=HEALTHY.id, key=HEALTHY.key, secret=HEALTHY.secret, host=server.HOST,
                         port=server.port, ssl=False)


def _eventually(condition: Callable[[], bool], seconds: float = 5.0) -> bool:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends and not condition():
        time.sleep(0.02)
    return condition()


FLUSHED = "flushed"


class Recorder:
    def __init__(self) -> None:
        self.items: list[WatchEvent | WatchNotice | str] = []

    def __call__(self, item: WatchEvent | WatchNotice) -> None:
        self.items.append(item)

    def flush(self) -> None:
        self.items.append(FLUSHED)

    def events(self) -> list[WatchEvent]:
        return [i for i in self.items if isinstance(i, WatchEvent)]

    def notices(self, kind: str) -> list[WatchNotice]:
        return [i for i in self.items if isinstance(i, WatchNotice) and i.kind == kind]


@contextmanager
def _sending_soon(soketi, hotel: str, staff_message: dict) -> Iterator[None]:
    """While the block runs a watch: 0.8 s in, the staff message on room 1's channel, then `new-message`
    for it on the same channel (where the backend never sends it)."""

    def send() -> None:
        time.sleep(0.8)
        library = _library(soketi)
        library.trigger(f"{hotel}-room-1-chat", "new-staff-message", staff_message)
        library.trigger(f"{hotel}-room-1-chat", "new-message", {"id": staff_message["id"]})

    sender = threading.Thread(target=send)
    sender.start()
    try:
        yield
    finally:
        sender.join()


def _in_background(session: Watch) -> tuple[threading.Thread, list]:
    summaries: list = []
    thread = threading.Thread(target=lambda: summaries.append(session.run()), daemon=True)
    thread.start()
    return thread, summaries


def test_describe_reads_the_backends_shapes() -> None:
    staff = describe(ChannelEvent("h-room-1-chat", "new-staff-message",
                                  json.dumps({"id": 5, "message": "x" * 200, "sender_type": "staff"}), 0), 0)
    assert (staff.message_id, staff.sender_type, staff.expected) == ("5", "staff", True)
    assert len(staff.excerpt) == 80 and staff.excerpt.endswith("…")
    delivered = describe(ChannelEvent("h-conversation-2-chat", "message-delivered",
                                      json.dumps(json.dumps({"message_id": 5, "status": "delivered"})), 0), 0)
    assert delivered.message_id == "5" and delivered.expected
    assert staff.plain and delivered.plain  # found as parsing looked for floats: the encoder need not look again
    wrong = describe(ChannelEvent("h-room-1-chat", "new-message", "not json", 0), 0)
    assert not wrong.expected and wrong.excerpt == "not json" and wrong.message_id is None
    other = describe(ChannelEvent("lobby", "anything", "{}", 0), 0)
    assert other.expected  # no contract for channels the backend does not name


def test_a_burst_arrives_complete_and_in_order(soketi) -> None:
    channel = f"burst-{secrets.token_hex(4)}-room-1-chat"
    seen = Recorder()
    session = Watch(Endpoint(soketi.HOST, soketi.port, False), HEALTHY.key, WatchRequest((channel,)), seen)
    assert session.start() is None
    thread, summaries = _in_background(session)
    library = _library(soketi)
    for first in range(0, 500, 10):
        library.trigger_batch([{"channel": channel, "name": "new-staff-message", "data": {"id": n}}
                               for n in range(first, first + 10)])
    assert _eventually(lambda: len(seen.events()) >= 500)
    session.stop()
    thread.join(5)
    assert [e.message_id for e in seen.events()] == [str(n) for n in range(500)]
    (summary,) = summaries
    assert summary.counts == {channel: {"new-staff-message": 500}} and summary.gaps == ()
    assert all(t.missing == () for t in summary.trails)  # the room channel alone carries one of the three


def test_reconnects_after_a_server_restart_and_reports_the_gap() -> None:
    channel = "restart-room-1-chat"
    with SoketiServer([HEALTHY]) as first, relay(first.port) as front:
        seen = Recorder()
        request = WatchRequest((channel,), retry_s=0.2, connect_timeout_s=2)
        session = Watch(Endpoint("127.0.0.1", front.port, False), HEALTHY.key, request, seen, flush=seen.flush)
        assert session.start() is None
        thread, summaries = _in_background(session)
        _library(first).trigger(channel, "new-staff-message", {"id": 1})
        assert _eventually(lambda: len(seen.events()) == 1)
        first.stop()
        front.cut()
        assert _eventually(lambda: len(seen.notices("dropped")) == 1)
        with SoketiServer([HEALTHY]) as second:
            front.retarget(second.port)
            assert _eventually(lambda: len(seen.notices("subscribed")) == 2, 10)
            _library(second).trigger(channel, "new-staff-message", {"id": 2})
            assert _eventually(lambda: len(seen.events()) == 2)
            session.stop()
            thread.join(5)
    assert [e.message_id for e in seen.events()] == ["1", "2"]
    assert "Pusher keeps no history" in seen.notices("reconnected")[0].text
    (gap,) = summaries[0].gaps
    assert gap.seconds is not None and gap.seconds > 0
    # Each notice goes out at once: "dropped" must be readable while the watch waits to reconnect.
    notices = [i for i, item in enumerate(seen.items) if isinstance(item, WatchNotice)]
    assert notices and all(seen.items[i + 1] == FLUSHED for i in notices)


def test_all_rooms_picks_up_a_room_that_becomes_occupied(soketi) -> None:
    hotel = "allrooms-" + secrets.token_hex(4)
    rest = RestClient(Endpoint(soketi.HOST, soketi.port, False), HEALTHY.id, HEALTHY.key, Secret(HEALTHY.secret))
    seen = Recorder()
    session = Watch(Endpoint(soketi.HOST, soketi.port, False), HEALTHY.key,
                    WatchRequest((), hotel=hotel, rescan_s=0.2), seen, rest)
    assert session.start() is None
    thread, _ = _in_background(session)
    try:
        with pusher_js_guest(soketi, f"{hotel}-room-12-chat", "new-staff-message", 10_000):
            assert _eventually(lambda: any(n.channel == f"{hotel}-room-12-chat" for n in seen.notices("subscribed")))
            _library(soketi).trigger(f"{hotel}-room-12-chat", "new-staff-message", {"id": 3})
            assert _eventually(lambda: len(seen.events()) == 1)
    finally:
        session.stop()
        thread.join(5)
    assert seen.notices("new-channel")[0].channel == f"{hotel}-room-12-chat"


def test_key_alone_is_enough_and_json_lines_end_with_the_summary(cli, soketi) -> None:
    hotel = "keyonly-" + secrets.token_hex(4)
    options = app_options(soketi, HEALTHY)
    for name in ("--secret", "--app-id"):
        at = options.index(name)
        del options[at:at + 2]

    with _sending_soon(soketi, hotel, {"id": 9, "sender_type": "staff"}):
        result = cli(["watch", "--hotel", hotel, "--room", "1", "--duration", "1.6", "--json", *options])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["type"] for r in records] == ["notice", "notice", "event", "event", "summary"]
    assert [(r["event"], r["expected"]) for r in records if r["type"] == "event"] == [
        ("new-staff-message", True), ("new-message", False)]
    assert records[-1]["unexpected"] == 1 and records[-1]["messages"] == [
        {"id": "9", "arrived": ["new-staff-message", "new-message"], "missing": []}]


def test_all_rooms_without_the_secret_is_a_usage_error_saying_why(cli, soketi) -> None:
    options = app_options(soketi, HEALTHY)
    at = options.index("--secret")
    del options[at:at + 2]
    result = cli(["watch", "--hotel", "h", "--all-rooms", *options])
    assert result.exit_code == 2
    assert "--all-rooms lists the hotel's channels with a signed REST call" in result.stderr


def test_an_unknown_key_fails_at_once_with_its_cause(cli, soketi) -> None:
    result = cli(["watch", "--channel", "c", "--duration", "5", *app_options(soketi, HEALTHY, key="nope-key")])
    assert result.exit_code == 1
    assert "cause: key-not-found" in result.stdout


@pytest.mark.parametrize("args", [["--room", "1"], []])
def test_nothing_to_watch_is_a_usage_error(cli, args: list[str]) -> None:
    result = cli(["watch", *args])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_ctrl_c_ends_the_watch_with_a_summary_and_130(soketi) -> None:
    watcher = subprocess.Popen([sys.executable, "-m", "pusher_doctor", "watch", "--channel", "ctrlc-room-1-chat",
                                *app_options(soketi, HEALTHY)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    try:
        assert watcher.stdout is not None
        lines = []
        while not any("watching" in line for line in lines):
            lines.append(watcher.stdout.readline())
            assert lines[-1], watcher.stderr.read() if watcher.stderr else ""
        _library(soketi).trigger("ctrlc-room-1-chat", "new-staff-message", {"id": 1})
        while "new-staff-message" not in lines[-1]:
            lines.append(watcher.stdout.readline())
        watcher.send_signal(signal.SIGINT)
        rest, _ = watcher.communicate(timeout=10)
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert watcher.returncode == 130
    assert "Summary: 1 event(s)" in rest and "(interrupted)" in rest and "Traceback" not in rest


def test_json_lines_reach_the_reader_while_the_watch_runs(soketi) -> None:
    # Records are written unflushed and flushed whenever the watch waits: each one must still be readable
    # at once, long before the watch ends.
    channel = f"flush-{secrets.token_hex(3)}-room-1-chat"
    watcher = subprocess.Popen([sys.executable, "-m", "pusher_doctor", "watch", "--channel", channel, "--json",
                                "--duration", "60", *app_options(soketi, HEALTHY)], cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL,
                               # as users run it: stdout to a pipe is block-buffered unless this is set
                               env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"})
    assert watcher.stdout is not None
    received = b""

    def read_until(text: bytes, seconds: float) -> bool:
        nonlocal received
        ends = time.monotonic() + seconds
        while text not in received and time.monotonic() < ends:
            if select.select([watcher.stdout], [], [], 0.1)[0]:
                received += os.read(watcher.stdout.fileno(), 65536)
        return text in received

    try:
        assert read_until(b'"kind":"subscribed"', 30), received
        _library(soketi).trigger(channel, "new-staff-message", {"id": 41})
        assert read_until(b'"message_id":"41"', 5), received
        assert watcher.poll() is None  # still watching: the line came out before the end
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.communicate(timeout=10)


def _watch_with_report(cli, soketi, path, *extra: str):
    hotel = "report-" + secrets.token_hex(4)
    with _sending_soon(soketi, hotel, {"id": 7, "message": "<b>towels</b>"}):
        result = cli(["watch", "--hotel", hotel, "--room", "1", "--conversation", "2", "--duration", "1.6",
                      "--report", str(path), *extra, *app_options(soketi, HEALTHY)])
    return hotel, result


def test_a_markdown_report_of_the_watch_lists_what_arrived_and_what_is_missing(cli, soketi, tmp_path) -> None:
    hotel, result = _watch_with_report(cli, soketi, tmp_path / "watch.md")
    assert result.exit_code == 0, result.output
    assert f"report written to {tmp_path / 'watch.md'}" in result.stdout
    text = (tmp_path / "watch.md").read_text()
    assert text.startswith(f"# pusher-doctor watch: {hotel}-room-1-chat, {hotel}-conversation-2-chat")
    assert "2 event(s) in " in text and "1 event(s) the backend does not send on their channel" in text
    # message 7: both events came (one on the wrong channel); message-delivered never did
    assert "| 7 | new-staff-message, new-message | message-delivered |" in text
    assert "| \\<b\\>towels\\</b\\> |" in text  # a viewer shows the server's markup, never renders it
    assert f"| {hotel}-room-1-chat | new-message | 1 |" in text
    assert "NO: the backend does not send it here" in text and HEALTHY.secret not in text


def test_an_html_report_of_the_watch_renders_in_chromium_and_json_mode_still_writes_it(cli, soketi,
                                                                                      tmp_path) -> None:
    import shutil

    from tests.cli.test_report import CHROMIUM_FLAGS

    path = tmp_path / "watch.html"
    _, result = _watch_with_report(cli, soketi, path, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[-1])["type"] == "summary"  # the report says nothing on stdout
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is missing: `make setup` installs it (apt-get install chromium)"
    dom = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          path.as_uri()], capture_output=True, text=True, timeout=60, check=True).stdout
    for anchor in ('id="summary"', 'id="channels"', 'id="messages"', 'id="events"', 'id="notices"'):
        assert anchor in dom
    assert 'aria-label="events per channel"' in dom and "&lt;b&gt;towels&lt;/b&gt;" in dom


def test_a_report_that_cannot_be_written_after_the_watch_exits_74_in_one_line(cli, soketi, tmp_path) -> None:
    full = tmp_path / "full.md"
    full.symlink_to("/dev/full")
    result = cli(["watch", "--channel", "c", "--duration", "0.3", "--report", str(full),
                  *app_options(soketi, HEALTHY)])
    assert result.exit_code == 74
    assert f"--report {full}: could not be written (No space left on device)" in result.stderr
    assert "Traceback" not in result.output


def test_a_report_path_that_cannot_be_used_is_a_usage_error_before_watching(cli, tmp_path) -> None:
    result = cli(["watch", "--channel", "c", "--report", str(tmp_path / "watch.pdf")])
    assert result.exit_code == 2 and "must end in .md or .html" in result.output


def test_an_app_contract_names_the_channel_and_the_events_expected_on_it(cli, soketi, tmp_path) -> None:
    order = "w" + secrets.token_hex(4)
    (tmp_path / "pusher-doctor.toml").write_text(
        '[channels.orders]\ntemplate = "orders.{order}"\nevents = ["order.shipped"]\n')

    def send() -> None:
        time.sleep(0.8)
        library = _library(soketi)
        library.trigger(f"orders.{order}", "order.shipped", {"id": 3})
        library.trigger(f"orders.{order}", "new-staff-message", {"id": 3})

    sender = threading.Thread(target=send)
    sender.start()
    try:
        result = cli(["watch", "--field", f"order={order}", "--duration", "1.6", "--json",
                      *app_options(soketi, HEALTHY)])
    finally:
        sender.join()
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["channel"], r["event"], r["expected"]) for r in records if r["type"] == "event"] == [
        (f"orders.{order}", "order.shipped", True), (f"orders.{order}", "new-staff-message", False)]


class _Inbox:
    """The watch's inbox as the reader thread may leave it: empty when asked, with `arriving` coming during
    the wait that follows (None: nothing comes)."""

    def __init__(self, *arriving: list[ChannelEvent] | None) -> None:
        self.arriving = list(arriving)
        self.waits: list[float] = []

    def empty(self) -> bool:
        return True

    def get(self, timeout: float) -> list[ChannelEvent]:
        import queue

        self.waits.append(timeout)
        events = self.arriving.pop(0)
        if events is None:
            raise queue.Empty
        return events


def test_events_that_come_within_a_moment_are_gathered_and_a_longer_wait_is_flushed_first() -> None:
    """A steady stream of small reads is written many records at a time: the flush comes when nothing came
    for GATHER_S, before the watch waits longer, and never while events keep coming."""
    from pusher_doctor.triage.watch import GATHER_S

    flushed: list[int] = []
    watch = Watch(Endpoint("127.0.0.1", 9, False), "k", WatchRequest(("h-room-1-chat",)), lambda item: None,
                  flush=lambda: flushed.append(len(inbox.waits)))
    batch = [ChannelEvent("h-room-1-chat", "new-staff-message", '{"id": 1}', time.monotonic())]
    inbox = watch._inbox = _Inbox(batch, batch, None, batch, None, None)  # type: ignore[assignment]
    assert watch._next_events(None) is batch and watch._next_events(None) is batch
    assert flushed == []  # events kept coming: nothing written yet
    assert watch._next_events(None) is batch  # a moment without one: flushed, then it came
    assert flushed == [3]
    assert watch._next_events(None) is None and flushed == [3, 5]
    assert inbox.waits == [GATHER_S, GATHER_S, GATHER_S, 0.2, GATHER_S, 0.2]
