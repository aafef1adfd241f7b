"""Teardowns: ``unsubscribe``, ``unbind``, ``unbind_all``, ``disconnect``, and where each runs.

Where matters more than what: in an effect cleanup or unmount hook a teardown is correct; inside
the bound event handler, or right after subscribing in the same function, it ends the
subscription before (or right after) the first message.
"""

from __future__ import annotations

from tree_sitter import Node

from ..tree import arguments
from ..values import Pattern
from .channels import channel_of
from .clients import is_channelish, is_client
from .records import FileFacts, Role, Teardown
from .roles import Roles

TEARDOWN_METHODS = frozenset({"unbind", "unbind_all", "unsubscribe", "disconnect"})


def add_teardown(facts: FileFacts, roles: Roles, node: Node, recv: Node, method: str, args: Node) -> None:
    """Record ``recv.<method>(args)`` when it tears down a Pusher subscription, bind or client.

    Call after every subscription and bind of the file is known: the context compares with them.
    """
    found = tuple(arguments(args))
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
    context = _context(facts, roles, node, method, target)
    facts.teardowns.append(Teardown(node, method, found, context))


def _context(facts: FileFacts, roles: Roles, node: Node, method: str, target: Pattern | None) -> str:
    enclosing = roles.around(node)
    lifecycle = roles.lifecycle(enclosing)
    if lifecycle is Role.CLEANUP:
        return "cleanup"
    if lifecycle is Role.HANDLER:
        return "handler"
    innermost = enclosing.node.id if enclosing else None
    for earlier in [*facts.subscriptions, *facts.binds]:
        if earlier.node.start_byte >= node.start_byte:
            continue
        earlier_fn = earlier.enclosing.node.id if earlier.enclosing else None
        if earlier_fn != innermost:
            continue
        channel = earlier.channel
        if method == "disconnect" or target is None or channel is None:
            return "after-subscribe"
        if target.display() == channel.display():
            return "after-subscribe"
    return "other"
