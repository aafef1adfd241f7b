"""Which channel a name is, and whether an event is one the backend sends there, for any app's contract."""

from __future__ import annotations

import tomllib

import pytest

from pusher_doctor import hotel_chat
from pusher_doctor.contract import HOTEL_CHAT, contract_from_table

ORDERS = contract_from_table(tomllib.loads("""
[channels.orders]
template = "private-orders.{order}"
events = ["OrderShipped"]
[channels.staff]
template = "private-staff.{team}"
events = ["OrderPlaced"]
"""))


def test_the_built_in_contract_is_the_hotel_chats() -> None:
    room = HOTEL_CHAT.recipient_channel
    assert room.build({"hotel": "h", "room": "1"}) == hotel_chat.room_channel("h", "1")
    assert HOTEL_CHAT.channel("conversation").build({"hotel": "h", "conversation": "9"}) == \
        hotel_chat.conversation_channel("h", "9")
    assert room.event_names == (hotel_chat.ROOM_EVENT,)
    assert HOTEL_CHAT.channel("conversation").event_names == hotel_chat.CONVERSATION_EVENTS
    assert HOTEL_CHAT.fields == ("hotel", "room", "conversation")


def test_a_name_is_matched_to_its_channel_with_its_values() -> None:
    channel, values = ORDERS.match("private-staff.kitchen")
    assert channel.key == "staff" and values == {"team": "kitchen"}
    assert ORDERS.match("orders.5") is None  # the prefix is part of the name


def test_an_event_sent_on_the_channel_is_fine_and_so_are_pushers_own() -> None:
    orders = ORDERS.channel("orders")
    for event in ("OrderShipped", "pusher:subscription_succeeded", "client-typing"):
        assert ORDERS.judge_event(event, orders) is None


@pytest.mark.parametrize(("event", "says"), [
    ("OrderPlaced", "the backend sends 'OrderPlaced' on the staff channel, not on the orders channel"),
    (".OrderShipped", "keeps Echo's leading dot"),
    ("App\\Events\\OrderShipped", "listen('.OrderShipped')"),
    ("order-shipped", "the backend never sends 'order-shipped' on the orders channel"),
])
def test_a_wrong_event_is_named_with_what_is_sent_instead(event: str, says: str) -> None:
    verdict = ORDERS.judge_event(event, ORDERS.channel("orders"))
    assert verdict is not None and says in verdict.problem and verdict.expected == ("OrderShipped",)


def test_an_event_on_an_unknown_channel_is_judged_against_every_channel() -> None:
    assert ORDERS.judge_event("OrderPlaced", None) is None
    assert "on any of its channels" in ORDERS.judge_event("Nope", None).problem
    assert ORDERS.closest_event("OrderShiped") == "OrderShipped"


def test_an_unknown_channel_key_names_the_keys_there_are() -> None:
    with pytest.raises(KeyError, match="orders, staff"):
        ORDERS.channel("room")


def test_echo_wire_event_and_echo_listen_for_are_each_others_inverse() -> None:
    from pusher_doctor.contract.model import echo_listen_for, echo_wire_event

    assert echo_wire_event("OrderShipped") == "App\\Events\\OrderShipped"
    assert echo_wire_event("Chat.MessageSent") == "App\\Events\\Chat\\MessageSent"
    assert echo_listen_for("App\\Events\\Chat\\MessageSent") == "Chat.MessageSent"
    assert echo_listen_for("order.shipped") == ".order.shipped"  # broadcastAs: Echo adds nothing after a dot
    for listened in ("OrderShipped", "Chat.MessageSent"):
        assert echo_listen_for(echo_wire_event(listened)) == listened
