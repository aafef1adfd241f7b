"""The watch's JSON parser gives what the standard parser gives, value or error, on generated JSON and text
(orjson where it agrees, the standard parser where orjson refuses)."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.protocol import fast_json, wire

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=5), max_leaves=30)


def same(a: Any, b: Any) -> bool:
    """Equal, NaN counting as equal to NaN, and of the same types all the way down."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def outcome(parse: Any, text: str | bytes) -> tuple[str, Any]:
    try:
        return "value", parse(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return type(error).__name__, str(error)


def standard(text: str | bytes) -> Any:
    return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)


def assert_same(text: str | bytes) -> None:
    ours, theirs = outcome(fast_json.loads, text), outcome(standard, text)
    assert ours[0] == theirs[0], (text, ours, theirs)
    assert same(ours[1], theirs[1]) if ours[0] == "value" else ours[1] == theirs[1]


@settings(max_examples=300, deadline=None)
@given(values, st.booleans(), st.booleans())
def test_generated_json_parses_as_the_standard_parser_parses_it(value: Any, ascii_only: bool, as_bytes: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)
    assert_same(text.encode("utf-8", "surrogatepass") if as_bytes else text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | st.binary(max_size=40))
def test_any_text_or_bytes_gives_the_standard_value_or_error(text: str | bytes) -> None:
    assert_same(text)


@pytest.mark.parametrize("text", [
    '{"a": 1, "a": 2}', "NaN", "[Infinity, -Infinity]", str(2**70), "-" + str(2**64), '"\\ud800"', "1e400",
    '{"x": "\\u0000\\u2028"}', "[" * 2000 + "]" * 2000, " 1 ", "1 2", "", b"\xff", b'"\xc3\x28"', '"\ud800"',
    b'\xef\xbb\xbf{}', "0.1", "1E2", "-0", "-0.0", '"\\/"',
    "9" * 19, b"9" * 19, str(2**64 - 1), "9" * 20, "[[[" + str(2**64) + "]]]", "[" * 1000 + "1.5" + "]" * 1000,
])
def test_the_edges_where_the_parsers_differ_give_the_standard_answer(text: str | bytes) -> None:
    assert_same(text)


@settings(max_examples=300, deadline=None)
@given(values, st.integers(0, 3))
def test_decoded_gives_wires_value_and_calls_plain_only_what_is(value: Any, encodings: int) -> None:
    # The watch's encoder writes with orjson, unchecked, the data parsing called plain: never a float in it.
    data = value
    for _ in range(encodings):
        data = json.dumps(data)
    ours, plain = fast_json.decoded(data, depth=2)
    assert same(ours, wire.decoded(data, depth=2))
    assert plain is None if not isinstance(data, str) else plain is not None
    assert not plain or fast_json.only_plain(ours)


@pytest.mark.parametrize(("data", "plain"), [
    ('{"id": 5, "message": "hi", "tags": ["a", null, true]}', True), (json.dumps('{"id": 5}'), True),
    ("not json", True), ('"\\ud800"', True), ('{"at": 1.5}', False), (str(2**70), False), ("NaN", False),
    ({"id": 5}, None), (None, None),
])
def test_decoded_says_what_parsing_found(data: Any, plain: bool | None) -> None:
    assert fast_json.decoded(data, depth=2)[1] is plain


def test_decoded_leaves_json_nested_past_the_standard_parsers_reach_as_its_text() -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert fast_json.decoded(text, depth=2) == (text, True)
