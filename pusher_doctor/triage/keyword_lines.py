"""Finds the lines of a block of log text that hold one of a few words, in any case, and which words each holds.

Most of a backend's log is foreign to `scan-logs` (requests, SQL), so only the lines holding one of its
keywords are parsed, and finding them is most of the cost of a large log. Hyperscan, a vectorised
multi-literal matcher, finds them at about 2 GB/s here; where its wheel does not exist (Linux on ARM, Intel
Macs) one regular expression over the lowercased block does the same at about 130 MB/s. Both give the
same lines: the tests compare them.

The finder also reports the words that only sort a line (`trigger`, `sent`, ...), so the parser asks
"does this line hold X" with a bit test instead of one substring search per question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

#: (end, word index) of every match in a block: end is the offset just past the match; ascending by end
MatchFinder = Callable[[bytes], list[tuple[int, int]]]


class Words:
    """The words to look for: those that select a line, then those that only sort it. Each has a bit."""

    def __init__(self, selecting: Sequence[bytes], sorting: Sequence[bytes] = ()) -> None:
        self.all = tuple(word.lower() for word in (*selecting, *sorting))
        # The regex finder reports one word per offset: a word that starts another would hide it.
        if any(a != b and b.startswith(a) for a in self.all for b in self.all):
            raise ValueError(f"one word starts another: {self.all}")
        self.selecting = sum(1 << index for index in range(len(selecting)))

    def held(self, text: bytes) -> int:
        """The bits of the words `text` holds, for a line the parser rewrote (the finder saw it before)."""
        lowered = text.lower()
        return sum(1 << index for index, word in enumerate(self.all) if word in lowered)

    def bit(self, word: bytes) -> int:
        return 1 << self.all.index(word)

    def bits(self, *words: bytes) -> int:
        return sum(self.bit(word) for word in words)


def regex_matches(words: Words) -> MatchFinder:
    """The portable finder: one alternation of groups over the lowercased block."""
    # In a lookahead, so that overlapping words (`triggerror`) are all found, as Hyperscan finds them.
    pattern = re.compile(b"(?=" + b"|".join(b"(" + re.escape(word) + b")" for word in words.all) + b")")

    def matches(block: bytes) -> list[tuple[int, int]]:
        found = pattern.finditer(block.lower())
        return [(match.end(match.lastindex), match.lastindex - 1) for match in found]  # type: ignore[arg-type,operator]

    return matches


def hyperscan_matches(words: Words) -> MatchFinder | None:
    """The fast finder, or None where the hyperscan wheel is not installed."""
    try:
        import hyperscan
    except ImportError:
        return None
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=list(words.all), ids=list(range(len(words.all))), elements=len(words.all),
                     flags=[hyperscan.HS_FLAG_CASELESS] * len(words.all))

    def matches(block: bytes) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        database.scan(block, match_event_handler=lambda word, _start, end, _flags, _context: found.append((end, word)))
        # Hyperscan reports literals by end offset; sorting an already sorted list costs one pass.
        found.sort()
        return found

    return matches


def match_finder(words: Words) -> MatchFinder:
    """Hyperscan where installed, the regular expression elsewhere."""
    return hyperscan_matches(words) or regex_matches(words)


def line_spans(block: bytes, matches: list[tuple[int, int]], selecting: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, word bits) of each line of `block` holding a selecting word, in order, once each.

    `end` excludes the newline. A word never holds a newline, so a match lies within one line.
    """
    start = line_end = -1
    held = 0
    for match_end, word in matches:
        if match_end > line_end:  # the first match on a new line: give the line before
            if held & selecting:
                yield start, line_end, held
            start = block.rfind(b"\n", 0, match_end) + 1
            line_end = block.find(b"\n", match_end)
            if line_end < 0:
                line_end = len(block)
            held = 0
        held |= 1 << word
    if held & selecting:
        yield start, line_end, held
