"""Which role each enclosing function plays: component body, effect, cleanup, mount hook, handler...

Where a fact sits matters: ``new Pusher`` in a component body runs on every render, the same call in
an effect runs once. Effects, cleanups and handlers are only known once the file's effects and binds
have been read, so :class:`Roles` is told about them as extraction goes and caches what it computed.
"""

from __future__ import annotations

from tree_sitter import Node

from ..tree import called_with, enclosing_functions, function_name
from .records import Func, Role

#: calls whose function argument is only run once or lazily: code inside is not "render"
MEMO_HOOKS = frozenset({"useMemo", "useCallback", "useState", "useRef", "useReducer"})
VUE_MOUNT_CALLS = frozenset({"onMounted", "onBeforeMount"})
CLEANUP_METHODS = frozenset(
    {"componentWillUnmount", "beforeUnmount", "unmounted", "beforeDestroy", "destroyed", "deactivated"}
)
MOUNT_METHODS = frozenset({"componentDidMount", "mounted", "created", "beforeMount", "setup"})


class Roles:
    """Roles of the functions of one file, from what extraction has learnt so far."""

    def __init__(self, is_vue: bool) -> None:
        self.is_vue = is_vue
        self.effect_fns: set[int] = set()
        self.cleanup_fns: set[int] = set()
        self.handler_fns: set[int] = set()
        self._cache: dict[int, Role] = {}

    def forget(self) -> None:
        """Drop cached roles: call after learning new effects, cleanups or handlers."""
        self._cache.clear()

    def chain(self, node: Node) -> tuple[Func, ...]:
        """Enclosing functions, innermost first, with their roles."""
        return tuple(Func(fn, function_name(fn), self.role(fn)) for fn in enclosing_functions(node))

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
        caller = called_with(fn)
        if caller in VUE_MOUNT_CALLS:
            return Role.MOUNT
        if caller in MEMO_HOOKS:
            return Role.OTHER
        name = function_name(fn) or ""
        in_class = fn.type == "method_definition" and fn.parent is not None and fn.parent.type == "class_body"
        if fn.type == "method_definition" or (fn.parent is not None and fn.parent.type == "pair"):
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
