"""Teardowns: ``unsubscribe``, ``unbind``, ``unbind_all``, ``disconnect`` (and Echo's ``leave``,
``leaveChannel``, ``stopListening``), and where each runs.

Where matters more than what: in an effect cleanup or unmount hook a teardown is correct; inside
the bound event handler, or right after subscribing in the same function, it ends the
subscription before (or right after) the first message. ``channel.unbind('e')`` right before
``channel.bind('e', ...)`` is the usual way to avoid binding twice: that is a ``rebind``, not an
early teardown.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from tree_sitter import Node

from pusher_doctor.deadline import NEVER, Deadline
from pusher_doctor.scan.facts.channels import channel_of
from pusher_doctor.scan.facts.clients import is_channelish, is_client, is_echo
from pusher_doctor.scan.facts.records import LARAVEL_ECHO, PUSHER_JS, FileFacts, Func, Role, Teardown
from pusher_doctor.scan.facts.roles import Roles
from pusher_doctor.scan.tree import arguments, text, unwrap
from pusher_doctor.scan.values import Pattern

#: Echo's teardowns, as the pusher-js teardown each amounts to
ECHO_TEARDOWNS = {
    "leave": "unsubscribe",  # leaves name, private-name and presence-name
    "leaveChannel": "unsubscribe",
    "stopListening": "unbind",
    "stopListeningForWhisper": "unbind",
}
TEARDOWN_METHODS = frozenset({"unbind", "unbind_all", "unsubscribe", "disconnect", *ECHO_TEARDOWNS})


def add_teardowns(
    facts: FileFacts, roles: Roles, calls: Iterable[tuple[Node, Node, str, Node]], deadline: Deadline = NEVER
) -> None:
    """Record each ``(call, receiver, method, arguments)`` that tears down Pusher subscriptions.

    Call after every subscription and bind of the file is known: the context compares with them.
    """
    collector = _Collector(facts, roles, _SubscribedEarlier(facts), _LaterBinds(facts))
    for node, recv, method, args in calls:
        deadline.check()
        if method in ECHO_TEARDOWNS:
            collector.add_echo(node, recv, method, tuple(arguments(args)))
        else:
            collector.add(node, recv, method, tuple(arguments(args)))


@dataclass
class _Collector:
    """What telling a teardown's context needs, found once per file."""

    facts: FileFacts
    roles: Roles
    earlier: _SubscribedEarlier
    later_binds: _LaterBinds

    def add_echo(self, node: Node, recv: Node, method: str, found: tuple[Node, ...]) -> None:
        """Echo's ``leave``/``leaveChannel`` (as unsubscribe) and ``stopListening`` (as unbind)."""
        as_pusher = ECHO_TEARDOWNS[method]
        if as_pusher == "unsubscribe":
            if not found or not is_echo(recv):
                return
            target: Pattern | None = self.facts.resolver.pattern(found[0])
        else:
            subscription, target = channel_of(self.facts, recv)
            if not found or (subscription is None and not is_channelish(recv)):
                return
        self._append(node, recv, as_pusher, found, target, LARAVEL_ECHO)

    def add(self, node: Node, recv: Node, method: str, found: tuple[Node, ...]) -> None:
        """pusher-js's ``unsubscribe``, ``unbind``, ``unbind_all`` and ``disconnect`` (also Echo's)."""
        facts = self.facts
        _, channel = channel_of(facts, recv)
        if method == "disconnect" and not is_client(facts, recv):
            return  # ResizeObserver.disconnect() ...
        if method == "unsubscribe" and not found and channel is None and not is_channelish(recv):
            return  # rxjs subscription.unsubscribe()
        if (
            method == "unsubscribe"
            and found
            and not is_client(facts, recv)
            and not facts.resolver.pattern(found[0]).text
        ):
            return
        if method in ("unbind", "unbind_all") and channel is None and not is_channelish(recv):
            return
        target = channel
        if method == "unsubscribe" and found:
            target = facts.resolver.pattern(found[0])
        api = LARAVEL_ECHO if method == "disconnect" and is_echo(recv) else PUSHER_JS
        self._append(node, recv, method, found, target, api)

    def _append(
        self, node: Node, recv: Node, method: str, found: tuple[Node, ...], target: Pattern | None, api: str
    ) -> None:
        enclosing = self.roles.around(node)
        context = self._context(node, enclosing, recv, method, found, target)
        self.facts.teardowns.append(Teardown(node, method, found, context, target, api, enclosing))

    def _context(
        self,
        node: Node,
        enclosing: Func | None,
        recv: Node,
        method: str,
        found: tuple[Node, ...],
        target: Pattern | None,
    ) -> str:
        lifecycle = self.roles.lifecycle(enclosing)
        if lifecycle is Role.CLEANUP:
            return "cleanup"
        if lifecycle is Role.HANDLER:
            return "handler"
        if method in ("unbind", "unbind_all") and self.later_binds.follows(node, enclosing, recv, found):
            return "rebind"
        if self.earlier.before(node, enclosing, None if method == "disconnect" else target):
            return "after-subscribe"
        return "other"


