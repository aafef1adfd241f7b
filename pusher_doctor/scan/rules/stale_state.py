"""``stale-state``: a handler bound in an effect updates state from the value captured when it ran.

Only direct setter calls inside the handler are judged; a handler that calls another function which
sets the state is not followed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..facts import Bind, Component, FileFacts
from ..model import Severity
from ..project import Project
from ..tree import FUNCTION_TYPES, Positions, inside, mentions, text, unwrap
from ._base import Hit, Rule, hit_at


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        setter_calls: dict[int, Positions] = {}
        for effect in facts.effects:
            if effect.deps is None or unwrap(effect.deps).type != "array" or effect.component is None:
                continue
            component = facts.components.get(effect.component.node.id)
            if component is None:
                continue
            deps = {text(dep) for dep in unwrap(effect.deps).named_children}
            calls = setter_calls.get(component.fn.id)
            if calls is None:  # sorted once per component: it may have thousands of effects and calls
                calls = Positions([call for _, call in component.setter_calls])
                setter_calls[component.fn.id] = calls
            for bind in effect.binds:
                yield from _stale_updates(facts, bind, component, calls, deps, text(effect.deps))


def _stale_updates(
    facts: FileFacts, bind: Bind, component: Component, calls: Positions, deps: set[str], deps_text: str
) -> Iterator[Hit]:
    handler = bind.handler_fn
    if handler is None:
        return
    state_of = {setter: state for state, setter in component.setters.items()}
    for index in calls.within((handler.start_byte, handler.end_byte)):
        setter, call = component.setter_calls[index]
        state = state_of[setter]
        if state in deps or not inside(call, handler):
            continue
        args = call.child_by_field_name("arguments")
        first = args.named_children[0] if args is not None and args.named_child_count else None
        if first is None or unwrap(first).type in FUNCTION_TYPES or not mentions(first, state):
            continue
        event = bind.event.literal or bind.event.display()
        yield hit_at(
            facts,
            call,
            f"the '{event}' handler calls {setter}({' '.join(text(first).split())}) with the '{state}' "
            f"captured when the effect ran (deps {deps_text}), so each message replaces the ones before it",
            f"use the functional form: {setter}(prev => [...prev, data])",
        )


RULE = Rule(
    id="stale-state",
    checklist_item="state-update",
    title="Handler updates state from a value captured once",
    finds="A handler bound inside a React effect whose dependencies do not include the state it reads, "
    "calling the state setter with an expression that uses that state "
    "(`setMessages([...messages, data])`, `setMessages(messages.concat(data))`) instead of the "
    "functional form. Handlers that only call other functions are not followed.",
    why="The handler keeps the state of the render it was created in (usually the empty list): each new "
    "message replaces the previous ones, and after a refresh the full history appears.",
    fix="Use the functional update: `setMessages(prev => [...prev, data])`.",
    wrong="useEffect(() => {\n"
    "  channel.bind('new-staff-message', (m) => setMessages([...messages, m]));\n"
    "}, []);",
    right="useEffect(() => {\n"
    "  channel.bind('new-staff-message', (m) => setMessages((prev) => [...prev, m]));\n"
    "}, []);",
    check=check,
    severity=Severity.ERROR,
)
