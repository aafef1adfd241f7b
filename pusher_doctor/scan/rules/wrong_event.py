"""``wrong-event``: a bound event the backend never sends on that channel.

On a channel whose name cannot be resolved only chat-looking event names are judged: other features'
events (``typing``, ``presence``) on channels we cannot name are not ours to report.
"""

from __future__ import annotations

from collections.abc import Iterator

from pusher_doctor.scan import contract
from pusher_doctor.scan.model import Scope, Severity
from pusher_doctor.scan.project import Project
from pusher_doctor.scan.rules._base import Hit, Rule, hit_at, via
from pusher_doctor.scan.values import Pattern


def check(project: Project) -> Iterator[Hit]:
    for facts, bind in project.binds():
        event = bind.event.literal
        if event is None:
            continue
        kind = _channel_kind(bind.channel)
        if kind is None or (kind == contract.UNKNOWN and not contract.looks_like_chat_event(event)):
            continue
        verdict = contract.check_event(event, kind)
        if verdict is None:
            continue
        channel = f" on '{bind.channel.display()}'" if bind.channel is not None else ""
        yield hit_at(
            facts,
            bind.event_node,
            f"binds '{event}'{channel}{via(bind.via)}: {verdict.problem}",
            f"bind '{contract.closest(event, verdict.expected)}'",
            # on a channel that cannot be named, the event is judged by its name alone
            Severity.WARNING if kind == contract.UNKNOWN else None,
        )


def _channel_kind(channel: Pattern | None) -> str | None:
    """The backend channel a bind listens on; None for channels the chat backend has nothing to do with."""
    if channel is None:
        return contract.UNKNOWN
    verdict = contract.classify_channel(channel)
    if verdict.kind == contract.OTHER:
        return verdict.near
    return verdict.kind


RULE = Rule(
    id="wrong-event",
    checklist_item="event-name",
    title="Bound event is never sent by the backend on that channel",
    finds="`channel.bind(event, ...)` where the backend never sends `event` on that channel: anything but "
    "`new-staff-message` on the room channel (notably `new-message`, which goes to the conversation "
    "channel), anything but `new-message`/`message-delivered` on the conversation channel, and on a "
    "channel that cannot be resolved a chat-looking name (containing `message`, `msg`, `chat` or "
    "`staff`) that none of the three is (a warning: the channel is not known). `pusher:*` and `client-*` "
    "events are never reported, nor events on channels that are neither room nor conversation channels.",
    why="The handler never runs, so the message only shows up after a refresh.",
    fix="Bind the event the backend sends on that channel: `new-staff-message` on the room channel.",
    wrong="channel.bind('new-message', onMessage);  // channel is {hotel}-room-{room}-chat",
    right="channel.bind('new-staff-message', onMessage);",
    check=check,
    severity=Severity.ERROR,
    scope=Scope.HOTEL_CONTRACT,
    per_file=True,
)
