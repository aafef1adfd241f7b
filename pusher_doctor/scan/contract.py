"""What the backend sends, and how a resolved channel/event name compares to it.

The Django backend triggers ``new-staff-message`` on ``{hotel_slug}-room-{room_number}-chat`` (the
guest's channel) and ``new-message`` / ``message-delivered`` on
``{hotel_slug}-conversation-{conversation_id}-chat``. Regular expressions here only look at names
that were already resolved from the code (see :mod:`pusher_doctor.scan.values`), never at code.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pusher_doctor.contract import HOTEL_CHAT
from pusher_doctor.contract.hotel import ROOM_EVENT  # noqa: F401 - project.py reads contract.ROOM_EVENT
from pusher_doctor.contract.model import EXEMPT_EVENT_PREFIXES
from pusher_doctor.scan.values import Hole, Pattern

ROOM = "room"
CONVERSATION = "conversation"
OTHER = "other"
UNKNOWN = "unknown"

ROOM_SHAPE = "{hotel_slug}-room-{room_number}-chat"
CONVERSATION_SHAPE = "{hotel_slug}-conversation-{conversation_id}-chat"
SHAPES = {ROOM: ROOM_SHAPE, CONVERSATION: CONVERSATION_SHAPE}

#: what the backend triggers on each kind of channel: the built-in contract's (pusher_doctor.contract)
EVENTS: dict[str, tuple[str, ...]] = {channel.key: channel.event_names for channel in HOTEL_CHAT.channels}
ALL_EVENTS = tuple(event for events in EVENTS.values() for event in events)

#: path words that mark a staff-side view: there the conversation channel is the right one
STAFF_PATH_WORDS = ("staff", "admin", "reception", "frontdesk", "front-desk", "front_desk", "backoffice")

# "\0" stands for a hole; a hole is one value (slug, number, id), so it has no "-" of its own in
# the room/id position but the hotel slug itself may contain dashes
_SHAPE_RE = {
    ROOM: re.compile(r"(?!private-|presence-)(?P<hotel>[^\s]+?)-room-(?P<room>[^\s-]+)-chat"),
    CONVERSATION: re.compile(r"(?!private-|presence-)(?P<hotel>[^\s]+?)-conversation-(?P<id>[^\s-]+)-chat"),
}
_KEYWORD = {ROOM: "room", CONVERSATION: "conversation"}
_PREFIXES = ("private-encrypted-", "private-", "presence-")


@dataclass(frozen=True)
class ChannelVerdict:
    """What a channel pattern is: ``kind`` is room/conversation when it can equal that backend
    channel; ``near`` names the backend channel it was meant to be when it cannot (``problems``
    say why)."""

    kind: str
    near: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def could_be_room(self) -> bool:
        return self.kind in (ROOM, UNKNOWN) or self.near == ROOM


def classify_channel(pattern: Pattern) -> ChannelVerdict:
    """Compare a channel name pattern to the backend's two channel shapes."""
    probe = pattern.probe()
    for kind, shape in _SHAPE_RE.items():
        match = shape.fullmatch(probe)
        if match:
            swapped = _swapped_holes(pattern, match) if kind == ROOM else None
            return ChannelVerdict(kind, kind, (swapped,)) if swapped else ChannelVerdict(kind)
    lowered = pattern.text.lower()
    for kind in (CONVERSATION, ROOM):
        if _KEYWORD[kind] in lowered and _meant_as_backend_channel(pattern):
            return ChannelVerdict(OTHER, kind, _explain(probe, kind))
    letters = re.sub(r"[^a-z]", "", lowered.replace("chat", ""))
    if pattern.holes and not letters:
        return ChannelVerdict(UNKNOWN)  # e.g. {channelName} or {base}-chat: cannot tell
    return ChannelVerdict(OTHER)


#: words that show a name was meant to be one of the backend's channels: another feature's room
#: channel (Laravel's ``rooms.{id}``, ``presence-chat-room.{id}`` is chat but no hotel) is not
_MEANT_WORDS = ("hotel", "slug")


