"""The keyword finders of scan-logs: Hyperscan and the portable regular expression find the same lines,
with the same words, as a plain line-by-line reading does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pusher_doctor.triage.keyword_lines import Words, hyperscan_matches, line_spans, regex_matches

WORDS = Words((b"pusher", b"error"), (b"trigger", b"sent"))
HYPERSCAN = hyperscan_matches(WORDS)
FINDERS = [pytest.param(regex_matches(WORDS), id="regex"),
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
    assert list(line_spans(block, finder(block), WORDS.selecting)) == [
        (11, 32, WORDS.bits(b"pusher", b"trigger")),
        (45, 68, WORDS.bits(b"error", b"trigger", b"sent")),  # overlapping words are all found
        (69, 75, WORDS.bit(b"pusher")),  # the last line, without its newline
    ]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([b"pusher", b"PuShEr", b"error", b"trigger", b"sent", b"trig", b"\n", b" ", b"x",
                                 b"\xf0\x9f\x93\xa1", b"\r\n"]), max_size=40))
def test_both_finders_agree_with_reading_line_by_line(pieces: list[bytes]) -> None:
    block = b"".join(pieces)
    expected = _by_reading(block)
    assert list(line_spans(block, regex_matches(WORDS)(block), WORDS.selecting)) == expected
    if HYPERSCAN is not None:
        assert list(line_spans(block, HYPERSCAN(block), WORDS.selecting)) == expected


def test_a_word_that_starts_another_is_refused() -> None:
    # The regex finder reports one word per offset: `fail` would hide `failed`.
    with pytest.raises(ValueError, match="one word starts another"):
        Words((b"fail",), (b"failed",))
