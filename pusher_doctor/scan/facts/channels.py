"""Subscriptions and binds: ``pusher.subscribe(name)``, ``channel.bind(event, handler)``, and Laravel
Echo's ``Echo.channel(name).listen(event, handler)``.

``subscribe`` and ``bind`` are common method names (Redux stores, rxjs, jQuery,
``Function.prototype.bind``), and so are ``join``, ``channel`` and ``listen``: a call only counts when
its arguments have Pusher's shape and its receiver can be linked to a Pusher client or channel (or
Echo), or at least is named like one.

Echo subscribes with ``channel``/``private``/``join``/``encryptedPrivate`` (Pusher channel names
``name``, ``private-name``, ``presence-name``, ``private-encrypted-name``) and binds with
``listen(event)``, which prefixes the event with its namespace (``App\\Events\\``) unless the name
starts with ``.`` (a ``broadcastAs`` name), ``notification`` and ``listenForWhisper``.
"""

from __future__ import annotations

from tree_sitter import Node

from pusher_doctor.scan.facts.clients import is_channelish, is_client
from pusher_doctor.scan.facts.records import LARAVEL_ECHO, Bind, FileFacts, Subscription, Trigger
from pusher_doctor.scan.facts.roles import Roles
from pusher_doctor.scan.tree import (
    FUNCTION_TYPES,
    Ancestry,
    arguments,
    callee_name,
    first_argument,
    text,
    unwrap,
)
from pusher_doctor.scan.values import Pattern

#: Echo's channel methods and the prefix each gives the Pusher channel name
ECHO_CHANNEL_METHODS = {
    "channel": "",
    "private": "private-",
    "join": "presence-",
    "encryptedPrivate": "private-encrypted-",
}
ECHO_LISTEN_METHODS = frozenset({"listen", "notification", "listenForWhisper"})
#: methods of an Echo channel that return the channel: ``Echo.join(x).here(f).listen(...)``
_ECHO_CHAINED = frozenset({*ECHO_LISTEN_METHODS, "here", "joining", "leaving", "error", "subscribed",
                           "stopListening", "stopListeningForWhisper", "listenToAll", "whisper"})
#: the event Laravel broadcasts a notification as
ECHO_NOTIFICATION_EVENT = "Illuminate\\Notifications\\Events\\BroadcastNotificationCreated"

#: receivers whose ``bind`` is about the connection or user, not a channel
_NON_CHANNEL_RECEIVERS = (".connection", ".user")
#: a bind whose first argument is one of these is ``Function.prototype.bind(thisArg, ...)``
_NOT_EVENT_TYPES = ("this", "null", "undefined", "object", *FUNCTION_TYPES)


def add_subscription(
    facts: FileFacts, roles: Roles, node: Node, recv: Node, args: Node, echo_method: str | None = None
) -> None:
    """Record ``recv.subscribe(args)`` (or Echo's ``recv.channel(args)``...) when it is a Pusher subscription."""
    found = arguments(args)
    if len(found) != 1:
        return  # pusher-js takes just the name; Ably's channel.subscribe(event, listener) is not it
    arg = found[0]
    if unwrap(arg).type in FUNCTION_TYPES or unwrap(arg).type == "object":
        return  # store.subscribe(listener), observable.subscribe({next}) ...
    if echo_method is None and any(value.type in FUNCTION_TYPES for value in facts.resolver.values_of(arg)):
        return
    channel = facts.resolver.pattern(arg)
    if echo_method is None and not channel.text and not is_client(facts, recv):
        return  # rxjs.subscribe(observer) and friends: nothing says this is Pusher
    api = "pusher-js"
    if echo_method is not None:
        channel, api = Pattern((ECHO_CHANNEL_METHODS[echo_method],)) + channel, LARAVEL_ECHO
    subscription = Subscription(node, arg, channel, roles.around(node), api=api)
    facts.subscriptions.append(subscription)
    facts.subscription_at[node.id] = subscription


