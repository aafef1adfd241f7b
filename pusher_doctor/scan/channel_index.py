"""One app's channels: which files subscribe, bind, unbind, unsubscribe and trigger each channel name.

pusher-js keeps one subscription per channel name for the whole page, shared by every component that
subscribes to it, and Echo one channel object per name: what one component does to a channel, it does
to every other component listening on it. The rules that need to know who else uses a channel
(``unbind-all``, ``shared-channel-unsubscribed``, ``channel-mismatch``) read this index, built once
per app from the facts of its files and of its hooks' call sites.

Names are compared as resolved patterns (``presence-chat.{roomId}``). A pattern made only of a hook's
parameters says nothing on its own (its call sites do) and is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pusher_doctor.scan.facts import LARAVEL_ECHO, Teardown
from pusher_doctor.scan.values import Hole, Pattern

if TYPE_CHECKING:
    from pusher_doctor.scan.project import Project

#: the names Echo's ``leave(name)`` leaves: the public, private and presence channels of that name
ECHO_LEAVE_PREFIXES = ("", "private-", "presence-", "private-encrypted-")
#: what a channel name may start with; a name starting with two of them was prefixed twice
CHANNEL_PREFIXES = ("private-encrypted-", "private-", "presence-")

SUBSCRIBE = "subscribe"
BIND = "bind"
TRIGGER = "trigger"


@dataclass(frozen=True, slots=True)
class ChannelUse:
    """One file's use of a channel: a subscription, a bind or a server trigger, and where, as plain data (the
    rules check one file at a time, and the other files' trees are let go)."""

    rel: str
    package: str
    #: 1-based line of the call (of the argument, at a hook's call site)
    line: int
    kind: str
    channel: Pattern | None
    #: the event bound or triggered (None for a subscription)
    event: Pattern | None = None
    #: the hook or helper whose call site this is (None for the file's own call)
    via: str | None = None


@dataclass
class ChannelIndex:
    """The channels of one app, by name (see :func:`key`)."""

    uses: dict[str, list[ChannelUse]] = field(default_factory=dict)
    _listeners: dict[str, list[ChannelUse]] = field(default_factory=dict, repr=False)
    _files: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _sent: dict[str, list[ChannelUse]] | None = field(default=None, repr=False)

    def add(self, use: ChannelUse) -> None:
        name = key(use.channel)
        if name is not None:
            self.uses.setdefault(name, []).append(use)
            self._listeners.pop(name, None)
            self._files.pop(name, None)
            self._sent = None

    def listeners(self, name: str) -> list[ChannelUse]:
        """The subscriptions and binds on channel ``name`` (found once per name: many files may ask)."""
        found = self._listeners.get(name)
        if found is None:
            found = self._listeners[name] = [use for use in self.uses.get(name, ()) if use.kind in (SUBSCRIBE, BIND)]
        return found

    def listener_files(self, name: str) -> list[str]:
        """The files (sorted) that subscribe to or bind on channel ``name``."""
        found = self._files.get(name)
        if found is None:
            found = self._files[name] = sorted({use.rel for use in self.listeners(name)})
        return found

    def triggers(self) -> Iterator[ChannelUse]:
        for uses in self.uses.values():
            yield from (use for use in uses if use.kind == TRIGGER)

    def sent(self, event: str) -> list[ChannelUse]:
        """The triggers of the event named ``event`` (a literal), in :meth:`triggers` order: grouped once, as
        every bind of the app asks (walking every trigger per bind made binds x uses of work)."""
        if self._sent is None:
            self._sent = {}
            for use in self.triggers():
                if use.event is not None and use.event.literal is not None:
                    self._sent.setdefault(use.event.literal, []).append(use)
        return self._sent.get(event, [])


def key(channel: Pattern | None) -> str | None:
    """The name a channel is indexed under, or None when it says nothing on its own (no literal text
    and only parameters of hooks or helpers, whose call sites say what they are, or nothing at all).
    A component's props are kept: two components given ``roomId`` name the same room."""
    if channel is None or not channel.parts:
        return None
    if not channel.text and all(hole.param is not None and not _component(hole.param.function) for hole in channel.holes):
        return None
    return channel.display()


def _component(function: str) -> bool:
    return function[:1].isupper()


def build_index(project: Project, package: str) -> ChannelIndex:
    """Every subscription, bind and trigger of the app ``package``, its hooks' call sites included."""
    index = ChannelIndex()
    for use in project.uses(SUBSCRIBE):
        if use.package == package:
            index.add(use)
    for use in project.uses(BIND):
        if use.package == package and use.channel is not None:
            index.add(use)
    for use in project.uses(TRIGGER):
        if use.package == package:
            index.add(use)
    return index


def left_channels(teardown: Teardown) -> list[str]:
    """The channel names an ``unsubscribe`` (or Echo's ``leave``/``leaveChannel``) tears down."""
    name = key(teardown.target)
    if name is None:
        return []
    function = teardown.node.child_by_field_name("function")
    prop = function.child_by_field_name("property") if function is not None else None
    if teardown.api == LARAVEL_ECHO and prop is not None and prop.text == b"leave":
        return [prefix + name for prefix in ECHO_LEAVE_PREFIXES]
    return [name]


def may_equal(left: Pattern, right: Pattern) -> bool:
    """Whether two names can be the same channel for some values of their unknown parts: their literal
    starts (up to the first unknown part) and ends (after the last) must agree."""
    if left.literal is not None and right.literal is not None:
        return left.literal == right.literal
    head_left, head_right = _head(left), _head(right)
    tail_left, tail_right = _tail(left), _tail(right)
    heads = head_left.startswith(head_right) or head_right.startswith(head_left)
    tails = tail_left.endswith(tail_right) or tail_right.endswith(tail_left)
    return heads and tails


def doubled_prefix(channel: Pattern) -> str | None:
    """The prefix a name starts with twice (``private-private-orders``), if it does."""
    head = _head(channel)
    for first in CHANNEL_PREFIXES:
        if head.startswith(first):
            rest = head[len(first) :]
            for second in CHANNEL_PREFIXES:
                if rest.startswith(second):
                    return first + second
    return None


def _head(pattern: Pattern) -> str:
    head = ""
    for part in pattern.parts:
        if isinstance(part, Hole):
            break
        head += part
    return head


def _tail(pattern: Pattern) -> str:
    tail = ""
    for part in reversed(pattern.parts):
        if isinstance(part, Hole):
            break
        tail = part + tail
    return tail
