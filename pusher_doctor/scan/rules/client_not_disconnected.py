"""``client-not-disconnected``: a client created per mount or per effect run that nothing disconnects.

Only clients whose owner runs again (an effect, a mount hook, ``<script setup>``, a class
component's constructor) are judged; a client at module level, in a plugin, on ``window`` or behind
an ``if (!client)`` guard is created once and may live as long as the page. Any call named
``disconnect`` in the component's unmount code counts (a helper that disconnects too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pusher_doctor.scan.facts import Client, FileFacts, Owner
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import component_of, mentions_disconnect, unmount_code
from pusher_doctor.scan.tree import text, unwrap

_CLASS_BODY = frozenset({"class_body"})
#: ``name.disconnect(`` or ``name?.disconnect(`` in a cleanup
_DISCONNECT_CALL = re.compile(rb"([A-Za-z_$][\w$]*)\s*\??\.\s*disconnect\s*\(")
_EVERY = {
    Owner.EFFECT: "run of its effect",
    Owner.MOUNT: "mount of the component",
    Owner.INSTANCE: "instance of the component",
}


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for client in facts.clients:
            if not client.owner.per_mount:
                continue
            if not _disconnected(facts, client):
                yield hit_at(facts, client.node, _message(facts, client), _hint(client))
                continue
            stale = _stale_disconnect(facts, client)
            if stale is not None:
                yield hit_at(
                    facts,
                    client.node,
                    f"the effect's cleanup disconnects '{stale}', the state of the render the effect ran in (empty "
                    f"on mount), not the {client.constructor}(...) this run creates: each run's WebSocket stays open",
                    f"disconnect the client this run created: return () => {{ ...; client.disconnect(); }} with "
                    f"client the local {client.constructor}(...), not '{stale}' from state",
                )


def _stale_disconnect(facts: FileFacts, client: Client) -> str | None:
    """The state variable an effect's cleanup disconnects instead of the client the effect creates
    (``setPusher(new Pusher(...)); return () => pusher?.disconnect()`` with ``[]``), if that is all it does."""
    effect = next((e for e in facts.effects if client.owner_fn is not None and e.fn.id == client.owner_fn.id), None)
    component = facts.components.get(effect.component.node.id) if effect and effect.component else None
    if effect is None or component is None:
        return None
    names = {
        found.group(1).decode("utf-8", "replace")
        for cleanup in effect.cleanups
        for found in _DISCONNECT_CALL.finditer(cleanup.text or b"")
    }
    deps = {text(dep) for dep in unwrap(effect.deps).named_children} if effect.deps is not None else set()
    stale = sorted(name for name in names if name in component.setters and name not in deps)
    return stale[0] if stale and len(stale) == len(names) else None


def _disconnected(facts: FileFacts, client: Client) -> bool:
    if client.enclosing is None:  # a class field, or <script setup>
        component = facts.src.ancestry.nearest(client.node, _CLASS_BODY) or facts.src.tree.root_node
    else:
        component = component_of(facts, client.enclosing)
    return mentions_disconnect(unmount_code(facts, component))


def _message(facts: FileFacts, client: Client) -> str:
    every = _EVERY[client.owner]
    message = (
        f"{client.constructor}(...) opens a WebSocket on every {every} and nothing disconnects it when the "
        "component goes away: each one stays open (and keeps receiving), one more per mount"
    )
    effect = next((e for e in facts.effects if client.owner_fn is not None and e.fn.id == client.owner_fn.id), None)
    if effect is not None and effect.deps is not None and unwrap(effect.deps).type == "array":
        deps = [text(dep) for dep in unwrap(effect.deps).named_children]
        if deps:
            message += f", and another whenever {', '.join(deps)} change(s)"
    return message


def _hint(client: Client) -> str:
    name = "echo" if client.constructor == "new Echo" else "pusher"
    return (
        f"call {name}.disconnect() where the component is torn down (the effect's cleanup, "
        "componentWillUnmount, onBeforeUnmount), or create one client at module level or in a plugin and share it"
    )


RULE = Rule(
    id="client-not-disconnected",
    checklist_item="lifecycle",
    title="A client created per mount is never disconnected",
    finds="`new Pusher(...)` or `new Echo(...)` created in a React effect, a class component's constructor or "
    "field, `componentDidMount`, Vue `mounted`/`created`/`setup`/`onMounted` or `<script setup>`, while no "
    "unmount code of that component (effect cleanups, `componentWillUnmount`, `beforeUnmount`/`unmounted`/"
    "`beforeDestroy`, `onBeforeUnmount`/`onUnmounted`) calls anything named `disconnect`. A cleanup that only "
    "unsubscribes is not enough. Clients at module level, in a plugin (`defineNuxtPlugin`, `install`), kept on "
    "`window`, or behind an `if (!client)` guard are created once and not reported; neither are clients made "
    "in other functions, whose callers the scan cannot count. Also reported: an effect whose cleanup "
    "disconnects only a state variable the effect does not depend on (`setPusher(new Pusher(...))` and "
    "`return () => pusher?.disconnect()` with `[]`): a stale closure, so the client this run created stays open.",
    why="Every mount opens one more WebSocket that is never closed: connections pile up (Pusher counts each "
    "against the plan's limit), and an effect that depends on the message list opens one per message.",
    fix="Disconnect the client the component created when it unmounts, or share one client for the app.",
    wrong="useEffect(() => {\n  const pusher = new Pusher(KEY, { cluster: 'eu' });\n"
    "  const channel = pusher.subscribe(name);\n  channel.bind('new-staff-message', onMessage);\n"
    "  return () => pusher.unsubscribe(name);\n}, [name]);",
    right="useEffect(() => {\n  const pusher = new Pusher(KEY, { cluster: 'eu' });\n"
    "  const channel = pusher.subscribe(name);\n  channel.bind('new-staff-message', onMessage);\n"
    "  return () => pusher.disconnect();\n}, [name]);",
    check=check,
    severity=Severity.WARNING,
)