def add_bind(facts: FileFacts, roles: Roles, node: Node, recv: Node, args: Node) -> None:
    """Record ``recv.bind(event, handler)`` when it binds a Pusher event; its handler becomes a HANDLER."""
    found = arguments(args)
    if len(found) < 2 or text(recv).endswith(_NON_CHANNEL_RECEIVERS):
        return
    event_node = found[0]
    if unwrap(event_node).type in _NOT_EVENT_TYPES:
        return
    subscription, channel = channel_of(facts, recv)
    if channel is None and not is_channelish(recv):
        return  # $(el).bind('click', ...) and other non-Pusher binds
    handler_fn = handler_function(facts, found[1])
    if handler_fn is not None:
        roles.handler_fns.add(handler_fn.id)
    facts.binds.append(
        Bind(
            node,
            event_node,
            facts.resolver.pattern(event_node),
            found[1],
            handler_fn,
            subscription,
            channel,
            roles.around(node),
        )
    )


def add_echo_bind(facts: FileFacts, roles: Roles, node: Node, recv: Node, method: str, args: Node) -> None:
    """Record Echo's ``channel.listen(event, handler)``, ``notification(handler)`` or
    ``listenForWhisper(name, handler)`` on a receiver that is (or is named like) an Echo channel."""
    found = arguments(args)
    subscription, channel = channel_of(facts, recv)
    if subscription is None and (channel is not None or not is_channelish(recv) or not _uses_echo(facts)):
        return  # server.listen(3000), emitter.listen(...), pusher-js's channel (it has no listen)
    if subscription is not None and subscription.api != LARAVEL_ECHO:
        return
    prefixed = False
    if method == "notification":
        if not found:
            return
        event_node, event, handler = node, Pattern((ECHO_NOTIFICATION_EVENT,)), found[0]
    else:
        if len(found) < 2 or unwrap(found[0]).type in _NOT_EVENT_TYPES:
            return
        event_node, handler = found[0], found[1]
        written = facts.resolver.pattern(event_node)
        if method == "listenForWhisper":
            event = Pattern(("client-",)) + written
        else:
            event, prefixed = echo_event(written)
    handler_fn = handler_function(facts, handler)
    if handler_fn is not None:
        roles.handler_fns.add(handler_fn.id)
    facts.binds.append(
        Bind(node, event_node, event, handler, handler_fn, subscription, channel, roles.around(node),
             api=LARAVEL_ECHO, echo_prefixed=prefixed)
    )


def add_trigger(facts: FileFacts, recv: Node, node: Node, args: Node) -> None:
    """Record the server SDK's ``pusher.trigger(channel, event, data)`` (a channel's own ``trigger(event,
    data)``, a client event, has no channel argument and is not one)."""
    found = arguments(args)
    if len(found) < 3 or not ("pusher" in text(recv).lower() or facts.servers):
        return
    first = unwrap(found[0])
    names = [item for item in first.named_children if item.type != "comment"] if first.type == "array" else [first]
    channels = [(name, facts.resolver.pattern(name)) for name in names]
    facts.triggers.append(Trigger(node, channels, facts.resolver.pattern(found[1])))


def _uses_echo(facts: FileFacts) -> bool:
    """A channel of unknown origin is Echo's only in a file that shows Echo (a listen elsewhere is not)."""
    return any(s.api == LARAVEL_ECHO for s in facts.subscriptions) or b"echo" in facts.src.parsed.lower()


def echo_event(written: Pattern) -> tuple[Pattern, bool]:
    """The event as bound (without its leading ``.`` or ``\\``), and whether Echo prefixes it."""
    first = written.parts[0] if written.parts else None
    if isinstance(first, str) and first[:1] in (".", "\\"):
        return Pattern((first[1:], *written.parts[1:]), written.env), False
    return written, isinstance(first, str)  # an event name made only of unknown parts is not judged


