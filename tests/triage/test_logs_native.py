"""scan-logs' native pass (`_logscan.c`) against the pure-Python parser it stands in for: the same report, byte
for byte, on every fixture, on generated logs and on hostile lines; the same fields line by line; and proof that
the test environment builds and uses it (else CI could pass on the fallback alone)."""

from __future__ import annotations

import gzip
import io
import json
import tomllib
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pusher_doctor.contract import HOTEL_CHAT, Contract, contract_from_table
from pusher_doctor.render.logs import logs_to_dict
from pusher_doctor.triage import keyword_lines, logs
from pusher_doctor.triage.logs import LINE_LIMIT, RAW, WORDS, LogScan, line_fields, native_reader
from tests.support.log_lines import django_log
from tests.triage.test_logs import FIXTURES, generated_line

NATIVE = native_reader()
ORDERS = contract_from_table(tomllib.loads(
    '[channels.orders]\ntemplate = "private-orders.{order}"\nevents = ["order.shipped"]\n'))


def _report(data: bytes | list[bytes], native: bool, since: datetime | None = None, contract: Contract = HOTEL_CHAT,
            finder: keyword_lines.LineFinder | None = None) -> str:
    """The report on `data` (a list: one file each), by the native pass and tally or by the pure-Python reference."""
    with pytest.MonkeyPatch.context() as patch:
        if not native:
            patch.setenv("PUSHER_DOCTOR_PURE_PYTHON", "1")
        scan = LogScan(since, "since" if since else None, contract)
    assert (scan.native is None) == (not native)
    scan._find_lines = finder or scan._find_lines
    for number, part in enumerate(data if isinstance(data, list) else [data]):
        scan.feed_stream(f"test-{number}.log", io.BytesIO(part))
    return json.dumps(logs_to_dict(scan.report()), sort_keys=True)


def _same(data: bytes | list[bytes], since: datetime | None = None, contract: Contract = HOTEL_CHAT) -> None:
    native = _report(data, True, since, contract)
    assert native == _report(data, False, since, contract)
    assert native == _report(data, False, since, contract, keyword_lines.regex_lines(WORDS))
    # The portable vector routines too (processors without AVX2, ARM), which this machine would not run.
    NATIVE.use_portable(True)
    try:
        assert native == _report(data, True, since, contract)
    finally:
        NATIVE.use_portable(False)


def test_the_native_pass_is_built_and_used_here(monkeypatch: pytest.MonkeyPatch) -> None:
    # `make setup` and a pip install build it; were it missing, every comparison below would compare Python
    # with itself and CI would pass on the fallback alone.
    assert NATIVE is not None, "pusher_doctor/triage/_logscan.c was not built (see docs/scan-logs.md)"
    calls = []

    class Counting:
        @staticmethod
        def scan_block(*args):
            calls.append(args[1])
            return NATIVE.scan_block(*args)

    scan = LogScan()
    assert scan.native is NATIVE
    scan.native = Counting
    scan.feed_stream("test.log", io.BytesIO(b"".join(django_log(10))))
    assert calls and scan.report().messages == 10
    monkeypatch.setenv("PUSHER_DOCTOR_PURE_PYTHON", "1")
    assert LogScan().native is None


@pytest.mark.parametrize("stale", ["words", "steps", "no tally"])
def test_an_extension_built_from_an_older_source_is_not_used(monkeypatch: pytest.MonkeyPatch, stale: str) -> None:
    # An editable install whose extension was not rebuilt: other words or steps, or none (a build from before the
    # tally), would give another report or fail, so the Python parser reads instead.
    if stale == "words":
        monkeypatch.setattr(NATIVE, "WORDS", NATIVE.WORDS[:-1])
    elif stale == "steps":
        monkeypatch.setattr(NATIVE, "STEPS", NATIVE.STEPS[::-1])
    else:
        monkeypatch.delattr(NATIVE, "STEPS")
    assert native_reader() is None and LogScan().native is None


