"""``stale-state``: a handler bound in an effect updates state from the value captured when it ran.

Also through a custom hook: ``usePusherChannel(name, event, (d) => setMessages([...messages, d]))``
where the hook binds its handler parameter in an effect that does not depend on it, so the first
handler is kept. Only direct setter calls inside the handler are judged; a handler that calls
another function which sets the state is not followed.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import Bind, Component, FileFacts, Role
from pusher_doctor.scan.facts.channels import handler_function
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import CallSite, Project, argument_for
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.tree import FUNCTION_TYPES, Positions, inside, mentions, text, unwrap
from pusher_doctor.scan.values import ParamRef


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
                if bind.handler_fn is not None:
                    where = f"captured when the effect ran (deps {text(effect.deps)})"
                    yield from _stale_updates(facts, bind.handler_fn, _event(bind), component, calls, deps, where)
    yield from _through_hooks(project)


def _through_hooks(project: Project) -> Iterator[Hit]:
    """Handlers passed to a custom hook that binds them once (its effect does not depend on them)."""
    for facts in project.files:
        for effect in facts.effects:
            func = effect.component
            if func is None or func.role is not Role.HOOK or effect.deps is None or unwrap(effect.deps).type != "array":
                continue
            deps = {text(dep) for dep in unwrap(effect.deps).named_children}
            for bind in effect.binds:
                handler = unwrap(bind.handler) if bind.handler is not None else None
                if handler is None or handler.type != "identifier" or text(handler) in deps:
                    continue
                binding = facts.resolver.lookup(text(handler), handler)
                param = binding.param if binding is not None and binding.kind == "param" else None
                if param is None or param.function != func.name:
                    continue
                for site in project.call_sites(param.function, facts.package):
                    yield from _stale_at_call_site(site, param, bind, text(handler))


def _stale_at_call_site(site: CallSite, param: ParamRef, bind: Bind, handler_name: str) -> Iterator[Hit]:
    argument = argument_for(param, site)
    handler = handler_function(site.facts, argument) if argument is not None else None
    owner = site.facts.src.ancestry.innermost_function(site.node)
    component = site.facts.components.get(owner.id) if owner is not None else None
    if handler is None or component is None:
        return
    calls = Positions([call for _, call in component.setter_calls])
    where = (
        f"captured on the first render: {param.function}(...) binds its '{handler_name}' once (its effect does not "
        f"depend on it)"
    )
    event = _event(bind)
    holes = bind.event.holes
    if not bind.event.text and len(holes) == 1 and holes[0].param is not None:  # the hook's eventName
        passed = argument_for(holes[0].param, site)
        event = site.facts.resolver.pattern(passed).display() if passed is not None else event
    yield from _stale_updates(site.facts, handler, event, component, calls, set(), where)


def _event(bind: Bind) -> str:
    return bind.event.literal or bind.event.display()


def _stale_updates(
    facts: FileFacts,
    handler: Node,
    event: str,
    component: Component,
    calls: Positions,
    deps: set[str],
    where: str,
) -> Iterator[Hit]:
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
        yield hit_at(
            facts,
            call,
            f"the '{event}' handler calls {setter}({' '.join(text(first).split())}) with the '{state}' "
            f"{where}, so each message replaces the ones before it",
            f"use the functional form: {setter}(prev => [...prev, data])",
        )


RULE = Rule(
    id="stale-state",
    checklist_item="state-update",
    title="Handler updates state from a value captured once",
    finds="A handler bound inside a React effect whose dependencies do not include the state it reads, "
    "calling the state setter with an expression that uses that state "
    "(`setMessages([...messages, data])`, `setMessages(messages.concat(data))`) instead of the "
    "functional form. Also a handler passed to a custom hook (`usePusherChannel(name, event, (d) => "
    "setMessages([...messages, d]))`) that binds its handler parameter in an effect not depending on it. "
    "Handlers that only call other functions are not followed.",
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
    per_file=True,
)
