"""Channel templates: `{hotel}-room-{room}-chat` builds a channel name from named fields and parses one back.

Only plain `{name}` fields are accepted. A template is the user's text, and `str.format` would also run
format specs: `{hotel:>100000000}` took 36 s and 2 GB to fill in (issue #20). Parsing never uses a
backtracking regular expression either: it walks the name once per field boundary it can try, so a
hostile name or template costs at most (fields x length²) steps, and both are bounded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from msgspec import Struct

from pusher_doctor.contract.names import (
    CHANNEL_NAME_MAX,
    CHANNEL_PREFIXES,
    bad_characters,
    channel_kind,
    channel_name_problem,
)

#: a field's name: what `{...}` may hold
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
#: a template with more fields than this is not a channel name anyone builds
MAX_FIELDS = 8
#: a template's length; the names it builds must still fit Pusher's 164 characters
MAX_TEMPLATE_LENGTH = 200
#: names longer than this are never parsed (the pusher library refuses above 200 characters)
MAX_PARSED_LENGTH = 200


class TemplateError(ValueError):
    """A template that cannot be used; `str(error)` says why in one line."""


class Field(Struct, frozen=True):
    """A `{name}` in a template."""

    name: str


Part = str | Field


class ChannelTemplate(Struct, frozen=True):
    """A channel name with named fields: literal text and `Field`s, never two fields side by side."""

    text: str
    parts: tuple[Part, ...]

    @classmethod
    def parse(cls, text: str) -> ChannelTemplate:
        """The template `text` stands for; TemplateError names the first thing wrong with it."""
        if not isinstance(text, str):
            raise TemplateError(f"a channel template is text, not {type(text).__name__}")
        if not text:
            raise TemplateError("the channel template is empty")
        if len(text) > MAX_TEMPLATE_LENGTH:
            raise TemplateError(f"the channel template is {len(text)} characters long; at most "
                                f"{MAX_TEMPLATE_LENGTH} are read")
        parts: list[Part] = []
        position = 0
        while position < len(text):
            opening = text.find("{", position)
            closing = text.find("}", position)
            if closing != -1 and (opening == -1 or closing < opening):
                raise TemplateError(f"{text!r} has a '}}' without its '{{' at character {closing + 1}")
            if opening == -1:
                parts.append(text[position:])
                break
            if opening > position:
                parts.append(text[position:opening])
            end = text.find("}", opening)
            inside = text[opening + 1:end] if end != -1 else text[opening + 1:]
            if end == -1 or not FIELD_NAME.fullmatch(inside):
                shown = text[opening:end + 1] if end != -1 else text[opening:]
                raise TemplateError(f"{text!r} has {shown!r} at character {opening + 1}: only plain fields such as "
                                    "{hotel} or {room_id} are allowed (no format specs, indexes or spaces)")
            if parts and isinstance(parts[-1], Field):
                raise TemplateError(f"{text!r} has {{{parts[-1].name}}}{{{inside}}} side by side: put a separator "
                                    "between two fields, or a name could not be split back into them")
            if any(isinstance(part, Field) and part.name == inside for part in parts):
                raise TemplateError(f"{text!r} uses {{{inside}}} twice: name the second one differently")
            parts.append(Field(inside))
            position = end + 1
        literal = "".join(part for part in parts if isinstance(part, str))
        bad = bad_characters(literal)
        if bad:
            shown = " ".join(repr(char) for char in bad[:5])
            raise TemplateError(f"{text!r} contains characters Pusher does not allow in a channel name: {shown}")
        template = cls(text, tuple(parts))
        if len(template.fields) > MAX_FIELDS:
            raise TemplateError(f"{text!r} has {len(template.fields)} fields; at most {MAX_FIELDS} are allowed")
        head = parts[0] if isinstance(parts[0], str) else ""
        for prefix in CHANNEL_PREFIXES:
            # `private-{x}` is private; `private{x}` or `presence_{x}` is a prefix misspelt
            stem = prefix.rstrip("-")
            if head.startswith(stem) and not head.startswith(prefix) and not head.startswith(CHANNEL_PREFIXES):
                raise TemplateError(f"{text!r} starts with {head[:len(prefix)]!r}: Pusher's prefix is {prefix!r}")
        return template

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields' names, in order."""
        return tuple(part.name for part in self.parts if isinstance(part, Field))

    @property
    def kind(self) -> str:
        """public, private, presence or encrypted, by the template's prefix."""
        head = self.parts[0] if isinstance(self.parts[0], str) else ""
        return channel_kind(head)

    @property
    def literal_text(self) -> str:
        """The template's text without its fields: enough to tell what a channel is about."""
        return "".join(part for part in self.parts if isinstance(part, str))

    def fill(self, values: Mapping[str, str | None]) -> str:
        """The name with each field replaced by its value as given, judged by no rule (a name to report on);
        ValueError names a field without a value."""
        missing = [name for name in self.fields if values.get(name) is None]
        if missing:
            raise ValueError(f"{self.text!r} needs a value for {{{missing[0]}}}")
        return "".join(part if isinstance(part, str) else str(values[part.name]) for part in self.parts)

    def build(self, values: Mapping[str, str | None]) -> str:
        """The channel name with each field filled in; ValueError names a missing or unusable value."""
        name = self.fill(values)
        for field in self.fields:
            if not values[field]:
                raise ValueError(f"{self.text!r} needs a value for {{{field}}}")
            bad = bad_characters(str(values[field]))
            if bad:
                shown = " ".join(repr(char) for char in bad[:5])
                raise ValueError(f"{{{field}}} = {str(values[field])[:40]!r} contains characters Pusher does not "
                                 f"allow in a channel name: {shown}")
        problem = channel_name_problem(name)
        if problem is not None:
            raise ValueError(problem)
        return name

    def match(self, name: str, hole: str | None = None) -> dict[str, str] | None:
        """The fields' values when `name` is a name this template builds, else None.

        A field's value is one or more channel-name characters; where a name could split in several
        ways the shorter values win, left to right. `hole` is one more character a value may hold (the
        frontend scan marks an unknown part of a name with one).
        """
        if len(name) > MAX_PARSED_LENGTH:
            return None
        return _match(self.parts, name, hole)

    def __str__(self) -> str:
        return self.text


