"""Time limits of a scan: one deadline for the whole walk, a shorter one for each file.

The scan looks at them between steps (each query match, each fact, each directory, each rule) and
tree-sitter looks at a file's deadline while parsing a large file. Nothing is interrupted from
outside, so a limit can be overrun by one step, never by a whole file.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


class TimeLimitExceeded(Exception):
    """Raised inside the analysis of one file when its deadline has passed."""


@dataclass(frozen=True)
class Deadline:
    """A point in ``time.monotonic()`` time."""

    at: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def check(self) -> None:
        """Raise :class:`TimeLimitExceeded` once the deadline has passed."""
        if time.monotonic() >= self.at:
            raise TimeLimitExceeded

    def sooner(self, other: Deadline) -> Deadline:
        return self if self.at <= other.at else other

    def later(self, other: Deadline) -> Deadline:
        return self if self.at >= other.at else other


NEVER = Deadline(math.inf)
