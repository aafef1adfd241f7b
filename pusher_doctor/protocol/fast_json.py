"""JSON parsing for a watch's per-event path: orjson (about five times the standard parser's speed on an
event's envelope and data), and the standard parser wherever orjson refuses the text, so the result, or
the error, is always the one `json.loads` gives.

orjson refuses what the standard parser takes (NaN and Infinity, escaped lone surrogates, nesting past
1024) and everything invalid; the standard parser then decides. It reads an integer past 64 bits as a
float, so text with 19 digits in a row goes to the standard parser at once (the tests compare the two on
generated JSON and text). Only the watch
imports it: orjson loads datetime, uuid and enum, which `check` does not otherwise pay for at start.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

#: 19 digits in a row: orjson reads an integer past 64 bits as a float, the standard parser as an int
_LONG_NUMBER = re.compile("[0-9]{19}")
_LONG_NUMBER_BYTES = re.compile(b"[0-9]{19}")


def loads(text: str | bytes) -> Any:
    """The JSON value of `text` as `json.loads` parses it; bytes must be UTF-8 (as a WebSocket text frame's
    are): bytes that are not raise UnicodeDecodeError, as `json.loads(text.decode("utf-8"))` does."""
    long_number = _LONG_NUMBER_BYTES if isinstance(text, bytes) else _LONG_NUMBER
    if len(text) < 19 or long_number.search(text) is None:  # shorter text has no 19 digits: no search
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text.decode("utf-8") if isinstance(text, bytes) else text)


def load_json(text: str | bytes) -> Any:
    """`wire.load_json`, parsed by `loads`: ValueError for anything unusable, deep nesting included."""
    try:
        return loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