def test_the_generated_django_log_never_falls_back_to_python() -> None:
    data = b"".join(django_log(200, noise_per_message=4, broken=7))
    block = NATIVE.scan_block(bytearray(data), len(data), 0, LINE_LIMIT)
    records = block.records()
    assert len(records) == 200 * 4 - 200 // 7 - 1 and all(record[1] != RAW for record in records)
    # ... and the native tally applies every line itself: none is handed back to Python
    scan, handed_back = LogScan(), []
    scan.native = None  # the block above is applied directly
    scan.files.append("test.log")
    scan._tally.apply(block, "test.log", lambda *line: handed_back.append(line), scan._judge, scan._recipient_events,
                      False)
    scan.lines = block.newlines
    report = scan.report()
    assert handed_back == [] and (report.messages, report.complete) == (200, 200 - 200 // 7 - 1)


#: a backend's lines for messages whose lines interleave, some steps missing, FCM lines with and without an id, errors
#: and exceptions between them, channels not the backend's
_MESSAGE_LINES = [b"Message created id=%d room=%d hotel=h", b"Message created: message_id=%d",
                  b"Pusher triggered channel=h-room-%d-chat event=new-staff-message message_id=%d",
                  b"Pusher triggered channel=h-room-%d-chat event=other-event message_id=%d",
                  b"Pusher triggered channel=h-conversation-%d-chat event=new-message message_id=%d",
                  b"Pusher triggered channel=h_rooms_%d event=new-staff-message message_id=%d",
                  b"FCM sent: message_id=%d", b"FCM sent to the guest's device %d",
                  b"pusher error channel=h-room-%d-chat message_id=%d", b"ValueError: bad %d", b"GET /api/rooms/%d",
                  b"Traceback (most recent call last): %d", b"  File x.py %d pusher"]
message_line = st.tuples(st.sampled_from(_MESSAGE_LINES), st.integers(0, 12), st.integers(0, 3)).map(
    lambda parts: parts[0] % (parts[1], parts[2])[: parts[0].count(b"%d")])


@settings(max_examples=200, deadline=None)
@given(files=st.lists(st.lists(message_line, max_size=60), min_size=1, max_size=3), window=st.integers(1, 12),
       every=st.integers(1, 6), kept=st.sampled_from([10, 1024]), contract=st.sampled_from([HOTEL_CHAT, ORDERS]))
def test_the_tallies_settle_the_same(files: list[list[bytes]], window: int, every: int, kept: int,
                                     contract: Contract) -> None:
    # Small windows: messages settled while the log goes on (and named again after), over files whose line numbers
    # start again; first lines kept as bytes or formatted at once.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(logs, "WINDOW_LINES", window)
        patch.setattr(logs, "SETTLE_EVERY", every)
        patch.setattr(logs, "KEPT_LINE", kept)
        _same([b"\n".join(lines) for lines in files], contract=contract)


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.iterdir()))
def test_every_fixture_gives_the_same_report(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    _same(data)
    _same(data, since=datetime(2026, 11, 24, 10, 16))
    _same(gzip.compress(data))


@pytest.mark.parametrize("name", sorted(path.name for path in FIXTURES.iterdir()))
@pytest.mark.parametrize("json_mode", [True, False])
def test_the_command_prints_the_same_either_way(cli, monkeypatch: pytest.MonkeyPatch, name: str,
                                                json_mode: bool) -> None:
    args = ["scan-logs", str(FIXTURES / name), *(["--json"] if json_mode else [])]
    native = cli(args)
    monkeypatch.setenv("PUSHER_DOCTOR_PURE_PYTHON", "1")
    python = cli(args)
    assert (native.exit_code, native.stdout) == (python.exit_code, python.stdout)


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(generated_line, max_size=40), block=st.sampled_from([16, 64, 4 << 20]), ends=st.booleans())
def test_generated_logs_give_the_same_report(lines: list[str], block: int, ends: bool) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogateescape") + (b"\n" if ends else b"")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(logs, "BLOCK", block)  # small blocks: lines cut and carried across reads
        _same(data)


