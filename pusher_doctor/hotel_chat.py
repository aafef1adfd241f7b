"""What the hotel chat's Django backend names and sends: its channels, its events and their data,
exactly as the backend builds them, and Pusher's rules for sizes. Pure logic. The names themselves are the
built-in contract's (`pusher_doctor.contract.hotel`); Pusher's naming rules are the contract's too."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from pusher_doctor.contract import HOTEL_CHAT, ChannelTemplate
from pusher_doctor.contract import hotel as built_in

if TYPE_CHECKING:
    from pusher_doctor.contract import Contract
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


class PlannedEvent(Struct, frozen=True):
    channel: str
    event: str


class ChannelPlan(Struct, frozen=True):
    """The channels the recipient's page and the other side use, and the events the backend sends on each.

    `room` is the contract's recipient channel (the hotel chat's room channel); `conversation` one more of
    its channels when every field it needs was given (the hotel chat's conversation channel)."""

    room: str
    conversation: str | None
    room_events: tuple[str, ...] = (ROOM_EVENT,)
    conversation_events: tuple[str, ...] = CONVERSATION_EVENTS
    #: for another app than the hotel chat: the keys of each event's data (its test payloads carry them)
    payload_keys: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: the events are another app's, not the hotel chat's
    generic: bool = False

    @property
    def channels(self) -> tuple[str, ...]:
        return (self.room,) if self.conversation is None else (self.room, self.conversation)

    @property
    def room_event(self) -> str:
        """The event the recipient's page is tested with: the first the backend sends on its channel."""
        return self.room_events[0]

    @property
    def events(self) -> tuple[PlannedEvent, ...]:
        planned = [PlannedEvent(self.room, name) for name in self.room_events]
        if self.conversation is not None:
            planned += [PlannedEvent(self.conversation, name) for name in self.conversation_events]
        return tuple(planned)


#: the placeholders a --room-channel/--conversation-channel template may use
TEMPLATE_FIELDS = HOTEL_CHAT.fields


def is_encrypted(channel: str) -> bool:
    return channel_kind(channel) == ENCRYPTED


def fill_template(template: str, hotel: str | None, room: str | None, conversation: str | None,
                  fields: Mapping[str, str | None] | None = None) -> str:
    """A channel name from a template such as `private-{hotel}-room-{room}`; ValueError names a placeholder
    that is neither one of TEMPLATE_FIELDS nor in `fields` (--field), or one that was given no value."""
    values = {"hotel": hotel, "room": room, "conversation": conversation, **(fields or {})}
    parsed = ChannelTemplate.parse(template)  # a TemplateError (a ValueError) says what is not a plain field
    for name in parsed.fields:
        if name not in values:
            known = ", ".join(f"{{{known}}}" for known in values)
            raise ValueError(f"{template!r} uses {{{name}}}; only {known} exist (more with --field NAME=VALUE)")
        if values[name] is None:
            how = f"--{name}" if name in TEMPLATE_FIELDS else f"--field {name}=VALUE"
            raise ValueError(f"{template!r} uses {{{name}}} but no {how} was given")
    return parsed.fill(values)


def plan_channels(hotel: str | None, room: str | None, conversation: str | None, prefix: str = "",
                  room_template: str | None = None, conversation_template: str | None = None,
                  contract: Contract = HOTEL_CHAT, fields: Mapping[str, str] | None = None) -> ChannelPlan:
    """The backend's channel names from the contract (the hotel chat's unless another is given): its
    recipient channel, and one more of its channels when every field that one needs has a value; with
    `prefix` in front, or from the templates as given. ValueError names a field without a value."""
    values = {"hotel": hotel, "room": room, "conversation": conversation, **(fields or {})}
    recipient = contract.recipient_channel
    room_name = (fill_template(room_template, hotel, room, conversation, fields) if room_template
                 else prefix + recipient.template.fill(values))
    other = next((channel for channel in contract.channels if channel is not recipient
                  and all(values.get(name) is not None for name in channel.fields)), None)
    other_name = None
    if other is not None:
        other_name = (fill_template(conversation_template, hotel, room, conversation, fields) if conversation_template
                      else prefix + other.template.fill(values))
    if built_in.is_hotel_chat(contract):
        return ChannelPlan(room_name, other_name)
    payload_keys = tuple((event.name, event.payload) for channel in contract.channels for event in channel.events)
    return ChannelPlan(room_name, other_name, recipient.event_names, other.event_names if other else (),
                       payload_keys, generic=True)


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


def build_payloads(plan: ChannelPlan, hotel: str | None, room: str | None, conversation: str | None, probe_id: str,
                   message_text: str, now: datetime | None = None) -> dict[PlannedEvent, dict[str, Any]]:
    """The data of each planned event, as the backend would send it (another app's: its contract's keys)."""
    stamp = (now or datetime.now(UTC)).isoformat()
    if plan.generic:
        keys = dict(plan.payload_keys)
        return {event: generic_payload(keys.get(event.event, ()), probe_id, message_text, stamp)
                for event in plan.events}
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


#: payload keys that hold a message's text: the test message's text goes there, for the page to show it
TEXT_KEYS = ("message", "text", "body", "content")


def generic_payload(keys: tuple[str, ...], probe_id: str, message_text: str, stamp: str) -> dict[str, Any]:
    """Test data for another app's event: each key the contract names (the text in the text-like ones, the
    time in the time-like ones, else a marker) and this run's probe."""
    data: dict[str, Any] = {}
    for key in keys:
        lowered = key.lower()
        data[key] = (message_text if lowered in TEXT_KEYS else stamp if lowered.endswith(("_at", "time", "stamp"))
                     else 0 if lowered == "id" or lowered.endswith("_id") else f"pusher-doctor {key}")
    data.setdefault("message", message_text)
    data[PROBE_FIELD] = probe_id
    return data


def shows_text(plan: ChannelPlan) -> bool:
    """Whether the recipient's test event carries the test message's text for its page to show."""
    return not plan.generic or any(key.lower() in TEXT_KEYS for key in dict(plan.payload_keys).get(plan.room_event, ()))


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
