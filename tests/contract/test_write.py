"""What init writes reads back as the same contract, whatever names and notes it holds."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.contract import HOTEL_CHAT, ChannelSpec, ChannelTemplate, Contract, EventSpec
from pusher_doctor.contract.load import contract_from_text
from pusher_doctor.contract.model import event_name_problem
from pusher_doctor.contract.write import contract_to_toml

TARGET = Path("/app/pusher-doctor.toml")


def test_the_hotel_chat_round_trips_with_its_payload_keys() -> None:
    text = contract_to_toml(HOTEL_CHAT, TARGET.parent, {"room": ["the guest's channel"]})
    assert "# the guest's channel" in text
    assert contract_from_text(text, TARGET) == HOTEL_CHAT


def test_paths_are_written_relative_and_a_recipient_that_is_not_first_is_named() -> None:
    orders = ChannelSpec("orders", ChannelTemplate.parse("private-orders.{order}"), (EventSpec("App\\Events\\X"),))
    staff = ChannelSpec("staff", ChannelTemplate.parse("staff"), (EventSpec("y"),))
    contract = Contract((orders, staff), "staff", "/broadcasting/auth", Path("/app/backend/.env"), "probe")
    text = contract_to_toml(contract, TARGET.parent)
    assert 'env-file = "backend/.env"' in text and 'recipient = "staff"' in text
    assert contract_from_text(text, TARGET) == contract


def test_a_note_with_a_line_break_stays_a_comment() -> None:
    # a file name from the scanned tree can hold a line break; the comment must not end there
    text = contract_to_toml(HOTEL_CHAT, TARGET.parent, {"": ["seen in a\n[channels.evil]\ntemplate = 'x'"]})
    assert contract_from_text(text, TARGET) == HOTEL_CHAT


_events = st.lists(st.text(min_size=1, max_size=20).filter(lambda e: event_name_problem(e) is None),
                   min_size=1, max_size=4, unique=True)
_templates = st.sampled_from(["{a}-room-{b}-chat", "private-orders.{id}", "presence-x;{y}=z", "plain@,;"])


@settings(max_examples=50)
@given(st.lists(st.tuples(_templates, _events), min_size=1, max_size=3, unique_by=lambda c: c[0]))
def test_any_contract_round_trips(channels: list[tuple[str, list[str]]]) -> None:
    contract = Contract(tuple(ChannelSpec(f"c{index}", ChannelTemplate.parse(template),
                                          tuple(EventSpec(event, ("id",)) for event in events))
                              for index, (template, events) in enumerate(channels)), "c0")
    assert contract_from_text(contract_to_toml(contract, TARGET.parent), TARGET) == contract
