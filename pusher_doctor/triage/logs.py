"""`scan-logs`: rebuilds, per message id, which of the backend's steps the logs show.

The steps, in the guide's order: the message is created; Pusher is triggered on the guest's room channel
with `new-staff-message`; FCM is sent; Pusher is triggered on the conversation channel. Pusher error
lines and exceptions are collected with the message they are near.

The lines are recognised by words, not by one format: Django's and gunicorn's prefixes, JSON Lines (the
`message` field and the other fields together), with or without emoji, timestamps or logger names.
Anything else is foreign noise and is skipped; a truncated or undecodable line is read as far as it goes.

Files stream in blocks read into one reused buffer: only lines holding one of a few keywords are read. Two
readers find and read them, with the same results (docs/triage.md): the native pass (`_logscan.c`, built at
install), which finds them and reads their fields in C in a helper thread, a block ahead, and whose tally
applies the common ones to their messages in C, handing the others back to `_apply`; and the pure-Python
parser (`_line`, `line_fields`), the reference and the fallback, which finds them with `keyword_lines` and
reads them as bytes, so that an emoji in a line does not make every regular expression run over four-byte
characters, and applies each with `_apply` and `_Tally`. Text is decoded only where it is kept, and where a
message was first seen is formatted only if it is shown. Messages whose steps stopped appearing a while ago
are settled into counts, so memory stays flat however large the log.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import os
import queue
import re
import stat
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import IO, Any

from pusher_doctor.contract import HOTEL_CHAT, Contract
from pusher_doctor.contract.hotel import is_hotel_chat
from pusher_doctor.triage.keyword_lines import LineFinder, Words, line_finder
from pusher_doctor.triage.model import BadChannel, LogPlace, LogReport, MessageGap, RoomRow
from pusher_doctor.triage.near_miss import find_near_misses

STEPS = ("created", "guest-trigger", "fcm", "conversation-trigger")
BLOCK = 4 << 20
#: a line longer than this is cut: a log line is never legitimately this long
LINE_LIMIT = 64 << 10
#: a message not seen for this many lines is settled: its steps are all logged within moments
WINDOW_LINES = 20_000
#: how often (in lines) messages are looked at for settling
SETTLE_EVERY = WINDOW_LINES // 4
#: examples kept per kind of finding; the counts are exact
EXAMPLES = 100
#: an exception within this many lines of a message's line is reported as near it
NEAR_LINES = 20

# A line is parsed when it holds one of the first words; the others only sort it (see keyword_lines.Words).
WORDS = Words((b"pusher", b"fcm", b"created", b"saved", b"traceback", b"error", b"exception"),
              (b"trigger", b"fail", b"refused", b"sent", b"success", b"delivered"))
_PUSHER, _FCM, _TRIGGER, _EXCEPTION = (WORDS.bit(word)
                                       for word in (b"pusher", b"fcm", b"trigger", b"exception"))
_FAILURE = WORDS.bits(b"error", b"fail", b"exception", b"refused")
_DELIVERED = WORDS.bits(b"sent", b"success", b"delivered")
_CREATED_WORDS = WORDS.bits(b"created", b"saved")
#: a line's first place is kept as its bytes up to this length, formatted only if it is shown
KEPT_LINE = 1024
# Lines are bytes. The patterns in lowercase run over the lowercased line, and what they capture is cut from
# the line as written (bytes.lower() keeps every offset), since ids and event names keep their case; the
# others (hotel slugs, exception names, timestamps) run over the line as written.
_ROOM_CHANNEL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-room-[A-Za-z0-9]+-chat")
_CONVERSATION_CHANNEL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-conversation-[A-Za-z0-9]+-chat")
# Patterns start with a literal where they can (`word(?<!\wword)` rather than `\bword`): `re` then finds it
# with a fast substring search instead of trying the pattern at every offset (about 3x faster on a line).
# A message id is `message_id=5`, `msg id: 5`, `id=5` (_ID, which matches from the `id`) or `message #5`.
_ID = re.compile(rb"id(?:(?:(?<=\bmessage_id)|(?<=\bmessage id)|(?<=\bmessageid)|(?<=\bmsg_id)|(?<=\bmsg id)"
                 rb"|(?<=\bmsgid))\W{0,3}([a-z0-9-]+)|(?<!\wid)\W{1,3}([a-z0-9-]+))")
_MESSAGE_NUMBER = re.compile(rb"message(?<!\wmessage) #?(\d+)\b")
_CHANNEL = re.compile(rb"channel(?<!\wchannel)(?:_name)?\W{1,3}([^\s'\",}]+)")
_ANY_CHANNEL = re.compile(rb"[^\s'\",=:}]+-(?:rooms?|conversation)[-_.][^\s'\",}]+")
# _ANY_CHANNEL's match found in linear time (`_any_channel_span`): searched as written, `re` runs its first
# part to the end of the word at every start and backtracks, which took seconds on one 64 KB word.
_CHANNEL_MARK = re.compile(rb"-(?:rooms?|conversation)[-_.][^\s'\",}]")
_BARE_WORD = re.compile(rb"[^\s'\",=:}]*")
_CHANNEL_TAIL = re.compile(rb"[^\s'\",}]*")
_NOT_BARE = frozenset(b" \t\n\r\f\v'\",=:}")
# A channel built from a hotel name with a space (`hotel paradise-room-104-chat`) is one name holding a space,
# not a well-formed name after a stray word. Without quotes around it, the words are taken as its own only
# where they follow `channel=` or a word that leads up to a channel (`triggered`, `on`), at most two of them.
_PLAIN_WORDS = re.compile(rb"(?:[a-z0-9]*[a-z][a-z0-9]* ){1,3}")
_PLAIN_WORDS_THEN_CHANNEL = re.compile(rb"(?: (?=[a-z0-9]*[a-z])[a-z0-9]++){0,2} "
                                       rb"[^\s'\",=:}]+-(?:rooms?|conversation)[-_.][^\s'\",}]+")
_LEAD = rb"(?:triggered|triggering|trigger|on|to|for|channels?)"
_LEAD_THEN_WORDS = re.compile(rb"(?<![^\s])" + _LEAD + rb":? ((?:(?!" + _LEAD
                              + rb" )(?=[a-z0-9]*[a-z])[a-z0-9]{1,40}+ ){1,2})$")
#: how far before a channel-shaped word `_LEAD_THEN_WORDS` looks: a lead word and two plain words
_LEAD_REACH = 2 * 41 + len("triggering: ")
_EVENT = re.compile(rb"event(?<!\wevent)(?:_name)?\W{1,3}([\w:.-]+)")
_CREATED = re.compile(rb"message\W+(?:was\s+)?created|created\W+(?:new\s+)?message|message\s+saved")
_TIMESTAMP = re.compile(rb"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)")
_ROOM_FIELD = re.compile(rb"room(?<!\wroom)(?:_number)?\W{1,3}([a-z0-9]+)")
_HOTEL_FIELD = re.compile(rb"hotel(?<!\whotel)(?:_slug)?\W{1,3}([a-z0-9]+(?:-[a-z0-9]+)*)\b")
# `hotel=hotel paradise` ending the line or followed by the next `key=`: a hotel slug with a space in it.
_SPACED_HOTEL_FIELD = re.compile(rb"hotel(?:_slug)?=([a-z0-9]+(?:-[a-z0-9]+)*(?: [a-z0-9-]{1,40}){1,2})"
                                 rb"(?=\s*$|\s+\w+=)")
_EXCEPTION_NAME = re.compile(rb"[A-Za-z_][\w.]*(?::|$)")
_EXCEPTION_LINE = re.compile(rb"^(?:[\w.]+\.)?\w*(?:Error|Exception)\b.*")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")


class SinceError(ValueError):
    """--since is neither a date and time nor a duration such as 30m."""


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`2026-11-24 10:00`, `2026-11-24T10:00:00`, `2026-11-24`, or a duration back from now:
    `30m`, `2h`, `1d`."""
    text = text.strip()
    relative = _RELATIVE.fullmatch(text)
    if relative:
        unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[relative[2]]
        try:
            return (now or datetime.now()) - timedelta(**{unit: float(relative[1])})
        except OverflowError:
            # Further back than the calendar goes (`99999999999d`): every line is from after it.
            return datetime.min
    try:
        return datetime.fromisoformat(text.replace("Z", "")).replace(tzinfo=None)
    except ValueError:
        raise SinceError(f"--since {text!r} is not a date and time (2026-11-24 10:00) or a duration "
                         "(30m, 2h, 1d)") from None


