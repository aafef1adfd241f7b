"""payload.py: the test events' data, its size as Pusher counts it, and finding the probe id in what arrives."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pusher_doctor.hotel_chat import (
    PROBE_FIELD,
    build_payloads,
    data_size,
    new_probe_id,
    plan_channels,
    probe_of,
)

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def payloads(conversation: str | None = "9", text: str = "Hello from reception"):
    plan = plan_channels("grand-hotel", "101", conversation)
    return plan, build_payloads(plan, "grand-hotel", "101", conversation, "pd-abc123", text, now=NOW)


def test_room_message_looks_like_the_backends_staff_message():
    plan, built = payloads()
    room_message = built[plan.events[0]]
    assert room_message["sender_type"] == "staff"
    assert room_message["message"] == "Hello from reception"
    assert room_message["conversation"] == "9"
    assert room_message["room_number"] == "101"
    assert room_message["hotel_slug"] == "grand-hotel"
    assert room_message[PROBE_FIELD] == "pd-abc123"
    assert room_message["timestamp"] == NOW.isoformat()


def test_every_planned_event_gets_data_carrying_the_probe():
    plan, built = payloads()
    assert set(built) == set(plan.events)
    assert all(data[PROBE_FIELD] == "pd-abc123" for data in built.values())


def test_the_delivery_receipt_is_not_a_message():
    plan, built = payloads()
    receipt = built[plan.events[2]]
    assert plan.events[2].event == "message-delivered"
    assert receipt["status"] == "delivered"
    assert "message" not in receipt


def test_without_a_conversation_the_message_has_no_conversation_id():
    plan, built = payloads(conversation=None)
    assert len(built) == 1
    assert built[plan.events[0]]["conversation"] is None


def test_data_is_valid_json():
    _, built = payloads()
    for data in built.values():
        assert json.loads(json.dumps(data)) == data


def test_data_size_counts_utf8_bytes_not_characters():
    ascii_size = data_size({"m": "e"})
    assert ascii_size == len('{"m": "e"}')
    assert data_size({"m": "é"}) == ascii_size + 1  # é is two bytes in UTF-8
    assert data_size({"m": "🛎"}) == ascii_size + 3  # four bytes


def test_new_probe_ids_are_distinct():
    assert new_probe_id() != new_probe_id()
    assert new_probe_id().startswith("pd-")


def test_probe_of_reads_a_json_string():
    assert probe_of(json.dumps({PROBE_FIELD: "pd-1", "message": "hi"})) == "pd-1"


def test_probe_of_reads_a_doubly_encoded_string():
    assert probe_of(json.dumps(json.dumps({PROBE_FIELD: "pd-2"}))) == "pd-2"


def test_probe_of_reads_a_dict():
    assert probe_of({PROBE_FIELD: "pd-3"}) == "pd-3"


def test_probe_of_garbage_or_foreign_event_is_none():
    assert probe_of("not json {") is None
    assert probe_of(json.dumps({"message": "a real guest message"})) is None
    assert probe_of(json.dumps([1, 2])) is None
    assert probe_of(None) is None
