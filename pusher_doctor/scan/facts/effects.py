"""React effects (``useEffect`` and friends) and Vue unmount hooks: what runs once, what cleans up.

An effect is recorded with its callback, its dependency array and the cleanup functions it returns;
once the file's subscriptions, binds and teardowns are known, :func:`link_effects` tells each effect
what it subscribes to and whether its cleanup tears that down.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts.records import Effect, FileFacts
from pusher_doctor.scan.facts.roles import Roles
from pusher_doctor.scan.tree import FUNCTION_TYPES, Positions, arguments, first_argument, own_returns, unwrap
from pusher_doctor.scan.values import Resolver

EFFECT_HOOKS = frozenset({"useEffect", "useLayoutEffect", "useInsertionEffect"})
VUE_CLEANUP_CALLS = frozenset({"onBeforeUnmount", "onUnmounted", "onDeactivated"})


def add_effect(facts: FileFacts, roles: Roles, node: Node, args: Node) -> None:
    """Record ``useEffect(fn, deps)``; ``fn`` becomes an EFFECT and the functions it returns CLEANUPs."""
    found = arguments(args)
    if not found or unwrap(found[0]).type not in FUNCTION_TYPES:
        return
    fn = unwrap(found[0])
    deps = found[1] if len(found) > 1 else None
    roles.effect_fns.add(fn.id)
    cleanups = tuple(_cleanups(facts.resolver, fn))
    roles.cleanup_fns.update(cleanup.id for cleanup in cleanups)
    callee = node.child_by_field_name("function") or node
    facts.effects.append(Effect(node, callee, fn, deps, None, cleanups))


def add_vue_cleanup(roles: Roles, args: Node) -> None:
    """``onBeforeUnmount(fn)`` and friends: ``fn`` is a CLEANUP."""
    first = first_argument(args)
    if first is not None and first.type in FUNCTION_TYPES:
        roles.cleanup_fns.add(first.id)


def link_effects(facts: FileFacts, roles: Roles) -> None:
    """Tell each effect its component and the subscriptions, binds and cleanup teardowns inside it."""
    # positions sorted once and searched by bisection: a file with thousands of effects and
    # subscriptions must not compare each effect with every subscription
    subscriptions = Positions([s.node for s in facts.subscriptions])
    binds = Positions([b.node for b in facts.binds])
    cleanup_teardowns = Positions([t.node for t in facts.teardowns if t.context == "cleanup"])
    for effect in facts.effects:
        effect.component = roles.around(effect.node)
        span = (effect.fn.start_byte, effect.fn.end_byte)
        cleanups = [(c.start_byte, c.end_byte) for c in effect.cleanups]
        effect.subscriptions = [facts.subscriptions[i] for i in subscriptions.within(span, cleanups)]
        effect.binds = [facts.binds[i] for i in binds.within(span, cleanups)]
        effect.subscribes = bool(effect.subscriptions or effect.binds)
        effect.tears_down = any(cleanup_teardowns.within(cleanup) for cleanup in cleanups)


def _cleanups(resolver: Resolver, effect_fn: Node) -> Iterator[Node]:
    """Functions an effect returns: ``return () => ...``, ``return cleanup``, ``() => () => ...``."""
    body = effect_fn.child_by_field_name("body")
    if body is None:
        return
    if body.type != "statement_block":
        returned = [body]
    else:
        returned = [stmt.named_children[0] for stmt in own_returns(body) if stmt.named_child_count]
    for value in returned:
        value = unwrap(value)
        if value.type in FUNCTION_TYPES:
            yield value
        elif value.type == "identifier":
            yield from (v for v in resolver.values_of(value) if v.type in FUNCTION_TYPES)
