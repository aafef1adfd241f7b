"""The keyword line finders of scan-logs: Hyperscan and the portable regular expression find the same lines
as a plain line-by-line reading does, in any case, up to the end they are given."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.triage.keyword_lines import hyperscan_line_ends, regex_line_ends

WORDS = (b"pusher", b"error")
HYPERSCAN = hyperscan_line_ends(WORDS)
FINDERS = [pytest.param(regex_line_ends(WORDS), id="regex"),
           pytest.param(HYPERSCAN, id="hyperscan",
                        marks=pytest.mark.skipif(HYPERSCAN is None, reason="no hyperscan wheel here"))]


def _by_reading(block: bytes) -> list[int]:
    """What the finders must give, line by line with `in`: where each keyword line ends."""
    ends, start = [], 0
    for line in block.split(b"\n"):
        if any(word in line.lower() for word in WORDS):
            ends.append(start + len(line))
        start += len(line) + 1
    return ends


@pytest.mark.parametrize("finder", FINDERS)
def test_lines_in_any_case_once_each(finder) -> None:
    block = bytearray(b"GET /x 200\nINFO PUSHER error pusher\nsent alone\n\nERROR: triggerror\nPusher")
    assert finder(block, len(block)) == [35, 65, 72]  # the last line, without its newline, too


@pytest.mark.parametrize("finder", FINDERS)
def test_only_up_to_the_end_given(finder) -> None:
    block = bytearray(b"pusher one\npusher two\nstale pusher bytes from an earlier read")
    assert finder(block, 22) == [10, 21]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([b"pusher", b"PuShEr", b"error", b"erro", b"r", b"\n", b" ", b"x",
                                 b"\xf0\x9f\x93\xa1", b"\r\n", b"\x00"]), max_size=40),
       st.binary(max_size=20))
def test_both_finders_agree_with_reading_line_by_line(pieces: list[bytes], stale: bytes) -> None:
    block = b"".join(pieces)
    buffer = bytearray(block + stale)  # bytes past the end are a previous read's and never looked at
    expected = _by_reading(block)
    assert regex_line_ends(WORDS)(buffer, len(block)) == expected
    if HYPERSCAN is not None:
        assert HYPERSCAN(buffer, len(block)) == expected
