"""Near misses: an occupied channel whose name is almost the one the backend triggers on.

When nobody is on `hotel-paradise-room-101-chat` but someone is on `hotel-paradise-rooms-101-chat`,
the guest page builds the channel name wrongly, and saying so names the bug. Pure logic beside
`hotel_chat`, neither a check nor a triage engine: `check`'s live-guest step, `rooms` and `scan-logs`
all call it.

A different room of the same hotel is never a near miss, however close its name: only names whose
numbers are the room's own count. The known mistakes are the contract's (`pusher_doctor.contract.mistakes`),
so they hold for any app's channel names.
"""

from __future__ import annotations

from collections.abc import Mapping

from msgspec import Struct

from pusher_doctor.contract import near_miss_reasons
from pusher_doctor.results import Problem, Remediation, problem


class NearMiss(Struct, frozen=True):
    """An occupied channel whose name is almost the one the backend triggers on."""

    channel: str
    subscribers: int | None
    #: why it is a near miss, e.g. "'rooms' where the backend says 'room'"
    reasons: tuple[str, ...]


#: near misses named in one sentence; the rest are counted
NAMED_IN_SENTENCE = 1


def find_near_misses(expected: str, occupied: Mapping[str, int | None]) -> tuple[NearMiss, ...]:
    """The occupied channels that are near misses of `expected`, most subscribers first."""
    found = []
    for name, subscribers in occupied.items():
        if subscribers == 0:
            continue
        reasons = near_miss_reasons(name, expected)
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
