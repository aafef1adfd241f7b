"""scan-logs on log fixtures written for this project (Django, gunicorn, JSON Lines, plain, binary
noise, truncated lines), gzip and stdin, --since, and memory that stays flat on a long log."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import subprocess
import sys
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import strategies as st

from pusher_doctor.render.logs import logs_to_dict
from pusher_doctor.triage import keyword_lines, logs
from pusher_doctor.triage.logs import LINE_LIMIT, WINDOW_LINES, LogScan, SinceError, _message_id, parse_since
from tests.support.cli import REPO
from tests.support.log_lines import django_log

FIXTURES = REPO / "tests" / "fixtures" / "logs"


def _scan(*names: str, since: str | None = None):
    scan = LogScan(parse_since(since), since) if since else LogScan()
    for name in names:
        with open(FIXTURES / name, "rb") as stream:
            scan.feed_stream(name, stream)
    return scan.report()


def test_django_log_with_emoji_traceback_and_a_truncated_last_line() -> None:
    report = _scan("django.log")
    assert (report.lines, report.messages, report.complete) == (19, 3, 1)
    assert [(g.message_id, g.missing) for g in report.gaps] == [("813", ("guest-trigger",)),
                                                               ("814", ("guest-trigger",))]
    (bad,) = report.bad_channels
    assert bad.channel == "hotel-paradise-rooms-103-chat" and "'rooms' where the backend says 'room'" in bad.reason
    assert [p.line for p in report.pusher_errors] == [7]
    (exception,) = report.exceptions
    assert exception.line == 11 and exception.text == "pusher.errors.PusherBadRequest: Unknown auth_key (near message #813)"
    rows = {r.channel: (r.messages, r.guest_triggers, r.missing_guest_trigger, r.errors) for r in report.rooms}
    assert rows == {"hotel-paradise-room-101-chat": (1, 1, 0, 0), "hotel-paradise-room-102-chat": (1, 0, 1, 1),
                    "hotel-paradise-room-103-chat": (1, 0, 1, 0)}
    assert not report.ok


def test_gunicorn_log() -> None:
    report = _scan("gunicorn.log")
    assert (report.messages, report.complete, report.missing_counts) == (2, 1, {"guest-trigger": 1})
    assert report.gaps[0].message_id == "901"


def test_json_lines_with_a_malformed_channel_and_broken_records() -> None:
    report = _scan("app.jsonl")
    assert (report.lines, report.messages, report.complete) == (11, 2, 1)
    (bad,) = report.bad_channels
    assert bad.channel == "Grand_Hotel-room-8-chat" and "capital letters" in bad.reason and "'_'" in bad.reason


def test_plain_lines_without_timestamps_or_logger() -> None:
    report = _scan("plain.log")
    assert (report.messages, report.complete) == (2, 1)
    assert report.gaps[0].missing == ("guest-trigger", "fcm", "conversation-trigger")
    assert report.pusher_error_count == 0 and report.exception_count == 0


def test_binary_noise_and_invalid_utf8_are_read_around() -> None:
    report = _scan("noise.log")
    assert report.messages == 1 and report.gaps[0].done == ("created", "guest-trigger")
    assert all("\x1b" not in g.first.text for g in report.gaps)


def test_several_files_together() -> None:
    report = _scan("django.log", "gunicorn.log", "app.jsonl", "plain.log")
    assert report.messages == 9 and report.missing_counts["guest-trigger"] == 5


def test_since_skips_earlier_lines() -> None:
    report = _scan("django.log", since="2026-11-24 10:17")
    assert report.messages == 1 and report.gaps[0].message_id == "814"
    assert report.skipped_before_since > 0


@pytest.mark.parametrize("text", ["yesterday", "10 minutes", "2026-13-01"])
def test_a_bad_since_is_refused(text: str) -> None:
    with pytest.raises(SinceError):
        parse_since(text)


def test_since_as_a_duration_counts_back_from_now() -> None:
    assert parse_since("2h", datetime(2026, 11, 24, 12, 0)) == datetime(2026, 11, 24, 10, 0)


def test_gzip_and_a_gzip_cut_short(tmp_path: Path) -> None:
    whole = gzip.compress((FIXTURES / "django.log").read_bytes())
    scan = LogScan()
    scan.feed_stream("whole.gz", io.BytesIO(whole))
    assert scan.report().messages == 3
    cut = LogScan()
    cut.feed_stream("cut.gz", io.BytesIO(whole[: len(whole) - 20]))
    report = cut.report()
    assert report.notes and "cut.gz" in report.notes[0]


def test_a_gzip_cut_short_keeps_the_lines_read_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "BLOCK", 256)  # several reads before the damaged end
    whole = gzip.compress((FIXTURES / "django.log").read_bytes())
    cut = LogScan()
    cut.feed_stream("cut.gz", io.BytesIO(whole[: len(whole) - 20]))
    report = cut.report()
    assert report.notes and report.lines > 0 and report.messages > 0


@pytest.mark.parametrize("pure_python", [False, True])
def test_memory_stays_flat_on_a_long_log(monkeypatch: pytest.MonkeyPatch, pure_python: bool) -> None:
    # 25,000 messages (150,000 lines), one in 500 never triggered to the guest; the open set stays within the window,
    # looked at between blocks of 64 KB (the native tally and the Python one).
    if pure_python:
        monkeypatch.setenv("PUSHER_DOCTOR_PURE_PYTHON", "1")
    monkeypatch.setattr(logs, "BLOCK", 64 << 10)
    scan = LogScan()
    stream = io.BytesIO(b"".join(django_log(25_000, noise_per_message=2, broken=500)))
    seen = []

    def watched(blocks):
        for block in blocks:
            seen.append(scan.open_messages)
            yield block

    scan.files.append("long.log")
    scan._feed_blocks("long.log", watched(logs._blocks(stream)), ahead=False)
    report = scan.report()
    assert report.messages == 25_000 and report.missing_counts == {"guest-trigger": 50}
    assert len(seen) > 50 and max(seen) <= WINDOW_LINES


def _scan_bytes(text: bytes):
    scan = LogScan()
    scan.feed_stream("test.log", io.BytesIO(text))
    return scan.report()


@pytest.mark.parametrize(("line", "expected"), [
    (b"Pusher triggered message_id=AbC-9", "AbC-9"),  # as written, case kept
    (b"FCM sent for msg id: 77", "77"),
    (b"Message created: id=5 conversation=3", "5"),
    (b"Message #12 created, id=5", "12"),  # the leftmost of two
    (b"id=5 then message_id=7", "5"),
    (b"paid=3 valid: 4 guid=x", None),  # `id` inside a word is no id
])
def test_message_ids_in_their_forms(line: bytes, expected: str | None) -> None:
    assert _message_id(line, line.lower()) == expected


def test_a_message_saved_line_is_the_created_step() -> None:
    report = _scan_bytes(b"INFO Message saved id=9 room=3 hotel=tiny\n"
                         b"INFO Pusher triggered channel=tiny-room-3-chat event=new-staff-message message_id=9\n")
    assert report.messages == 1 and report.gaps[0].done == ("created", "guest-trigger")


def test_json_lines_are_sorted_by_the_fields_read_not_by_nested_ones() -> None:
    # `pusher` and `trigger` only inside a nested object: the record is the creation, not a trigger.
    report = _scan_bytes(b'{"message": "Message created", "id": 4, "room": 2, "hotel": "tiny", '
                         b'"extra": {"note": "pusher trigger next"}}\n')
    assert report.messages == 1 and report.gaps[0].done == ("created",)


def test_a_line_past_the_limit_is_read_up_to_it() -> None:
    long_tail = b"x" * LINE_LIMIT + b" pusher error"
    report = _scan_bytes(b"Pusher triggered channel=tiny-room-3-chat message_id=1 " + long_tail + b"\n")
    # The error words lie past the cut: the line is the trigger it starts as, not a Pusher error.
    assert report.pusher_error_count == 0 and report.gaps[0].done == ("guest-trigger",)


def _report_json(data: bytes, finder=None) -> str:
    """The pure-Python parser's report with `finder` (else Hyperscan's) finding the lines: these tests compare the
    two finders (tests/triage/test_logs_native.py compares the native pass with both)."""
    scan = LogScan()
    scan.native = None
    scan._find_lines = finder or keyword_lines.line_finder(logs.WORDS)
    scan.feed_stream("generated.log", io.BytesIO(data))
    return json.dumps(logs_to_dict(scan.report()), sort_keys=True)


REGEX = keyword_lines.regex_lines(logs.WORDS)


@pytest.mark.skipif(keyword_lines.hyperscan_lines(logs.WORDS) is None, reason="no hyperscan wheel here")
@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.iterdir()))
def test_without_hyperscan_the_findings_are_the_same(name: str) -> None:
    # Where no hyperscan wheel exists (Linux on ARM, Intel Macs) the portable finder is used.
    data = (FIXTURES / name).read_bytes()
    assert _report_json(data, REGEX) == _report_json(data)


#: lines as backends write them, and as they go wrong: ids, channels and words in several forms and cases
generated_line = st.one_of(
    st.builds(lambda n, room, hotel: f"[2026-11-24 10:15:0{n % 10},114] INFO chat.views: ✅ Message created: id={n} "
              f"room={room} hotel={hotel}", st.integers(0, 30), st.integers(1, 4), st.sampled_from(["h", "hotel x"])),
    st.builds(lambda n, channel, event, word: f"INFO chat.pusher: 📡 {word} channel={channel} event={event} "
              f"message_id={n}", st.integers(0, 30),
              st.sampled_from(["h-room-1-chat", "h-rooms-2-chat", "h-conversation-3-chat", "hotel x-room-4-chat",
                               "H_room-1-chat"]),
              st.sampled_from(["new-staff-message", "new-message"]),
              st.sampled_from(["Pusher triggered", "PUSHER TRIGGER", "Pusher error", "Pusher trigger failed"])),
    st.builds(lambda n: f"[2026-11-24 10:15:02,301] INFO chat.fcm: 📱 FCM sent: message_id={n}", st.integers(0, 30)),
    st.sampled_from(["FCM sent to the guest's device", "Traceback (most recent call last):",
                     '  File "x.py", line 3, in f', "pusher.errors.PusherBadRequest: Unknown auth_key",
                     "ValueError: bad", "GET /health 200", "", "\r",
                     '{"message": "Pusher triggered", "channel": "h-room-1-chat", "message_id": 7}',
                     '{"message": "Message created", "id": 7, "room": 1, "hotel": "h"}', "{not json pusher"]),
    st.text(max_size=40),
)


# tests/triage/test_logs_native.py runs the generated logs through the native pass and both finders of the
# Python parser, in small blocks.


def test_open_messages_keep_what_is_shown_not_their_long_lines() -> None:
    # 1,000 messages first seen on 60 KB lines, all open at once: kept whole they would hold 60 MB.
    pad = b"x" * 60_000
    stream = io.BytesIO(b"".join(b"Message created id=%d room=1 hotel=tiny %s\n" % (n, pad) for n in range(1000)))
    scan = LogScan()
    tracemalloc.start()
    try:
        scan.feed_stream("long-lines.log", stream)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert scan.open_messages == 1000 and peak < 30_000_000, f"peak {peak / 1e6:.0f} MB"


def test_the_cli_reads_stdin_and_files_and_exits_by_finding(cli, tmp_path: Path) -> None:
    clean = tmp_path / "clean.log"
    clean.write_bytes(b"".join(django_log(5)))
    result = cli(["scan-logs", str(clean)])
    assert result.exit_code == 0, result.output
    assert "✓ every traced message reached the guest's channel" in result.stdout
    gz = tmp_path / "django.log.gz"
    with open(FIXTURES / "django.log", "rb") as source, gzip.open(gz, "wb") as target:
        shutil.copyfileobj(source, target)
    piped = subprocess.run([sys.executable, "-m", "pusher_doctor", "scan-logs", "-", str(gz), "--json"],
                           input=(FIXTURES / "gunicorn.log").read_bytes(), capture_output=True, cwd=REPO,
                           timeout=30, check=False)
    assert piped.returncode == 1
    document = json.loads(piped.stdout)
    assert document["files"] == ["stdin", str(gz)] and document["messages"] == 5


@pytest.mark.parametrize("args", [["missing.log"], ["."], ["--since", "soon", "x.log"], []])
def test_unusable_input_is_a_usage_error(cli, args: list[str]) -> None:
    result = cli(["scan-logs", *args])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_an_app_contract_judges_the_triggers_by_its_channels_and_events(tmp_path: Path) -> None:
    import tomllib

    from pusher_doctor.contract import contract_from_table

    contract = contract_from_table(tomllib.loads(
        '[channels.orders]\ntemplate = "private-orders.{order}"\nevents = ["order.shipped"]\n'))
    log = tmp_path / "laravel.log"
    log.write_text("[2026-12-03 10:00:00] local.INFO: message created message_id=1\n"
                   "[2026-12-03 10:00:01] local.INFO: pusher trigger channel=private-orders.5 event=order.shipped "
                   "message_id=1\n"
                   "[2026-12-03 10:00:02] local.INFO: message created message_id=2\n"
                   "[2026-12-03 10:00:03] local.INFO: pusher trigger channel=orders-6 event=order.shipped "
                   "message_id=2\n")
    scan = LogScan(contract=contract)
    with open(log, "rb") as stream:
        scan.feed_stream(log.name, stream)
    report = scan.report()
    assert [bad.channel for bad in report.bad_channels] == ["orders-6"]
    assert "private-orders.{order}" in report.bad_channels[0].reason
    assert [gap.message_id for gap in report.gaps] == ["2"]
