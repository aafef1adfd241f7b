"""Channel templates build names from plain {fields} and parse them back, quickly, whatever they are given."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pusher_doctor.contract import ChannelTemplate, TemplateError
from pusher_doctor.contract.template import MAX_FIELDS

ROOM = ChannelTemplate.parse("{hotel}-room-{room}-chat")


def test_a_template_builds_the_name_and_parses_it_back() -> None:
    assert ROOM.build({"hotel": "hotel-paradise", "room": "101"}) == "hotel-paradise-room-101-chat"
    assert ROOM.match("hotel-paradise-room-101-chat") == {"hotel": "hotel-paradise", "room": "101"}
    assert ROOM.fields == ("hotel", "room") and ROOM.kind == "public"


@pytest.mark.parametrize(("template", "name", "values", "kind"), [
    ("private-orders.{order}", "private-orders.5", {"order": "5"}, "private"),
    ("presence-chat.{room}", "presence-chat.lobby", {"room": "lobby"}, "presence"),
    ("private-encrypted-user.{id}", "private-encrypted-user.7", {"id": "7"}, "encrypted"),
    ("App.Models.User.{id}", "App.Models.User.42", {"id": "42"}, "public"),
    ("announcements", "announcements", {}, "public"),
])
def test_laravel_and_other_shapes_parse(template: str, name: str, values: dict[str, str], kind: str) -> None:
    parsed = ChannelTemplate.parse(template)
    assert parsed.match(name) == values and parsed.kind == kind
    assert parsed.build(values) == name


@pytest.mark.parametrize("name", [
    "hotel-paradise-rooms-101-chat", "hotel-paradise-room-101", "-room-101-chat", "h-room--chat",
    "private-hotel-room-1-chat-x", "h-room-1 2-chat", "",
])
def test_names_of_another_shape_do_not_match(name: str) -> None:
    assert ROOM.match(name) is None


@pytest.mark.parametrize(("text", "says"), [
    ("{hotel:>100000000}-room", "only plain fields"),  # issue #20: a format spec once took 36 s and 2 GB
    ("{hotel!r}-room", "only plain fields"),
    ("{0}-room", "only plain fields"),
    ("{}-room", "only plain fields"),
    ("{hotel.slug}-room", "only plain fields"),
    ("{hotel[0]}-room", "only plain fields"),
    ("{ hotel }-room", "only plain fields"),
    ("{hotel-room", "only plain fields"),
    ("hotel}-room", "without its '{'"),
    ("{{hotel}}", "only plain fields"),
    ("{hotel}{room}", "side by side"),
    ("{a}-{a}", "twice"),
    ("room {room}", "does not allow"),
    ("private{room}", "prefix is 'private-'"),
    ("presence_{room}", "prefix is 'presence-'"),
    ("", "empty"),
    ("x" * 201, "characters long"),
    ("-".join("{f" + str(i) + "}" for i in range(MAX_FIELDS + 1)), "fields"),
])
def test_unusable_templates_are_refused_saying_why(text: str, says: str) -> None:
    with pytest.raises(TemplateError, match=None) as raised:
        ChannelTemplate.parse(text)
    assert says in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(("values", "says"), [
    ({"hotel": "h"}, "needs a value for {room}"),
    ({"hotel": "h", "room": ""}, "needs a value for {room}"),
    ({"hotel": "h p", "room": "1"}, "does not allow"),
    ({"hotel": "h" * 170, "room": "1"}, "Pusher allows 164"),
])
def test_building_with_a_missing_or_unusable_value_says_which(values: dict[str, str], says: str) -> None:
    with pytest.raises(ValueError) as raised:
        ROOM.build(values)
    assert says in str(raised.value)


def test_a_hostile_name_is_parsed_in_bounded_time() -> None:
    # eight fields over a name of separators: a backtracking regular expression would try ~10^13 splits
    template = ChannelTemplate.parse("-".join("{f" + str(i) + "}" for i in range(MAX_FIELDS)) + "x")
    started = time.monotonic()
    assert template.match("-" * 199) is None
    assert template.match("-" * 5000) is None  # longer than any channel name: not parsed at all
    assert time.monotonic() - started < 2.0


def test_a_hole_character_stands_for_an_unknown_part() -> None:
    assert ROOM.match("\0-room-\0-chat", hole="\0") == {"hotel": "\0", "room": "\0"}
    assert ROOM.match("\0-room-\0-chat") is None


_value = st.text(alphabet=st.sampled_from("abcdefghij0123456789_=@,;"), min_size=1, max_size=12)
_literal = st.text(alphabet=st.sampled_from("abcxyz-._=@,;0123456789"), min_size=1, max_size=8)


@st.composite
def _templates(draw: st.DrawFn) -> tuple[ChannelTemplate, dict[str, str]]:
    count = draw(st.integers(min_value=0, max_value=4))
    pieces: list[str] = [draw(st.sampled_from(["", "private-", "presence-", "private-encrypted-"]))]
    values = {}
    for index in range(count):
        if index or draw(st.booleans()):
            pieces.append(draw(_literal))
        pieces.append("{f" + str(index) + "}")
        values[f"f{index}"] = draw(_value)
    if draw(st.booleans()) or not count:
        pieces.append(draw(_literal))
    return ChannelTemplate.parse("".join(pieces)), values


@given(_templates())
def test_every_built_name_parses_back_to_the_same_name(case: tuple[ChannelTemplate, dict[str, str]]) -> None:
    template, values = case
    name = template.build(values)
    parsed = template.match(name)
    assert parsed is not None and template.build(parsed) == name


@given(_templates())
def test_values_without_the_templates_separators_parse_back_exactly(
        case: tuple[ChannelTemplate, dict[str, str]]) -> None:
    template, values = case
    literals = [part for part in template.parts if isinstance(part, str)]
    if any(literal in value or value.endswith(literal[:1]) for literal in literals for value in values.values()):
        return  # a value holding a separator may split another way, which the property above covers
    assert template.match(template.build(values)) == values


@given(st.text(max_size=60))
def test_any_text_either_is_a_template_or_is_refused_with_a_template_error(text: str) -> None:
    try:
        template = ChannelTemplate.parse(text)
    except TemplateError as error:
        assert str(error)
    else:
        assert all(part.name.isidentifier() for part in template.parts if not isinstance(part, str))
