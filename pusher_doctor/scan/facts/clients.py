"""Pusher clients: ``new Pusher(key, options)``, and whether a receiver is such a client."""

from __future__ import annotations

from tree_sitter import Node

from ..tree import arguments, text
from ..values import Resolver
from .records import Client, FileFacts
from .roles import Roles


def add_client(facts: FileFacts, roles: Roles, node: Node) -> None:
    """Record ``node`` (a ``new_expression``) when it constructs a pusher-js client."""
    ctor = node.child_by_field_name("constructor")
    if ctor is None or not is_pusher_constructor(facts.resolver, ctor):
        return
    found = arguments(node.child_by_field_name("arguments"))
    key = found[0] if found else None
    options = found[1] if len(found) > 1 else None
    client = Client(node, key, options, roles.around(node))
    facts.clients.append(client)
    facts.client_at[node.id] = client


def is_pusher_constructor(resolver: Resolver, ctor: Node) -> bool:
    """``Pusher``, ``x.Pusher``, or a local name imported or required from pusher-js."""
    name = text(ctor)
    if name == "Pusher" or name.endswith(".Pusher"):
        return True
    if ctor.type != "identifier":
        return False
    binding = resolver.lookup(name, ctor)
    if binding is None:
        return False
    if binding.kind == "import":
        return (binding.source or "").startswith("pusher-js")
    return binding.node is not None and "require('pusher-js" in text(binding.node).replace('"', "'")


def is_client(facts: FileFacts, recv: Node) -> bool:
    """True when ``recv`` names a Pusher client (by name, or set to a ``new Pusher`` of this file)."""
    if "pusher" in text(recv).lower():
        return True
    values = facts.resolver.values_of(recv)
    return any(value.type == "new_expression" and value.id in facts.client_at for value in values)


def is_channelish(recv: Node) -> bool:
    """A receiver whose name suggests a Pusher channel or client (``channel``, ``pusherChannel``...)."""
    lowered = text(recv).lower()
    return "channel" in lowered or "pusher" in lowered
