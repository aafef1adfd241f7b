"""The hotel chat's channels and events, named exactly as the Django backend names them, and Pusher's rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Pusher's documented channel-name rules
CHANNEL_NAME_CHARS = re.compile(r"^[-a-zA-Z0-9_=@,.;]+$")
CHANNEL_NAME_MAX = 164

ROOM_EVENT = "new-staff-message"
CONVERSATION_EVENTS = ("new-message", "message-delivered")


def room_channel(hotel: str, room: str) -> str:
    return f"{hotel}-room-{room}-chat"


def conversation_channel(hotel: str, conversation: str) -> str:
    return f"{hotel}-conversation-{conversation}-chat"


@dataclass(frozen=True)
class PlannedEvent:
    channel: str
    event: str


@dataclass(frozen=True)
class ChannelPlan:
    """The channels the guest page and the staff conversation use, and the events the backend sends."""

    room: str
    conversation: str | None

    @property
    def channels(self) -> tuple[str, ...]:
        return (self.room,) if self.conversation is None else (self.room, self.conversation)

    @property
    def events(self) -> tuple[PlannedEvent, ...]:
        planned = [PlannedEvent(self.room, ROOM_EVENT)]
        if self.conversation is not None:
            planned += [PlannedEvent(self.conversation, name) for name in CONVERSATION_EVENTS]
        return tuple(planned)


def plan_channels(hotel: str, room: str, conversation: str | None) -> ChannelPlan:
    return ChannelPlan(room_channel(hotel, room),
                       conversation_channel(hotel, conversation) if conversation is not None else None)


def channel_name_problem(name: str) -> str | None:
    """Why Pusher would refuse this channel name, or None."""
    if not name:
        return "the channel name is empty"
    bad = sorted({ch for ch in name if not CHANNEL_NAME_CHARS.match(ch)})
    if bad:
        shown = " ".join(repr(ch) for ch in bad[:5])
        return f"{name!r} contains characters Pusher does not allow: {shown}"
    if len(name) > CHANNEL_NAME_MAX:
        return f"{name[:40]!r}… is {len(name)} characters long; Pusher allows {CHANNEL_NAME_MAX}"
    return None
