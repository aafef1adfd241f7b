"""Finds the lines of a block of log text that hold one of a few words, in any case, and which words each holds.

Most of a backend's log is foreign to `scan-logs` (requests, SQL), so only the lines holding one of its
keywords are parsed, and finding them is a large part of the cost of a large log. Hyperscan, a vectorised
multi-literal matcher, finds the words at several GB/s (Python is called once per word found); where its
wheel does not exist (Linux on ARM, Intel Macs) one regular expression over the lowercased block finds the
lines at about 130 MB/s. Both give the same lines with the same words: the tests compare them, and compare
both with reading the block line by line.

The finder also reports the words that only sort a line (`trigger`, `sent`, ...), so the parser asks "does
this line hold X" with a bit test: a substring search from Python costs about a thousand instructions of
argument parsing (`find`) or of a TypeError raised and cleared (`in`), more than Hyperscan's report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

#: (start, end, word bits) of each line of a block holding a selecting word, in order, once each; `end`
#: excludes the newline
LineFinder = Callable[[bytes], list[tuple[int, int, int]]]


class Words:
    """The words to look for: those that select a line, then those that only sort it. Each has a bit."""

    def __init__(self, selecting: Sequence[bytes], sorting: Sequence[bytes] = ()) -> None:
        self.all = tuple(word.lower() for word in (*selecting, *sorting))
        if len(self.all) > 16:
            raise ValueError("at most 16 words: Hyperscan's reports are packed as offset * 16 + word")
        self.selecting_words = self.all[:len(selecting)]
        self.selecting = sum(1 << index for index in range(len(selecting)))

    def held(self, text: bytes) -> int:
        """The bits of the words `text` holds."""
        lowered = text.lower()
        return sum(1 << index for index, word in enumerate(self.all) if word in lowered)

    def bit(self, word: bytes) -> int:
        return 1 << self.all.index(word)

    def bits(self, *words: bytes) -> int:
        return sum(self.bit(word) for word in words)


def regex_lines(words: Words) -> LineFinder:
    """The portable finder: one alternation of the selecting words over the lowercased block; each line found
    is then asked for every word."""
    pattern = re.compile(b"|".join(re.escape(word) for word in words.selecting_words))

    def lines(block: bytes) -> list[tuple[int, int, int]]:
        lowered = block.lower()
        found: list[tuple[int, int, int]] = []
        position = 0
        while (hit := pattern.search(lowered, position)) is not None:
            start = lowered.rfind(b"\n", 0, hit.start()) + 1
            end = lowered.find(b"\n", hit.end())
            end = len(lowered) if end < 0 else end
            found.append((start, end, words.held(lowered[start:end])))
            position = end + 1
        return found

    return lines


def hyperscan_lines(words: Words) -> LineFinder | None:
    """The fast finder, or None where the hyperscan wheel is not installed."""
    try:
        import hyperscan
    except ImportError:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    # Literals only: Hyperscan then runs its vectorised literal matcher. A pattern running on to the end of the
    # line (reported once per line) cost it four times the instructions per byte, more than it saved.
    database.compile(expressions=[re.escape(word) for word in words.all], ids=list(range(len(words.all))),
                     elements=len(words.all), flags=[hyperscan.HS_FLAG_CASELESS] * len(words.all))
    selecting = words.selecting

    def lines(block: bytes) -> list[tuple[int, int, int]]:
        hits: list[int] = []
        add = hits.append
        # One int per report, not a tuple: the end offset and the word packed together.
        database.scan(block, match_event_handler=lambda word, _start, at, _flags, _context: add(at << 4 | word))
        hits.sort()  # by end offset already, but two words ending together may come in any order
        found: list[tuple[int, int, int]] = []
        start = end = -1
        held = 0
        for hit in hits:
            at = hit >> 4
            if at > end:  # the first word of a new line: give the line before
                if held & selecting:
                    found.append((start, end, held))
                start = block.rfind(b"\n", 0, at) + 1
                end = block.find(b"\n", at)
                end = len(block) if end < 0 else end
                held = 0
            held |= 1 << (hit & 15)
        if held & selecting:
            found.append((start, end, held))
        return found

    return lines


def line_finder(words: Words) -> LineFinder:
    """Hyperscan where installed, the regular expression elsewhere."""
    return hyperscan_lines(words) or regex_lines(words)
