"""Component state: ``const [messages, setMessages] = useState(...)`` and where each setter is called.

The rules need both to tell whether a dependency changes while the chat is shown, and whether a
handler updates state from a value captured when the effect ran.
"""

from __future__ import annotations

from tree_sitter import Node

from ..tree import callee_name, enclosing_functions, innermost_function, text
from .records import Component, FileFacts

STATE_HOOKS = frozenset({"useState", "useReducer"})


def add_state(facts: FileFacts, declarator: Node, names: Node, call: Node) -> None:
    """Record ``const [state, setState] = useState(...)`` in the component around it."""
    if callee_name(call) not in STATE_HOOKS:
        return
    elements = [child for child in names.named_children if child.type == "identifier"]
    if len(elements) < 2:
        return
    fn = innermost_function(declarator)
    if fn is None:
        return
    component = facts.components.setdefault(fn.id, Component(fn))
    component.setters[text(elements[0])] = text(elements[1])


def link_setter_calls(facts: FileFacts) -> None:
    """Attach each call of a setter to the component that declared it (the nearest one around the call)."""
    setters = {setter for component in facts.components.values() for setter in component.setters.values()}
    for name in setters:
        for call in facts.calls_by_name.get(name, []):
            for fn in enclosing_functions(call):
                component = facts.components.get(fn.id)
                if component is not None and name in component.setters.values():
                    component.setter_calls.append((name, call))
                    break
