"""``watch-subscribe``: a Vue watcher subscribes to the channel of the value it watches, but misses the
first value (no ``immediate: true``) or never leaves the previous channel.

A watcher runs when its source changes, not when the component mounts: ``watch: { roomId(id) {
Echo.private(`room.${id}`)... } }`` subscribes to nothing until the user switches rooms, unless
``immediate: true`` (or the mount hook subscribing too) covers the first value. Each change then
subscribes to another channel; without leaving the previous one its handler keeps running for a room
no longer shown. Options API watchers (``watch: { x() {} }``, ``{ handler, immediate }``) and
``watch(source, callback, options)`` are read; ``watchEffect`` runs at once and is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.facts import FileFacts, Subscription
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import mount_function
from pusher_doctor.scan.tree import Ancestry, arguments, inside, object_property, text, unwrap


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        if not facts.subscriptions or b"watch" not in facts.src.parsed:
            continue
        reported: set[int] = set()
        for subscription in facts.subscriptions:
            watcher = _watcher(facts, subscription) if not subscription.managed else None
            if watcher is None or watcher[0].id in reported:
                continue
            callback, immediate = watcher
            reported.add(callback.id)
            first_missed = not immediate and not _subscribes_at_mount(facts)
            old_kept = not any(
                teardown.method in ("unsubscribe", "disconnect") and inside(teardown.node, callback)
                for teardown in facts.teardowns
            )
            if not first_missed and not old_kept:
                continue
            problems = []
            if first_missed:
                problems.append("without immediate: true it does not run at mount, so the first value's channel "
                                "is never subscribed")
            if old_kept:
                problems.append("it never leaves the previous channel, whose handler keeps running")
            yield hit_at(
                facts,
                subscription.node,
                f"a watcher subscribes to '{subscription.channel.display()}': {'; and '.join(problems)}",
                "watch with { immediate: true } and, in the watcher, leave the old channel first "
                "(the callback gets the old value: (id, oldId) => { if (oldId) leave(oldId); subscribe(id) })",
            )


def _watcher(facts: FileFacts, subscription: Subscription) -> tuple[Node, bool] | None:
    """The watcher callback around the subscription and whether it runs immediately, if it is in one."""
    ancestry = facts.src.ancestry
    for func in subscription.enclosing.outwards() if subscription.enclosing is not None else ():
        fn = func.node
        if ancestry.called_with(fn) == "watch":
            call = ancestry.parent(ancestry.parent(fn))
            found = arguments(call.child_by_field_name("arguments")) if call is not None else []
            if len(found) >= 2 and unwrap(found[1]).id == fn.id:
                options = unwrap(found[2]) if len(found) > 2 else None
                return fn, options is not None and _immediate(options)
        holder = _watch_entry(ancestry, fn)
        if holder is not None:
            return fn, holder.type == "object" and _immediate(holder)
    return None


def _watch_entry(ancestry: Ancestry, fn: Node) -> Node | None:
    """For a function in an options API ``watch: {...}``, the object holding its options (``{ handler,
    immediate }``) or the ``watch`` object itself."""
    parent = ancestry.parent(fn)
    container = parent if fn.type == "method_definition" else ancestry.parent(parent) if parent is not None else None
    if container is None or container.type != "object":
        return None
    watch_pair = ancestry.parent(container)
    if _is_watch_pair(watch_pair):
        return watch_pair  # watch: { roomId(id) {...} }: no options
    # watch: { roomId: { handler(id) {...}, immediate: true } }
    entry = ancestry.parent(container)
    watch_object = ancestry.parent(entry) if entry is not None else None
    if entry is not None and entry.type == "pair" and _is_watch_pair(ancestry.parent(watch_object) if watch_object else None):
        return container
    return None


def _is_watch_pair(node: Node | None) -> bool:
    if node is None or node.type != "pair":
        return False
    key = node.child_by_field_name("key")
    return key is not None and text(key).strip("'\"") == "watch"


def _immediate(options: Node) -> bool:
    value = object_property(options, "immediate")
    return value is not None and text(value) == "true"


def _subscribes_at_mount(facts: FileFacts) -> bool:
    """The component also subscribes when it mounts (a mount hook, ``<script setup>``): the first value
    is covered."""
    for subscription in facts.subscriptions:
        if _watcher(facts, subscription) is not None:
            continue  # setup() holds the watchers too: they are not what runs at mount
        if mount_function(subscription.enclosing) is not None:
            return True
        if subscription.enclosing is None and facts.src.in_script_setup(subscription.node):
            return True
    return False


RULE = Rule(
    id="watch-subscribe",
    checklist_item="subscribed",
    title="A Vue watcher subscribes but misses the first value or keeps the old channel",
    finds="A subscription (pusher-js `subscribe`, Echo `channel`/`private`/`join`) inside a Vue watcher (options "
    "API `watch: { x(value) {...} }` or `{ handler, immediate }`, or `watch(source, callback, options)`) "
    "that either lacks `immediate: true` while the component subscribes nowhere at mount (the first value is "
    "never subscribed), or never unsubscribes/leaves in the watcher (each change adds a channel). "
    "`watchEffect` runs at once and is not judged; reported once per watcher.",
    why="A watcher runs on changes, not at mount: the page shows the first room and receives nothing for it "
    "until the user switches rooms; after each switch the previous room's handler still runs.",
    fix="Watch with `immediate: true`, and leave the previous channel in the watcher before subscribing the "
    "new one (the callback is given the old value).",
    wrong="watch: {\n  roomId(id) {\n    window.Echo.private(`room.${id}`).listen('.message', this.add);\n  },\n},",
    right="watch: {\n  roomId: {\n    immediate: true,\n    handler(id, oldId) {\n"
    "      if (oldId) window.Echo.leave(`room.${oldId}`);\n"
    "      window.Echo.private(`room.${id}`).listen('.message', this.add);\n    },\n  },\n},",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
