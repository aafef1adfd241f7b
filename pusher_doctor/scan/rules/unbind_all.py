"""``unbind-all``: ``channel.unbind()`` or ``unbind_all()`` removes other components' handlers too.

Teardowns inside a handler or right after subscribing are left to ``early-unsubscribe``.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Severity
from ..project import Project
from ..tree import text
from ._base import Hit, Rule, hit_at


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for teardown in facts.teardowns:
            if teardown.context not in ("cleanup", "other"):
                continue  # early-unsubscribe reports those
            if teardown.method == "unbind_all" or (teardown.method == "unbind" and not teardown.args):
                call = text(teardown.node.child_by_field_name("function") or teardown.node)
                yield hit_at(
                    facts,
                    teardown.node,
                    f"{call}() removes every handler on the channel, including those of other components "
                    "listening on it",
                    "unbind only your own handler: channel.unbind('new-staff-message', onMessage)",
                )


RULE = Rule(
    id="unbind-all",
    checklist_item="lifecycle",
    title="All handlers on the channel are removed",
    finds="`channel.unbind()` with no arguments or `channel.unbind_all()` (in a cleanup or elsewhere; "
    "inside an event handler or right after subscribing it is reported as early-unsubscribe instead).",
    why="pusher-js returns the same channel object to every component subscribing to a name: unbinding "
    "everything also silences the chat window when, say, an unread badge unmounts.",
    fix="Unbind only your own handler: `channel.unbind('new-staff-message', onMessage)`.",
    wrong="return () => channel.unbind_all();",
    right="return () => channel.unbind('new-staff-message', onMessage);",
    check=check,
    severity=Severity.WARNING,
)