def _meant_as_backend_channel(pattern: Pattern) -> bool:
    """A name that misses the backend's shape but was meant to be it: it speaks of the hotel (in its
    text or the names of its parts), or ends like the backend's (``-chat``, ``_chat``, ``-chats``)."""
    shown = pattern.display().lower()
    return any(word in shown for word in _MEANT_WORDS) or shown.rstrip("s").endswith(("-chat", "_chat"))


def _explain(probe: str, kind: str) -> tuple[str, ...]:
    """Why ``probe`` cannot be the backend's ``kind`` channel, found by repairing it step by step."""
    keyword = _KEYWORD[kind]
    problems: list[str] = []
    fixed = probe
    for prefix in _PREFIXES:
        if fixed.startswith(prefix):
            problems.append(f"it starts with '{prefix}', which the backend's channel names do not use")
            fixed = fixed[len(prefix) :]
            break
    if fixed != fixed.lower():
        problems.append("its letter case differs (channel names are case-sensitive)")
        fixed = fixed.lower()  # "\0" holes have no case
    if "_" in fixed:
        candidate = fixed.replace("_", "-")
        if _SHAPE_RE[kind].fullmatch(candidate) or f"-{keyword}-" in candidate:
            problems.append("it uses '_' where the backend uses '-'")
            fixed = candidate
    plural = f"-{keyword}s-"
    if plural in fixed:
        problems.append(f"it says '{keyword}s' where the backend says '{keyword}'")
        fixed = fixed.replace(plural, f"-{keyword}-")
    if not fixed.endswith("-chat") and _SHAPE_RE[kind].fullmatch(fixed + "-chat"):
        problems.append("it lacks the '-chat' suffix")
        fixed += "-chat"
    if not _SHAPE_RE[kind].fullmatch(fixed):
        problems.append(f"it does not have the shape {SHAPES[kind]}")
    return tuple(problems)


def _swapped_holes(pattern: Pattern, match: re.Match[str]) -> str | None:
    """A ``{roomNumber}-room-{hotelSlug}-chat`` mix-up, told apart by the holes' names."""
    holes = [part for part in pattern.parts if isinstance(part, Hole)]
    if len(holes) != 2 or match.group("hotel") != "\0" or match.group("room") != "\0":
        return None
    first, second = holes[0].label.lower(), holes[1].label.lower()
    if "room" in first and ("hotel" in second or "slug" in second):
        return "the hotel slug and the room number are swapped"
    return None


@dataclass(frozen=True)
class EventVerdict:
    """Why an event name is not one the backend sends on the channel, and what to bind instead."""

    problem: str
    expected: tuple[str, ...]


def check_event(event: str, channel_kind: str) -> EventVerdict | None:
    """None when the backend sends ``event`` on a channel of ``channel_kind`` (or it is exempt)."""
    if event.startswith(EXEMPT_EVENT_PREFIXES):
        return None
    expected = EVENTS.get(channel_kind, ALL_EVENTS)
    if event in expected:
        return None
    if channel_kind == ROOM and event in EVENTS[CONVERSATION]:
        return EventVerdict(
            f"the backend sends '{event}' on the conversation channel, not on the room channel "
            f"(there it sends 'new-staff-message')",
            EVENTS[ROOM],
        )
    where = f"on the {channel_kind} channel" if channel_kind in EVENTS else "on any chat channel"
    return EventVerdict(f"the backend never sends '{event}' {where}", expected)


#: on a channel whose name cannot be resolved, only events that look like chat messages are judged
CHAT_EVENT_WORDS = ("message", "msg", "chat", "staff")


def looks_like_chat_event(event: str) -> bool:
    lowered = event.lower()
    return any(word in lowered for word in CHAT_EVENT_WORDS)


def closest(value: str, choices: tuple[str, ...]) -> str:
    """The choice most like ``value`` (for "did you mean" hints)."""
    return (difflib.get_close_matches(value, choices, n=1, cutoff=0.0) or [choices[0]])[0]


def is_staff_path(rel: str) -> bool:
    """Staff-side views (by path) may use the conversation channel; guest views may not."""
    lowered = rel.lower()
    return any(word in lowered for word in STAFF_PATH_WORDS)
