"""``unbind-all``: ``channel.unbind()`` or ``unbind_all()`` removes other components' handlers too.

Only where the channel is shared: another file of the app subscribes to or binds on the same channel
name (the app's channel index says who). A channel only one component uses, or a client the component
creates itself (per mount or per effect run), has handlers nobody else holds, so clearing them is
harmless. Teardowns inside a handler or right after subscribing are left to ``early-unsubscribe``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan.channel_index import key
from pusher_doctor.scan.facts import Client, FileFacts, Teardown
from pusher_doctor.scan.facts.channels import channel_of
from pusher_doctor.scan.model import Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at
from pusher_doctor.scan.rules._lifecycle import client_of_subscription
from pusher_doctor.scan.tree import text


def check(project: Project) -> Iterator[Hit]:
    for facts in project.files:
        for teardown in facts.teardowns:
            if teardown.context not in ("cleanup", "other"):
                continue  # early-unsubscribe reports those
            if teardown.method == "unbind_all" or (teardown.method == "unbind" and not teardown.args):
                client = _client_of_channel(facts, teardown)
                if client is not None and client.owner.per_mount:
                    continue  # the component's own client: no one else listens on its channels
                others = _other_listeners(project, facts, teardown)
                if not others:
                    continue  # only this component uses the channel: its handlers are all its own
                call = text(teardown.node.child_by_field_name("function") or teardown.node)
                yield hit_at(
                    facts,
                    teardown.node,
                    f"{call}() removes every handler on '{teardown.target.display() if teardown.target else ''}', "
                    f"including those of {others} listening on it",
                    "unbind only your own handler: channel.unbind('new-staff-message', onMessage)",
                )


def _other_listeners(project: Project, facts: FileFacts, teardown: Teardown) -> str:
    """The other files of the app that subscribe to or bind on the unbound channel ('' for none)."""
    name = key(teardown.target)
    if name is None:
        return ""
    others = [rel for rel in project.channel_index(facts.package).listener_files(name) if rel != facts.src.rel]
    if not others:
        return ""
    return others[0] if len(others) == 1 else f"{others[0]} and {len(others) - 1} other file(s)"


def _client_of_channel(facts: FileFacts, teardown: Teardown) -> Client | None:
    """The client of this file whose ``subscribe`` made the channel being unbound, if it can be told."""
    function = teardown.node.child_by_field_name("function")
    receiver = function.child_by_field_name("object") if function is not None else None
    subscription, _ = channel_of(facts, receiver) if receiver is not None else (None, None)
    return client_of_subscription(facts, subscription)


RULE = Rule(
    id="unbind-all",
    checklist_item="lifecycle",
    title="All handlers on the channel are removed",
    finds="`channel.unbind()` with no arguments or `channel.unbind_all()` (in a cleanup or elsewhere; "
    "inside an event handler or right after subscribing it is reported as early-unsubscribe instead), where "
    "another file of the app subscribes to or binds on the same channel name. Not reported on a channel only "
    "one component uses, nor when the component created the client itself (in the same effect or mount "
    "hook): nobody else holds that client's channels. `unbind('e')` right before `bind('e', ...)` (binding "
    "once) is not reported either.",
    why="pusher-js returns the same channel object to every component subscribing to a name: unbinding "
    "everything also silences the chat window when, say, an unread badge unmounts.",
    fix="Unbind only your own handler: `channel.unbind('new-staff-message', onMessage)`.",
    wrong="return () => channel.unbind_all();",
    right="return () => channel.unbind('new-staff-message', onMessage);",
    check=check,
    severity=Severity.WARNING,
    per_file=True,
)
