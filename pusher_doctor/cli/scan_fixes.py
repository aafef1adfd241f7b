"""`scan-frontend --fix`: the few findings whose fix is provably safe, as edits of the finding's own line.

Only three, each a textual change that cannot alter anything but the mistake:
- `wrong-channel` with 'rooms' for 'room': the one string literal on the line holding `-rooms-` gets
  `-room-`, and so does every copy of that same literal in the file (the teardown's unsubscribe names
  the channel too: fixing one name alone would make the teardown miss);
- `echo-event-prefix`: the one `.listen('name'` on the line gets its leading dot;
- `stale-state`: the one `setMessages([...messages, x])` on the line becomes the functional update
  `setMessages((prev) => [...prev, x])` (the setter must be `set` + the spread name, and the new
  parameter name must not already appear on the line).

A finding whose line does not hold exactly one such pattern is left alone: the person fixes it. The
change is shown as a unified diff first and written only when confirmed or with --yes.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pusher_doctor.scan.model import Finding

#: a string literal (quotes or backticks, no line break) holding `-rooms-`
_ROOMS_LITERAL = re.compile(r"""(['"`])[^'"`\n]*-rooms-[^'"`\n]*\1""")
_ECHO_LISTEN = re.compile(r"(\.listen\(\s*)(['\"`])(?!\.)")
_STALE_SPREAD = re.compile(r"\b(set([A-Z]\w*))\(\s*\[\s*\.\.\.\s*(\w+)\s*,")
#: names the functional update's parameter may take, the first not already on the line
_PARAMETER_NAMES = ("prev", "previous", "current")


@dataclass(frozen=True)
class FileFix:
    """The fixed text of one file, and what was fixed in it."""

    path: Path
    before: str
    after: str
    rules: tuple[str, ...]

    def diff(self, shown_path: str) -> str:
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            f"a/{shown_path}", f"b/{shown_path}"))


def fixed_line(rule: str, message: str, line: str) -> str | None:
    """The line with the finding fixed, or None when its fix is not provably safe on this line."""
    if rule == "echo-event-prefix":
        return _ECHO_LISTEN.sub(r"\1\2.", line) if len(_ECHO_LISTEN.findall(line)) == 1 else None
    if rule == "stale-state":
        matches = list(_STALE_SPREAD.finditer(line))
        if len(matches) != 1:
            return None
        found = matches[0]
        if found.group(2)[:1].lower() + found.group(2)[1:] != found.group(3):
            return None  # setMessages must spread messages: another pairing is not this mistake for sure
        name = next((n for n in _PARAMETER_NAMES if not re.search(rf"\b{n}\b", line)), None)
        if name is None:
            return None
        return line[:found.start()] + f"{found.group(1)}(({name}) => [...{name}," + line[found.end():]
    return None


def fixes_for(root: Path, findings: list[Finding]) -> list[FileFix]:
    """The safe fixes of these findings, per file under `root` (a file scanned alone is its own root)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    fixes = []
    for name, found in by_file.items():
        path = root if root.is_file() else root / name
        try:
            # newline="": a CRLF file keeps its line endings (a BOM is kept as the first character)
            with open(path, encoding="utf-8", newline="") as source:
                before = source.read()
        except (OSError, UnicodeDecodeError):
            continue
        lines = before.splitlines(keepends=True)
        rules = []
        literals = []
        for finding in found:
            index = finding.line - 1
            if not 0 <= index < len(lines):
                continue
            if finding.rule == "wrong-channel" and "'rooms' where the backend says 'room'" in finding.message:
                matches = [m.group(0) for m in _ROOMS_LITERAL.finditer(lines[index])]
                if len(matches) == 1 and matches[0].count("-rooms-") == 1:
                    literals.append(matches[0])
                    rules.append(finding.rule)
                continue
            fixed = fixed_line(finding.rule, finding.message, lines[index])
            if fixed is not None and fixed != lines[index]:
                lines[index] = fixed
                rules.append(finding.rule)
        after = "".join(lines)
        for literal in dict.fromkeys(literals):  # every copy of the literal: its teardown's too
            after = after.replace(literal, literal.replace("-rooms-", "-room-"))
        if rules:
            fixes.append(FileFix(path, before, after, tuple(rules)))
    return fixes
