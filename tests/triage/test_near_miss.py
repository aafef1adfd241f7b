"""Near misses are the guest page's misspellings of the room channel, never another room or hotel."""

from __future__ import annotations

import pytest

from pusher_doctor.near_miss import find_near_misses, near_miss_problem, near_miss_sentence

EXPECTED = "hotel-paradise-room-101-chat"


@pytest.mark.parametrize(("candidate", "reason"), [
    ("hotel-paradise-rooms-101-chat", "'rooms' where the backend says 'room'"),
    ("hotel_paradise-room-101-chat", "'_' where the backend has '-'"),
    ("hotel_paradise_room_101_chat", "'_' where the backend has '-'"),
    ("Hotel-Paradise-room-101-chat", "capital letters (channel names are case-sensitive)"),
    ("hotel-paradise-room-101", "no '-chat' at the end"),
    ("hotel-paradse-room-101-chat", "a typo: 1 character differs"),
    ("hotel.paradise.room.101.chat", "'.' where the backend has '-'"),
])
def test_each_known_mistake_is_named(candidate: str, reason: str) -> None:
    (miss,) = find_near_misses(EXPECTED, {candidate: 1})
    assert miss.channel == candidate and reason in miss.reasons


@pytest.mark.parametrize(("expected", "candidate", "reason"), [
    ("private-" + EXPECTED, EXPECTED, "no prefix where the backend has 'private-'"),
    (EXPECTED, "presence-" + EXPECTED, "'presence-' where the backend has none"),
    ("private-" + EXPECTED, "private-encrypted-" + EXPECTED, "'private-encrypted-' where the backend has 'private-'"),
])
def test_a_channel_prefix_the_backend_does_not_use_is_named(expected: str, candidate: str, reason: str) -> None:
    (miss,) = find_near_misses(expected, {candidate: 1})
    assert miss.reasons == (reason,)


def test_a_prefix_does_not_make_another_room_a_near_miss() -> None:
    assert find_near_misses("private-" + EXPECTED, {"hotel-paradise-room-102-chat": 1}) == ()


def test_mistakes_combine_in_one_near_miss() -> None:
    (miss,) = find_near_misses(EXPECTED, {"Hotel_Paradise-rooms-101": 2})
    assert len(miss.reasons) == 4 and miss.subscribers == 2


@pytest.mark.parametrize("candidate", [
    "hotel-paradise-room-102-chat",          # another room: one character away, but not a mistake
    "hotel-paradise-room-1011-chat",
    "hotel-paradise-conversation-101-chat",  # the staff channel of conversation 101
    "other-hotel-room-101-chat",             # another hotel
    "hp-room-101-chat",
    EXPECTED,                                # the channel itself
])
def test_other_rooms_hotels_and_the_channel_itself_are_not_near_misses(candidate: str) -> None:
    assert find_near_misses(EXPECTED, {candidate: 3}) == ()


def test_an_empty_channel_is_not_a_near_miss_but_an_uncounted_one_is() -> None:
    assert find_near_misses(EXPECTED, {"hotel-paradise-rooms-101-chat": 0}) == ()
    (miss,) = find_near_misses(EXPECTED, {"hotel-paradise-rooms-101-chat": None})
    assert miss.subscribers is None


def test_most_subscribed_first_and_the_sentence_names_it_and_counts_the_rest() -> None:
    misses = find_near_misses(EXPECTED, {"hotel-paradise-room-101": 1, "hotel-paradise-rooms-101-chat": 3})
    assert [m.channel for m in misses] == ["hotel-paradise-rooms-101-chat", "hotel-paradise-room-101"]
    assert near_miss_sentence(EXPECTED, misses) == (
        "nobody is on hotel-paradise-room-101-chat, but 3 subscribers are on hotel-paradise-rooms-101-chat "
        "(and 1 more near miss): the guest page builds the channel name wrongly ('rooms' where the backend "
        "says 'room')")


def test_the_problem_has_the_cause_and_names_the_right_channel_in_the_fix() -> None:
    found = near_miss_problem(EXPECTED, find_near_misses(EXPECTED, {"hotel-paradise-rooms-101-chat": 1}))
    assert found.cause == "channel-near-miss"
    assert found.summary.startswith("nobody is on hotel-paradise-room-101-chat, but 1 subscriber is on ")
    assert EXPECTED in found.hint.text