def _match(parts: tuple[Part, ...], name: str, hole: str | None) -> dict[str, str] | None:
    """A left-to-right walk over the parts that remembers the (part, position) pairs that led nowhere:
    each field is used once, so whether a position leads anywhere does not depend on the values before it."""
    allowed = [char == hole or not bad_characters(char) for char in name]
    # reach[i]: where the run of allowed characters starting at i ends (a value cannot cross it)
    reach = [len(name)] * (len(name) + 1)
    for i in range(len(name) - 1, -1, -1):
        reach[i] = reach[i + 1] if allowed[i] else i
    starts = {part: _occurrences(name, part) for part in parts if isinstance(part, str)}
    dead: set[tuple[int, int]] = set()

    def walk(index: int, position: int) -> dict[str, str] | None:
        if index == len(parts):
            return {} if position == len(name) else None
        if (index, position) in dead:
            return None
        part = parts[index]
        found: dict[str, str] | None = None
        if isinstance(part, str):
            found = walk(index + 1, position + len(part)) if name.startswith(part, position) else None
        else:
            following = parts[index + 1] if index + 1 < len(parts) else None
            # the literal after the field bounds where its value may end; a last field takes the rest
            ends = [len(name)] if following is None else starts[following]  # type: ignore[index]
            for end in ends:
                if end <= position:
                    continue
                if end > reach[position]:
                    break
                rest = walk(index + 1, end)
                if rest is not None:
                    found = {part.name: name[position:end], **rest}
                    break
        if found is None:
            dead.add((index, position))
        return found

    return walk(0, 0)


def _occurrences(name: str, literal: str) -> list[int]:
    """Where `literal` starts in `name`, in order."""
    found = []
    at = name.find(literal)
    while at != -1:
        found.append(at)
        at = name.find(literal, at + 1)
    return found


def template_problem(text: str) -> str | None:
    """Why `text` is not a usable template, or None."""
    try:
        ChannelTemplate.parse(text)
    except TemplateError as error:
        return str(error)
    return None


__all__ = ["CHANNEL_NAME_MAX", "ChannelTemplate", "Field", "TemplateError", "template_problem"]