def channel_of(facts: FileFacts, recv: Node) -> tuple[Subscription | None, Pattern | None]:
    """The subscription (or ``pusher.channel(name)``) a receiver is, if it can be told."""
    recv = _echo_channel_call(unwrap(recv))
    candidates = [recv] if recv.type == "call_expression" else facts.resolver.values_of(recv)
    for value in candidates:
        value = _echo_channel_call(unwrap(value))
        if value.type != "call_expression":
            continue
        function = value.child_by_field_name("function")
        if function is None or function.type != "member_expression":
            continue
        prop = function.child_by_field_name("property")
        if prop is not None and (text(prop) == "subscribe" or text(prop) in ECHO_CHANNEL_METHODS):
            subscription = facts.subscription_at.get(value.id)
            if subscription is not None:
                return subscription, subscription.channel
        if prop is not None and text(prop) == "channel":  # pusher.channel(name): already subscribed
            arg = first_argument(value.child_by_field_name("arguments"))
            if arg is not None:
                return None, facts.resolver.pattern(arg)
    return None, None


def handler_function(facts: FileFacts, handler: Node) -> Node | None:
    """The function a bind's handler argument stands for (inline, by name, useCallback, this.x)."""
    handler = unwrap(handler)
    for _ in range(3):
        if handler.type in FUNCTION_TYPES:
            return handler
        if handler.type == "call_expression":  # this.onMessage.bind(this), useCallback(fn, deps)
            function = handler.child_by_field_name("function")
            if (
                function is not None
                and function.type == "member_expression"
                and text(function.child_by_field_name("property") or function) == "bind"
            ):
                handler = unwrap(function.child_by_field_name("object") or function)
                continue
            first = first_argument(handler.child_by_field_name("arguments"))
            if first is None or callee_name(handler) != "useCallback":
                return None
            handler = unwrap(first)
            continue
        if handler.type == "member_expression" and text(handler).startswith("this."):
            return _this_method(facts.src.ancestry, handler)
        values = facts.resolver.values_of(handler)
        if not values:
            return None
        handler = unwrap(values[0])
    return handler if handler.type in FUNCTION_TYPES else None


def _this_method(ancestry: Ancestry, member: Node) -> Node | None:
    """``this.onMessage`` -> the class method (or Vue ``methods:`` entry) named ``onMessage``."""
    prop = member.child_by_field_name("property")
    if prop is None:
        return None
    name = text(prop)
    for parent in ancestry.ancestors(member):
        if parent.type in ("class_body", "object"):
            found = _method_named(parent, name)
            if found is not None:
                return found
    return None


def _method_named(container: Node, name: str) -> Node | None:
    """The method ``name`` of a class body or object, looking into ``methods: {...}`` (Vue) too."""
    # a stack of iterators rather than recursion: `methods` objects nested thousands deep must not crash
    stack = [iter(container.named_children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.type == "method_definition" and text(child.child_by_field_name("name") or child) == name:
            return child
        if child.type in ("pair", "field_definition", "public_field_definition"):
            key = child.child_by_field_name("key") or child.child_by_field_name("property")
            value = child.child_by_field_name("value")
            if key is not None and value is not None:
                if text(key) == name and unwrap(value).type in FUNCTION_TYPES:
                    return unwrap(value)
                if text(key) == "methods" and unwrap(value).type == "object":
                    stack.append(iter(unwrap(value).named_children))
    return None


def _echo_channel_call(node: Node) -> Node:
    """``Echo.channel(x)`` for ``Echo.channel(x).listen(a, f).listen(b, g)``: Echo's chained calls
    return the channel."""
    for _ in range(32):  # a chain of listeners is short; the bound keeps a hostile one cheap
        if node.type != "call_expression":
            return node
        function = node.child_by_field_name("function")
        prop = function.child_by_field_name("property") if function is not None else None
        if function is None or function.type != "member_expression" or prop is None:
            return node
        if text(prop) not in _ECHO_CHAINED:
            return node
        node = unwrap(function.child_by_field_name("object") or node)
    return node
