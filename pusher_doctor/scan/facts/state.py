"""Component state: ``const [messages, setMessages] = useState(...)`` and where each setter is called.

The rules need both to tell whether a dependency changes while the chat is shown, and whether a
handler updates state from a value captured when the effect ran.
"""

from __future__ import annotations

from collections.abc import Hashable

from tree_sitter import Node

from pusher_doctor.scan.facts.records import Component, FileFacts
from pusher_doctor.scan.tree import callee_name, first_outwards, text

STATE_HOOKS = frozenset({"useState", "useReducer"})


def add_state(facts: FileFacts, declarator: Node, names: Node, call: Node) -> None:
    """Record ``const [state, setState] = useState(...)`` in the component around it."""
    if callee_name(call) not in STATE_HOOKS:
        return
    elements = [child for child in names.named_children if child.type == "identifier"]
    if len(elements) < 2:
        return
    fn = facts.src.ancestry.innermost_function(declarator)
    if fn is None:
        return
    component = facts.components.setdefault(fn.id, Component(fn))
    component.setters[text(elements[0])] = text(elements[1])


def link_setter_calls(facts: FileFacts) -> None:
    """Attach each call of a setter to the component that declared it (the nearest one around the call)."""
    ancestry = facts.src.ancestry
    setters = {setter for component in facts.components.values() for setter in component.setters.values()}
    #: (function id, setter) -> the component that declares the setter, from that function outwards
    declared_in: dict[Hashable, Component | None] = {}
    for name in setters:

        def declares(fn: Node, name: str = name) -> Component | None:
            component = facts.components.get(fn.id)
            return component if component is not None and name in component.setters.values() else None

        for call in facts.calls_by_name.get(name, []):
            component = first_outwards(
                ancestry.innermost_function(call),
                ancestry.innermost_function,
                declares,
                lambda fn, name=name: (fn.id, name),
                declared_in,
            )
            if component is not None:
                component.setter_calls.append((name, call))
