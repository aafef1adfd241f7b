"""`scan-logs`: rebuilds, per message id, which of the backend's steps the logs show.

The steps, in the guide's order: the message is created; Pusher is triggered on the guest's room channel
with `new-staff-message`; FCM is sent; Pusher is triggered on the conversation channel. Pusher error
lines and exceptions are collected with the message they are near.

The lines are recognised by words, not by one format: Django's and gunicorn's prefixes, JSON Lines (the
`message` field and the other fields together), with or without emoji, timestamps or logger names.
Anything else is foreign noise and is skipped; a truncated or undecodable line is read as far as it goes.

Files stream in blocks: only lines holding one of a few keywords are decoded and parsed (found by one
regular expression over the lowercased block), and messages whose steps stopped appearing a while ago
are settled into counts, so memory stays flat however large the log.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import IO

from pusher_doctor.hotel_chat import ROOM_EVENT
from pusher_doctor.triage.model import BadChannel, LogPlace, LogReport, MessageGap, RoomRow
from pusher_doctor.triage.near_miss import find_near_misses

STEPS = ("created", "guest-trigger", "fcm", "conversation-trigger")
BLOCK = 4 << 20
#: a line longer than this is cut: a log line is never legitimately this long
LINE_LIMIT = 64 << 10
#: a message not seen for this many lines is settled: its steps are all logged within moments
WINDOW_LINES = 20_000
#: examples kept per kind of finding; the counts are exact
EXAMPLES = 100
#: an exception within this many lines of a message's line is reported as near it
NEAR_LINES = 20

_KEYWORDS = re.compile(rb"pusher|fcm|created|traceback|error|exception")
_ROOM_CHANNEL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-room-[A-Za-z0-9]+-chat")
_CONVERSATION_CHANNEL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-conversation-[A-Za-z0-9]+-chat")
_MESSAGE_ID = re.compile(r"\b(?:message[_ ]?id|msg[_ ]?id)\W{0,3}([A-Za-z0-9-]+)|\bid\W{1,3}([A-Za-z0-9-]+)"
                         r"|\bmessage #?(\d+)\b", re.IGNORECASE)
_CHANNEL = re.compile(r"\bchannel(?:_name)?\W{1,3}([^\s'\",}]+)", re.IGNORECASE)
_ANY_CHANNEL = re.compile(r"[^\s'\",=:}]+-(?:rooms?|conversation)[-_.][^\s'\",}]+", re.IGNORECASE)
_EVENT = re.compile(r"\bevent(?:_name)?\W{1,3}([\w:.-]+)", re.IGNORECASE)
_CREATED = re.compile(r"message\W+(?:was\s+)?created|created\W+(?:new\s+)?message|message\s+saved", re.IGNORECASE)
_TIMESTAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)")
_ROOM_FIELD = re.compile(r"\broom(?:_number)?\W{1,3}([A-Za-z0-9]+)", re.IGNORECASE)
_HOTEL_FIELD = re.compile(r"\bhotel(?:_slug)?\W{1,3}([a-z0-9]+(?:-[a-z0-9]+)*)\b")
_EXCEPTION_NAME = re.compile(r"[A-Za-z_][\w.]*(?::|$)")
_EXCEPTION_LINE = re.compile(r"^(?:[\w.]+\.)?\w*(?:Error|Exception)\b.*")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")


class SinceError(ValueError):
    """--since is neither a date and time nor a duration such as 30m."""


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`2026-11-24 10:00`, `2026-11-24T10:00:00`, `2026-11-24`, or a duration back from now: `30m`, `2h`, `1d`."""
    text = text.strip()
    relative = _RELATIVE.fullmatch(text)
    if relative:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[relative[2]]
        return (now or datetime.now()) - timedelta(**{unit: float(relative[1])})
    try:
        return datetime.fromisoformat(text.replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        raise SinceError(f"--since {text!r} is not a date and time (2026-11-24 10:00) or a duration (30m, 2h, 1d)") \
            from None


def _shown(text: str, limit: int = 160) -> str:
    text = _CONTROL.sub("?", text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_time(text: str) -> datetime | None:
    found = _TIMESTAMP.search(text)
    if found is None:
        return None
    try:
        return datetime.fromisoformat(f"{found[1]} {found[2]}")
    except ValueError:
        return None


@dataclass
class _Message:
    steps: set[str] = field(default_factory=set)
    first: LogPlace | None = None
    room_channel: str | None = None
    last_line: int = 0


@dataclass
class _Room:
    messages: int = 0
    guest_triggers: int = 0
    missing: int = 0
    errors: int = 0


def _flatten_json(text: str) -> str:
    """A JSON Lines record as one line of words: its message, then its other fields as key=value."""
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):
        return text
    if not isinstance(record, dict):
        return text
    words = [str(record.get("message") or record.get("msg") or record.get("event_message") or "")]
    words += [f"{k}={v}" for k, v in record.items() if k not in ("message", "msg") and not isinstance(v, (dict, list))]
    return " ".join(words)


def _bad_channel_reason(channel: str) -> str | None:
    """Why a triggered channel name is not the backend's `{hotel}-room-{room}-chat` form, or None when it is."""
    if _ROOM_CHANNEL.fullmatch(channel) or _CONVERSATION_CHANNEL.fullmatch(channel):
        return None
    guess = re.sub(r"(^|-)rooms(-|$)", r"\1room\2", channel.lower().replace("_", "-").replace(".", "-"))
    guess = guess if guess.endswith("-chat") else guess + "-chat"
    misses = find_near_misses(guess, {channel: 1}) if _ROOM_CHANNEL.fullmatch(guess) else ()
    if misses:
        return f"not {{hotel}}-room-{{room}}-chat: {'; '.join(misses[0].reasons)} (the backend's form: {guess})"
    return "not {hotel}-room-{room}-chat nor {hotel}-conversation-{id}-chat"


class LogScan:
    """Feed it lines (`feed_file`); `report()` settles what is left and returns the findings."""

    def __init__(self, since: datetime | None = None, since_text: str | None = None) -> None:
        self.since = since
        self.since_text = since_text
        self.files: list[str] = []
        self.lines = 0
        self.bytes = 0
        self._messages: OrderedDict[str, _Message] = OrderedDict()
        self._settled_at = 0
        self.total = 0
        self.complete = 0
        self.missing_counts: dict[str, int] = {}
        self.gaps: list[MessageGap] = []
        self.bad: dict[tuple[str, str], BadChannel] = {}
        self.pusher_errors: list[LogPlace] = []
        self.pusher_error_count = 0
        self.exceptions: list[LogPlace] = []
        self.exception_count = 0
        self.rooms: dict[str, _Room] = {}
        self.skipped_before_since = 0
        self.notes: list[str] = []
        self._in_traceback = False
        self._last_message: tuple[str, int] | None = None

    @property
    def open_messages(self) -> int:
        """Messages still waiting for more steps: bounded by the window, not by the log's size."""
        return len(self._messages)

    # --- reading -----------------------------------------------------------------------------------------

    def feed_stream(self, name: str, stream: IO[bytes]) -> None:
        """Reads a plain or gzip stream (told apart by its first bytes) in blocks."""
        self.files.append(name)
        head = stream.read(2)
        try:
            if head == b"\x1f\x8b":
                self._feed_blocks(name, _blocks(gzip.GzipFile(fileobj=_Prefixed(head, stream))))
            else:
                self._feed_blocks(name, _blocks(stream, head))
        except (EOFError, gzip.BadGzipFile, OSError) as error:
            # A gzip file cut short (still being written, or copied half) keeps what was read.
            self.notes.append(f"{name}: read up to a damaged or truncated part ({type(error).__name__})")

    def _feed_blocks(self, name: str, blocks: Iterator[bytes]) -> None:
        line_no = 0
        self._in_traceback = False
        self._last_message = None
        ends_open = False
        for block in blocks:
            self.bytes += len(block)
            lowered = block.lower()
            position = 0
            line_end = -1
            for match in _KEYWORDS.finditer(lowered):
                if match.start() <= line_end:
                    continue  # another keyword on a line already read
                start = block.rfind(b"\n", 0, match.start()) + 1
                line_end = block.find(b"\n", match.start())
                if line_end < 0:
                    line_end = len(block)
                line_no += block.count(b"\n", position, start)
                position = start
                raw = block[start:min(line_end, start + LINE_LIMIT)]
                self._line(name, line_no + 1, raw.decode("utf-8", "replace").rstrip("\r"))
            line_no += block.count(b"\n", position)
            ends_open = not block.endswith(b"\n")
        # A last line without its newline (a truncated file) is still a line.
        self.lines += line_no + (1 if ends_open else 0)

    # --- one line --------------------------------------------------------------------------------------

    def _line(self, name: str, number: int, text: str) -> None:
        if text.startswith("{"):
            text = _flatten_json(text)
        lowered = text.lower()
        if self.since is not None:
            at = _line_time(text)
            if at is not None and at < self.since:
                self.skipped_before_since += 1
                return
        # Built only when kept: most lines only add a step to a message already known.
        def place() -> LogPlace:
            return LogPlace(name, number, _shown(text))

        if lowered.startswith("traceback"):
            self._in_traceback = True
            return
        if self._in_traceback:
            if text[:1] in (" ", "\t"):
                return  # a frame of the traceback (only lines with a keyword reach here)
            # The first unindented line after the frames names the exception: `pusher.errors.PusherBadRequest: ...`
            self._in_traceback = False
            if _EXCEPTION_NAME.match(text):
                self._exception(place, number)
                return
        message_id = self._message_id(text)
        if "pusher" in lowered and any(word in lowered for word in ("error", "fail", "exception", "refused")):
            self.pusher_error_count += 1
            if len(self.pusher_errors) < EXAMPLES:
                self.pusher_errors.append(place())
            channel = self._channel(text)
            if channel and _ROOM_CHANNEL.fullmatch(channel):
                self.rooms.setdefault(channel, _Room()).errors += 1
            if message_id:
                self._touch(message_id, place, number)
            return
        if "pusher" in lowered and "trigger" in lowered:
            self._trigger(text, message_id, place, number)
        elif "fcm" in lowered and any(word in lowered for word in ("sent", "success", "delivered")):
            if message_id:
                self._touch(message_id, place, number).steps.add("fcm")
        elif _CREATED.search(text) and message_id:
            message = self._touch(message_id, place, number)
            message.steps.add("created")
            room, hotel = _ROOM_FIELD.search(text), _HOTEL_FIELD.search(text)
            if room and hotel and message.room_channel is None:
                message.room_channel = f"{hotel[1]}-room-{room[1]}-chat"
        elif "exception" in lowered or _EXCEPTION_LINE.match(text.strip()):
            self._exception(place, number)
        self._settle_old(number)

    def _message_id(self, text: str) -> str | None:
        found = _MESSAGE_ID.search(text)
        if found is None:
            return None
        return next(group for group in found.groups() if group)

    def _channel(self, text: str) -> str | None:
        found = _CHANNEL.search(text) or _ANY_CHANNEL.search(text)
        return found[1] if found and found.groups() else (found[0] if found else None)

    def _trigger(self, text: str, message_id: str | None, place: Callable[[], LogPlace], number: int) -> None:
        channel = self._channel(text)
        event = _EVENT.search(text)
        event_name = event[1] if event else None
        if channel is None:
            return
        reason = _bad_channel_reason(channel)
        if reason is not None:
            key = (channel, reason)
            if key in self.bad:
                known = self.bad[key]
                self.bad[key] = BadChannel(known.channel, known.reason, known.place, known.count + 1)
            elif len(self.bad) < EXAMPLES:
                self.bad[key] = BadChannel(channel, reason, place())
        if message_id is None:
            return
        message = self._touch(message_id, place, number)
        if reason is None and _ROOM_CHANNEL.fullmatch(channel) and event_name in (None, ROOM_EVENT):
            message.steps.add("guest-trigger")
            message.room_channel = channel
        elif reason is None and _CONVERSATION_CHANNEL.fullmatch(channel):
            message.steps.add("conversation-trigger")

    def _exception(self, place: Callable[[], LogPlace], number: int) -> None:
        self.exception_count += 1
        if len(self.exceptions) < EXAMPLES:
            found = place()
            near = self._last_message
            if near is not None and number - near[1] <= NEAR_LINES:
                found = LogPlace(found.file, found.line, f"{found.text} (near message #{near[0]})")
            self.exceptions.append(found)

    def _touch(self, message_id: str, place: Callable[[], LogPlace], number: int) -> _Message:
        message = self._messages.get(message_id)
        if message is None:
            message = self._messages[message_id] = _Message(first=place())
        else:
            self._messages.move_to_end(message_id)
        message.last_line = number
        self._last_message = (message_id, number)
        return message

    # --- settling --------------------------------------------------------------------------------------

    def _settle_old(self, number: int) -> None:
        if number - self._settled_at < WINDOW_LINES // 4:
            return
        self._settled_at = number
        while self._messages:
            message_id, message = next(iter(self._messages.items()))
            if number - message.last_line < WINDOW_LINES and message.last_line <= number:
                break
            self._messages.popitem(last=False)
            self._settle(message_id, message)

    def _settle(self, message_id: str, message: _Message) -> None:
        self.total += 1
        missing = tuple(step for step in STEPS if step not in message.steps)
        room_channel = message.room_channel
        if room_channel is not None:
            room = self.rooms.setdefault(room_channel, _Room())
            room.messages += 1
            if "guest-trigger" in message.steps:
                room.guest_triggers += 1
            else:
                room.missing += 1
        if not missing:
            self.complete += 1
            return
        for step in missing:
            self.missing_counts[step] = self.missing_counts.get(step, 0) + 1
        if len(self.gaps) < EXAMPLES and message.first is not None:
            done = tuple(step for step in STEPS if step in message.steps)
            self.gaps.append(MessageGap(message_id, room_channel, done, missing, message.first))

    def report(self) -> LogReport:
        while self._messages:
            self._settle(*self._messages.popitem(last=False))
        rows = tuple(RoomRow(channel, r.messages, r.guest_triggers, r.missing, r.errors)
                     for channel, r in sorted(self.rooms.items()))
        return LogReport(tuple(self.files), self.lines, self.bytes, self.total, self.complete,
                         dict(self.missing_counts), tuple(self.gaps), tuple(self.bad.values()),
                         tuple(self.pusher_errors), self.pusher_error_count, tuple(self.exceptions),
                         self.exception_count, rows, self.since_text, self.skipped_before_since,
                         tuple(self.notes))


class _Prefixed:
    """A stream with bytes already read put back in front (gzip needs its magic bytes)."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self._head = head
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        if self._head:
            head, self._head = self._head, b""
            if size < 0:
                return head + self._stream.read()
            return head + self._stream.read(max(size - len(head), 0))
        return self._stream.read(size)


def _blocks(stream: IO[bytes] | gzip.GzipFile, head: bytes = b"") -> Iterator[bytes]:
    """Blocks of whole lines (a line longer than a block is cut where the block ends)."""
    carry = head
    while True:
        chunk = stream.read(BLOCK)
        if not chunk:
            if carry:
                yield carry
            return
        data = carry + chunk
        cut = data.rfind(b"\n")
        if cut < 0:
            if len(data) >= BLOCK:
                yield data
                carry = b""
            else:
                carry = data
            continue
        yield data[: cut + 1]
        carry = data[cut + 1:]
