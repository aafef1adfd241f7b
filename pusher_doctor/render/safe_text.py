"""Text from outside (servers, files, options, environment) made safe to show.

On a terminal, a control character from a server's error body can retitle or repaint the terminal, and
a newline in a setting can forge a whole report line; bidi overrides can make text read differently
from what it is. Every string on the terminal path is passed through `printable`, which shows such
characters as visible escapes. JSON escapes control characters itself but must stay valid UTF-8, so
`valid_unicode` replaces the lone surrogates that undecodable bytes in argv or file names become.
"""

from __future__ import annotations

import functools
import re

#: C0 and C1 controls, DEL, and the bidirectional-text overrides, isolates and marks
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def valid_unicode(text: str) -> str:
    """The text with lone surrogates (undecodable bytes from argv or file names) replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def printable(text: str) -> str:
    """The text as it may reach a terminal: every control, bidi or line-separator character escaped."""
    return _UNSAFE.sub(_escape, valid_unicode(text))


# Asked for every JSON Lines record a watch writes; a process meets one or two encodings.
@functools.lru_cache(maxsize=8)
def encodes_symbols(encoding: str | None) -> bool:
    """Whether text in this encoding can carry the report's symbols (✓ ✗ …); not with ascii or a C locale."""
    try:
        "✓✗…".encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def takes_unicode(stream: object) -> bool:
    return encodes_symbols(getattr(stream, "encoding", None))
