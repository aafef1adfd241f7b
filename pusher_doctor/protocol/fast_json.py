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
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    else:
        if _without_floats(value):
            return value
    return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)


def _without_floats(value: Any) -> bool:
    """Whether parsed JSON holds no float (nor an integer orjson read as one). A loop, not recursion: orjson
    takes nesting deeper than Python's recursion limit."""
    nested = [value]
    while nested:
        value = nested.pop()
        kind = type(value)
        if kind is dict:
            items: Any = value.values()
        elif kind is list:
            items = value
        else:
            if kind is float:
                return False
            continue
        for item in items:
            kind = type(item)
            if kind is float:
                return False
            if kind is dict or kind is list:
                nested.append(item)
    return True


def load_json(text: str | bytes) -> Any:
    """`wire.load_json`, parsed by `loads`: ValueError for anything unusable, deep nesting included."""
    try:
        return loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
