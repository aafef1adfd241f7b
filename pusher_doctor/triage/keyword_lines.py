"""Finds the lines of a block of log text that hold one of a few words, in any case.

Most of a backend's log is foreign to `scan-logs` (requests, SQL), so only the lines holding one of its
keywords are parsed, and finding them is a large part of the cost of a large log. Hyperscan, a vectorised
multi-literal matcher, finds the keywords at several GB/s (Python is called once per keyword found); where
its wheel does not exist (Linux on ARM, Intel Macs) one regular expression over the lowercased block does the
same at about 130 MB/s. Both give the same lines: the tests
compare them, and compare both with reading the block line by line.

A finder reports where lines end, not which words they hold: the parser asks the lowercased line that
question itself, and only the questions it needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

#: the offsets at which the keyword lines of `buffer[:end]` end (their newline, or `end`), ascending, once each
LineFinder = Callable[[bytes | bytearray, int], list[int]]


def _alternation(words: Sequence[bytes]) -> bytes:
    return b"(?:" + b"|".join(re.escape(word.lower()) for word in words) + b")"


def regex_line_ends(words: Sequence[bytes]) -> LineFinder:
    """The portable finder: one alternation over the lowercased block, then the end of each hit's line."""
    pattern = re.compile(_alternation(words))

    def line_ends(buffer: bytes | bytearray, end: int) -> list[int]:
        lowered = bytes(buffer[:end]).lower()
        found: list[int] = []
        position = 0
        while True:
            hit = pattern.search(lowered, position)
            if hit is None:
                return found
            line_end = lowered.find(b"\n", hit.end())
            line_end = end if line_end < 0 else line_end
            found.append(line_end)
            position = line_end + 1  # the rest of this line is known to be a keyword line already

    return line_ends


def hyperscan_line_ends(words: Sequence[bytes]) -> LineFinder | None:
    """The fast finder, or None where the hyperscan wheel is not installed."""
    try:
        import hyperscan
    except ImportError:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    # Literals only: Hyperscan then runs its vectorised literal matcher. A pattern running on to the end of the
    # line (reported once per line) cost it four times the instructions per byte, more than it saved.
    database.compile(expressions=[re.escape(word.lower()) for word in words], ids=list(range(len(words))),
                     elements=len(words), flags=[hyperscan.HS_FLAG_CASELESS] * len(words))

    def line_ends(buffer: bytes | bytearray, end: int) -> list[int]:
        hits: list[int] = []
        add = hits.append
        database.scan(buffer if end == len(buffer) else memoryview(buffer)[:end],
                      match_event_handler=lambda _id, _start, at, _flags, _context: add(at))
        hits.sort()  # by end offset already, but two words ending together may come in any order
        found: list[int] = []
        line_end = -1
        for at in hits:
            if at > line_end:  # the first keyword of a new line
                line_end = buffer.find(b"\n", at, end)
                line_end = end if line_end < 0 else line_end
                found.append(line_end)
        return found

    return line_ends


def line_finder(words: Sequence[bytes]) -> LineFinder:
    """Hyperscan where installed, the regular expression elsewhere."""
    return hyperscan_line_ends(words) or regex_line_ends(words)
