"""``unmount-while-shown``: a mount-once effect whose cleanup unsubscribes: right React, but the guide's
"Issue 4" when the component unmounts while the chat is still on screen.

A note, never more: the code is correct, and whether the component unmounts while the guest still
looks at the chat (a route or tab change, a parent re-keying it, a conditional render) is something
only the running page shows. Root components (``App``, ``_app``, layouts) never unmount and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import Effects, missing_channel_deps
from pusher_doctor.scan.tree import text, unwrap


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        if project.stays_mounted(facts):
            continue
        effects = Effects(facts)
        noted: set[int] = set()
        for teardown in facts.teardowns:
            if teardown.method != "unsubscribe" or teardown.context != "cleanup":
                continue
            effect = effects.cleaned_up_by(teardown.enclosing)
            if effect is None or effect.node.id in noted or not effect.subscriptions or effect.deps is None:
                continue
            deps = unwrap(effect.deps)
            if deps.type == "array" and not deps.named_child_count and not missing_channel_deps(facts, effect):
                noted.add(effect.node.id)
                yield hit_at(facts, teardown.node, _message(teardown.node), _HINT)


def _message(node: Node) -> str:
    call = text(node.child_by_field_name("function") or node)
    return (
        f"{call}(...) in the cleanup of a mount-once effect: if this component unmounts while the chat is still "
        "on screen (a route or tab change, a parent re-keying it, a conditional render), the guest stops "
        "receiving until it mounts again, and messages sent meanwhile are lost"
    )


_HINT = (
    "confirm it live: pusher-doctor check --page URL (its page-lifecycle step reports an unsubscribe after the "
    "message), or keep pusher-doctor watch running while you use the page; if it happens, subscribe in a "
    "component that stays mounted (a layout or context provider)"
)


RULE = Rule(
    id="unmount-while-shown",
    checklist_item="lifecycle",
    title="A mount-once effect unsubscribes in its cleanup (confirm the component stays mounted)",
    finds="A React effect with an empty dependency array (`[]`) that subscribes and whose cleanup calls "
    "`unsubscribe` (or Echo `leave`): the guide's \"Issue 4\" code. A note only: the teardown is correct React, "
    "and it loses messages only if the component unmounts while the chat is still shown, which the running "
    "page can tell and the source cannot. Not reported in root components (`App.*`, `_app.*`, layouts).",
    why="When the component unmounts while the chat is on screen, the cleanup unsubscribes and every message "
    "until it mounts again is lost: Pusher does not replay them.",
    fix="Confirm it live (`check --page URL`, or `watch` while using the page); if the component unmounts while "
    "shown, move the subscription to a component that stays mounted.",
    wrong="useEffect(() => {\n  const channel = pusher.subscribe(name);\n  channel.bind('new-staff-message', show);\n"
    "  return () => { channel.unbind(); pusher.unsubscribe(name); };\n}, []);  // in a view that unmounts",
    right="// the same effect in a component that stays mounted while the chat is shown (a layout, a provider)\n"
    "useEffect(() => {\n  const channel = pusher.subscribe(name);\n  channel.bind('new-staff-message', show);\n"
    "  return () => { channel.unbind('new-staff-message', show); pusher.unsubscribe(name); };\n}, []);",
    check=check,
    severity=Severity.NOTE,
    per_file=True,
)
