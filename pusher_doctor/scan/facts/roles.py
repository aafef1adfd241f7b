"""Which role each enclosing function plays: component body, effect, cleanup, mount hook, handler...

Where a fact sits matters: ``new Pusher`` in a component body runs on every render, the same call in
an effect runs once. Effects, cleanups and handlers are only known once the file's effects and binds
have been read, so :class:`Roles` is told about them as extraction goes and caches what it computed.
"""

from __future__ import annotations

from collections.abc import Hashable

from tree_sitter import Node

from pusher_doctor.scan.facts.records import Func, Role
from pusher_doctor.scan.tree import Ancestry, first_outwards

#: calls whose function argument is only run once or lazily: code inside is not "render"
MEMO_HOOKS = frozenset({"useMemo", "useCallback", "useState", "useRef", "useReducer"})
VUE_MOUNT_CALLS = frozenset({"onMounted", "onBeforeMount"})
CLEANUP_METHODS = frozenset(
    {"componentWillUnmount", "beforeUnmount", "unmounted", "beforeDestroy", "destroyed", "deactivated"}
)
MOUNT_METHODS = frozenset({"componentDidMount", "mounted", "created", "beforeMount", "setup"})


class Roles:
    """Roles of the functions of one file, from what extraction has learnt so far."""

    def __init__(self, is_vue: bool, ancestry: Ancestry) -> None:
        self.is_vue = is_vue
        self.ancestry = ancestry
        self.effect_fns: set[int] = set()
        self.cleanup_fns: set[int] = set()
        self.handler_fns: set[int] = set()
        self._cache: dict[int, Role] = {}
        self._funcs: dict[int, Func] = {}
        self._lifecycle: dict[Hashable, Role | None] = {}

    def forget(self) -> None:
        """Drop cached roles: call after learning new effects, cleanups or handlers."""
        self._cache.clear()
        self._funcs.clear()
        self._lifecycle.clear()

    def around(self, node: Node) -> Func | None:
        """The innermost function around ``node``, with its role; its ``outer`` links lead outwards."""
        fn = self.ancestry.innermost_function(node)
        return self.func(fn) if fn is not None else None

    def func(self, fn: Node) -> Func:
        """``fn`` as a :class:`Func`, made once and shared by every fact inside it."""
        pending: list[Node] = []
        current: Node | None = fn
        while current is not None and current.id not in self._funcs:  # a loop: nesting may be deep
            pending.append(current)
            current = self.ancestry.innermost_function(current)
        outer = self._funcs[current.id] if current is not None else None
        for node in reversed(pending):
            name = self.ancestry.function_name(node)
            outer = self._funcs[node.id] = Func(node, name, self.role(node), outer)
        return self._funcs[fn.id]

    def lifecycle(self, func: Func | None) -> Role | None:
        """CLEANUP or HANDLER, whichever comes first going outwards from ``func``; None for neither."""
        return first_outwards(
            func,
            lambda f: f.outer,
            lambda f: f.role if f.role in (Role.CLEANUP, Role.HANDLER) else None,
            lambda f: f.node.id,
            self._lifecycle,
        )

    def role(self, fn: Node) -> Role:
        role = self._cache.get(fn.id)
        if role is None:
            role = self._cache[fn.id] = self._compute(fn)
        return role

    def _compute(self, fn: Node) -> Role:
        if fn.id in self.cleanup_fns:
            return Role.CLEANUP
        if fn.id in self.effect_fns:
            return Role.EFFECT
        if fn.id in self.handler_fns:
            return Role.HANDLER
        caller = self.ancestry.called_with(fn)
        if caller in VUE_MOUNT_CALLS:
            return Role.MOUNT
        if caller in MEMO_HOOKS:
            return Role.OTHER
        name = self.ancestry.function_name(fn) or ""
        parent = self.ancestry.parent(fn)
        in_class = fn.type == "method_definition" and parent is not None and parent.type == "class_body"
        if fn.type == "method_definition" or (parent is not None and parent.type == "pair"):
            if name in CLEANUP_METHODS:
                return Role.CLEANUP
            if name in MOUNT_METHODS:
                return Role.MOUNT
            if name == "render" and in_class:
                return Role.RENDER
            return Role.OTHER
        if self.is_vue:
            return Role.OTHER  # setup code runs once per component instance
        if name[:1].isupper():
            return Role.COMPONENT
        if name.startswith("use") and name[3:4].isupper():
            return Role.HOOK
        return Role.OTHER
