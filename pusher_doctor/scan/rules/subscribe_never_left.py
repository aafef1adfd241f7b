"""``subscribe-never-left``: a function the user's actions run (a click handler, a method a template
event calls) subscribes, and nothing in the component ever leaves a channel.

Not a lifecycle hook: ``joinRoom(id)`` called from ``@click`` or ``onClick`` runs each time the user
clicks. pusher-js returns the same channel for the same name, so each call binds one more handler
(messages shown twice, three times...), and each other name stays subscribed for as long as the page
lives. Only functions this file's template or JSX wires to an event (directly, or through one other
function) are judged, and only when the file has no ``unsubscribe``, ``leave``/``leaveChannel`` or
``disconnect`` at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node, QueryCursor

from pusher_doctor.scan import sources
from pusher_doctor.scan.facts import FileFacts, Role
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.tree import text

#: a Vue template's event binding: @click="join(room.id)", v-on:submit.prevent="send"
_VUE_EVENT = re.compile(r"""(?:@|v-on:)[\w.:-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_JSX_EVENTS = """
(jsx_attribute (property_identifier) @name (jsx_expression) @value)
"""
_LEAVING = ("unsubscribe", "disconnect")


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        subscriptions = [s for s in facts.subscriptions if not s.managed and s.enclosing is not None]
        if not subscriptions or any(t.method in _LEAVING for t in facts.teardowns):
            continue
        wired = _event_handlers(facts)
        if not wired:
            continue
        reported: set[int] = set()
        for subscription in subscriptions:
            func = subscription.enclosing
            if func is None or func.role is not Role.OTHER or func.node.id in reported:
                continue
            if any(outer.role is not Role.OTHER for outer in func.outwards() if outer is not func and outer.role
                   not in (Role.COMPONENT, Role.HOOK)):
                continue  # inside a mount hook, an effect, a handler of a Pusher event...
            name = func.name or ""
            via = name if name in wired else _caller_wired(facts, name, wired)
            if via is None:
                continue
            reported.add(func.node.id)
            shown = f"{name}()" if via == name else f"{name}() (through {via}())"
            yield hit_at(
                facts,
                subscription.node,
                f"{shown} runs on a user action and subscribes to '{subscription.channel.display()}' each time, "
                "while nothing in this component ever leaves a channel: each call binds the handler once more "
                "(messages shown again and again) and every channel it joined stays subscribed",
                "leave the previous channel before joining the next (pusher.unsubscribe(name) / Echo.leave(name)) "
                "and when the component unmounts; or subscribe once, at mount",
            )


def _event_handlers(facts: FileFacts) -> set[str]:
    """Names of the functions this file's template (Vue) or JSX (``onClick={...}``) wires to events."""
    names: set[str] = set()
    if facts.src.is_vue:
        for found in _VUE_EVENT.finditer(facts.src.text):
            names.update(_NAME.findall(found.group(1) or found.group(2) or ""))
        return names
    if facts.src.language == "typescript" or b"<" not in facts.src.parsed:
        return names  # the TypeScript grammar (.ts) has no JSX
    query = sources.query(facts.src.language, _JSX_EVENTS)
    for _, match in QueryCursor(query).matches(facts.src.tree.root_node):
        attribute = text(match["name"][0])
        if attribute.startswith("on") and attribute[2:3].isupper():
            names.update(_NAME.findall(text(match["value"][0])))
    return names


def _caller_wired(facts: FileFacts, name: str, wired: set[str]) -> str | None:
    """The wired function that calls ``name`` (one level), if one does."""
    if not name:
        return None
    for call in [*facts.calls_by_name.get(name, ()), *_this_calls(facts, name)]:
        caller = facts.src.ancestry.innermost_function(call)
        caller_name = facts.src.ancestry.function_name(caller) if caller is not None else None
        if caller_name in wired:
            return caller_name
    return None


def _this_calls(facts: FileFacts, name: str) -> list[Node]:
    """``this.name(...)`` calls (Vue methods calling each other)."""
    pattern = f"this.{name}(".encode()
    if pattern not in facts.src.parsed:
        return []
    query = sources.query(facts.src.language, "(call_expression function: (member_expression) @f) @call")
    return [m["call"][0] for _, m in QueryCursor(query).matches(facts.src.tree.root_node) if text(m["f"][0]) == f"this.{name}"]


RULE = Rule(
    id="subscribe-never-left",
    checklist_item="lifecycle",
    title="A function run on user actions subscribes, and nothing ever leaves",
    finds="A subscription (pusher-js `subscribe`, Echo `channel`/`private`/`join`) in a plain function or method "
    "that the file's template (`@click=\"join(id)\"`) or JSX (`onClick={() => join(id)}`) wires to an event, "
    "directly or through one other function, in a file with no `unsubscribe`, `leave`/`leaveChannel` or "
    "`disconnect` at all. Lifecycle hooks, effects and watchers are other rules' to judge.",
    why="Each click subscribes again: pusher-js hands back the same channel and binds one more handler (the "
    "message appears once per click so far), and every room joined stays subscribed while the page lives.",
    fix="Leave the previous channel before joining the next one and when the component unmounts, or "
    "subscribe once at mount.",
    wrong="methods: {\n  join(id) {\n    this.$pusher.subscribe(`room-${id}`).bind('message', this.add);\n  },\n},",
    right="methods: {\n  join(id) {\n    if (this.room) this.$pusher.unsubscribe(`room-${this.room}`);\n"
    "    this.room = id;\n    this.$pusher.subscribe(`room-${id}`).bind('message', this.add);\n  },\n},",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
