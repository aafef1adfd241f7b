"""The test events, shaped like the Django backend's serialized staff message. Pure logic."""

from __future__ import annotations

import json
import secrets as random_tokens
from datetime import UTC, datetime
from typing import Any

from pusher_doctor.channels import ChannelPlan, PlannedEvent

#: Pusher's limit on an event's data, in bytes
PUSHER_DATA_LIMIT = 10_240
#: warn above this share of the limit: a real message a little longer would be refused
NEAR_LIMIT_SHARE = 0.8
#: the key in every test payload that marks it as this run's
PROBE_FIELD = "pusher_doctor_probe"


def new_probe_id() -> str:
    return "pd-" + random_tokens.token_hex(6)


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
            except ValueError:
                return None
    return data.get(PROBE_FIELD) if isinstance(data, dict) else None