#: pieces of lines that lead the parser's expressions into their corners: keys with and without their suffix,
#: quotes, spaces in names, dashes and dots, other cases, bytes that are not UTF-8
PIECES = ["message", "message_id", "msg id", "msg", "id", "id=", "#", "=", ": ", " ", "  ", "'", '"', ",", "}", "{",
          "-", "_", ".", ":", "channel", "channel_name", "event", "event_name", "room", "room_number", "hotel",
          "hotel_slug", "Hotel", "pusher", "Pusher", "PUSHER", "trigger", "triggered", "on", "for", "to", "error",
          "Error", "fail", "refused", "exception", "Exception", "fcm", "FCM", "sent", "success", "delivered",
          "created", "saved", "was", "new", "traceback", "Traceback", "x", "X", "5", "42", "a-b", "-room-", "-rooms-",
          "-room", "-conversation-", "-chat", "h", "hotel paradise", "\t", "\r", "\x00", "\x1b[31m", "é", "📡", "\udcff",
          "pusher.errors.", "ValueError", "..", "a.b.", "_x"]
_KEYS = ["message_id", "message id", "messageid", "msg_id", "msg id", "msgid", "id", "paid", "message", "channel",
         "channel_name", "channels", "event", "event_name", "room", "room_number", "rooms", "hotel", "hotel_slug", "Hotel"]
_SEPARATORS = ["=", ": ", " ", "=-", " #", "#", ":'", '="', "  ", "==", "=: ", "=   ", "-", "_", ":\t", "=\x00"]
_VALUES = ["5", "42", "a-b", "X9", "-7", "h-room-1-chat", "h-rooms-2-chat", "hotel paradise-room-4-chat", "h_room.3-chat",
           "h-conversation-3-chat", "hotel-paradise", "hotel paradise", "new-staff-message", "a:b.c", "é", "Ab", "", "'x y'",
           "h-roomsx-1", "h-room-", "=h-room-1"]
_PHRASES = ["message was created", "message  was\tcreated", "created new message", "created: new  message",
            "message saved", "message\tsaved", "Message created", "message: created", "created message", "messagewas created",
            "message wascreated", "created newmessage", "a.b.ValueError", ".Error", "..Error", "x.Exception: y", "ErrorX",
            "Error_", "pusher.errors.PusherBadRequest: no", "  ValueError", "a..b.KeyError.x", "Traceback (most"]
#: clauses as log lines hold them: a key and its value, a phrase, a keyword in some case
clause = st.one_of(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_SEPARATORS), st.sampled_from(_VALUES)).map("".join),
                   st.sampled_from(_PHRASES), st.sampled_from(PIECES),
                   st.sampled_from([w.decode() for w in WORDS.all]).map(str.upper))
line_text = st.one_of(st.lists(st.sampled_from(PIECES), max_size=24).map("".join),
                      st.lists(clause, max_size=8).map(" ".join),
                      st.tuples(st.lists(clause, max_size=6), st.sampled_from(["", ",", "'", "\"", ": ", "}"]))
                      .map(lambda parts: parts[1].join(parts[0])))


@settings(max_examples=4000, deadline=None)
@given(text=line_text, portable=st.booleans())
def test_each_line_reads_the_same(text: str, portable: bool) -> None:
    line = text.encode("utf-8", "surrogateescape").replace(b"\n", b" ").rstrip(b"\r")
    words = WORDS.held(line)
    NATIVE.use_portable(portable)
    try:
        kind, read, native_words, *fields = NATIVE.read_line(line)
    finally:
        NATIVE.use_portable(False)
    assert (read, native_words) == (line, words)
    if kind != RAW:
        assert (kind, *fields) == line_fields(line, line.lower(), words)


