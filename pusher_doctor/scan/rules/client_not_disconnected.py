"""``client-not-disconnected``: a client created per mount or per effect run that nothing disconnects.

Only clients whose owner runs again (an effect, a mount hook, ``<script setup>``, a class
component's constructor) are judged; a client at module level, in a plugin, on ``window`` or behind
an ``if (!client)`` guard is created once and may live as long as the page. Any call named
``disconnect`` in the component's unmount code counts (a helper that disconnects too). A function of
another module of the app that returns a new client (a factory), called in an effect or mount hook,
counts as creating it there; ``Echo.connect()`` on a connected Echo opens a second connection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pusher_doctor.scan.facts import Client, FileFacts, Owner
from pusher_doctor.scan.facts.clients import is_echo
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import component_of, mentions_disconnect, unmount_code
from pusher_doctor.scan.shell import member_calls
from pusher_doctor.scan.tree import arguments, own_returns, text, unwrap

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


    for facts in project.files:
        yield from _factory_clients(project, facts)
        yield from _echo_reconnects(facts)


def _factory_clients(project: Project, facts: FileFacts) -> Iterator[Hit]:
    """``const echo = createEcho()`` in a mount hook or effect, where ``createEcho`` (another module of the
    app) returns a new client: each mount opens one more connection unless the component disconnects it."""
    for call in facts.owned_calls:
        target = project.imported(facts, call.source)
        made = dict(project.note(_factories, target) or ()) if target is not None else {}
        constructor = made.get(call.name)
        if constructor is None:
            continue
        component = component_of(facts, call.enclosing)
        if mentions_disconnect(unmount_code(facts, component)):
            continue
        yield hit_at(
            facts,
            call.node,
            f"{call.name}() ({target.src.rel}) returns a {constructor}(...), and this {_EVERY[call.owner]} "
            "calls it: each one opens a WebSocket that nothing disconnects when the component goes away",
            f"disconnect what {call.name}() returned where the component is torn down, or create the client once "
            "(module level, a plugin) and share it",
        )


def _factories(facts: FileFacts) -> tuple[tuple[str, str], ...] | None:
    """The rule's note: (function, ``new Pusher`` or ``new Echo``) for each function of the file that creates
    and returns a client each time it is called (the first client of each), None when there is none."""
    found: dict[str, str] = {}
    for client in facts.clients:
        if client.owner is not Owner.FUNCTION or client.enclosing is None or client.enclosing.name is None:
            continue
        if client.enclosing.name not in found and _returned(facts, client):
            found[client.enclosing.name] = client.constructor
    return tuple(found.items()) or None


def _returned(facts: FileFacts, client: Client) -> bool:
    """``return new Echo(...)``, ``() => new Pusher(...)`` or ``const echo = new Echo(...); ...; return echo``."""
    fn = client.enclosing.node if client.enclosing is not None else None
    if fn is None:
        return False
    for parent in facts.src.ancestry.ancestors(client.node, stop=fn):
        if parent.type == "return_statement":
            return True
        if parent.type == "variable_declarator":
            name = parent.child_by_field_name("name")
            body = fn.child_by_field_name("body")
            return (
                name is not None
                and body is not None
                and any(text(ret).replace(";", "").split()[-1:] == [text(name)] for ret in own_returns(body))
            )
    return fn.child_by_field_name("body") is not None and fn.child_by_field_name("body").id == unwrap(client.node).id


def _echo_reconnects(facts: FileFacts) -> Iterator[Hit]:
    """``Echo.connect()``: Echo connected when it was created; connecting again opens a second connection
    and the first stays open (with its channels) unless the same function disconnected it first."""
    for call in member_calls(facts, "connect"):
        function = call.child_by_field_name("function")
        receiver = function.child_by_field_name("object") if function is not None else None
        if receiver is None or not is_echo(receiver) or arguments(call.child_by_field_name("arguments")):
            continue
        around = facts.src.ancestry.innermost_function(call) or facts.src.tree.root_node
        disconnect = f"{text(receiver)}.disconnect(".encode()
        before = (around.text or b"")[: call.start_byte - around.start_byte]
        if disconnect in before:
            continue  # disconnect(); connect(): a reconnect, one connection at a time
        yield hit_at(
            facts,
            call,
            f"{text(receiver)}.connect() opens another connection: Echo connected when it was created, and the "
            "first connection stays open with its channels (events arrive twice, or on the connection no "
            "handler listens to)",
            f"do not call connect() on a connected Echo; to reconnect (after login), call {text(receiver)}."
            "disconnect() first, or create Echo only then",
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
    "`return () => pusher?.disconnect()` with `[]`): a stale closure, so the client this run created stays open. "
    "Followed across modules: a factory of the app (`export function createEcho() { return new Echo(...) }`) "
    "called in an effect or mount hook counts as creating the client there. And `Echo.connect()` on an Echo "
    "that is already connected, unless the same function disconnects it first.",
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
    per_file=True,
    note=_factories,
)
