"""``mount-without-teardown``: a component subscribes or binds when it mounts and never undoes it.

Vue (``mounted``/``created``/``setup``/``onMounted``/``<script setup>``), React class components
(``componentDidMount``) and React effects that return no cleanup. A component counts as tearing
down when its unmount code calls anything named ``unsubscribe``, ``unbind``, ``leave``,
``stopListening`` or ``disconnect`` (a helper too); whether that matches what was set up is
``teardown-mismatch``'s question. Root components (``App``, ``_app``, layouts, plugins) mount once
and are not reported; a subscription on a client the component created itself is left to
``client-not-disconnected``.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import Bind, FileFacts, Subscription
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import (
    Effects,
    client_of_subscription,
    component_of,
    mount_function,
    unmount_code,
)
from pusher_doctor.scan.tree import inside, text, unwrap

#: what a teardown is called, in pusher-js, Echo and the helpers apps wrap them in
_TEARDOWN_WORDS = (b"unsubscribe", b"unbind", b"leave", b"stopListening", b"disconnect")
_HINT = (
    "undo it when the component goes away: channel.unbind(event, handler) or pusher.unsubscribe(name) "
    "(Echo: .stopListening(event) or Echo.leave(name)) in beforeUnmount/unmounted (Vue 3), beforeDestroy "
    "(Vue 2), onBeforeUnmount (setup) or componentWillUnmount (class)"
)


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        if project.stays_mounted(facts):
            continue
        yield from _mount_hooks(facts)
        yield from _effects_without_cleanup(facts, _effects_tearing_down(facts))


def _mount_hooks(facts: FileFacts) -> Iterator[Hit]:
    #: components already judged (reported, or found to tear down): judged once, however many facts
    judged: set[int] = set()
    facts_in_order: list[Subscription | Bind] = sorted(
        [*facts.subscriptions, *facts.binds], key=lambda fact: fact.node.start_byte
    )
    for fact in facts_in_order:
        if fact.managed:
            continue  # the hook library leaves the channel itself
        mount = mount_function(fact.enclosing)
        if mount is not None:
            component = component_of(facts, mount)
            caller = facts.src.ancestry.called_with(mount.node)
            hook = f"{mount.name}()" if mount.name else f"{caller}(...)" if caller else "the mount hook"
        elif fact.enclosing is None and facts.src.in_script_setup(fact.node):
            component, hook = facts.src.tree.root_node, "<script setup>"
        else:
            continue
        if component.id in judged or _own_client(facts, fact):
            continue
        judged.add(component.id)
        if _tears_down(unmount_code(facts, component)):
            continue
        if _tears_down_early(facts, component, mount.node if mount is not None else None):
            continue
        yield hit_at(
            facts,
            fact.node,
            f"{hook} {_what(fact)} and the component never tears it down: each time it mounts again the "
            "handler is bound once more (messages shown twice), and the subscription outlives it",
            _HINT,
        )


def _effects_tearing_down(facts: FileFacts) -> set[int]:
    """Effects (by node id) with a teardown anywhere in them."""
    effects = Effects(facts)
    found = (effects.run_by(teardown.enclosing) for teardown in facts.teardowns)
    return {effect.node.id for effect in found if effect is not None}


def _effects_without_cleanup(facts: FileFacts, tearing_down: set[int]) -> Iterator[Hit]:
    for effect in facts.effects:
        # without deps it is early-unsubscribe's (it re-runs after every render)
        if not effect.subscribes or effect.deps is None or effect.cleanups:
            continue
        if effect.component is None or not effect.component.role.runs_every_render:
            continue
        if any(_own_client(facts, fact) for fact in (*effect.subscriptions, *effect.binds)):
            continue
        if effect.node.id in tearing_down:  # at the wrong time: early-unsubscribe's
            continue
        deps = " ".join(text(unwrap(effect.deps)).split())
        yield hit_at(
            facts,
            effect.callee,
            f"{text(effect.callee)} subscribes or binds (deps {deps}) but returns no cleanup: every mount, and every "
            "change of its dependencies, binds the handler once more (messages shown twice)",
            "return a cleanup that unbinds the handler (and unsubscribes when the channel is this component's "
            "alone): return () => channel.unbind('event', handler)",
        )


def _what(fact: Subscription | Bind) -> str:
    if isinstance(fact, Subscription):
        return f"subscribes to '{fact.channel.display()}'"
    return f"binds '{fact.event.display()}'"


def _own_client(facts: FileFacts, fact: Subscription | Bind) -> bool:
    subscription = fact if isinstance(fact, Subscription) else fact.subscription
    client = client_of_subscription(facts, subscription)
    return client is not None and client.owner.per_mount


def _tears_down_early(facts: FileFacts, component: Node, setup: Node | None) -> bool:
    """A teardown in the setup itself, or in a handler of the component: early-unsubscribe's to report."""
    return any(
        (setup is not None and inside(teardown.node, setup))
        or (teardown.context == "handler" and inside(teardown.node, component))
        for teardown in facts.teardowns
    )


def _tears_down(unmount: list[Node]) -> bool:
    return any(node.text is not None and any(word in node.text for word in _TEARDOWN_WORDS) for node in unmount)


RULE = Rule(
    id="mount-without-teardown",
    checklist_item="lifecycle",
    title="Subscribed or bound at mount, never torn down",
    finds="A component that subscribes or binds (pusher-js `subscribe`/`bind`, Echo `channel`/`private`/"
    "`join`/`listen`) in `mounted`, `created`, `setup`, an `onMounted` callback, `<script setup>` or "
    "`componentDidMount`, while none of its unmount code (`beforeUnmount`/`unmounted`/`beforeDestroy`/"
    "`destroyed`, `onBeforeUnmount`/`onUnmounted`, `componentWillUnmount`, effect cleanups) calls anything "
    "named `unsubscribe`, `unbind`, `leave`, `stopListening` or `disconnect`; and a React effect with a "
    "dependency array that subscribes or binds and returns no cleanup. Root components (`App.*`, `_app.*`, "
    "`main.*`, `layout.*`, files under `layouts/`, `plugins/`) are not reported, nor subscriptions on a "
    "client the component creates itself (see `client-not-disconnected`), nor setups that tear down at the "
    "wrong time (see `early-unsubscribe`).",
    why="pusher-js and Echo keep a channel's handlers for as long as the page lives: a component that mounts "
    "again (navigating back, a tab, a `v-if`) binds its handler a second time and each message shows twice, "
    "and a handler of a component that is gone still runs.",
    fix="Undo in the unmount hook what the mount hook did: unbind the handler, and leave the channel when it "
    "is this component's alone.",
    wrong="mounted() {\n  window.Echo.channel(`orders.${this.id}`).listen('.status', this.refresh);\n}",
    right="mounted() {\n  window.Echo.channel(`orders.${this.id}`).listen('.status', this.refresh);\n},\n"
    "beforeUnmount() {\n  window.Echo.leave(`orders.${this.id}`);\n}",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
