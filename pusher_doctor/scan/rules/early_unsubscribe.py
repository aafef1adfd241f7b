"""``early-unsubscribe``: the subscription is torn down while the chat is still shown.

Four shapes: a teardown inside the bound handler or right after subscribing; an effect that
subscribes with no dependency array; a subscribing effect with cleanup whose dependencies change
while the chat is shown; and a custom hook whose subscribing effect depends on a parameter that a
call site passes as a new value on every render.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import Component, Effect, FileFacts, Role, Teardown
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project, argument_for, param_holes
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.tree import FUNCTION_TYPES, Ancestry, Spans, inside, text, unwrap

#: dependency names that look like the message list (plural: not a handler such as ``onMessage``)
_MESSAGE_WORDS = ("messages", "msgs")
#: expressions that make a new object each time they run (so a new dependency value each render)
_NEW_IDENTITY_TYPES = frozenset({"object", "array", "new_expression"}) | FUNCTION_TYPES


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for teardown in facts.teardowns:
            hit = _early_teardown(facts, teardown)
            if hit is not None:
                yield hit
        # once per file, not per effect: a file may hold thousands of each
        handlers = Spans([bind.handler_fn for bind in facts.binds if bind.handler_fn is not None])
        for effect in facts.effects:
            yield from _effect_lifecycle(facts, effect, handlers)
    yield from _hook_argument_deps(project)


def _early_teardown(facts: FileFacts, teardown: Teardown) -> Hit | None:
    call = text(teardown.node.child_by_field_name("function") or teardown.node)
    if teardown.context == "handler":
        return hit_at(
            facts,
            teardown.node,
            f"{call}(...) runs inside the Pusher event handler, so the page stops listening after the first "
            "message",
            "tear the subscription down only when the chat view goes away (effect cleanup / unmount hook)",
            Severity.ERROR,
        )
    if teardown.context == "after-subscribe":
        return hit_at(
            facts,
            teardown.node,
            f"{call}(...) runs right after subscribing, in the same function, so the subscription is gone "
            "before any message arrives",
            "move it into the effect's cleanup (return () => ...) or the unmount hook",
            Severity.ERROR,
        )
    return None


def _effect_lifecycle(facts: FileFacts, effect: Effect, handlers: Spans) -> Iterator[Hit]:
    if not effect.subscribes or effect.component is None or not effect.component.role.runs_every_render:
        return
    hook = text(effect.callee)
    if effect.deps is None:
        consequence = (
            "and its cleanup unsubscribes each time"
            if effect.tears_down
            else "and binds the handler again each time"
        )
        yield hit_at(
            facts,
            effect.callee,
            f"{hook} subscribes without a dependency array: it runs after every render {consequence}",
            "pass the values the channel name is built from, e.g. [hotelSlug, roomNumber]",
        )
        return
    if not effect.tears_down or unwrap(effect.deps).type != "array":
        return
    allowed = _channel_inputs(effect)
    component = facts.components.get(effect.component.node.id)
    for dep in unwrap(effect.deps).named_children:
        name = text(dep)
        if name in allowed or dep.type not in ("identifier", "member_expression"):
            continue
        reason = _changing_dependency(facts, effect, dep, component, handlers)
        if reason:
            yield hit_at(
                facts,
                dep,
                f"{hook} depends on '{name}', which {reason}; each change runs the cleanup that "
                "unsubscribes, so messages sent meanwhile are lost",
                "depend only on what the channel name is built from (e.g. [hotelSlug, roomNumber]) and "
                "update state with the functional form",
            )


def _channel_inputs(effect: Effect) -> set[str]:
    """Names that legitimately re-run a subscribing effect: the channel name's parts and the client."""
    names: set[str] = set()
    for subscription in effect.subscriptions:
        names.update(hole.label for hole in subscription.channel.holes)
        names.add(text(subscription.arg))
        receiver = subscription.node.child_by_field_name("function")
        obj = receiver.child_by_field_name("object") if receiver is not None else None
        if obj is not None:
            names.add(text(obj))
    for bind in effect.binds:
        names.update(hole.label for hole in bind.event.holes)
        if bind.channel is not None:
            names.update(hole.label for hole in bind.channel.holes)
    return names


