"""The times of watch's JSON Lines records: formatted once per second for speed, and the same text as
datetime gives for every instant."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from pusher_doctor.render.watch import _iso


@given(st.one_of(st.floats(min_value=0, max_value=4e9), st.integers(0, 4 * 10**15).map(lambda us: us / 1e6)))
def test_the_iso_time_is_what_datetime_writes(at: float) -> None:
    expected = datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    assert _iso(at) == expected


def test_a_time_just_short_of_the_next_second_rounds_into_it() -> None:
    assert _iso(1764000000.9999996) == "2025-11-24T16:00:01.000Z"
