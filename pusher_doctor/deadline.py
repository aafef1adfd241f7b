"""One time budget: a point in `time.monotonic()` time that every wait and every step measures itself against.

`check` gives its whole run one (`--timeout`): each check waits only for what is left of it, and the time
a person spends answering a question is given back (`extend`). A scan gives its walk one and each file a
shorter one (`sooner`), looked at between steps (`check` raises `TimeLimitExceeded`), so a limit can be
overrun by one step, never by a whole file. Nothing is interrupted from outside.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class TimeLimitExceeded(Exception):
    """Raised inside a bounded piece of work (a scan's file) when its deadline has passed."""


class Deadline:
    """A point in time: `seconds` from `started_at` (default now) by `clock`."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic,
                 started_at: float | None = None) -> None:
        self._clock = clock
        #: when it passes, in the clock's time
        self.at = (clock() if started_at is None else started_at) + seconds

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(seconds)

    def extend(self, seconds: float) -> None:
        """Adds time, e.g. what was spent waiting for a person's answer."""
        self.at += seconds

    def remaining(self) -> float:
        return max(0.0, self.at - self._clock())

    def passed(self) -> bool:
        return self._clock() >= self.at

    def check(self) -> None:
        """Raise :class:`TimeLimitExceeded` once the deadline has passed."""
        if self.passed():
            raise TimeLimitExceeded

    def sooner(self, other: Deadline) -> Deadline:
        return self if self.at <= other.at else other

    def later(self, other: Deadline) -> Deadline:
        return self if self.at >= other.at else other


#: no limit
NEVER = Deadline(math.inf)