def _changing_dependency(
    facts: FileFacts, effect: Effect, dep: Node, component: Component | None, handlers: Spans
) -> str:
    """Why a dependency changes while the chat is shown, or '' when it need not."""
    name = text(dep)
    if component is not None and name in component.setters:
        setter = component.setters[name]
        for setter_name, call in component.setter_calls:
            if setter_name != setter:
                continue
            if handlers.contain(call):
                return f"the message handler changes (via {setter})"
            if not inside(call, effect.fn) and _in_nested_function(facts.src.ancestry, call, component.fn):
                return f"changes while the chat is shown (via {setter})"
    if dep.type == "identifier":
        binding = facts.resolver.lookup(name, dep)
        if (
            binding is not None
            and binding.kind == "value"
            and binding.node is not None
            and unwrap(binding.node).type in _NEW_IDENTITY_TYPES
            and effect.component is not None
            and _declared_directly_in(facts.src.ancestry, binding.node, effect.component.node)
        ):
            return "is created anew on every render"
    if any(word in name.lower() for word in _MESSAGE_WORDS):
        return "looks like the message list and changes with every message"
    return ""


def _in_nested_function(ancestry: Ancestry, node: Node, component_fn: Node) -> bool:
    """True when ``node`` sits in a function nested in the component (an event handler, a callback)."""
    owner = ancestry.innermost_function(node)
    return owner is not None and owner.id != component_fn.id


def _declared_directly_in(ancestry: Ancestry, value: Node, component_fn: Node) -> bool:
    """True when ``value`` is in the component's own body, not in a function nested in it."""
    owner = ancestry.innermost_function(value)
    return owner is not None and owner.id == component_fn.id


def _hook_argument_deps(project: Project) -> Iterator[Hit]:
    """A hook whose subscribing effect depends on its parameter, called with a new value each render."""
    for facts in project.files:
        for effect in facts.effects:
            if not (effect.subscribes and effect.tears_down and effect.deps is not None):
                continue
            deps = unwrap(effect.deps)
            if deps.type != "array" or effect.component is None or effect.component.role is not Role.HOOK:
                continue
            for dep in deps.named_children:
                if dep.type != "identifier":
                    continue
                holes = param_holes(facts.resolver.pattern(dep))
                if not holes or holes[0].param is None or holes[0].param.function != effect.component.name:
                    continue
                param = holes[0].param
                for site in project.call_sites(param.function, facts.package):
                    argument = argument_for(param, site)
                    if argument is not None and unwrap(argument).type in _NEW_IDENTITY_TYPES:
                        yield hit_at(
                            site.facts,
                            argument,
                            f"{param.function}(...) re-subscribes whenever '{text(dep)}' changes, and this "
                            "argument is a new value on every render, so every render unsubscribes",
                            "wrap the argument in useCallback/useMemo, or keep it in a ref inside the hook",
                        )


RULE = Rule(
    id="early-unsubscribe",
    checklist_item="lifecycle",
    title="The subscription is torn down while the chat is still shown",
    finds="(1) `unsubscribe`/`unbind`/`unbind_all`/`disconnect` called inside a bound Pusher event handler, "
    "or in the same function right after subscribing to (or binding on) the same channel (any "
    "`disconnect`). (2) A React effect that subscribes with no dependency array at all. (3) A React "
    "effect that subscribes, whose cleanup tears the subscription down, and whose dependency array "
    "holds a value that changes while the chat is shown: state whose setter runs in the message "
    "handler or in another handler of the component, a function/object/array created in the component "
    "body on every render, or a name that looks like the message list (`messages`). Dependencies the "
    "channel name is built from (`hotelSlug`, `roomNumber`, `channelName`) and the client are correct "
    "and never reported; neither is an effect with `[]`. (4) A custom hook whose subscribing effect "
    "depends on a parameter, called with an inline function/object for it. Teardown in an effect "
    "cleanup, `componentWillUnmount`, Vue `beforeUnmount`/`unmounted`/`onBeforeUnmount`/`onUnmounted` "
    "is correct. Severity: error for (1), warning for the rest.",
    why="While unsubscribed (even briefly, between cleanup and the next subscribe) events are not "
    "delivered and Pusher does not replay them.",
    fix="Subscribe in an effect whose dependencies are only what the channel name is built from; tear down "
    "in its cleanup; update state with the functional form so the message list need not be a dependency.",
    wrong="useEffect(() => {\n  const channel = pusher.subscribe(name);\n"
    "  channel.bind('new-staff-message', (m) => setMessages([...messages, m]));\n"
    "  return () => pusher.unsubscribe(name);\n}, [messages]);",
    right="useEffect(() => {\n  const channel = pusher.subscribe(name);\n"
    "  const onMessage = (m) => setMessages((prev) => [...prev, m]);\n"
    "  channel.bind('new-staff-message', onMessage);\n"
    "  return () => { channel.unbind('new-staff-message', onMessage); pusher.unsubscribe(name); };\n"
    "}, [name]);",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
