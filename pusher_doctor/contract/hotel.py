"""The built-in contract: the hotel chat's Django backend, used wherever no pusher-doctor.toml is found.

The backend triggers `new-staff-message` on `{hotel}-room-{room}-chat` (the guest's channel, the one
`check` tests) and `new-message` / `message-delivered` on `{hotel}-conversation-{conversation}-chat`
(the staff inbox).
"""

from __future__ import annotations

from pusher_doctor.contract.model import ChannelSpec, Contract, EventSpec
from pusher_doctor.contract.template import ChannelTemplate

ROOM = "room"
CONVERSATION = "conversation"
ROOM_TEMPLATE = "{hotel}-room-{room}-chat"
CONVERSATION_TEMPLATE = "{hotel}-conversation-{conversation}-chat"
ROOM_EVENT = "new-staff-message"
CONVERSATION_EVENTS = ("new-message", "message-delivered")
#: the keys of a chat message the pages read
MESSAGE_KEYS = ("id", "conversation", "room_number", "hotel_slug", "message", "sender_type", "sender_name",
                "timestamp")

HOTEL_CHAT = Contract(
    channels=(
        ChannelSpec(ROOM, ChannelTemplate.parse(ROOM_TEMPLATE), (EventSpec(ROOM_EVENT, MESSAGE_KEYS),)),
        ChannelSpec(CONVERSATION, ChannelTemplate.parse(CONVERSATION_TEMPLATE),
                    (EventSpec(CONVERSATION_EVENTS[0], MESSAGE_KEYS),
                     EventSpec(CONVERSATION_EVENTS[1], ("message_id", "delivered_at", "status")))),
    ),
    recipient=ROOM,
    label="the hotel chat (built in)",
    is_builtin=True,
)


def is_hotel_chat(contract: Contract) -> bool:
    """Whether `contract` names the hotel chat's channels and events (built in, or written out by init)."""
    return contract.channels == HOTEL_CHAT.channels and contract.recipient == HOTEL_CHAT.recipient
