"""JSON parsing for a watch's per-event path: orjson (about five times the standard parser's speed on an
event's envelope and data), and the standard parser wherever orjson refuses the text, so the result, or
the error, is always the one `json.loads` gives.

orjson refuses what the standard parser takes (NaN and Infinity, escaped lone surrogates, nesting past
1024) and everything invalid; the standard parser then decides. It reads an integer past 64 bits as a
float, where the standard parser reads an int: so a value with any float in it is parsed again by the
standard parser (the tests compare the two on generated JSON and text). Looking for a float in the value
costs a fraction of searching the text for a long run of digits, as this module did first. Only the watch
imports it: orjson loads datetime, uuid and enum, which `check` does not otherwise pay for at start.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(text: str | bytes) -> Any:
    """The JSON value of `text` as `json.loads` parses it; bytes must be UTF-8 (as a WebSocket text frame's
    are): bytes that are not raise UnicodeDecodeError, as `json.loads(text.decode("utf-8"))` does."""
    return loads_plain(text)[0]


def loads_plain(text: str | bytes) -> tuple[Any, bool]:
    """`loads(text)`, and whether the value is plain (`only_plain`): the walk parsing needs gives the answer
    the watch's encoder needs too, so each event's data is looked through once. False where the standard
    parser gave the value (it reads what orjson refuses or reads otherwise): not looked through."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    else:
        if only_plain(value):
            return value, True
    return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text), False


#: the leaves orjson reads and writes as the standard parser and encoder do (these types exactly: not a
#: subclass, such as an enum)
_PLAIN_LEAVES = frozenset({str, int, bool, type(None)})


def only_plain(value: Any) -> bool:
    """Whether `value` is dicts and lists of strings, ints, booleans and None, of these types exactly: parsed
    JSON with no float (nor an integer orjson read as one), and what orjson writes as the standard encoder
    does. A loop, not recursion: orjson takes nesting deeper than Python's recursion limit."""
    nested = [value]
    while nested:
        value = nested.pop()
        kind = type(value)
        if kind is dict:
            items: Any = value.values()
        elif kind is list:
            items = value
        elif kind in _PLAIN_LEAVES:
            continue
        else:
            return False
        for item in items:  # a leaf without a call: a record has a dozen
            kind = type(item)
            if kind not in _PLAIN_LEAVES:
                if kind is not dict and kind is not list:
                    return False
                nested.append(item)
    return True


def decoded(data: Any, depth: int) -> tuple[Any, bool | None]:
    """`wire.decoded(data, depth)`, parsed by `loads_plain`, and whether the value is plain, as parsing found
    it (a string is); None where `data` came as a value, not as JSON text: nothing has looked through it."""
    plain = None
    for _ in range(depth):
        if not isinstance(data, str):
            break
        try:
            data, plain = loads_plain(data)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the standard parser goes
            break
    return data, True if isinstance(data, str) else plain
