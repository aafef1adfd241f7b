"""Near misses: an occupied channel whose name is almost the one the backend triggers on.

When nobody is on `hotel-paradise-room-101-chat` but someone is on `hotel-paradise-rooms-101-chat`,
the guest page builds the channel name wrongly, and saying so names the bug. Pure logic beside
`hotel_chat`, neither a check nor a triage engine: `check`'s live-guest step, `rooms` and `scan-logs`
all call it.

A different room of the same hotel is never a near miss, however close its name: only names whose
numbers are the room's own count.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pusher_doctor.hotel_chat import split_prefix
from pusher_doctor.results import Problem, Remediation, problem


@dataclass(frozen=True)
class NearMiss:
    """An occupied channel whose name is almost the one the backend triggers on."""

    channel: str
    subscribers: int | None
    #: why it is a near miss, e.g. "'rooms' where the backend says 'room'"
    reasons: tuple[str, ...]


#: at most this many single-character edits (after the known mistakes are undone) still count as a typo
MAX_TYPO_EDITS = 2
#: near misses named in one sentence; the rest are counted
NAMED_IN_SENTENCE = 1

_DIGITS = re.compile(r"[0-9]+")


def _normalised(name: str) -> str:
    """The name with the known mistakes undone: case, `_` or `.` for `-`, `rooms` for `room`, no `-chat`."""
    name = name.lower().replace("_", "-").replace(".", "-")
    name = re.sub(r"(^|-)rooms(-|$)", r"\1room\2", name)
    return name.removesuffix("-chat")


def _edits(a: str, b: str, bound: int) -> int:
    """Levenshtein distance, or bound + 1 as soon as it is certain to exceed `bound`."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


def _reasons(candidate: str, expected: str) -> tuple[str, ...] | None:
    """Why `candidate` is almost `expected`, or None when it is not close."""
    if candidate == expected or _DIGITS.findall(candidate) != _DIGITS.findall(expected):
        return None
    reasons = []
    (candidate_prefix, candidate), (expected_prefix, expected) = split_prefix(candidate), split_prefix(expected)
    if candidate_prefix != expected_prefix:
        # A half-done move to private channels: one side subscribes or triggers on the old name.
        reasons.append(f"{repr(candidate_prefix) if candidate_prefix else 'no prefix'} where the backend has "
                       f"{repr(expected_prefix) if expected_prefix else 'none'}")
    if any(char.isupper() for char in candidate) and not any(char.isupper() for char in expected):
        reasons.append("capital letters (channel names are case-sensitive)")
    if "_" in candidate and "_" not in expected:
        reasons.append("'_' where the backend has '-'")
    if "." in candidate and "." not in expected:
        reasons.append("'.' where the backend has '-'")
    if re.search(r"(^|[-_.])rooms([-_.]|$)", candidate, re.IGNORECASE) and "rooms" not in expected:
        reasons.append("'rooms' where the backend says 'room'")
    if expected.endswith("-chat") and not candidate.lower().endswith("chat"):
        reasons.append("no '-chat' at the end")
    wanted, got = _normalised(expected), _normalised(candidate)
    if got != wanted:
        edits = _edits(got, wanted, MAX_TYPO_EDITS)
        if edits > MAX_TYPO_EDITS or edits * 4 > len(wanted):
            return None
        reasons.append(f"a typo: {edits} character{'s' if edits > 1 else ''} differ{'' if edits > 1 else 's'}")
    return tuple(reasons) or None


def find_near_misses(expected: str, occupied: Mapping[str, int | None]) -> tuple[NearMiss, ...]:
    """The occupied channels that are near misses of `expected`, most subscribers first."""
    found = []
    for name, subscribers in occupied.items():
        if subscribers == 0:
            continue
        reasons = _reasons(name, expected)
        if reasons is not None:
            found.append(NearMiss(name, subscribers, reasons))
    return tuple(sorted(found, key=lambda miss: (-(miss.subscribers or 1), miss.channel)))


def _subscribers(count: int | None) -> str:
    if count is None:
        return "someone"
    return f"{count} subscriber{'s' if count != 1 else ''}"


def _is_are(count: int | None) -> str:
    return "are" if count is not None and count != 1 else "is"


def near_miss_sentence(expected: str, misses: tuple[NearMiss, ...]) -> str:
    """"nobody is on X, but 1 subscriber is on Y: the guest page builds the channel name wrongly (...)"."""
    first = misses[0]
    more = len(misses) - NAMED_IN_SENTENCE
    also = f" (and {more} more near miss{'es' if more > 1 else ''})" if more > 0 else ""
    return (f"nobody is on {expected}, but {_subscribers(first.subscribers)} {_is_are(first.subscribers)} on "
            f"{first.channel}{also}: the guest page builds the channel name wrongly ({'; '.join(first.reasons)})")


def near_miss_problem(expected: str, misses: tuple[NearMiss, ...]) -> Problem:
    """The `channel-near-miss` problem, its fix naming the name to use."""
    return problem("channel-near-miss", near_miss_sentence(expected, misses),
                   Remediation(f"make the guest page subscribe to exactly {expected} (as the backend builds it)",
                               ("pusher-doctor scan-frontend ./src",)))
