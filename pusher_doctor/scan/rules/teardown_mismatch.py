"""``teardown-mismatch``: a cleanup that tears down something other than what was set up.

Compared within one setup: a React effect and its cleanups, or a component's mount hooks and its
unmount hooks. Reported: unsubscribing a name no subscription of that setup has (``'mychannel'``
for ``'my-channel'``), only when both are literal or built from the same parts; unbinding an event
that setup never bound; and unbinding a handler that cannot be the bound one (a new inline function,
the method when ``.bind(this)`` made the bound one, another name). A class component unbinding
``this.props.onX``, which may be another function by then than at mount, is a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from tree_sitter import Node

from pusher_doctor.scan.facts import LARAVEL_ECHO, Bind, FileFacts, Subscription, Teardown
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import Effects, component_of, mount_function
from pusher_doctor.scan.tree import FUNCTION_TYPES, inside, text, unwrap
from pusher_doctor.scan.values import Pattern

#: the channel names Echo's ``leave(name)`` leaves
_ECHO_LEAVE_PREFIXES = ("", "private-", "presence-", "private-encrypted-")


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        effects = Effects(facts)
        mounted: dict[int, tuple[list[Subscription], list[Bind]]] = {}
        for teardown in facts.teardowns:
            if teardown.context != "cleanup" or not teardown.args:
                continue
            subscriptions, binds = _setup_of(facts, effects, mounted, teardown)
            if teardown.method == "unsubscribe":
                hit = _other_channel(facts, teardown, subscriptions)
            elif teardown.method == "unbind":
                hit = _other_event(facts, teardown, binds) or _other_handler(project, facts, teardown, binds)
            else:
                hit = None
            if hit is not None:
                yield hit


def _setup_of(
    facts: FileFacts,
    effects: Effects,
    mounted: dict[int, tuple[list[Subscription], list[Bind]]],
    teardown: Teardown,
) -> tuple[list[Subscription], list[Bind]]:
    """What the teardown's effect, or its component's mount hooks, set up (``mounted``: by component,
    found once)."""
    effect = effects.cleaned_up_by(teardown.enclosing)
    if effect is not None:
        return effect.subscriptions, effect.binds
    component = component_of(facts, teardown.enclosing)
    if component.id not in mounted:
        found = [
            fact
            for fact in (*facts.subscriptions, *facts.binds)
            if inside(fact.node, component) and mount_function(fact.enclosing) is not None
        ]
        mounted[component.id] = (
            [fact for fact in found if isinstance(fact, Subscription)],
            [fact for fact in found if isinstance(fact, Bind)],
        )
    return mounted[component.id]


def _other_channel(facts: FileFacts, teardown: Teardown, subscriptions: Sequence[Subscription]) -> Hit | None:
    target = teardown.target
    if target is None or not subscriptions:
        return None
    names = _left_names(teardown, target)
    comparable = [s for s in subscriptions if any(_comparable(name, s.channel) for name in names)]
    if not comparable or any(_same(name, s.channel) for s in subscriptions for name in names):
        return None
    if teardown.api == LARAVEL_ECHO and _method(teardown) == "leaveChannel":
        hit = _leave_channel_without_prefix(facts, teardown, target, comparable)
        if hit is not None:
            return hit
    # Echo's names as written (join('rooms.1'), not the presence-rooms.1 it subscribes to)
    subscribed = ", ".join(sorted({f"'{_as_written(facts, s)}'" for s in comparable}))
    return hit_at(
        facts,
        teardown.node,
        f"the cleanup unsubscribes '{target.display()}' but {subscribed} was subscribed: that subscription is never "
        "torn down, and stays (with its handlers) after the component is gone",
        "unsubscribe the very name you subscribed to: keep it in one variable used by both",
    )


def _leave_channel_without_prefix(
    facts: FileFacts, teardown: Teardown, target: Pattern, subscriptions: Sequence[Subscription]
) -> Hit | None:
    """Echo's ``leaveChannel('orders.1')`` after ``private('orders.1')``: it leaves exactly the name it
    is given, and the subscription is ``private-orders.1``."""
    for subscription in subscriptions:
        full = subscription.channel.display()
        prefix = full[: len(full) - len(target.display())]
        if prefix in _ECHO_LEAVE_PREFIXES[1:] and full.endswith(target.display()):
            written = _as_written(facts, subscription)
            return hit_at(
                facts,
                teardown.node,
                f"leaveChannel('{target.display()}') leaves exactly that name, but the channel is '{full}' (Echo "
                f"adds '{prefix}' to '{written}'): the subscription and its listeners stay after the component is "
                "gone",
                f"leaveChannel('{full}') with the full name, or leave('{written}'), which leaves every kind",
            )
    return None


def _as_written(facts: FileFacts, subscription: Subscription) -> str:
    if subscription.api == LARAVEL_ECHO:
        return facts.resolver.pattern(subscription.arg).display()
    return subscription.channel.display()


def _left_names(teardown: Teardown, target: Pattern) -> list[Pattern]:
    if teardown.api == LARAVEL_ECHO and _method(teardown) == "leave":
        return [Pattern((prefix,)) + target for prefix in _ECHO_LEAVE_PREFIXES]
    return [target]


def _other_event(facts: FileFacts, teardown: Teardown, binds: Sequence[Bind]) -> Hit | None:
    event = _event_name(facts, teardown.args[0])
    bound = [bind.event.literal for bind in binds]
    if event is None or not bound or None in bound or event in bound:
        return None
    names = ", ".join(sorted({f"'{name}'" for name in bound}))
    return hit_at(
        facts,
        teardown.node,
        f"the cleanup unbinds '{event}' but {names} was bound: the bound handler is never removed, and runs "
        "again for every later mount's messages",
        f"unbind the event you bound: {names.split(', ')[0]}",
    )


def _other_handler(project: Project, facts: FileFacts, teardown: Teardown, binds: Sequence[Bind]) -> Hit | None:
    if len(teardown.args) < 2:
        return None
    event = _event_name(facts, teardown.args[0])
    handler = unwrap(teardown.args[1])
    same_event = [bind for bind in binds if bind.handler is not None and bind.event.literal == event]
    if handler.type in FUNCTION_TYPES:
        return hit_at(
            facts,
            teardown.node,
            "the cleanup passes a new function to unbind: it was never bound, so the bound handler stays",
            "keep the handler in a variable (or useCallback) and pass that same function to bind and unbind",
        )
    if not same_event:
        return None
    removed = text(handler)
    bound = [text(unwrap(bind.handler)) for bind in same_event if bind.handler is not None]
    if removed in bound:
        if removed.startswith("this.props."):
            renderer = _passes_new_function(project, facts, teardown, removed.removeprefix("this.props."))
            changes = (
                f"{renderer} passes a new function on every render, so by unmount it is another one than at mount"
                if renderer
                else "if the parent passed another function since mount"
            )
            return hit_at(
                facts,
                teardown.node,
                f"the cleanup unbinds {removed} as it is at unmount; {changes}, and the one bound at mount stays bound",
                "keep the function bound at mount (this.boundHandler = this.props.onMessage) and unbind that",
                None if renderer else Severity.NOTE,
            )
        return None
    if any(name.startswith(removed) and name.endswith(".bind(this)") for name in bound):
        reason = f"bind(this) made a new function when binding, so {removed} was never bound"
    else:
        reason = f"{' or '.join(bound)} was bound, not {removed}"
    return hit_at(
        facts,
        teardown.node,
        f"the cleanup unbinds a handler that was not bound: {reason}; the bound handler stays",
        "pass the very function you bound (keep it in a variable or a class field)",
    )


def _passes_new_function(project: Project, facts: FileFacts, teardown: Teardown, prop: str) -> str | None:
    """A file of the app rendering this class component with ``prop={(x) => ...}`` (or ``.bind(...)``): a
    new function each render, so the prop at unmount is never the one bound at mount."""
    body = facts.src.ancestry.nearest(teardown.node, frozenset({"class_body"}))
    owner = facts.src.ancestry.parent(body) if body is not None else None
    name_node = owner.child_by_field_name("name") if owner is not None else None
    if name_node is None:
        return None
    element = re.compile(
        rf"<{re.escape(text(name_node))}\b[^>]*?\b{re.escape(prop)}=\{{\s*(?:\([^)]*\)\s*=>|\w+\s*=>|function\b|"
        rf"async\b|[\w.]+\.bind\()",
        re.DOTALL,
    )
    for other in project.packages().get(facts.package, ()):
        if element.search(other.src.text):
            return other.src.rel
    return None


def _event_name(facts: FileFacts, node: Node) -> str | None:
    literal = facts.resolver.pattern(node).literal
    return literal[1:] if literal is not None and literal.startswith(".") else literal


def _method(teardown: Teardown) -> str:
    function = teardown.node.child_by_field_name("function")
    prop = function.child_by_field_name("property") if function is not None else None
    return text(prop) if prop is not None else ""


def _comparable(left: Pattern, right: Pattern) -> bool:
    """Both fully literal, or built from the same unknown parts in the same order."""
    if left.literal is not None and right.literal is not None:
        return True
    return bool(left.holes) and [h.label for h in left.holes] == [h.label for h in right.holes]


def _same(left: Pattern, right: Pattern) -> bool:
    return left.display() == right.display()


RULE = Rule(
    id="teardown-mismatch",
    checklist_item="lifecycle",
    title="The cleanup tears down something other than what was set up",
    finds="In a React effect's cleanup, or a component's unmount hook, compared with what the same effect or "
    "the component's mount hooks set up: `unsubscribe(name)` / Echo `leave(name)` of a name no subscription "
    "there has (`'mychannel'` for `'my-channel'`; only when both are literal or built from the same "
    "variables); `unbind(event, ...)` / `stopListening(event)` of an event never bound there; `unbind(event, "
    "handler)` with a handler that cannot be the bound one: an inline function, the method itself when "
    "`.bind(this)` made the bound one, another name. Unbinding `this.props.onX` bound at mount is a warning "
    "when a file of the app renders the component with `onX={(x) => ...}` (a new function every render), else "
    "a note: the prop may be another function by unmount.",
    why="The teardown removes nothing: the subscription and its handler outlive the component, so after the "
    "next mount each message is handled twice, and a handler of a component that is gone still runs.",
    fix="Tear down exactly what was set up: one variable for the channel name, the same handler function for "
    "bind and unbind.",
    wrong="const channel = pusher.subscribe('my-channel');\nchannel.bind('my-event', onEvent);\n"
    "return () => pusher.unsubscribe('mychannel');",
    right="const name = 'my-channel';\nconst channel = pusher.subscribe(name);\nchannel.bind('my-event', onEvent);\n"
    "return () => { channel.unbind('my-event', onEvent); pusher.unsubscribe(name); };",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
