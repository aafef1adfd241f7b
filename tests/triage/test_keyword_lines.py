"""The keyword finders of scan-logs: Hyperscan and the portable regular expression find the same lines,
with the same words, as a plain line-by-line reading does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.triage.keyword_lines import Words, hyperscan_lines, regex_lines

WORDS = Words((b"pusher", b"error"), (b"trigger", b"sent", b"trig"))
HYPERSCAN = hyperscan_lines(WORDS)
FINDERS = [pytest.param(regex_lines(WORDS), id="regex"),
           pytest.param(HYPERSCAN, id="hyperscan",
                        marks=pytest.mark.skipif(HYPERSCAN is None, reason="no hyperscan wheel here"))]


def _by_reading(block: bytes) -> list[tuple[int, int, int]]:
    """What the finders must give, line by line with `in`."""
    spans, start = [], 0
    for line in block.split(b"\n"):
        held = WORDS.held(line)
        if held & WORDS.selecting:
            spans.append((start, start + len(line), held))
        start += len(line) + 1
    return spans


@pytest.mark.parametrize("finder", FINDERS)
def test_lines_and_their_words_in_any_case(finder) -> None:
    block = b"GET /x 200\nINFO PUSHER Triggered\nsent alone\n\nERROR: triggerror, sent\nPusher"
    assert finder(block) == [
        (11, 32, WORDS.bits(b"pusher", b"trigger", b"trig")),
        (45, 68, WORDS.bits(b"error", b"trigger", b"trig", b"sent")),  # overlapping words are all found
        (69, 75, WORDS.bit(b"pusher")),  # the last line, without its newline
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([b"pusher", b"PuShEr", b"error", b"trigger", b"sent", b"trig", b"\n", b" ", b"x",
                                 b"\xf0\x9f\x93\xa1", b"\r\n", b"\x00"]), max_size=40))
def test_both_finders_agree_with_reading_line_by_line(pieces: list[bytes]) -> None:
    block = b"".join(pieces)
    expected = _by_reading(block)
    assert regex_lines(WORDS)(block) == expected
    if HYPERSCAN is not None:
        assert HYPERSCAN(block) == expected


def test_more_words_than_a_report_can_name_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 16 words"):
        Words(tuple(b"w%d" % n for n in range(17)))