class _LaterBinds:
    """Binds by function and receiver, to tell ``channel.unbind('e'); channel.bind('e', f)`` (binding
    once, whatever ran before) from an unbind that ends listening."""

    def __init__(self, facts: FileFacts) -> None:
        #: (innermost function id, receiver text) -> [(start, event literal or None)]
        self._binds: dict[tuple[int | None, str], list[tuple[int, str | None]]] = {}
        for bind in facts.binds:
            function = bind.node.child_by_field_name("function")
            receiver = function.child_by_field_name("object") if function is not None else None
            if receiver is None:
                continue
            key = (bind.enclosing.node.id if bind.enclosing else None, text(unwrap(receiver)))
            self._binds.setdefault(key, []).append((bind.node.start_byte, bind.event.literal))
        self._resolver = facts.resolver

    def follows(self, node: Node, enclosing: Func | None, recv: Node, found: tuple[Node, ...]) -> bool:
        """A bind of the same event (any event, for an unbind of all) on the same receiver, later in the
        same function."""
        key = (enclosing.node.id if enclosing else None, text(unwrap(recv)))
        event = self._resolver.pattern(found[0]).literal if found else None
        return any(
            start > node.start_byte and (not found or bound == event)
            for start, bound in self._binds.get(key, ())
        )


class _SubscribedEarlier:
    """Where each function first subscribes or binds, overall and per channel name.

    Answers "did this function subscribe to (or bind on) this channel before this point?" in
    constant time, instead of comparing every teardown with every subscription.
    """

    def __init__(self, facts: FileFacts) -> None:
        #: innermost function id (None: module level) -> first start of any subscribe/bind
        self._first: dict[int | None, int] = {}
        #: ... of one whose channel cannot be named (it may be any channel)
        self._first_unnamed: dict[int | None, int] = {}
        #: (function id, channel name) -> first start of a subscribe/bind on that channel
        self._first_named: dict[tuple[int | None, str], int] = {}
        for fact in [*facts.subscriptions, *facts.binds]:
            fn = fact.enclosing.node.id if fact.enclosing else None
            start = fact.node.start_byte
            _keep_first(self._first, fn, start)
            if fact.channel is None:
                _keep_first(self._first_unnamed, fn, start)
            else:
                _keep_first(self._first_named, (fn, fact.channel.display()), start)

    def before(self, node: Node, enclosing: Func | None, channel: Pattern | None) -> bool:
        """A subscribe or bind earlier in ``enclosing`` on ``channel`` (None: on any channel)."""
        fn = enclosing.node.id if enclosing else None
        start = node.start_byte
        if channel is None:
            return self._first.get(fn, start) < start
        return (
            self._first_unnamed.get(fn, start) < start
            or self._first_named.get((fn, channel.display()), start) < start
        )


def _keep_first(firsts: dict, key: Hashable, start: int) -> None:
    if start < firsts.get(key, start + 1):
        firsts[key] = start
