"""The known misspellings of a channel name are named for any app's names, and other rooms/orders never are."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pusher_doctor.contract import near_miss_reasons

EXPECTED = "hotel-paradise-room-101-chat"


@pytest.mark.parametrize(("candidate", "reason"), [
    ("hotel-paradise-rooms-101-chat", "'rooms' where the backend says 'room'"),
    ("hotel_paradise_room_101_chat", "'_' where the backend has '-'"),
    ("Hotel-Paradise-room-101-chat", "capital letters (channel names are case-sensitive)"),
    ("hotel-paradise-room-101", "no '-chat' at the end"),
    ("hotel-paradse-room-101-chat", "a typo: 1 character differs"),
    ("hotel.paradise.room.101.chat", "'.' where the backend has '-'"),
    ("presence-" + EXPECTED, "'presence-' where the backend has none"),
])
def test_the_hotel_chats_known_mistakes(candidate: str, reason: str) -> None:
    assert reason in near_miss_reasons(candidate, EXPECTED)


@pytest.mark.parametrize(("expected", "candidate", "reason"), [
    ("private-orders.5", "private-orders-5", "'-' where the backend has '.'"),
    ("private-orders.5", "orders.5", "no prefix where the backend has 'private-'"),
    ("private-order.5", "private-orders.5", "'orders' where the backend says 'order'"),
    ("presence-chat.lobby.7", "presence-chat.loby.7", "a typo: 1 character differs"),
    ("App.Models.User.42", "app.models.user.42", "other capital letters (channel names are case-sensitive)"),
])
def test_the_same_mistakes_in_a_laravel_apps_names(expected: str, candidate: str, reason: str) -> None:
    assert reason in near_miss_reasons(candidate, expected)


@pytest.mark.parametrize(("expected", "candidate"), [
    (EXPECTED, "hotel-paradise-room-102-chat"),
    (EXPECTED, "hotel-paradise-conversation-101-chat"),
    (EXPECTED, EXPECTED),
    ("private-orders.5", "private-orders.6"),
    ("private-orders.5", "private-invoices.5"),
])
def test_another_room_order_or_channel_is_not_a_near_miss(expected: str, candidate: str) -> None:
    assert near_miss_reasons(candidate, expected) is None


def test_mistakes_combine() -> None:
    assert len(near_miss_reasons("Hotel_Paradise-rooms-101", EXPECTED)) == 4


_names = st.text(alphabet=st.sampled_from("abcxyz-_.0123456789"), min_size=1, max_size=30)


@given(_names)
def test_a_name_is_never_a_near_miss_of_itself(name: str) -> None:
    assert near_miss_reasons(name, name) is None


@given(_names, st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=999))
def test_another_number_is_never_a_near_miss(stem: str, mine: int, theirs: int) -> None:
    if mine != theirs:
        assert near_miss_reasons(f"{stem}-{theirs}", f"{stem}-{mine}") is None
