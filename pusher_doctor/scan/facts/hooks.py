"""Hook libraries that subscribe and unsubscribe for the component: Laravel's ``useEcho`` family
(``@laravel/echo-react``, ``@laravel/echo-vue``) and ``use-pusher`` (``@harelpls/use-pusher``).

Their calls become subscriptions and binds like any other, marked ``managed``: the library leaves the
channel when the component unmounts, so the lifecycle rules leave them alone, while the channel and
event rules (Echo's event prefix, the app's channel index) read them.

- ``useEcho(channel, event | [events], callback, deps?, visibility = 'private')``, ``useEchoPublic``,
  ``useEchoPresence`` and ``useEchoNotification(channel, callback, event?)``: Echo channels, so the
  events get Echo's namespace unless they start with ``.``;
- ``useChannel(name)`` and ``usePresenceChannel(name)`` subscribe, ``useEvent(channel, event, callback)``
  binds (pusher-js names, no prefix added).
"""

from __future__ import annotations

from tree_sitter import Node

from pusher_doctor.scan.facts.channels import ECHO_NOTIFICATION_EVENT, echo_event, handler_function
from pusher_doctor.scan.facts.records import LARAVEL_ECHO, PUSHER_JS, Bind, FileFacts, Subscription
from pusher_doctor.scan.facts.roles import Roles
from pusher_doctor.scan.tree import arguments, unwrap
from pusher_doctor.scan.values import Pattern

#: useEcho's hooks and the channel prefix each subscribes with (useEcho's visibility argument may change it)
ECHO_HOOKS = {"useEcho": "private-", "useEchoPublic": "", "useEchoPresence": "presence-", "useEchoNotification": "private-"}
#: use-pusher's subscribing hooks and their channel prefix (none: the name is given whole)
PUSHER_CHANNEL_HOOKS = frozenset({"useChannel", "usePresenceChannel"})
PUSHER_EVENT_HOOK = "useEvent"
HOOK_NAMES = frozenset({*ECHO_HOOKS, *PUSHER_CHANNEL_HOOKS, PUSHER_EVENT_HOOK})
_VISIBILITY = {"private": "private-", "public": "", "presence": "presence-"}
#: the packages the hooks come from: an app's own ``useChannel`` is read as the code it is
LIBRARIES = ("@laravel/echo-react", "@laravel/echo-vue", "@harelpls/use-pusher", "use-pusher", "vue-echo")


def add_hook_call(facts: FileFacts, roles: Roles, node: Node, name: str, args: Node) -> None:
    """Record a hook library's call as a managed subscription (and bind)."""
    found = arguments(args)
    binding = facts.resolver.lookup(name, node)
    if not found or binding is None or binding.kind != "import" or not (binding.source or "").startswith(LIBRARIES):
        return
    if name in ECHO_HOOKS:
        _echo_hook(facts, roles, node, name, found)
    elif name in PUSHER_CHANNEL_HOOKS:
        subscription = Subscription(node, found[0], facts.resolver.pattern(found[0]), roles.around(node), managed=True)
        facts.subscriptions.append(subscription)
        facts.subscription_at[node.id] = subscription
    elif len(found) >= 3:  # useEvent(channel, event, callback)
        subscription = _subscription_of(facts, found[0])
        _bind(facts, roles, node, found[1], facts.resolver.pattern(found[1]), found[2], subscription, PUSHER_JS, False)


def _echo_hook(facts: FileFacts, roles: Roles, node: Node, name: str, found: list[Node]) -> None:
    prefix = ECHO_HOOKS[name]
    if name == "useEcho" and len(found) >= 5:
        prefix = _VISIBILITY.get(facts.resolver.pattern(found[4]).literal or "", prefix)
    channel = Pattern((prefix,)) + facts.resolver.pattern(found[0])
    subscription = Subscription(node, found[0], channel, roles.around(node), api=LARAVEL_ECHO, managed=True)
    facts.subscriptions.append(subscription)
    if name == "useEchoNotification":
        if len(found) >= 2:
            event = Pattern((ECHO_NOTIFICATION_EVENT,))
            _bind(facts, roles, node, node, event, found[1], subscription, LARAVEL_ECHO, False)
        return
    if len(found) < 3:
        return
    events = unwrap(found[1])
    for event_node in events.named_children if events.type == "array" else [found[1]]:
        event, prefixed = echo_event(facts.resolver.pattern(event_node))
        _bind(facts, roles, node, event_node, event, found[2], subscription, LARAVEL_ECHO, prefixed)


def _bind(
    facts: FileFacts,
    roles: Roles,
    node: Node,
    event_node: Node,
    event: Pattern,
    handler: Node,
    subscription: Subscription | None,
    api: str,
    prefixed: bool,
) -> None:
    handler_fn = handler_function(facts, handler)
    channel = subscription.channel if subscription is not None else None
    facts.binds.append(
        Bind(node, event_node, event, handler, handler_fn, subscription, channel, roles.around(node), api=api,
             echo_prefixed=prefixed, managed=True)
    )


def _subscription_of(facts: FileFacts, channel: Node) -> Subscription | None:
    """The ``useChannel(name)`` a ``useEvent`` channel argument stands for."""
    for value in (unwrap(channel), *facts.resolver.values_of(channel)):
        found = facts.subscription_at.get(unwrap(value).id)
        if found is not None:
            return found
    return None
