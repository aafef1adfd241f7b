"""Comparing names the backend sends with names the frontend uses: pure functions over
:class:`~pusher_doctor.scan.values.Pattern`\\ s (a hole is one unknown value) and plain strings.

Pusher's rules: a ``private-``, ``private-encrypted-`` or ``presence-`` prefix is part of the channel's
name; Laravel's ``Broadcast::channel('orders.{id}')`` matches the name without that prefix, each
``{param}`` standing for one or more characters other than ``.``.
"""

from __future__ import annotations

import difflib
import re

from pusher_doctor.contract.names import split_prefix
from pusher_doctor.scan.values import Pattern

#: how alike two names' literal shapes must be to call one a near miss of the other
NEAR_RATIO = 0.8
_HOLE = "\0"
_SEPARATORS = re.compile(r"[-_.\\:]+")


def is_known(pattern: Pattern) -> bool:
    """True when a pattern has enough literal text to be compared (not a name made only of unknowns)."""
    return any(ch.isalnum() for ch in pattern.text)


def _regex(pattern: Pattern) -> re.Pattern[str]:
    return re.compile("".join(re.escape(part) if isinstance(part, str) else ".+" for part in pattern.parts),
                      re.DOTALL)


def can_equal(a: Pattern, b: Pattern) -> bool:
    """True when some values of their holes make the two names the same (an unknown name can be anything)."""
    if not is_known(a) or not is_known(b):
        return True
    return _regex(a).fullmatch(b.probe()) is not None or _regex(b).fullmatch(a.probe()) is not None


def route_matches(route: str, channel: Pattern) -> bool:
    """True when ``Broadcast::channel(route)`` authorizes ``channel`` (its prefix removed)."""
    _, rest = split_prefix(channel.probe())
    pieces = re.split(r"(\{[^}]*\})", route)
    regex = "".join("[^.]+" if piece.startswith("{") and piece.endswith("}") else re.escape(piece) for piece in pieces)
    # a hole of the channel is one value: it may stand in for a whole {param}
    return re.fullmatch(regex, rest, re.DOTALL) is not None


def shape(pattern: Pattern | str) -> str:
    """A name's form for near-miss comparison: holes as ``*``, lower case."""
    probe = pattern if isinstance(pattern, str) else pattern.probe()
    return probe.replace(_HOLE, "*").lower()


def near(a: Pattern | str, b: Pattern | str) -> bool:
    """True when two names differ only a little: case, separators, a letter or two."""
    first, second = shape(a), shape(b)
    if _SEPARATORS.sub(".", first) == _SEPARATORS.sub(".", second):
        return True
    return difflib.SequenceMatcher(None, first, second).ratio() >= NEAR_RATIO


def event_words(name: str) -> tuple[str, ...]:
    """An event name as lower-case words: ``App\\Events\\MessageSent`` and ``.App.Events.MessageSent``
    are both (``app``, ``events``, ``messagesent``)."""
    return tuple(word for word in _SEPARATORS.split(name.lower()) if word)


def event_near(listened: str, sent: str) -> bool:
    """True when a bound event name was very likely meant to be the sent one: the same words, one ending
    the other's (a namespace added or missing), or the same last word (another namespace)."""
    heard, said = event_words(listened), event_words(sent)
    if not heard or not said:
        return False
    shorter, longer = sorted((heard, said), key=len)
    if longer[len(longer) - len(shorter):] == shorter:
        return True
    return heard[-1] == said[-1] and len(heard[-1]) > 3
