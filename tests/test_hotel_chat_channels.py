"""channels.py: the backend's channel names and Pusher's channel-name rules (164 chars of [-A-Za-z0-9_=@,.;])."""

from __future__ import annotations

import pytest

from pusher_doctor.hotel_chat import (
    ChannelPlan,
    PlannedEvent,
    channel_name_problem,
    conversation_channel,
    plan_channels,
    room_channel,
)


def test_room_channel_is_named_as_the_backend_names_it():
    assert room_channel("grand-hotel", "101") == "grand-hotel-room-101-chat"


def test_conversation_channel_is_named_as_the_backend_names_it():
    assert conversation_channel("grand-hotel", "77") == "grand-hotel-conversation-77-chat"


def test_plan_channels_with_and_without_a_conversation():
    assert plan_channels("h", "1", None) == ChannelPlan("h-room-1-chat", None)
    assert plan_channels("h", "1", "9").channels == ("h-room-1-chat", "h-conversation-9-chat")


@pytest.mark.parametrize(("name", "bad_char"), [
    ("grand hotel-room-101-chat", " "),
    ("hôtel-room-101-chat", "ô"),
    (room_channel("grand-hotel", "101 A"), " "),
])
def test_characters_pusher_refuses_are_named(name, bad_char):
    problem = channel_name_problem(name)
    assert problem is not None
    assert repr(bad_char) in problem


def test_every_allowed_character_is_accepted():
    assert channel_name_problem("AZaz09_-=@,.;") is None


def test_a_name_of_165_characters_is_too_long():
    problem = channel_name_problem("a" * 165)
    assert problem is not None
    assert "165" in problem and "164" in problem


def test_a_name_of_exactly_164_characters_is_accepted():
    assert channel_name_problem("a" * 164) is None


def test_an_empty_name_is_refused():
    problem = channel_name_problem("")
    assert problem is not None
    assert "empty" in problem


def test_a_trailing_newline_is_refused():
    assert channel_name_problem("h-room-1-chat\n") is not None


def test_events_without_a_conversation_are_only_the_room_message():
    plan = ChannelPlan("h-room-1-chat", None)
    assert plan.events == (PlannedEvent("h-room-1-chat", "new-staff-message"),)


def test_events_with_a_conversation_add_its_message_and_delivery_receipt():
    plan = ChannelPlan("h-room-1-chat", "h-conversation-9-chat")
    assert plan.events == (
        PlannedEvent("h-room-1-chat", "new-staff-message"),
        PlannedEvent("h-conversation-9-chat", "new-message"),
        PlannedEvent("h-conversation-9-chat", "message-delivered"),
    )
