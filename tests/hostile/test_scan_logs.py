"""scan-logs on hostile input (issue #20): out-of-range --since values, the documented log format with
FCM lines that name no message, channel names holding a space, and generated hostile log bytes. Each
ends in one clean report with the documented exit code, never a traceback, and says what it could not trace.
Files only: nothing here opens a connection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.cli import REPO, run_process
from tests.support.hostile import assert_clean

# The backend's lines as the guide documents them: emoji, a logger, `channel=` and `message_id=`.
CREATED = "[2026-11-24 10:15:02,114] INFO chat.views: ✅ Message created: id={n} conversation={n} room={room} hotel={hotel}"
TRIGGERED = ("[2026-11-24 10:15:02,140] INFO chat.pusher: 📡 Pusher triggered: channel={channel} "
             "event={event} message_id={n}")
FCM_WITHOUT_ID = "[2026-11-24 10:15:02,301] INFO chat.fcm: 📱 FCM sent to the guest's device token=dGhpcyBpcyBub3Q"


def _message(n: int, room: int, hotel: str = "hotel-paradise", fcm: str | None = FCM_WITHOUT_ID) -> list[str]:
    lines = [CREATED.format(n=n, room=room, hotel=hotel),
             TRIGGERED.format(channel=f"{hotel}-room-{room}-chat", event="new-staff-message", n=n)]
    lines += [fcm] if fcm is not None else []
    return lines + [TRIGGERED.format(channel=f"{hotel}-conversation-{n}-chat", event="new-message", n=n)]


def _scan(cli, tmp_path: Path, lines: list[str], *options: str) -> tuple[int, dict]:
    log = tmp_path / "backend.log"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli(["scan-logs", str(log), "--json", *options])
    assert_clean(result.output, json_output=False)
    return result.exit_code, result.json()


@pytest.mark.parametrize("since", ["99999999999d", "9" * 400 + "s", "99999999999999999999.5h", "99999999999m"])
def test_a_since_reaching_before_year_one_reads_every_line(cli, tmp_path: Path, since: str) -> None:
    # A duration further back than the calendar goes means every line, not a crash.
    code, document = _scan(cli, tmp_path, _message(1, 101), "--since", since)
    assert code == 0 and document["messages"] == 1 and document["skipped_before_since"] == 0


def test_a_since_reaching_before_year_one_on_a_terminal(cli, tmp_path: Path) -> None:
    log = tmp_path / "backend.log"
    log.write_text("\n".join(_message(1, 101)) + "\n", encoding="utf-8")
    result = cli(["scan-logs", str(log), "--since", "99999999999d"])
    assert_clean(result.output)
    assert result.exit_code == 0 and "1 message(s) traced, 1 with every step" in result.stdout


def test_fcm_lines_without_a_message_id_do_not_make_every_message_missing_fcm(cli, tmp_path: Path) -> None:
    lines = [line for n in range(1, 4) for line in _message(n, 100 + n)]
    code, document = _scan(cli, tmp_path, lines)
    assert code == 0, document
    assert (document["messages"], document["complete"], document["missing"]) == (3, 3, {})
    assert any("3 FCM line(s) name no message id" in note for note in document["notes"]), document["notes"]


def test_fcm_lines_with_ids_are_still_traced_per_message(cli, tmp_path: Path) -> None:
    # When the log's FCM lines do name messages, one without its FCM line is still reported.
    with_id = "[2026-11-24 10:15:02,301] INFO chat.fcm: 📱 FCM sent: message_id=1"
    lines = _message(1, 101, fcm=with_id) + _message(2, 102, fcm=None) + [FCM_WITHOUT_ID]
    _, document = _scan(cli, tmp_path, lines)
    assert document["missing"] == {"fcm": 1} and document["incomplete_messages"][0]["id"] == "2"


@pytest.mark.parametrize("trigger", [
    TRIGGERED.format(channel="hotel paradise-room-104-chat", event="new-staff-message", n=815),
    "INFO Pusher triggered hotel paradise-room-104-chat new-staff-message id=815",
    "INFO Pusher triggered new-staff-message on hotel paradise-room-104-chat for message #815",
    ('{"message": "Pusher triggered", "channel": "hotel paradise-room-104-chat", "event": "new-staff-message", '
     '"message_id": 815}'),
    "INFO Pusher triggered ['hotel paradise-room-104-chat'] new-staff-message message_id=815",
    "INFO Pusher triggered channel='hotel paradise-room-104-chat' event='new-staff-message' message_id=815",
])
def test_a_channel_with_a_space_is_flagged_whole(cli, tmp_path: Path, trigger: str) -> None:
    lines = [CREATED.format(n=815, room=104, hotel="hotel paradise"), trigger]
    code, document = _scan(cli, tmp_path, lines)
    assert code == 1
    assert [bad["channel"] for bad in document["bad_channels"]] == ["hotel paradise-room-104-chat"]
    assert "space" in document["bad_channels"][0]["reason"]
    # Never cut to a well-formed name that the backend did not trigger on.
    assert "paradise-room-104-chat" not in [row["channel"] for row in document["rooms"]]
    assert document["incomplete_messages"][0]["missing"][0] == "guest-trigger"


def test_words_before_a_well_formed_channel_are_not_taken_into_it(cli, tmp_path: Path) -> None:
    lines = ["INFO Pusher triggered hotel-paradise-room-101-chat new-staff-message id=5",
             "INFO Pusher triggered on hotel-paradise-room-101-chat for message #6",
             "INFO Pusher event new-staff-message hotel-paradise-room-101-chat id=7",
             "INFO Pusher triggered 2 events: hotel-paradise-room-101-chat id=8"]
    _, document = _scan(cli, tmp_path, lines)
    assert document["bad_channels"] == [] and document["missing"].get("guest-trigger") is None


hostile_lines = st.lists(st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"\x1b]0;pwned\x07 Pusher error id=1", b"Pusher triggered channel=\x1b[31mred-room-1-chat id=2",
                     b"\xff\xfe FCM sent message_id=\xff", b"Message created id=\x00 room=1 hotel=h", b"{" * 5000,
                     b'{"message": "Pusher triggered", "channel": "a b c-room-1-chat", "id": "\\ud800"}',
                     b"Traceback (most recent call last):", "\u202egnp.exe Pusher error".encode(), b"x" * 70_000 + b" pusher"]),
), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=hostile_lines, json_mode=st.booleans())
def test_hostile_log_bytes_give_a_clean_report(cli, tmp_path: Path, lines: list[bytes], json_mode: bool) -> None:
    log = tmp_path / "hostile.log"
    log.write_bytes(b"\n".join(lines))
    result = cli(["scan-logs", str(log), *(["--json"] if json_mode else [])])
    assert result.exit_code in (0, 1), result.output
    assert_clean(result.output, json_output=json_mode)
    if json_mode:
        assert json.loads(result.stdout)["files"] == [str(log)]


#: the pieces a bare channel word is made of, and what ends one
_CHANNEL_PIECES = st.lists(st.sampled_from(["-room", "-rooms", "-conversation", "-", "_", ".", "a", "1", "s", " ",
                                            "=", ":", "'", '"', "}", ",", "\t"]), max_size=24).map("".join)


@settings(max_examples=3000, deadline=None)
@given(text=_CHANNEL_PIECES)
def test_the_linear_channel_search_finds_what_the_pattern_finds(text: str) -> None:
    from pusher_doctor.triage.logs import _ANY_CHANNEL, _any_channel_span

    lowered = text.encode()
    found = _ANY_CHANNEL.search(lowered)
    assert _any_channel_span(lowered) == (found.span() if found is not None else None)


def test_long_words_in_lines_the_native_pass_hands_back_are_read_in_linear_time(tmp_path: Path) -> None:
    """A line opening with `{` that is not JSON goes to the Python parser; `_ANY_CHANNEL` searched as written
    took about 10 s on each 64 KB word (found in review). Twenty such lines now take well under the bound."""
    log = tmp_path / "hostile.log"
    log.write_bytes((b"{pusher error " + b"id" * 32_480 + b"\n") * 10 + (b"{pusher error " + b"a-room" * 10_900 + b"\n") * 10)
    done = run_process(["scan-logs", "--json", str(log)], tmp_path, timeout=60)
    assert done.exit_code == 1, done.output[-1500:]  # Pusher errors were logged
    assert json.loads(done.stdout)["pusher_errors"]["count"] == 20


@pytest.mark.parametrize("from_stdin", [False, True])
@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("json_mode", [True, False])
def test_a_damaged_gzip_log_keeps_what_was_read_with_a_note(tmp_path: Path, from_stdin: bool, pure: str,
                                                             json_mode: bool) -> None:
    log = tmp_path / "bad.log.gz"
    log.write_bytes(b"\x1f\x8b\x08\x00garbagegarbage")  # a gzip header, then bytes zlib refuses
    with open(log, "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "pusher_doctor", "scan-logs", "-" if from_stdin else str(log),
                               *(["--json"] if json_mode else [])], cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, check=False, stdin=stdin,
                              env={**os.environ, "PYTHONPATH": str(REPO), "PUSHER_DOCTOR_PURE_PYTHON": pure})
    assert done.returncode == 1, done.stderr[-2000:]  # no message found
    assert_clean(done.stdout + done.stderr)
    assert "read up to a damaged or truncated part (zlib.error)" in done.stdout
    if json_mode:
        note = f"{'stdin' if from_stdin else log}: read up to a damaged or truncated part (zlib.error)"
        assert json.loads(done.stdout)["notes"] == [note]


@pytest.mark.parametrize("json_mode", [True, False])
def test_scan_logs_of_a_closed_stdin_is_a_usage_error(tmp_path: Path, json_mode: bool) -> None:
    done = subprocess.run([sys.executable, "-m", "pusher_doctor", "scan-logs", "-", *(["--json"] if json_mode else [])],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, preexec_fn=lambda: os.close(0))
    assert done.returncode == 2, done.stderr[-2000:]
    assert_clean(done.stdout + done.stderr, json_output=json_mode)
    assert "log file is - but stdin is closed" in done.stdout + done.stderr
