"""The known ways a page misspells the channel name its backend builds, for any channel name.

`hotel-paradise-rooms-101-chat` for `hotel-paradise-room-101-chat`, `private-orders-5` for
`private-orders.5`: a channel with almost the expected name names the bug when nobody is on the
expected one. Pure logic; a different room or order (other numbers) is never a near miss.
"""

from __future__ import annotations

import re

from pusher_doctor.contract.names import split_prefix

#: at most this many single-character edits (after the known mistakes are undone) still count as a typo
MAX_TYPO_EDITS = 2
#: what separates the words of a channel name
SEPARATORS = "-_."

_DIGITS = re.compile(r"[0-9]+")
_WORDS = re.compile(r"[A-Za-z]{3,}")
_SEPARATOR = re.compile(r"[-_.]")


def _separator(name: str) -> str:
    """The separator `name` uses most ('-' when it has none)."""
    counts = {sep: name.count(sep) for sep in SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else "-"


def _separator_reasons(candidate: str, expected: str) -> list[str]:
    """Separators swapped: place by place when both names have as many, else by which ones appear."""
    got, wanted = _SEPARATOR.findall(candidate), _SEPARATOR.findall(expected)
    if len(got) == len(wanted):
        swapped = dict.fromkeys((mine, theirs) for mine, theirs in zip(got, wanted, strict=True) if mine != theirs)
        return [f"'{mine}' where the backend has '{theirs}'" for mine, theirs in swapped]
    separator = _separator(expected)
    return [f"'{sep}' where the backend has '{separator}'" for sep in SEPARATORS
            if sep in candidate and sep not in expected]


def _last_word(name: str) -> str | None:
    """The word a name ends with after a separator (`chat` of `...-101-chat`), when it is a word."""
    match = re.search(r"[-_.]([A-Za-z]+)$", name)
    return match.group(1) if match else None


def _normalised(name: str, expected: str) -> str:
    """`name` with the known mistakes undone: case, separators, plurals of `expected`'s words, its last word."""
    name = name.lower()
    for sep in SEPARATORS:
        name = name.replace(sep, "-")
    for word in {w.lower() for w in _WORDS.findall(expected)}:
        name = re.sub(rf"(^|-){word}s(-|$)", rf"\g<1>{word}\g<2>", name)
    last = _last_word(expected)
    return name.removesuffix("-" + last.lower()) if last else name


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


def near_miss_reasons(candidate: str, expected: str) -> tuple[str, ...] | None:
    """Why `candidate` is almost `expected` (each known mistake in a few words), or None when it is not close."""
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
    elif [char for char in candidate if char.isupper()] != [char for char in expected if char.isupper()]:
        reasons.append("other capital letters (channel names are case-sensitive)")
    reasons.extend(_separator_reasons(candidate, expected))
    for word in dict.fromkeys(_WORDS.findall(expected)):
        plural = re.compile(rf"(^|[-_.]){re.escape(word)}s([-_.]|$)", re.IGNORECASE)
        if plural.search(candidate) and not plural.search(expected):
            reasons.append(f"'{word}s' where the backend says '{word}'")
    last = _last_word(expected)
    if last and not candidate.lower().endswith(last.lower()):
        reasons.append(f"no '{expected[-len(last) - 1:]}' at the end")
    wanted, got = _normalised(expected, expected), _normalised(candidate, expected)
    if got != wanted:
        edits = _edits(got, wanted, MAX_TYPO_EDITS)
        if edits > MAX_TYPO_EDITS or edits * 4 > len(wanted):
            return None
        reasons.append(f"a typo: {edits} character{'s' if edits > 1 else ''} differ{'' if edits > 1 else 's'}")
    return tuple(reasons) or None
