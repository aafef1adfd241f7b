"""``// pusher-doctor-ignore RULE`` comments: which lines of a file silence which rules, as linters do.

A comment alone on its line silences the next line; after code it silences its own line. Several
rule ids may follow, separated by commas or spaces, and `` -- why`` may explain the exception; a
comment naming no rule silences every rule on that line. ``/* ... */``, ``{/* ... */}`` (JSX) and
``<!-- ... -->`` (Vue templates) comments work too.
"""

from __future__ import annotations

import re

MARKER = "pusher-doctor-ignore"
#: stands for every rule: the comment named none
ALL_RULES = "*"

_COMMENT = re.compile(r"(?://|/\*|<!--)\s*pusher-doctor-ignore\b(?P<rest>.*)")
_RULE_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: what may stand before the comment on a line that holds no code (a JSX comment opens with "{")
_NO_CODE = " \t{"


def ignored_lines(text: str) -> dict[int, frozenset[str]]:
    """1-based line -> the rule ids silenced on it (``ALL_RULES`` for every rule)."""
    if MARKER not in text:  # almost every file: one substring search
        return {}
    silenced: dict[int, frozenset[str]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if MARKER not in line:
            continue
        found = _COMMENT.search(line)
        if found is None:
            continue
        rest = re.split(r"\*/|-->|\s--\s|\s--$", found.group("rest"), maxsplit=1)[0]
        rules = frozenset(_RULE_ID.findall(rest)) or frozenset({ALL_RULES})
        target = number if line[: found.start()].strip(_NO_CODE) else number + 1
        silenced[target] = silenced.get(target, frozenset()) | rules
    return silenced


def is_silenced(silenced: dict[int, frozenset[str]], line: int, rule: str) -> bool:
    """True when a comment silences ``rule`` on ``line``."""
    rules = silenced.get(line)
    return rules is not None and (rule in rules or ALL_RULES in rules)
