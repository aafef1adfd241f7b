"""What the lifecycle rules share: a component's extent, its unmount code, its mount hook.

A component is a class body (React class components), an options object (Vue's ``export default
{ mounted() {...} }``), a function (a React function component, a Vue ``setup()``, a composable
calling ``onMounted``) or, for Vue's ``<script setup>``, the whole file. Its unmount code is what its
effect cleanups, ``componentWillUnmount``, ``beforeUnmount``/``unmounted``/``beforeDestroy``/
``destroyed`` and ``onBeforeUnmount``/``onUnmounted`` callbacks hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import Client, Effect, FileFacts, Func, Role, Subscription
from pusher_doctor.scan.facts.effects import VUE_CLEANUP_CALLS
from pusher_doctor.scan.facts.roles import CLEANUP_METHODS
from pusher_doctor.scan.tree import inside, text, unwrap


def component_of(facts: FileFacts, func: Func | None) -> Node:
    """The extent of the component ``func`` belongs to (see the module docstring)."""
    ancestry = facts.src.ancestry
    for current in func.outwards() if func is not None else ():
        parent = ancestry.parent(current.node)
        if current.node.type == "method_definition" and parent is not None and parent.type in ("class_body", "object"):
            return parent
        if parent is not None and parent.type == "pair":  # mounted: function () {...}
            holder = ancestry.parent(parent)
            if holder is not None and holder.type == "object":
                return holder
        if current.role in (Role.COMPONENT, Role.HOOK) or current.name == "setup":
            return current.node
        if current.role is Role.MOUNT and ancestry.called_with(current.node) is not None:
            # onMounted(() => ...) in a setup function or composable: that function is the component
            around = ancestry.innermost_function(current.node)
            return around if around is not None else facts.src.tree.root_node
    return facts.src.tree.root_node


def mount_function(func: Func | None) -> Func | None:
    """The mount hook (componentDidMount, mounted, onMounted's callback, setup) around ``func``."""
    return next((f for f in func.outwards() if f.role is Role.MOUNT), None) if func is not None else None


def unmount_code(facts: FileFacts, component: Node) -> list[Node]:
    """The cleanup functions of ``component``: the code that runs when it goes away."""
    found: list[Node] = []
    if component.type in ("class_body", "object"):
        for member in component.named_children:
            name = member.child_by_field_name("name") or member.child_by_field_name("key")
            if name is not None and text(name).strip("'\"") in CLEANUP_METHODS:
                found.append(member)
    for hook in VUE_CLEANUP_CALLS:
        for call in facts.calls_by_name.get(hook, ()):
            if inside(call, component):
                found.append(call)
    for effect in facts.effects:
        found.extend(cleanup for cleanup in effect.cleanups if inside(cleanup, component))
    return found


def mentions_disconnect(nodes: list[Node]) -> bool:
    """True when any of ``nodes`` calls something named ``disconnect`` (a client's, Echo's, a helper)."""
    return any(node.text is not None and b"disconnect" in node.text for node in nodes)


def client_of_subscription(facts: FileFacts, subscription: Subscription | None) -> Client | None:
    """The client of this file whose ``subscribe`` (or Echo channel call) made ``subscription``."""
    call = subscription.node.child_by_field_name("function") if subscription is not None else None
    client_expr = call.child_by_field_name("object") if call is not None else None
    if client_expr is None:
        return None
    for value in (unwrap(client_expr), *facts.resolver.values_of(client_expr)):
        client = facts.client_at.get(unwrap(value).id)
        if client is not None:
            return client
    return None


class Effects:
    """A file's React effects by their callback and by their cleanups, so that finding the effect a
    teardown or a fact belongs to climbs its enclosing functions (a few) instead of comparing it with
    every effect of the file (thousands, in generated code)."""

    def __init__(self, facts: FileFacts) -> None:
        self._by_fn = {effect.fn.id: effect for effect in facts.effects}
        self._by_cleanup = {cleanup.id: effect for effect in facts.effects for cleanup in effect.cleanups}

    def cleaned_up_by(self, func: Func | None) -> Effect | None:
        """The effect whose cleanup ``func`` is (or lies in)."""
        return next((self._by_cleanup[f.node.id] for f in _outwards(func) if f.node.id in self._by_cleanup), None)

    def run_by(self, func: Func | None) -> Effect | None:
        """The effect whose callback ``func`` is (or lies in), cleanups included."""
        return next((self._by_fn[f.node.id] for f in _outwards(func) if f.node.id in self._by_fn), None)


def _outwards(func: Func | None) -> Iterator[Func]:
    return func.outwards() if func is not None else iter(())


def missing_channel_deps(facts: FileFacts, effect: Effect) -> list[str]:
    """The props and state an effect's channel names are built from that its dependency array leaves
    out (``subscribe(`chat-${roomId}`)`` with ``[]``): when they change, the effect does not run again."""
    func = effect.component
    if effect.deps is None or func is None or not func.role.runs_every_render:
        return []
    deps_node = unwrap(effect.deps)
    if deps_node.type != "array" or any(dep.type == "spread_element" for dep in deps_node.named_children):
        return []
    deps = {text(dep) for dep in deps_node.named_children}
    missing: list[str] = []
    for subscription in effect.subscriptions:
        for hole in subscription.channel.holes:
            name = hole.label
            root = name.split(".")[0].split("?")[0]
            if name in deps or root in deps or name in missing or not _SIMPLE_NAME.fullmatch(name):
                continue
            if _changes_between_renders(facts, subscription.arg, root, func, effect):
                missing.append(name)
    return missing


#: an identifier or a chain of properties (``roomId``, ``props.roomId``, ``params?.id``)
_SIMPLE_NAME = re.compile(r"[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*")


def _changes_between_renders(facts: FileFacts, at: Node, name: str, func: Func, effect: Effect) -> bool:
    """A value that changes while the component stays mounted: its state, or the route's parameters
    (``useParams()``, Next.js's ``params`` prop...). A plain prop is not judged: whether the parent ever
    passes another value the scan cannot tell."""
    binding = facts.resolver.lookup(name, at)
    if binding is None:
        return False
    if binding.kind == "param":
        return binding.param is not None and binding.param.function == func.name and name in _ROUTE_PROPS
    declared = binding.node
    if binding.kind not in ("declared", "value") or declared is None:
        return False
    if not inside(declared, func.node) or inside(declared, effect.fn):
        return False
    return any(hook in (declared.text or b"") for hook in _CHANGING_HOOKS)


#: props that hold the current route's parameters (Next.js pages, React Router's match)
_ROUTE_PROPS = frozenset({"params", "searchParams", "match", "route"})
#: hooks whose value changes while the component stays mounted: state, and the route
_CHANGING_HOOKS = (b"useState", b"useReducer", b"useParams", b"useSearchParams", b"useRouter", b"useRoute",
                   b"usePathname", b"useLocation", b"useSelector", b"useContext")
