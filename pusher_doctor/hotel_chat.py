"""What the hotel chat's Django backend names and sends: its channels, its events and their data,
exactly as the backend builds them, and Pusher's rules for sizes. Pure logic. The names themselves are the
built-in contract's (`pusher_doctor.contract.hotel`); Pusher's naming rules are the contract's too."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pusher_doctor.contract import HOTEL_CHAT, ChannelTemplate
from pusher_doctor.contract import hotel as built_in
from pusher_doctor.contract.names import (  # noqa: F401 - the names every layer imports from here
    CHANNEL_NAME_CHARS,
    CHANNEL_NAME_MAX,
    CHANNEL_PREFIXES,
    ENCRYPTED,
    ENCRYPTED_PREFIX,
    PRESENCE_PREFIX,
    PRIVATE_PREFIX,
    channel_kind,
    channel_name_problem,
    needs_auth,
    split_prefix,
)

ROOM_EVENT = built_in.ROOM_EVENT
CONVERSATION_EVENTS = built_in.CONVERSATION_EVENTS


def room_channel(hotel_slug: str, room: str) -> str:
    return HOTEL_CHAT.channel(built_in.ROOM).template.fill({"hotel": hotel_slug, "room": room})


def conversation_channel(hotel_slug: str, conversation: str) -> str:
    return HOTEL_CHAT.channel(built_in.CONVERSATION).template.fill({"hotel": hotel_slug, "conversation": conversation})


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


#: the placeholders a --room-channel/--conversation-channel template may use
TEMPLATE_FIELDS = HOTEL_CHAT.fields


def is_encrypted(channel: str) -> bool:
    return channel_kind(channel) == ENCRYPTED


def fill_template(template: str, hotel: str, room: str | None, conversation: str | None) -> str:
    """A channel name from a template such as `private-{hotel}-room-{room}`; ValueError names a placeholder
    that is not one of TEMPLATE_FIELDS, or {conversation} without a conversation."""
    values = {"hotel": hotel, "room": room, "conversation": conversation}
    parsed = ChannelTemplate.parse(template)  # a TemplateError (a ValueError) says what is not a plain field
    for name in parsed.fields:
        if name not in values:
            raise ValueError(f"{template!r} uses {{{name}}}; only {{hotel}}, {{room}} and {{conversation}} exist")
        if values[name] is None:
            raise ValueError(f"{template!r} uses {{{name}}} but no --{name} was given")
    return parsed.fill(values)


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