#: lines as logs go wrong (issue #20's and more): past the length limit, NUL, invalid UTF-8, CR, JSON, tracebacks,
#: channel names with a space, and the app contract's shapes
HOSTILE = [b"x" * 70_000 + b" pusher error channel=h-room-1-chat id=1", b"Pusher triggered channel=h-room-1-chat id=2 "
           + b"y" * 66_000 + b" fail", b"Message created id=\x00 room=1 hotel=h", b"\xff\xfe FCM sent message_id=\xff",
           b"Pusher triggered channel=h-room-1-chat event=new-staff-message message_id=3\r\r",
           b'{"message": "Pusher triggered", "channel": "a b c-room-1-chat", "id": "\\ud800"}', b"{" * 5000,
           b"Traceback (most recent call last):", b'  File "x.py", line 3, in f pusher', b"    raise Error",
           b"pusher.errors.PusherBadRequest: Unknown auth_key", b"ValueError: bad", b"Error",
           b"Message created id=7 room=4 hotel=hotel paradise", b"Message created id=8 room=4 hotel=hotel paradise x=1",
           b"Pusher triggered channel=hotel paradise-room-4-chat event=new-staff-message message_id=7",
           b"Pusher triggered on hotel paradise-room-4-chat for message #8",
           b"Pusher triggered channel='hotel paradise-room-4-chat' event='new-staff-message' message_id=8",
           b"Pusher triggered ['hotel paradise-room-4-chat'] new-staff-message message_id=8",
           b"[2026-11-24 10:17:05,400] Pusher triggered channel=h-room-1-chat event=new-staff-message id=9",
           b"[2026-11-24 10:10:05,400] Message created id=9 room=1 hotel=h",
           b"local.INFO: pusher trigger channel=private-orders.5 event=order.shipped message_id=10",
           b"local.INFO: pusher trigger channel=orders-6 event=order.shipped message_id=11",
           b"local.INFO: message created message_id=11", b"FCM sent to the guest's device", b"", b"\r"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=80), generated_line.map(str.encode)),
                      max_size=30),
       since=st.sampled_from([None, datetime(2026, 11, 24, 10, 15)]), contract=st.sampled_from([HOTEL_CHAT, ORDERS]),
       block=st.sampled_from([64, 4 << 20]))
def test_hostile_lines_give_the_same_report(lines: list[bytes], since: datetime | None, contract: Contract,
                                            block: int) -> None:
    data = b"\n".join(lines)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(logs, "BLOCK", block)
        _same(data, since, contract)
        _same(gzip.compress(data), since, contract)


@settings(max_examples=300, deadline=None)
@given(stretches=st.lists(st.lists(st.integers(0, 400), max_size=30), max_size=12), portable=st.booleans())
def test_line_numbers_are_counted_over_stretches_of_any_length(stretches: list[list[int]], portable: bool) -> None:
    # Foreign lines of any length between the keyword lines: the newline counter's four-step turns, single steps
    # and bytes left over, on both routines.
    lines = []
    for number, lengths in enumerate(stretches):
        lines += [b"x" * length for length in lengths]
        lines.append(b"FCM sent message_id=%d" % number)
    data = b"\n".join(lines) + b"\n"
    NATIVE.use_portable(portable)
    try:
        block = NATIVE.scan_block(bytearray(data), len(data), 0, LINE_LIMIT)
    finally:
        NATIVE.use_portable(False)
    expected = [number for number, line in enumerate(data.split(b"\n"), 1) if line.startswith(b"FCM")]
    assert [record[0] for record in block.records()] == expected and block.newlines == data.count(b"\n")


class _Stop(Exception):
    pass


@pytest.mark.parametrize("where", ["handed back", "settled"])
def test_an_error_in_python_during_the_native_tally_is_raised_not_lost(monkeypatch: pytest.MonkeyPatch,
                                                                      where: str) -> None:
    # A line handed back to Python, or a message settled with a step missing, runs Python code from C: what it
    # raises (Ctrl-C among others) comes out of feed_stream, and the reader thread stops.
    def stop(*args):
        raise _Stop

    monkeypatch.setattr(logs, "WINDOW_LINES", 4)
    monkeypatch.setattr(logs, "SETTLE_EVERY", 1)
    scan = LogScan()
    if where == "handed back":
        scan._line = stop
    else:
        scan._tally = NATIVE.Tally(15, 4, 1, 1024, logs._place, stop)
    data = b"".join(django_log(50, noise_per_message=2, broken=2)) + b'{"message": "Pusher triggered"}\n'
    with pytest.raises(_Stop):
        scan.feed_stream("test.log", io.BytesIO(data))


def test_a_native_tally_in_a_cycle_is_collected() -> None:
    # The tally holds the caller's callables: a bound method of what holds the tally is a cycle, which only a
    # GC-aware type lets the collector free (with messages still in the window, and a last_id set from Python).
    import gc
    import weakref

    class Scan:
        def on_gap(self, *gap: object) -> None:
            pass

    scan = Scan()
    scan.tally = NATIVE.Tally(15, 4, 1, 1024, logs._place, scan.on_gap)
    scan.tally.touch("5", "test.log", 1, b"message 5 created", 1)
    scan.tally.last_id = scan
    gone = weakref.ref(scan)
    del scan
    gc.collect()
    assert gone() is None
