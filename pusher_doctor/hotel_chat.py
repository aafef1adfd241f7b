"""What the hotel chat's Django backend names and sends: its channels, its events and their data,
exactly as the backend builds them, and Pusher's rules for names and sizes. Pure logic."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from string import Formatter
from typing import Any

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


#: the prefixes that make a channel private (the server asks for a signature) and what each adds
PRIVATE_PREFIX = "private-"
PRESENCE_PREFIX = "presence-"
ENCRYPTED_PREFIX = "private-encrypted-"
CHANNEL_PREFIXES = (PRIVATE_PREFIX, PRESENCE_PREFIX, ENCRYPTED_PREFIX)
#: the placeholders a --room-channel/--conversation-channel template may use
TEMPLATE_FIELDS = ("hotel", "room", "conversation")


def needs_auth(channel: str) -> bool:
    """Whether subscribing needs a signature from the app (private-, presence-, private-encrypted-)."""
    return channel.startswith((PRIVATE_PREFIX, PRESENCE_PREFIX))


def is_encrypted(channel: str) -> bool:
    return channel.startswith(ENCRYPTED_PREFIX)


def split_prefix(channel: str) -> tuple[str, str]:
    """(private-, presence-, private-encrypted- or "", the rest of the name)."""
    for prefix in sorted(CHANNEL_PREFIXES, key=len, reverse=True):
        if channel.startswith(prefix):
            return prefix, channel.removeprefix(prefix)
    return "", channel


def fill_template(template: str, hotel: str, room: str | None, conversation: str | None) -> str:
    """A channel name from a template such as `private-{hotel}-room-{room}`; ValueError names a placeholder
    that is not one of TEMPLATE_FIELDS, or {conversation} without a conversation.

    Only plain `{name}` fields: a format spec or conversion (`{hotel:>100000000}`, `{room!r}`) would let a
    template build a name of any size, so the fields are filled here rather than by str.format."""
    values = {"hotel": hotel, "room": room, "conversation": conversation}
    try:
        parts = list(Formatter().parse(template))
    except ValueError as error:
        raise ValueError(f"{template!r} is not a template: {error}") from None
    filled = []
    for literal, name, spec, conversion in parts:
        filled.append(literal)
        if name is None:
            continue
        if spec or conversion:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise ValueError(f"{written[:40]!r} is not a plain field: write {{hotel}}, {{room}} or {{conversation}} "
                             "with nothing after the name")
        if name not in values:
            raise ValueError(f"{template!r} uses {{{name}}}; only {{hotel}}, {{room}} and {{conversation}} exist")
        value = values[name]
        if value is None:
            raise ValueError(f"{template!r} uses {{{name}}} but no --{name} was given")
        filled.append(value)
    return "".join(filled)


def plan_channels(hotel: str, room: str, conversation: str | None, prefix: str = "",
                  room_template: str | None = None, conversation_template: str | None = None) -> ChannelPlan:
    """The backend's channel names: the guide's, with `prefix` in front, or the templates as given."""
    room_name = named_room_channel(hotel, room, conversation, prefix, room_template)
    if conversation is None:
        return ChannelPlan(room_name, None)
    return ChannelPlan(room_name, named_conversation_channel(hotel, room, conversation, prefix,
                                                             conversation_template))


def named_room_channel(hotel: str, room: str, conversation: str | None = None, prefix: str = "",
                       template: str | None = None) -> str:
    """The room channel: the guide's name with `prefix` in front, or `template` filled in."""
    return fill_template(template, hotel, room, conversation) if template else prefix + room_channel(hotel, room)


def named_conversation_channel(hotel: str, room: str | None, conversation: str, prefix: str = "",
                               template: str | None = None) -> str:
    """The conversation channel: the guide's name with `prefix` in front, or `template` filled in."""
    return (fill_template(template, hotel, room, conversation) if template
            else prefix + conversation_channel(hotel, conversation))


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


#: Pusher's limit on an event's data, in bytes
PUSHER_DATA_LIMIT = 10_240
#: warn above this share of the limit: a real message a little longer would be refused
NEAR_LIMIT_SHARE = 0.8
#: the text of the test message unless the user gives one
TEST_MESSAGE = "pusher-doctor test message: checking real-time delivery, safe to ignore."
#: the key in every test payload that marks it as this run's
PROBE_FIELD = "pusher_doctor_probe"


def new_probe_id() -> str:
    # os.urandom is what secrets.token_hex reads; the secrets module would cost every start its imports.
    return "pd-" + os.urandom(6).hex()


def build_payloads(plan: ChannelPlan, hotel: str, room: str, conversation: str | None, probe_id: str,
                   message_text: str, now: datetime | None = None) -> dict[PlannedEvent, dict[str, Any]]:
    """The data of each planned event, as the backend would send it."""
    stamp = (now or datetime.now(UTC)).isoformat()
    message = {
        "id": 0,
        "conversation": conversation,
        "room_number": room,
        "hotel_slug": hotel,
        "message": message_text,
        "sender_type": "staff",
        "sender_name": "pusher-doctor",
        "is_read": False,
        "timestamp": stamp,
        "created_at": stamp,
        "test_message": True,
        PROBE_FIELD: probe_id,
    }
    delivered = {"message_id": 0, "delivered_at": stamp, "status": "delivered", PROBE_FIELD: probe_id}
    return {event: (delivered if event.event == "message-delivered" else message) for event in plan.events}


def data_size(data: dict[str, Any]) -> int:
    """Bytes of the event's data as Pusher counts them: the JSON string the library sends."""
    return len(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def probe_of(data: Any) -> str | None:
    """The probe id inside an event's data as a client receives it (a JSON string, maybe encoded twice)."""
    for _ in range(2):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except (ValueError, RecursionError):  # RecursionError: a hostile, deeply nested payload
                return None
    return data.get(PROBE_FIELD) if isinstance(data, dict) else None
