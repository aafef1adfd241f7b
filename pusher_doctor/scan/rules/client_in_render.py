"""``client-in-render``: ``new Pusher(...)`` or ``subscribe(...)`` in a body that runs on every render.

Lazy forms are not reported: ``useMemo``/``useCallback``/lazy ``useState`` callbacks (roles say
so) and the guarded ``if (!ref.current) ref.current = new Pusher(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import Role
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.tree import Ancestry, callee_name, text

#: hooks whose argument is evaluated on every render even though only the first value is kept
_EAGER_ARGUMENT_HOOKS = ("useRef", "useState")


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        if not facts.clients and not facts.subscriptions:
            continue
        ancestry = facts.src.ancestry
        for client in facts.clients:
            fn = client.enclosing
            if fn is None or not fn.role.runs_every_render:
                continue
            if _lazily_initialised(ancestry, client.node, fn.node):
                continue
            owner = _owner(fn.role, fn.name)
            wrapper = _wrapping_hook(ancestry, client.node, fn.node)
            detail = f" (the argument of {wrapper} is evaluated on every render too)" if wrapper else ""
            yield hit_at(
                facts,
                client.node,
                f"{client.constructor}(...) runs in the body of {owner}: every render opens another connection{detail}",
                "create the client once: at module level, in useMemo(() => new Pusher(...), []), "
                "or in a context provider",
            )
        for subscription in facts.subscriptions:
            fn = subscription.enclosing
            if fn is not None and fn.role.runs_every_render and not subscription.managed:
                owner = _owner(fn.role, fn.name)
                yield hit_at(
                    facts,
                    subscription.node,
                    f"subscribes in the body of {owner}, so it runs (and binds again) on every render",
                    "subscribe in useEffect (function components) or componentDidMount (class components)",
                )


def _owner(role: Role, name: str | None) -> str:
    if role is Role.RENDER:
        return "render()"
    kind = "hook" if role is Role.HOOK else "component"
    return f"{kind} {name}" if name else kind


def _lazily_initialised(ancestry: Ancestry, node: Node, fn: Node) -> bool:
    """``if (!ref.current) ref.current = new Pusher(...)`` or ``ref.current ??= new Pusher(...)``."""
    guarded = False
    assigned_to_ref = False
    for parent in ancestry.ancestors(node, stop=fn):
        if parent.type == "if_statement":
            guarded = True
        elif parent.type in ("assignment_expression", "augmented_assignment_expression"):
            left = parent.child_by_field_name("left")
            assigned_to_ref = left is not None and text(left).endswith(".current")
            guarded = guarded or parent.type == "augmented_assignment_expression"
    return guarded and assigned_to_ref


def _wrapping_hook(ancestry: Ancestry, node: Node, fn: Node) -> str | None:
    for parent in ancestry.ancestors(node, stop=fn):
        name = callee_name(parent) if parent.type == "call_expression" else ""
        if name in _EAGER_ARGUMENT_HOOKS:
            return name
    return None


RULE = Rule(
    id="client-in-render",
    checklist_item="lifecycle",
    title="Pusher client created (or channel subscribed) on every render",
    finds="`new Pusher(...)` directly in the body of a function component (name starting with an "
    "uppercase letter), a custom hook (`useX`) or a class component's `render()` — including as the "
    "argument of `useRef(...)`/`useState(...)`, which is evaluated on every render. Also `subscribe(...)` "
    "directly in such a body. Not reported: inside `useEffect`/`useMemo`/`useCallback` callbacks, lazy "
    "`useState(() => new Pusher(...))`, the guarded `if (!ref.current) ref.current = new Pusher(...)`, "
    "module level, and Vue `setup`.",
    why="Each render opens a new WebSocket connection; subscriptions and bound handlers stay on the old "
    "client, and events arrive (if at all) on a connection no handler listens to.",
    fix="Create the client once (module level, a context provider, or `useMemo(() => new Pusher(...), [])`) "
    "and subscribe in `useEffect`/`componentDidMount`.",
    wrong="function GuestChat() {\n  const pusher = new Pusher(KEY, { cluster: 'eu' });\n  ...\n}",
    right="const pusher = new Pusher(KEY, { cluster: 'eu' });\nfunction GuestChat() { ... }",
    check=check,
    severity=Severity.ERROR,
    per_file=True,
)