def _shown(text: str, limit: int = 160) -> str:
    text = _CONTROL.sub("?", text.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line_time(line: bytes) -> datetime | None:
    found = _TIMESTAMP.search(line)
    if found is None:
        return None
    try:
        return datetime.fromisoformat(f"{found[1].decode()} {found[2].decode()}")
    except ValueError:
        return None


def _captured(found: re.Match[bytes] | None, line: bytes) -> str | None:
    """The group that matched in `found` (searched in the lowercased `line`), cut from `line` as written."""
    if found is None:
        return None
    group = found.lastindex or 0
    return line[found.start(group):found.end(group)].decode("utf-8", "replace")


def _message_id(line: bytes, lowered: bytes) -> str | None:
    """The leftmost message id the line names, as written."""
    by_key, by_number = _ID.search(lowered), _MESSAGE_NUMBER.search(lowered)
    if by_key is not None and by_number is not None:
        # _ID's match starts at the `id` of `message_id`, but no `message #5` can start inside `message_id`:
        # comparing the two starts still finds the leftmost.
        found = by_number if by_number.start() < by_key.start() else by_key
    else:
        found = by_key or by_number
        if found is None:
            return None
    group = found.lastindex or 0
    return line[found.start(group):found.end(group)].decode("utf-8", "replace")


def _place(name: str, number: int, line: bytes) -> LogPlace:
    return LogPlace(name, number, _shown(line.decode("utf-8", "replace")))


#: each step's bit in a message's steps, in STEPS' order (the native tally uses the same)
STEP_BITS = {step: 1 << index for index, step in enumerate(STEPS)}
_CREATED_STEP, _GUEST_STEP, _FCM_STEP, _CONVERSATION_STEP = STEP_BITS.values()


class _Message:
    """A message still open. Where it was first seen is kept as its line when the line is short, formatted
    only for the few shown; a long line (up to 64 KB, and up to a window of messages open) is formatted
    at once."""

    __slots__ = ("first", "first_number", "last_line", "name", "room_channel", "steps")

    def __init__(self, name: str, number: int, first: LogPlace | bytes) -> None:
        self.name = name
        self.first_number = self.last_line = number
        self.first = first
        self.steps = 0
        self.room_channel: str | None = None


class _Tally:
    """The messages still open, in a window ordered by when each was last named, and what the settled
    ones came to: the reference for the native tally (`_logscan.Tally`), which keeps the same with the
    same methods.

    A message not named for `window` lines is settled (looked at every `settle_every` lines): counted, its
    room counted, and handed to `on_gap` when a step it should have is missing."""

    def __init__(self, steps: int, window: int, settle_every: int, kept_line: int,
                 place: Callable[[str, int, bytes], LogPlace], on_gap: Callable[..., None]) -> None:
        self._messages: OrderedDict[str, _Message] = OrderedDict()
        self._steps, self._window = steps, window
        self._settle_every, self._kept_line = settle_every, kept_line
        self._place, self._on_gap = place, on_gap
        self._settled_at = 0
        self._rooms: dict[str, list[int]] = {}
        self.total = 0
        self.complete = 0
        # FCM lines that name a message (a touch with the FCM step) and those that do not: a log whose FCM
        # lines never name one cannot show which message lacks its FCM step.
        self.fcm_with_id = False
        self.fcm_without_id = 0
        # The message the last line named, and that line's number: an exception near it says so.
        self.last_id: str | None = None
        self.last_id_line = 0

    def __len__(self) -> int:
        return len(self._messages)

    def touch(self, message_id: str, name: str, number: int, line: bytes, step: int = 0,
              room_channel: str | None = None) -> None:
        """A line names the message, adding `step`; the room a guest trigger names replaces the one a created
        line names, which is kept only until one is known."""
        messages = self._messages
        message = messages.get(message_id)
        if message is None:
            first = line if len(line) <= self._kept_line else self._place(name, number, line)
            message = messages[message_id] = _Message(name, number, first)
        else:
            messages.move_to_end(message_id)
            message.last_line = number
        message.steps |= step
        if room_channel is not None and (step == _GUEST_STEP or message.room_channel is None):
            message.room_channel = room_channel
        if step == _FCM_STEP:
            self.fcm_with_id = True
        self.last_id = message_id
        self.last_id_line = number

    def settle_due(self, number: int) -> None:
        """Settles the messages not named for a window of lines, when a settling is due at line `number`."""
        if number - self._settled_at < self._settle_every:
            return
        self._settled_at = number
        messages = self._messages
        while messages:
            message_id, message = next(iter(messages.items()))
            # line numbers start again in each file: a message of a file before is settled
            if number - message.last_line < self._window and message.last_line <= number:
                break
            messages.popitem(last=False)
            self._settle(message_id, message)

    def settle_all(self) -> None:
        while self._messages:
            self._settle(*self._messages.popitem(last=False))

    def rooms(self) -> dict[str, tuple[int, int, int]]:
        """Per room channel: messages settled, those triggered to the guest, those not."""
        return {channel: (counts[0], counts[1], counts[2]) for channel, counts in self._rooms.items()}

    def _settle(self, message_id: str, message: _Message) -> None:
        self.total += 1
        traced = self._steps if self.fcm_with_id or not self.fcm_without_id else self._steps & ~_FCM_STEP
        room_channel = message.room_channel
        if room_channel is not None:
            counts = self._rooms.get(room_channel)
            if counts is None:
                counts = self._rooms[room_channel] = [0, 0, 0]
            counts[0] += 1
            counts[1 if message.steps & _GUEST_STEP else 2] += 1
        if message.steps & traced == traced:
            self.complete += 1
        else:
            self._on_gap(message_id, room_channel, message.steps, traced, message.name, message.first_number,
                         message.first)


class _Gaps:
    """The settled messages missing a step: counted per step, the first few kept as examples."""

    def __init__(self, steps: int) -> None:
        self._steps = steps
        self.missing_counts: dict[str, int] = {}
        self.gaps: list[MessageGap] = []

    def add(self, message_id: str, room_channel: str | None, steps: int, traced: int, name: str, number: int,
            first: LogPlace | bytes) -> None:
        missing = tuple(step for step, bit in STEP_BITS.items() if traced & bit and not steps & bit)
        for step in missing:
            self.missing_counts[step] = self.missing_counts.get(step, 0) + 1
        if len(self.gaps) < EXAMPLES:
            done = tuple(step for step, bit in STEP_BITS.items() if self._steps & bit and steps & bit)
            place = first if isinstance(first, LogPlace) else _place(name, number, first)
            self.gaps.append(MessageGap(message_id, room_channel, done, missing, place))


def _flatten_json(line: bytes) -> bytes:
    """A JSON Lines record as one line of words: its message, then its other fields as key=value."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return line
    if not isinstance(record, dict):
        return line
    words = [str(record.get("message") or record.get("msg") or record.get("event_message") or "")]
    words += [f"{k}={v}" for k, v in record.items()
              if k not in ("message", "msg") and not isinstance(v, (dict, list))]
    # "replace": a JSON string may hold a lone surrogate, which UTF-8 cannot encode
    return " ".join(words).encode("utf-8", "replace")


def native_reader() -> Any | None:
    """The native pass (the `_logscan` module, whose `scan_block` reads a block), or None: where it was not
    built (no compiler at install), or where PUSHER_DOCTOR_PURE_PYTHON=1 asks for the pure-Python parser,
    which gives the same."""
    if os.environ.get("PUSHER_DOCTOR_PURE_PYTHON") == "1":
        return None
    try:
        from pusher_doctor.triage import _logscan
    except ImportError:
        return None
    # Built from an older source (its words or steps differ, or it has no tally): the Python parser is right
    # where it is not.
    if (_logscan.WORDS != WORDS.all or _logscan.SELECTING != len(WORDS.selecting_words)
            or getattr(_logscan, "STEPS", None) != STEPS):
        return None
    return _logscan


# A log names the same few hundred channels again and again; bounded, so memory stays flat.
@functools.lru_cache(maxsize=4096)
def _channel_kind(channel: str) -> tuple[str, str | None]:
    """("room" | "conversation" | "bad", and for a bad one why it is not the backend's form)."""
    if _ROOM_CHANNEL.fullmatch(channel):
        return "room", None
    if _CONVERSATION_CHANNEL.fullmatch(channel):
        return "conversation", None
    return "bad", _bad_channel_reason(channel)


def _contract_kind(contract: Contract, channel: str) -> tuple[str, str | None]:
    """("room" for the contract's recipient channel, "conversation" for its others, or "bad" and why)."""
    matched = contract.match(channel)
    if matched is not None:
        return ("room" if matched[0].key == contract.recipient else "conversation"), None
    templates = ", ".join(c.template.text for c in contract.channels)
    return "bad", f"none of {contract.label}'s channels ({templates})"


def _bad_channel_reason(channel: str) -> str:
    """Why a triggered channel name is not the backend's `{hotel}-room-{room}-chat` form."""
    guess = re.sub(r"(^|-)rooms(-|$)", r"\1room\2", channel.lower().replace("_", "-").replace(".", "-"))
    guess = guess if guess.endswith("-chat") else guess + "-chat"
    if " " in channel:
        spaced = re.sub(r"\s+", "-", guess)
        well_formed = _ROOM_CHANNEL.fullmatch(spaced) or _CONVERSATION_CHANNEL.fullmatch(spaced)
        form = f" (the backend's form: {spaced})" if well_formed else ""
        return ("holds a space, which Pusher refuses in a channel name: the hotel's slug is not "
                f"slugified{form}")
    misses = find_near_misses(guess, {channel: 1}) if _ROOM_CHANNEL.fullmatch(guess) else ()
    if misses:
        return (f"not {{hotel}}-room-{{room}}-chat: {'; '.join(misses[0].reasons)} "
                f"(the backend's form: {guess})")
    return "not {hotel}-room-{room}-chat nor {hotel}-conversation-{id}-chat"


@functools.lru_cache(maxsize=4096)
def _may_start_a_spaced_name(value: bytes) -> bool:
    """Only a `channel=` value with no room or conversation in it may be the start of a name with a space."""
    return b"-room" not in value and b"-conversation" not in value


def _any_channel_span(lowered: bytes) -> tuple[int, int] | None:
    """The span `_ANY_CHANNEL.search(lowered)` gives, in linear time. Its match is the first word of bare
    channel bytes holding, after its first byte, a `-room`/`-rooms`/`-conversation` mark; it runs from that
    word's start over channel bytes past the word's end, whichever mark in the word `re` settles on."""
    position = 0
    while (mark := _CHANNEL_MARK.search(lowered, position)) is not None:
        at = start = mark.start()
        while start > 0 and lowered[start - 1] not in _NOT_BARE:
            start -= 1
        if start < at:  # a mark opening its word is not one: the word must hold a byte before it
            word_end = _BARE_WORD.match(lowered, at).end()
            return start, _CHANNEL_TAIL.match(lowered, word_end).end()
        position = at + 1
    return None


def _channel(line: bytes, lowered: bytes) -> str | None:
    """The channel a line names: after `channel=`, or any word shaped like a room or conversation channel.

    A quoted name is taken whole; so is a name holding a space, `hotel paradise-room-104-chat`, which would
    otherwise be cut to a word or to a well-formed name the backend never triggered on.
    """
    found = _CHANNEL.search(lowered)
    if found is not None:
        start, end = found.span(1)
        quote = lowered[start - 1:start]
        if quote in (b"'", b'"'):
            closing = lowered.find(quote, start, start + LINE_LIMIT)
            end = closing if closing > 0 else end
        elif _may_start_a_spaced_name(lowered[start:end]):
            spaced = _PLAIN_WORDS_THEN_CHANNEL.match(lowered, end)
            end = spaced.end() if spaced is not None else end
        return line[start:end].decode("utf-8", "replace")
    found = _any_channel_span(lowered)
    if found is None:
        return None
    start, end = found
    quote = lowered[end:end + 1]
    opening = lowered.rfind(quote, 0, start) if quote in (b"'", b'"') else -1
    if opening >= 0 and _PLAIN_WORDS.fullmatch(lowered, opening + 1, start):
        start = opening + 1
    else:
        led = (_LEAD_THEN_WORDS.search(lowered, max(0, start - _LEAD_REACH), start)
               if lowered[start - 1:start] == b" " else None)
        start = led.start(1) if led is not None else start
    return line[start:end].decode("utf-8", "replace")


# What a keyword line is, in the order LogScan._apply tries them; the native pass (_logscan.c) gives the same.
RAW, ERROR, TRIGGER, FCM, CREATED, EXCEPTION, OTHER = range(7)
#: (kind, message id, channel, event, room channel) of one line
Fields = tuple[int, str | None, str | None, str | None, str | None]


def line_fields(line: bytes, lowered: bytes, words: int) -> Fields:
    """The pure-Python reading of one line (not JSON, not a traceback's): the reference the native pass is
    tested against, and what runs where it is not built."""
    message_id = _message_id(line, lowered)
    if words & _PUSHER and words & _FAILURE:
        return ERROR, message_id, _channel(line, lowered), None, None
    if words & _PUSHER and words & _TRIGGER:
        return TRIGGER, message_id, _channel(line, lowered), _captured(_EVENT.search(lowered), line), None
    if words & _FCM and words & _DELIVERED:
        return FCM, message_id, None, None, None
    if message_id and words & _CREATED_WORDS and _CREATED.search(lowered):
        room = _captured(_ROOM_FIELD.search(lowered), line)
        hotel = _HOTEL_FIELD.search(line)
        if hotel is not None and line[hotel.end():hotel.end() + 1] == b" ":
            hotel = _SPACED_HOTEL_FIELD.match(line, hotel.start()) or hotel
        room_channel = f"{hotel[1].decode()}-room-{room}-chat" if room and hotel else None
        return CREATED, message_id, None, None, room_channel
    if words & _EXCEPTION or _EXCEPTION_LINE.match(line.strip()):
        return EXCEPTION, message_id, None, None, None
    return OTHER, message_id, None, None, None


class LogScan:
    """Feed it lines (`feed_file`); `report()` settles what is left and returns the findings."""

    def __init__(self, since: datetime | None = None, since_text: str | None = None,
                 contract: Contract = HOTEL_CHAT) -> None:
        self.since = since
        self.since_text = since_text
        #: whose channels and events the triggers are judged by (the hotel chat's, else an app contract's)
        self.contract = contract
        self._recipient_events = (None, *contract.recipient_channel.event_names)
        #: another app's messages have no FCM or staff-conversation step: created, then its trigger
        self._hotel_chat = is_hotel_chat(contract)
        #: ("room" | "conversation" | "bad", why a bad one is) of a triggered channel
        self._judge: Callable[[str], tuple[str, str | None]] = \
            _channel_kind if self._hotel_chat else functools.partial(_contract_kind, contract)
        steps = sum(STEP_BITS[step] for step in (STEPS if self._hotel_chat else STEPS[:2]))
        self.files: list[str] = []
        self.lines = 0
        self.bytes = 0
        self._gaps = _Gaps(steps)
        self.bad: dict[tuple[str, str], BadChannel] = {}
        self.pusher_errors: list[LogPlace] = []
        self.pusher_error_count = 0
        self.exceptions: list[LogPlace] = []
        self.exception_count = 0
        #: Pusher error lines per room channel (the tally counts its messages)
        self._room_errors: dict[str, int] = {}
        self.skipped_before_since = 0
        self.notes: list[str] = []
        self._in_traceback = False
        #: the native pass over each block where it is built (see native_reader); else `_find_lines`
        #: finds the keyword lines and `_line` reads each
        self.native = native_reader()
        # The native tally applies the native pass's lines itself, handing back the few it does not follow.
        self._tally = (self.native.Tally if self.native is not None else _Tally)(
            steps, WINDOW_LINES, SETTLE_EVERY, KEPT_LINE, _place, self._gaps.add)
        # Made when first needed: where the native pass runs, every start is spared the ~11 ms of
        # Hyperscan's import and compile.
        self._find_lines: LineFinder | None = None
        self._file_lines = 0
        self._ends_open = False

    @property
    def open_messages(self) -> int:
        """Messages still waiting for more steps: bounded by the window, not by the log's size."""
        return len(self._tally)

    # --- reading -----------------------------------------------------------------------------------------

    def feed_stream(self, name: str, stream: IO[bytes]) -> None:
        """Reads a plain or gzip stream (told apart by its first bytes) in blocks."""
        self.files.append(name)
        head = stream.read(2)
        ahead = _reads_end_at_once(stream)
        try:
            if head == b"\x1f\x8b":
                self._feed_blocks(name, _blocks(gzip.GzipFile(fileobj=_Prefixed(head, stream))), ahead)
            else:
                self._feed_blocks(name, _blocks(stream, head), ahead)
        except (EOFError, gzip.BadGzipFile, OSError, zlib.error) as error:
            # A gzip file cut short (still being written, or copied half) or damaged keeps what was read.
            module = type(error).__module__ + "." if isinstance(error, zlib.error) else ""
            self.notes.append(f"{name}: read up to a damaged or truncated part "
                              f"({module}{type(error).__name__})")

    def _feed_blocks(self, name: str, blocks: Iterator[tuple[bytearray, int]], ahead: bool = True) -> None:
        """`ahead`: the native pass may read the stream in a helper thread (see _reads_end_at_once)."""
        self._in_traceback = False
        self._tally.last_id = None
        self._file_lines = 0
        self._ends_open = False
        try:
            if self.native is not None:
                self._read_natively(name, blocks, ahead)
            else:
                self._read_in_python(name, blocks)
        finally:
            # A last line without its newline (a truncated file) is still a line; so are the lines read
            # before a gzip file turned out to be cut short.
            self.lines += self._file_lines + (1 if self._ends_open else 0)

    def _read_in_python(self, name: str, blocks: Iterator[tuple[bytearray, int]]) -> None:
        if self._find_lines is None:
            self._find_lines = line_finder(WORDS)
        find_lines, parse = self._find_lines, self._line
        for buffer, end in blocks:
            # One copy of the block as bytes: slicing bytes per line is cheaper than going through a buffer.
            block = bytes(memoryview(buffer)[:end])
            self.bytes += end
            line_no = self._file_lines
            counted = 0
            for start, stop, words in find_lines(block):
                line_no += block.count(b"\n", counted, start)
                counted = start
                if stop - start > LINE_LIMIT:
                    stop = start + LINE_LIMIT
                    words = WORDS.held(block[start:stop])
                line = block[start:stop]
                parse(name, line_no + 1, line.rstrip(b"\r") if line[-1:] == b"\r" else line, words)
            self._file_lines = line_no + block.count(b"\n", counted)
            self._ends_open = block[-1] != 10

    def _read_natively(self, name: str, blocks: Iterator[tuple[bytearray, int]], ahead: bool) -> None:
        """The native pass finds and reads the keyword lines of each block (with `ahead`, in a helper
        thread, a block ahead); the native tally applies them, handing back to `_handed_back` a line it
        does not follow."""
        scanned = _scanned_ahead(self.native, blocks) if ahead else _scanned(self.native, blocks)
        for block, size, ends_open in scanned:
            self.bytes += size
            self._tally.apply(block, name, self._handed_back, self._judge, self._recipient_events,
                              self._reads_in_python)
            self._file_lines += block.newlines
            self._ends_open = ends_open

    @property
    def _reads_in_python(self) -> bool:
        """Whether the next line must be read by `_line` whatever its kind: every line with --since, every
        line of a traceback."""
        return self.since is not None or self._in_traceback

    def _handed_back(self, name: str, number: int, kind: int, line: bytes, words: int, message_id: str | None,
                     channel: str | None, event_name: str | None, room_channel: str | None) -> bool:
        """A line the native tally does not apply itself: RAW (read by `_line` as in Python), an error, an
        exception, a channel not the backend's, or any line while `_reads_in_python`, which is returned."""
        if kind == RAW or self._reads_in_python:
            self._line(name, number, line, words)
        else:
            self._apply(name, number, line, kind, message_id, channel, event_name, room_channel)
        return self._reads_in_python

    # --- one line ---------------------------------------------------------------------------------------

    def _line(self, name: str, number: int, line: bytes, words: int) -> None:
        """One line holding a selecting word; `words`: the bits of the WORDS it holds (found in the block)."""
        if line[:1] == b"{":
            line = _flatten_json(line)
            words = WORDS.held(line)
        lowered = line.lower()
        if self.since is not None:
            at = _line_time(line)
            if at is not None and at < self.since:
                self.skipped_before_since += 1
                return
        if lowered[:9] == b"traceback":
            self._in_traceback = True
            return
        if self._in_traceback:
            if line[:1] in (b" ", b"\t"):
                return  # a frame of the traceback (only lines with a keyword reach here)
            # The first unindented line after the frames names the exception:
            # `pusher.errors.PusherBadRequest: ...`
            self._in_traceback = False
            if _EXCEPTION_NAME.match(line):
                self._exception(name, number, line)
                return
        self._apply(name, number, line, *line_fields(line, lowered, words))

    def _apply(self, name: str, number: int, line: bytes, kind: int, message_id: str | None,
               channel: str | None, event_name: str | None, room_channel: str | None) -> None:
        """What one line's kind and fields (`line_fields`, or the native pass's) say about its message. The
        native tally (`_logscan.c`) applies triggers, FCM and created lines the same way."""
        tally = self._tally
        if kind == TRIGGER:
            if channel is not None:
                judged, reason = self._judge(channel)
                if reason is not None:
                    self._bad_channel(channel, reason, name, number, line)
                if message_id is not None:
                    if judged == "room" and event_name in self._recipient_events:
                        tally.touch(message_id, name, number, line, _GUEST_STEP, channel)
                    else:
                        tally.touch(message_id, name, number, line,
                                    _CONVERSATION_STEP if judged == "conversation" else 0)
        elif kind == FCM:
            if message_id:
                tally.touch(message_id, name, number, line, _FCM_STEP)
            else:
                tally.fcm_without_id += 1
        elif kind == CREATED:
            tally.touch(message_id, name, number, line, _CREATED_STEP, room_channel)  # type: ignore[arg-type]
        elif kind == ERROR:
            self.pusher_error_count += 1
            if len(self.pusher_errors) < EXAMPLES:
                self.pusher_errors.append(_place(name, number, line))
            if channel and _channel_kind(channel)[0] == "room":
                self._room_errors[channel] = self._room_errors.get(channel, 0) + 1
            if message_id:
                tally.touch(message_id, name, number, line)
            return
        elif kind == EXCEPTION:
            self._exception(name, number, line)
        tally.settle_due(number)

    def _bad_channel(self, channel: str, reason: str, name: str, number: int, line: bytes) -> None:
        key = (channel, reason)
        if key in self.bad:
            known = self.bad[key]
            self.bad[key] = BadChannel(known.channel, known.reason, known.place, known.count + 1)
        elif len(self.bad) < EXAMPLES:
            self.bad[key] = BadChannel(channel, reason, _place(name, number, line))

    def _exception(self, name: str, number: int, line: bytes) -> None:
        self.exception_count += 1
        if len(self.exceptions) < EXAMPLES:
            found = _place(name, number, line)
            last_id = self._tally.last_id
            if last_id is not None and number - self._tally.last_id_line <= NEAR_LINES:
                found = LogPlace(found.file, found.line, f"{found.text} (near message #{last_id})")
            self.exceptions.append(found)

    def report(self) -> LogReport:
        tally = self._tally
        tally.settle_all()
        if tally.fcm_without_id and self._hotel_chat:
            self.notes.append(
                f"{tally.fcm_without_id} FCM line(s) name no message id: "
                + ("counted for no message" if tally.fcm_with_id else
                   f"\"FCM sent\" is not traced per message ({tally.total} message(s) traced)"))
        rooms = tally.rooms()
        rows = tuple(RoomRow(channel, *rooms.get(channel, (0, 0, 0)), self._room_errors.get(channel, 0))
                     for channel in sorted(rooms.keys() | self._room_errors.keys()))
        return LogReport(tuple(self.files), self.lines, self.bytes, tally.total, tally.complete,
                         dict(self._gaps.missing_counts), tuple(self._gaps.gaps), tuple(self.bad.values()),
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


#: blocks scanned ahead of the one being applied: two keep both cores busy, and memory bounded
AHEAD = 2
#: seconds the reader thread is given to stop once its caller has stopped
READER_STOPS = 5.0


def _reads_end_at_once(stream: IO[bytes]) -> bool:
    """Whether a read of the stream always returns soon: a regular file, or bytes in memory. Only such a
    stream is read in a helper thread, which can then always be waited for; a read of a pipe or terminal
    may wait forever, and a thread left blocked in it would abort the interpreter's exit (it holds the
    stream's lock)."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both OSError and ValueError
        return isinstance(stream, io.BytesIO)


#: (the native pass's block, with its keyword lines copied out of the buffer; bytes; whether the block ends
#: inside a line) of one block
Scanned = tuple[Any, int, bool]


def _scanned(native: Any, blocks: Iterator[tuple[bytearray, int]]) -> Iterator[Scanned]:
    """Each block through the native pass, in the calling thread."""
    first = 0
    for buffer, end in blocks:
        block = native.scan_block(buffer, end, first, LINE_LIMIT)
        first += block.newlines
        yield block, end, buffer[end - 1] != 10


def _scanned_ahead(native: Any, blocks: Iterator[tuple[bytearray, int]]) -> Iterator[Scanned]:
    """Each block (as `_scanned`), read and scanned in a helper thread while the caller applies the block
    before: the native pass releases the GIL, so reading, scanning and applying overlap on two cores. An
    error reading the stream is raised here, after the blocks before it."""
    results: queue.Queue[tuple[Any, ...]] = queue.Queue(AHEAD)
    stop = threading.Event()

    def hand_over(item: tuple[Any, ...]) -> bool:
        # Bounded waits: the reader gives up when the caller has stopped (an error, Ctrl-C).
        while not stop.is_set():
            try:
                results.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def scan_all() -> None:
        try:
            for item in _scanned(native, blocks):
                if not hand_over(item):
                    return
            hand_over((None, None))
        except Exception as error:  # noqa: BLE001 - handed to the caller, who decides what it means
            hand_over((None, error))

    reader = threading.Thread(target=scan_all, name="scan-logs reader", daemon=True)
    reader.start()
    try:
        while True:
            item = results.get()
            if item[0] is None:
                if item[1] is not None:
                    raise item[1]
                return
            yield item
    finally:
        stop.set()
        # Its stream reads end at once (see _reads_end_at_once): the reader is done within one block's read
        # and scan, or one 0.1 s wait to hand over. Bounded all the same.
        reader.join(READER_STOPS)


def _blocks(stream: IO[bytes] | gzip.GzipFile, head: bytes = b"") -> Iterator[tuple[bytearray, int]]:
    """(buffer, end): `buffer[:end]` holds whole lines; a line longer than the buffer is cut where it ends.

    One buffer is read into again and again, its unfinished last line moved to its front: no block is
    allocated or copied per read. Each (buffer, end) is valid until the next is asked for.
    """
    buffer = bytearray(BLOCK)
    view = memoryview(buffer)
    filled = len(head)
    buffer[:filled] = head
    while True:
        got = stream.readinto(view[filled:])
        if not got:
            if filled:
                yield buffer, filled
            return
        filled += got
        cut = buffer.rfind(b"\n", 0, filled) + 1
        if cut == 0:
            if filled == BLOCK:
                yield buffer, filled
                filled = 0
            continue
        yield buffer, cut
        # The same length on both sides, so the buffer is not resized (it cannot be while viewed); the tail is
        # copied out first, as the two ranges may overlap.
        buffer[:filled - cut] = buffer[cut:filled]
        filled -= cut
